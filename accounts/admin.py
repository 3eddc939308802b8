from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
        (_("Privacy"), {"fields": ["retention_months"]}),
    ]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    filter_horizontal = ["leads", "members"]
