from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Summaries kept current, dashboards, the lists behind them, exports and the digest. It reads what the
    apps before it store and learns of changes from their signals; no app imports it."""

    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from reporting import handlers  # noqa: F401 - connects the change signals
