from django.contrib import admin

from surveys.models import DefaultSurvey, Survey, SurveyVersion, SurveyVersionTopic, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "dimension", "organisation", "is_archived"]
    list_filter = ["dimension", "is_archived"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "archived_at"]


class VersionTopicInline(admin.TabularInline):
    model = SurveyVersionTopic
    extra = 0
    can_delete = False
    readonly_fields = ["position", "topic", "name_nl", "question_nl"]
    fields = readonly_fields


@admin.register(SurveyVersion)
class SurveyVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "kind", "published_at"]
    inlines = [VersionTopicInline]

    def has_change_permission(self, request, obj=None):
        return False  # published versions are frozen


admin.site.register(DefaultSurvey)
