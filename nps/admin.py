import json

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scope import OrganisationScopedAdmin
from nps.models import FollowUp, Invitation, InvitationPlacement, PrivacyRecord, Response
from nps.services import privacy
from placements.admin import ContactAdmin
from placements.models import Contact


@admin.register(Invitation)
class InvitationAdmin(OrganisationScopedAdmin):
    list_display = ["pk", "contact", "recruiter", "status", "send_after", "sent_at", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["contact", "recruiter", "survey_version"]
    readonly_fields = ["created_at"]


@admin.register(InvitationPlacement)
class InvitationPlacementAdmin(OrganisationScopedAdmin):
    organisation_field = "placement__organisation"
    list_display = ["placement", "invitation", "skipped_reason"]
    raw_id_fields = ["placement", "invitation"]


@admin.register(Response)
class ResponseAdmin(OrganisationScopedAdmin):
    list_display = ["pk", "contact", "recruiter", "channel", "nps_score", "completed_at"]
    list_filter = ["channel"]
    raw_id_fields = ["invitation", "contact", "client", "recruiter", "survey_version"]


@admin.register(FollowUp)
class FollowUpAdmin(OrganisationScopedAdmin):
    list_display = ["pk", "owner", "status", "due_date"]
    list_filter = ["status"]
    raw_id_fields = ["response", "live_response", "owner"]


@admin.register(PrivacyRecord)
class PrivacyRecordAdmin(OrganisationScopedAdmin):
    """The audit trail: read-only, kept even when the person's data is gone."""

    list_display = ["created_at", "organisation", "action", "performed_by", "subject_hash"]
    list_filter = ["action", "organisation"]
    search_fields = ["subject_hash"]

    def get_list_filter(self, request):
        return super().get_list_filter(request) if request.user.is_superuser else ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The privacy actions live here, where both the placements and the surveys' answers are known.
admin.site.unregister(Contact)


@admin.register(Contact)
class ContactPrivacyAdmin(ContactAdmin):
    actions = ["export_personal_data", "erase_personal_data"]

    @admin.action(description=_("Export personal data (JSON)"))
    def export_personal_data(self, request, queryset):
        exports = [
            privacy.personal_data_export(
                organisation=contact.organisation, email=contact.email, performed_by=request.user
            )
            for contact in _one_per_address(queryset)
        ]
        response = HttpResponse(
            json.dumps(exports, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description=_("Erase personal data (keeps the scores)"))
    def erase_personal_data(self, request, queryset):
        contacts = _one_per_address(queryset.filter(anonymised_at__isnull=True))
        if request.POST.get("confirmed") == "yes":
            for contact in contacts:
                privacy.personal_data_erase(
                    organisation=contact.organisation, email=contact.email, performed_by=request.user
                )
            self.message_user(
                request,
                ngettext(
                    "The personal data of %(count)d hiring manager was erased; the scores are kept.",
                    "The personal data of %(count)d hiring managers was erased; the scores are kept.",
                    len(contacts),
                )
                % {"count": len(contacts)},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/nps/erase_personal_data.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data"),
                "contacts": contacts,
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "opts": self.model._meta,
            },
        )


def _one_per_address(queryset):
    seen, contacts = set(), []
    for contact in queryset.select_related("organisation").order_by("pk"):
        if (contact.organisation_id, contact.email) not in seen:
            seen.add((contact.organisation_id, contact.email))
            contacts.append(contact)
    return contacts
