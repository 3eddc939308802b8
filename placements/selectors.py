"""Reads for clients, hiring managers and placements, scoped by role."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts import scope
from accounts.models import User
from placements.models import Client, Contact, Placement


def client_list(*, user: User, search: str = "") -> QuerySet[Client]:
    clients = Client.objects.filter(organisation_id=user.organisation_id)
    if search:
        clients = clients.filter(name__icontains=search)
    return clients.order_by("name")


def client_get_for_user(*, user: User, pk: int) -> Client:
    return get_object_or_404(Client, pk=pk, organisation_id=user.organisation_id)


def contact_list(*, user: User, search: str = "", client: Client | None = None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(organisation_id=user.organisation_id).select_related("client")
    if client is not None:
        contacts = contacts.filter(client=client)
    if search:
        contacts = contacts.filter(Q(name__icontains=search) | Q(email__icontains=search))
    return contacts.order_by("name")


def contact_get_for_user(*, user: User, pk: int) -> Contact:
    return get_object_or_404(Contact, pk=pk, organisation_id=user.organisation_id)


def placement_list(*, user: User) -> QuerySet[Placement]:
    """The placements `user` may see: their own, their team's, or all (administrator)."""
    return Placement.objects.filter(scope.visible(user=user)).select_related("client", "contact", "recruiter")


def placement_get_for_user(*, user: User, pk: int) -> Placement:
    """The placement, or 404 when it is not `user`'s to see (healthchecks' _get_check_for_user)."""
    return get_object_or_404(placement_list(user=user), pk=pk)
