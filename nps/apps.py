from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NpsConfig(AppConfig):
    name = "nps"
    verbose_name = _("Client NPS")

    def ready(self):
        from nps import handlers, selectors  # noqa: F401 - connects the placement signals
        from nps.services.invitations import INVITATIONS
        from nps.views import evaluation
        from nps.views import placements as placement_pages
        from outreach import outbox
        from placements.hooks import (
            register_client_panel,
            register_panel,
            register_survey_states,
            register_survey_status,
        )

        outbox.register(INVITATIONS)
        register_survey_status(selectors.survey_status_for_placement)
        register_survey_states(placement_pages.placement_states)
        register_panel(placement_pages.placement_panel)
        register_panel(evaluation.placement_panel)
        register_client_panel(evaluation.client_panel)
