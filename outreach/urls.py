from django.urls import path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("s/<str:token>/", views.token_entry, name="token_entry"),
    path("s/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
