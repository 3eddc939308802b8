"""Writes for organisations, users and teams."""

from django.db import transaction

from accounts.models import Organisation, Team, User


@transaction.atomic
def user_ensure(
    *, organisation: Organisation, email: str, first_name: str, last_name: str, role: str, password: str | None = None
) -> User:
    """Create the user if missing (matched by email); never duplicates."""
    user, created = User.objects.get_or_create(
        email=email.lower(),
        defaults={
            "organisation": organisation,
            "first_name": first_name,
            "last_name": last_name,
            "role": role,
            # Administrators use the Django admin, limited to their organisation
            # (accounts/admin_scope.py); superusers are made with createsuperuser.
            "is_staff": role == User.Role.ADMIN,
        },
    )
    if created and password:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def team_ensure(*, organisation: Organisation, name: str, leads: list[User], members: list[User]) -> Team:
    team, _ = Team.objects.get_or_create(organisation=organisation, name=name)
    team.leads.add(*leads)
    team.members.add(*members)
    return team
