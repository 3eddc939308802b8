from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import ADD, CHANGE, DELETE, VIEW, OrganisationScopedAdmin, organisation_admin
from accounts.models import Organisation, Team, User

# Set by the installation's superusers only; organisation administrators get the rest.
SUPERUSER_ONLY_FIELDS = {"is_staff", "is_superuser", "groups", "user_permissions"}


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_field = "pk"
    organisation_may = frozenset({VIEW, CHANGE})
    list_display = ["name", "invitation_delay_days", "quiet_period_days", "expiry_days"]
    fieldsets = [
        (None, {"fields": ["name"]}),
        (
            _("Invitations"),
            {
                "fields": [
                    "invitation_delay_days",
                    "quiet_period_days",
                    "reminder_after_days",
                    "max_reminders",
                    "expiry_days",
                ]
            },
        ),
        (_("Follow-ups"), {"fields": ["low_nps_threshold", "low_topic_threshold", "followup_due_working_days"]}),
        (
            _("Candidate check-ins"),
            {"fields": ["candidate_tone", "checkin_first_working_days", "checkin_halfway", "checkin_days_before_end"]},
        ),
        (_("Introduced candidates"), {"fields": ["open_loop_working_days", "candidate_survey_hired"]}),
        (_("Privacy"), {"fields": ["retention_months", "exit_min_leavers"]}),
    ]


@admin.register(User)
class UserAdmin(OrganisationScopedAdmin, BaseUserAdmin):
    organisation_may = frozenset({VIEW, ADD, CHANGE})
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Role"), {"fields": ["organisation", "role"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "organisation", "role", "password1", "password2"]}),
    ]

    def organisation_scope(self, request):
        # The installation's superusers are not the organisation's to change (or to take over).
        return super().organisation_scope(request) & Q(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        return super().get_list_filter(request) if request.user.is_superuser else ["role", "is_active"]

    def save_model(self, request, obj, form, change):
        if organisation_admin(request.user):  # the organisation is theirs: see OrganisationScopedAdmin
            obj.is_staff = obj.role == User.Role.ADMIN  # administrators use this admin; no one else does
        super().save_model(request, obj, form, change)


@admin.register(Team)
class TeamAdmin(OrganisationScopedAdmin):
    organisation_may = frozenset({VIEW, ADD, CHANGE, DELETE})
    list_display = ["name", "organisation"]
    filter_horizontal = ["leads", "members"]
