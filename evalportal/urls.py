from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import home
from evalportal import views
from placements.api import api, docs_view
from reporting.api import router as read_api

api.add_router("/", read_api)  # the read API for BI tools, with its own read-only keys

admin.site.site_header = _("evalportal administration")
admin.site.site_title = "evalportal"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("surveys/", include("surveys.urls")),
    path("", include("placements.urls")),
    path("", include("nps.urls")),
    path("", include("outreach.urls")),
    path("", include("checkins.urls")),
    path("", include("exits.urls")),
    path("", include("applicants.urls")),
    path("", include("reporting.urls")),
    path("api/v1/docs", docs_view, name="api_docs"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler500 = "evalportal.middleware.server_error"
