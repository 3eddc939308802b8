from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    """Check-ins with the placed candidate until the probation ends, early warnings and the follow-up call."""

    name = "checkins"
    verbose_name = _("Candidate check-ins")

    def ready(self):
        from checkins import handlers, services
        from checkins.views import placement_panel
        from outreach import outbox
        from placements import hooks

        outbox.register(services.CHECKINS)
        hooks.register_panel(placement_panel)
        hooks.register_personal_data(handlers.PersonalData())
