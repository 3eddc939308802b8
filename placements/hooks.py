"""Hooks through which a later app adds to what placements shows, without an upward import.

nps registers here in its AppConfig.ready(): the survey status the API reports, the survey state in the
placement list, and the survey card on a placement's page (with its actions). placements never names a
URL or template of nps; it shows what the registered providers give.
"""

_status_provider = None
_states_provider = None
_panel_provider = None


def register_survey_status(provider) -> None:
    global _status_provider
    _status_provider = provider


def survey_status(placement) -> dict:
    return _status_provider(placement) if _status_provider else {}


def register_survey_panels(*, states, panel) -> None:
    """`states(placement_ids)` gives {placement id: (label, badge colour)} for the list; `panel(request,
    placement)` gives the HTML of the survey card on the placement's page."""
    global _states_provider, _panel_provider
    _states_provider, _panel_provider = states, panel


def survey_states(placement_ids: list[int]) -> dict:
    return _states_provider(placement_ids) if _states_provider else {}


def survey_panel(request, placement) -> str:
    return _panel_provider(request, placement) if _panel_provider else ""
