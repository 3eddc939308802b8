from django.urls import path

from placements import views, views_import, views_placements

app_name = "placements"
urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.client_create, name="client_create"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/hiring-managers.json", views.client_contacts, name="client_contacts"),
    path("hiring-managers/", views.contact_list, name="contact_list"),
    path("hiring-managers/new/", views.contact_create, name="contact_create"),
    path("hiring-managers/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("placements/", views_placements.placement_list, name="placement_list"),
    path("placements/<int:pk>/", views_placements.placement_detail, name="placement_detail"),
    path("placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/close/", views.placement_close, name="placement_close"),
    path("placements/<int:pk>/cancel/", views.placement_cancel, name="placement_cancel"),
    path("placements/<int:pk>/outcome/", views_placements.placement_outcome, name="placement_outcome"),
    path("placements/import/", views.import_upload, name="import"),
    path("placements/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("vacancies/import/", views_import.candidates_import, name="candidates_import"),
]
