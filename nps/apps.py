from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NpsConfig(AppConfig):
    name = "nps"
    verbose_name = _("Client NPS")

    def ready(self):
        from nps import handlers, selectors  # noqa: F401 - connects the placement signals
        from placements.hooks import register_survey_status

        register_survey_status(selectors.survey_status_for_placement)
