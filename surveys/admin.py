from django.contrib import admin
from django.db.models import Q

from accounts.admin_scope import OrganisationScopedAdmin, OrganisationScopedInline
from surveys.models import DefaultSurvey, Survey, SurveyVersion, SurveyVersionTopic, Topic


@admin.register(Topic)
class TopicAdmin(OrganisationScopedAdmin):
    list_display = ["name_nl", "dimension", "organisation", "is_archived"]
    list_filter = ["dimension", "is_archived"]

    def organisation_scope(self, request):
        # The organisation's own topics and the shared library.
        return super().organisation_scope(request) | Q(organisation__isnull=True)


@admin.register(Survey)
class SurveyAdmin(OrganisationScopedAdmin):
    list_display = ["name", "kind", "organisation", "archived_at"]


class VersionTopicInline(OrganisationScopedInline, admin.TabularInline):
    model = SurveyVersionTopic
    extra = 0
    can_delete = False
    readonly_fields = ["position", "topic", "name_nl", "question_nl"]
    fields = readonly_fields


@admin.register(SurveyVersion)
class SurveyVersionAdmin(OrganisationScopedAdmin):
    organisation_field = "survey__organisation"
    list_display = ["name", "number", "kind", "published_at"]
    inlines = [VersionTopicInline]

    def has_change_permission(self, request, obj=None):
        return False  # published versions are frozen


@admin.register(DefaultSurvey)
class DefaultSurveyAdmin(OrganisationScopedAdmin):
    list_display = ["client", "survey"]
