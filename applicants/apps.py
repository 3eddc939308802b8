from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    """The candidates an agency introduced: whether each heard back, and how they experienced it."""

    name = "applicants"
    verbose_name = _("Introduced candidates")

    def ready(self):
        from applicants import handlers, services
        from outreach import outbox
        from placements import hooks

        outbox.register(services.CANDIDATES)
        hooks.register_person_data(handlers.PersonData())
