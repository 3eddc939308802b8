from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """The audience-neutral outbox: every email that asks a person outside the agency for an answer (a hiring
    manager's survey, a candidate's check-in) is a row here first. No tables of its own: each audience keeps
    its rows in its own app and describes them with an `Outbox`."""

    name = "outreach"
    verbose_name = _("Outreach")
