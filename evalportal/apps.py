from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvalportalConfig(AppConfig):
    """The project package is an app too: it holds the installation's own operational rows."""

    name = "evalportal"
    verbose_name = _("Operations")
