from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitsConfig(AppConfig):
    """Departures' exit feedback, shown as patterns and never as people."""

    name = "exits"
    verbose_name = _("Exit feedback")

    def ready(self):
        from exits import handlers, services
        from exits.views import placement_panel
        from outreach import outbox
        from placements import hooks

        outbox.register(services.EXITS)
        hooks.register_panel(placement_panel)
        hooks.register_personal_data(handlers.PersonalData())
