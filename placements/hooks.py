"""Hooks through which a later app adds to what placements shows, without an upward import.

nps registers the invitation status of a placement here in its AppConfig.ready().
"""

_status_provider = None


def register_survey_status(provider) -> None:
    global _status_provider
    _status_provider = provider


def survey_status(placement) -> dict:
    return _status_provider(placement) if _status_provider else {}
