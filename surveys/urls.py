from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("new/", views.survey_create, name="survey_create"),
    path("<int:pk>/", views.survey_edit, name="survey_edit"),
    path("<int:pk>/preview/", views.survey_preview, name="survey_preview"),
    path("<int:pk>/publish/", views.survey_publish, name="survey_publish"),
    path("<int:pk>/duplicate/", views.survey_duplicate, name="survey_duplicate"),
    path("<int:pk>/archive/", views.survey_archive, name="survey_archive"),
    path("defaults/organisation/", views.default_set, name="default_set"),
    path("defaults/client/", views.client_default_set, name="client_default_set"),
    path("defaults/client/<int:client_pk>/clear/", views.client_default_clear, name="client_default_clear"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/<int:pk>/archive/", views.topic_archive, name="topic_archive"),
]
