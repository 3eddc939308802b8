from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import STAFF_ROLES, role_required
from evalportal.forms import apply_errors
from placements import hooks, selectors, services
from placements.forms import ClientForm, ContactForm, PlacementForm
from placements.views_import import import_preview, import_upload  # noqa: F401 - routed in urls


@role_required(*STAFF_ROLES)
def client_list(request):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.client_list(user=request.user, search=search), 50).get_page(request.GET.get("page"))
    return render(request, "placements/client_list.html", {"page": page, "q": search})


@role_required(*STAFF_ROLES)
def client_create(request):
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(organisation=request.user.organisation, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Client added."))
            return redirect("placements:client_detail", client.pk)
    return render(request, "placements/form.html", {"form": form, "title": _("New client")})


@role_required(*STAFF_ROLES)
def client_detail(request, pk):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Client saved."))
            return redirect("placements:client_detail", client.pk)
    contacts = selectors.contact_list(user=request.user, client=client)
    context = {"client": client, "form": form, "contacts": contacts, "panels": hooks.client_panels(request, client)}
    return render(request, "placements/client_detail.html", context)


@role_required(*STAFF_ROLES)
def contact_list(request):
    search = request.GET.get("q", "").strip()[:100]
    contacts = selectors.contact_list(user=request.user, search=search)
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    return render(request, "placements/contact_list.html", {"page": page, "q": search})


@role_required(*STAFF_ROLES)
def contact_create(request):
    initial = {}
    client_id = request.GET.get("client", "")
    if client_id.isascii() and client_id.isdigit():
        initial["client"] = int(client_id)
    form = ContactForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.contact_create(
                organisation=request.user.organisation,
                client=data["client"],
                name=data["name"],
                email=data["email"],
                language=data["language"],
                phone=data["phone"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Hiring manager added."))
            return redirect("placements:client_detail", contact.client_id)
    return render(request, "placements/form.html", {"form": form, "title": _("New hiring manager")})


@role_required(*STAFF_ROLES)
def contact_edit(request, pk):
    contact = selectors.contact_get_for_user(user=request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                contact=selectors.contact_get_for_user(user=request.user, pk=pk),
                **{k: form.cleaned_data[k] for k in ContactForm.Meta.fields},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Hiring manager saved."))
            return redirect("placements:client_detail", form.cleaned_data["client"].pk)
    return render(request, "placements/form.html", {"form": form, "title": contact.name})


def _client_chosen(request) -> bool:
    """The form was posted only to list the chosen client's hiring managers (the button shown without JavaScript)."""
    return request.method == "POST" and request.POST.get("action") == "client"


@role_required(*STAFF_ROLES)
def placement_create(request):
    if _client_chosen(request):
        form = PlacementForm(initial=request.POST.dict(), user=request.user)
    else:
        form = PlacementForm(request.POST or None, user=request.user)
    if request.method == "POST" and not _client_chosen(request) and form.is_valid():
        try:
            placement = services.placement_create(
                organisation=request.user.organisation, **{k: form.cleaned_data[k] for k in PlacementForm.Meta.fields}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Placement added. Close it when the candidate has started to send the survey."))
            return redirect(reverse("placements:placement_detail", args=[placement.pk]))
    return render(request, "placements/form.html", {"form": form, "title": _("New placement"), "placement_form": True})


@role_required(*STAFF_ROLES)
def placement_edit(request, pk):
    placement = selectors.placement_get_for_user(user=request.user, pk=pk)
    if _client_chosen(request):
        form = PlacementForm(initial=request.POST.dict(), instance=placement, user=request.user)
    else:
        form = PlacementForm(request.POST or None, instance=placement, user=request.user)
    if request.method == "POST" and not _client_chosen(request) and form.is_valid():
        try:
            services.placement_update(
                placement=selectors.placement_get_for_user(user=request.user, pk=pk),
                **{k: form.cleaned_data[k] for k in PlacementForm.Meta.fields},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Placement saved."))
            return redirect(reverse("placements:placement_detail", args=[pk]))
    return render(
        request, "placements/form.html", {"form": form, "title": placement.candidate_name, "placement_form": True}
    )


@role_required(*STAFF_ROLES)
def placement_close(request, pk):
    """GET asks for confirmation; POST closes the placement and schedules the survey."""
    placement = selectors.placement_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.placement_close(placement=placement)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("Placement closed. The survey to %(name)s is scheduled.") % {"name": placement.contact.name}
            )
        return redirect(reverse("placements:placement_detail", args=[pk]))
    return render(request, "placements/placement_close.html", {"placement": placement})


@require_POST
@role_required(*STAFF_ROLES)
def placement_cancel(request, pk):
    placement = selectors.placement_get_for_user(user=request.user, pk=pk)
    services.placement_cancel(placement=placement)
    messages.success(request, _("Placement cancelled."))
    return redirect(reverse("placements:placement_detail", args=[pk]))


@role_required(*STAFF_ROLES)
def client_contacts(request, pk):
    """The client's hiring managers for the placement form's list (JSON), fetched when the client changes."""
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    contacts = selectors.contact_list(user=request.user, client=client).order_by("name")
    return JsonResponse({"contacts": [{"id": c.pk, "label": f"{c.name} ({c.email})"} for c in contacts]})
