from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import ADD, CHANGE, VIEW, OrganisationScopedAdmin, OrganisationScopedInline
from placements.api_keys import api_key_create, api_keys_revoke
from placements.models import ApiKey, Client, Contact, Integration, Placement


@admin.register(Client)
class ClientAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name"]


@admin.register(Contact)
class ContactAdmin(OrganisationScopedAdmin):
    organisation_may = frozenset({VIEW, CHANGE})  # correct a name or address; export or erase personal data
    list_display = ["name", "email", "client", "language", "opted_out_at"]
    search_fields = ["name", "email"]
    raw_id_fields = ["client"]


@admin.register(Placement)
class PlacementAdmin(OrganisationScopedAdmin):
    list_display = ["candidate_name", "job_title", "client", "recruiter", "status", "start_date"]
    list_filter = ["status"]
    search_fields = ["candidate_name", "external_id"]
    raw_id_fields = ["client", "contact", "recruiter"]


class ApiKeyInline(OrganisationScopedInline, admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    can_delete = False


@admin.register(Integration)
class IntegrationAdmin(OrganisationScopedAdmin):
    organisation_may = frozenset({VIEW, ADD, CHANGE})
    list_display = ["name", "access", "organisation", "created_at"]
    inlines = [ApiKeyInline]
    actions = ["create_key"]

    @admin.action(description=_("Create a new API key (shown once)"))
    def create_key(self, request, queryset):
        for integration in queryset:
            key = api_key_create(integration=integration)
            messages.warning(
                request,
                _("New key for %(name)s (copy it now, it is not shown again): %(key)s")
                % {"name": integration.name, "key": key},
            )


@admin.register(ApiKey)
class ApiKeyAdmin(OrganisationScopedAdmin):
    organisation_field = "integration__organisation"
    organisation_may = frozenset({VIEW, CHANGE})  # revoke
    list_display = ["integration", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["integration", "prefix", "key_hash", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are made with the integration's action, so the key is shown once

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        api_keys_revoke(keys=queryset)
