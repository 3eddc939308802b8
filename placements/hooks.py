"""Hooks through which a later app adds to what placements shows, without an upward import.

Later apps register here in their AppConfig.ready(): nps the survey status the API reports, the survey state in
the placement list and the survey card on a placement's page (with its actions); checkins its card. Cards show
in the order the apps are installed. placements never names a URL or template of a later app; it shows what
the registered providers give.
"""

_status_provider = None
_states_provider = None
_panels = []


def register_survey_status(provider) -> None:
    global _status_provider
    _status_provider = provider


def survey_status(placement) -> dict:
    return _status_provider(placement) if _status_provider else {}


def register_survey_states(states) -> None:
    """`states(placement_ids)` gives {placement id: (label, badge colour)} for the list."""
    global _states_provider
    _states_provider = states


def survey_states(placement_ids: list[int]) -> dict:
    return _states_provider(placement_ids) if _states_provider else {}


def register_panel(panel) -> None:
    """`panel(request, placement)` gives the HTML of a card on a placement's page (the survey, the check-ins)."""
    if panel not in _panels:
        _panels.append(panel)


def panels(request, placement) -> list[str]:
    return [panel(request, placement) for panel in _panels]


_personal_data = []


def register_personal_data(provider) -> None:
    """A later app that stores personal data of a candidate. `provider` has `export(placements) -> {name: list}`
    and `erase(placements) -> {name: count}` over the placements (a queryset) of one candidate, and
    `recent_activity(cutoff)` -> a queryset of its rows about OuterRef("pk") newer than the cutoff, which keeps
    a placement from the retention run. The privacy services call every provider, so the per-person export,
    the erasure and the retention run cover what it stores."""
    if provider not in _personal_data:
        _personal_data.append(provider)


def personal_data_providers() -> list:
    return list(_personal_data)


_client_panels = []


def register_client_panel(panel) -> None:
    """`panel(request, client)` gives the HTML of a card on a client's page (the agreements from evaluations)."""
    if panel not in _client_panels:
        _client_panels.append(panel)


def client_panels(request, client) -> list[str]:
    return [panel(request, client) for panel in _client_panels]


_person_data = []


def register_person_data(provider) -> None:
    """A later app that stores personal data found by a person's email address rather than by placement (the
    candidates introduced for vacancies). `provider` has `export(organisation, email) -> {name: list}` and
    `erase(organisation, email) -> {name: count}`; the per-person export and erasure call every provider."""
    if provider not in _person_data:
        _person_data.append(provider)


def person_data_providers() -> list:
    return list(_person_data)
