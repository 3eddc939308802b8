"""Django's own texts that its Dutch catalog lacks (Django 6.1). Naming them here puts them in evalportal's
catalog, which LOCALE_PATHS consults before Django's, so the admin and the forms show no English."""

from django.utils.translation import gettext_noop

MISSING_IN_DJANGO = [
    gettext_noop("- Select an option -"),
]
