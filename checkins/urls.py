from django.urls import path

from checkins import views

app_name = "checkins"
urlpatterns = [
    # The candidate's pages (through the token link of outreach, no login).
    path("s/c/<int:checkin_id>/", views.checkin, name="checkin"),
    path("s/c/<int:checkin_id>/thanks/", views.thanks, name="thanks"),
    # The recruiter's (and administrators').
    path("check-ins/follow-ups/", views.followup_list, name="followup_list"),
    path("check-ins/follow-ups/<int:pk>/", views.followup_detail, name="followup_detail"),
]
