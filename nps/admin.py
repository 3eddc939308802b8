from django.contrib import admin

from nps.models import FollowUp, Invitation, InvitationPlacement, Response


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "contact", "recruiter", "status", "send_after", "sent_at", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["contact", "recruiter", "survey_version"]
    readonly_fields = ["created_at"]


@admin.register(InvitationPlacement)
class InvitationPlacementAdmin(admin.ModelAdmin):
    list_display = ["placement", "invitation", "skipped_reason"]
    raw_id_fields = ["placement", "invitation"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["pk", "contact", "recruiter", "channel", "nps_score", "completed_at"]
    list_filter = ["channel"]
    raw_id_fields = ["invitation", "contact", "client", "recruiter", "survey_version"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["pk", "owner", "status", "due_date"]
    list_filter = ["status"]
    raw_id_fields = ["response", "live_response", "owner"]
