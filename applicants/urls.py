from django.urls import path

from applicants import views

app_name = "applicants"
urlpatterns = [
    # The candidate's pages (through the token link of outreach, no login).
    path("s/k/<int:survey_id>/", views.answer, name="answer"),
    path("s/k/<int:survey_id>/thanks/", views.thanks, name="thanks"),
    # The recruiter's, the team lead's and administrators'.
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<int:pk>/candidates/<int:applicant_pk>/answer/", views.record_answer, name="record_answer"),
]
