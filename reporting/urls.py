from django.urls import path

from reporting.views import closure, dashboard, followups, mirror, probation

app_name = "reporting"
urlpatterns = [
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("dashboard/responses/", dashboard.response_list, name="response_list"),
    path("dashboard/export.csv", dashboard.export_csv, name="export_csv"),
    path("dashboard/export.xlsx", dashboard.export_xlsx, name="export_xlsx"),
    path("follow-ups/", followups.followup_list, name="followup_list"),
    path("dashboard/probation/", probation.probation_view, name="probation"),
    path("dashboard/probation/placements/", probation.probation_placements, name="probation_placements"),
    path("dashboard/probation/check-ins/", probation.probation_checkins, name="probation_checkins"),
    path("dashboard/candidates/", closure.closure_view, name="closure"),
    path("dashboard/clients/<int:pk>/mirror/", mirror.client_mirror, name="client_mirror"),
    path("dashboard/clients/<int:pk>/review/", mirror.client_review, name="client_review"),
    path("dashboard/clients/<int:pk>/review/share/", mirror.review_share, name="review_share"),
    path("dashboard/shares/<int:pk>/revoke/", mirror.share_revoke, name="share_revoke"),
    # The client's read-only copy of a review report: a personal link, no login.
    path("r/<str:token>/", mirror.shared_review, name="shared_review"),
]
