from django.urls import path

from exits import views

app_name = "exits"
urlpatterns = [
    # The leaver's pages (through the token link of outreach, no login).
    path("s/e/<int:invitation_id>/", views.answer, name="answer"),
    path("s/e/<int:invitation_id>/thanks/", views.thanks, name="thanks"),
    # The recruiter's, the team lead's and administrators'.
    path("exits/placements/<int:pk>/", views.feedback_page, name="feedback"),
    path("exits/placements/<int:pk>/send/", views.send_link, name="send_link"),
    path("exits/patterns/", views.pattern_page, name="patterns"),
    path("exits/clients/<int:pk>/report/", views.client_report, name="client_report"),
    path("exits/changes/new/", views.change_new, name="change_new"),
    path("exits/learning/", views.learning, name="learning"),
]
