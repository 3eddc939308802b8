from django.urls import path

from nps.views import answer, evaluation, followups, placements

app_name = "nps"
urlpatterns = [
    # The hiring manager's pages (token link, no login).
    path("s/privacy/", answer.privacy, name="privacy"),
    path("s/a/<int:invitation_id>/", answer.answer, name="answer"),
    path("s/a/<int:invitation_id>/thanks/", answer.thanks, name="thanks"),
    path("s/a/<int:invitation_id>/call/", answer.request_call, name="request_call"),
    # Recruiters, team leads and administrators.
    path("invitations/<int:pk>/resend/", placements.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/cancel/", placements.invitation_cancel, name="invitation_cancel"),
    path("follow-ups/<int:pk>/", followups.followup_detail, name="followup_detail"),
    path("placements/<int:pk>/client-rating/", evaluation.client_rating, name="client_rating"),
    path("commitments/<int:pk>/status/", evaluation.commitment_status, name="commitment_status"),
    path("responses/<int:pk>/", followups.response_detail, name="response_detail"),
]
