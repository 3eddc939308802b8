"""Patterns, not people: no count under the threshold shows, and no view subtracted from another (or from a
sum of others) isolates a leaver. Property-based: hypothesis builds the quarters an attacker would hope for."""

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exits import patterns
from exits.models import ExitFeedback, ExitTheme, PatternCell
from exits.patterns import AGENCY, DIMENSIONS, Leaver, cells
from placements.services import placement_record_outcome
from tests import factories

THEMES = ["vacancy_tasks", "workload_peaks", "team_manager"]

leaver = st.builds(
    lambda client, family, recruiter, nps, themes: (Leaver(client, family, recruiter, nps), themes),
    st.sampled_from(["c1", "c2", "c3", "c4"]),
    st.sampled_from(["finance", "it", "sales"]),
    st.sampled_from(["r1", "r2", "r3"]),
    st.one_of(st.none(), st.integers(0, 10)),
    st.sets(st.sampled_from(THEMES)),
)
quarters = st.lists(leaver, max_size=30)
thresholds = st.sampled_from([3, 4, 5])


def _split(data):
    leavers = {i: person for i, (person, _themes) in enumerate(data)}
    themes = {t: {i for i, (_p, chosen) in enumerate(data) if t in chosen} for t in THEMES}
    return leavers, themes


def _views(leavers, themes, k) -> dict:
    return {(c["dimension"], c["key"], c["theme"]): c for c in cells(leavers, themes, k)}


@settings(max_examples=300, deadline=None)
@given(data=quarters, k=thresholds)
def test_no_count_under_the_threshold_shows(data, k):
    for cell in cells(*_split(data), k):
        minimum = max(k, patterns.NPS_MIN) if cell["theme"] == PatternCell.NPS else k
        assert cell["count"] >= minimum, cell


@settings(max_examples=300, deadline=None)
@given(data=quarters, k=thresholds)
def test_subtracting_views_never_leaves_a_small_group(data, k):
    """The agency's count minus any set of one dimension's groups is 0 or at least k: each dimension adds up to
    the agency exactly, so no difference of views is a group under the threshold."""
    views = _views(*_split(data), k)
    for theme in [*THEMES, PatternCell.LEAVERS, PatternCell.NPS]:
        total = views.get((AGENCY, "", theme), {"count": 0})["count"]
        minimum = max(k, patterns.NPS_MIN) if theme == PatternCell.NPS else k
        for dimension in DIMENSIONS:
            groups = [c["count"] for (d, _key, t), c in views.items() if d == dimension and t == theme]
            assert sum(groups) == total
            for size in range(len(groups) + 1):
                for chosen in itertools.combinations(groups, size):
                    rest = total - sum(chosen)
                    assert rest == 0 or rest >= minimum, (theme, dimension, groups, total)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=quarters, k=thresholds, target=st.integers(0, 29), theme=st.sampled_from(THEMES))
def test_a_leaver_is_seen_only_among_k_who_share_the_theme_in_every_view(data, k, target, theme):
    """Take one leaver's theme away: if any number anywhere changes, that leaver was counted among at least k
    sharing the theme in their client, their job family and their recruiter alike. Otherwise they are
    invisible: nothing shown depends on them."""
    if target >= len(data) or theme not in data[target][1]:
        return
    leavers, themes = _split(data)
    before = _views(leavers, themes, k)
    without = dict(themes) | {theme: themes[theme] - {target}}
    after = _views(leavers, without, k)
    if {key: c for key, c in before.items() if key[2] == theme} != {
        key: c for key, c in after.items() if key[2] == theme
    }:
        person = leavers[target]
        for dimension in DIMENSIONS:
            assert before[(dimension, person.key(dimension), theme)]["count"] >= k


@settings(max_examples=200, deadline=None)
@given(data=quarters, k=thresholds, target=st.integers(0, 29))
def test_a_leaver_whose_answer_stays_hidden_changes_no_employer_nps(data, k, target):
    if target >= len(data) or data[target][0].nps is None:
        return
    leavers, themes = _split(data)
    before = _views(leavers, themes, k)
    quieter = dict(leavers) | {target: Leaver(*[getattr(leavers[target], f) for f in DIMENSIONS], None)}
    after = _views(quieter, themes, k)
    nps_before = {key: c for key, c in before.items() if key[2] == PatternCell.NPS}
    nps_after = {key: c for key, c in after.items() if key[2] == PatternCell.NPS}
    if nps_before != nps_after:
        person = leavers[target]
        for dimension in DIMENSIONS:
            assert before[(dimension, person.key(dimension), PatternCell.NPS)]["count"] >= max(k, patterns.NPS_MIN)


def test_three_leavers_at_one_client_through_one_recruiter_show_and_two_do_not():
    people = {i: Leaver("c1", "it", "r1", 9) for i in range(3)} | {3: Leaver("c2", "it", "r1", 3)}
    views = _views(people, {"workload_peaks": {0, 1, 2}, "team_manager": {0, 3}}, 3)
    assert views[("client", "c1", "workload_peaks")]["count"] == 3
    assert views[(AGENCY, "", "workload_peaks")]["count"] == 3
    assert not any(key[2] == "team_manager" for key in views)
    assert not any(key[2] == PatternCell.NPS for key in views)  # 4 answers: under 5
    assert views[(AGENCY, "", PatternCell.LEAVERS)]["count"] == 3  # the fourth is alone at c2


def test_the_price_of_consistency_three_at_a_client_through_three_recruiters_stay_hidden():
    people = {i: Leaver("c1", "it", f"r{i}") for i in range(3)}
    assert not any(key[2] == "workload_peaks" for key in _views(people, {"workload_peaks": {0, 1, 2}}, 3))


# -- in the database: recounted per quarter, read in one query --------------------------------------------


def _departed_with_feedback(recruiter, *, client_contact, themes, nps=None, left_on=datetime.date(2026, 10, 15)):
    placement = factories.make_placement(
        recruiter=recruiter,
        contact=client_contact,
        probation_end_date=datetime.date(2026, 10, 31),
        probation_end_agreed=True,
        job_family="Techniek",
    )
    placement = placement_record_outcome(
        placement=placement, outcome="left", left_on=left_on, ended_by="candidate", reason="workload"
    )
    feedback = ExitFeedback.objects.create(
        organisation=placement.organisation,
        placement=placement,
        source="conversation",
        quarter=20264,
        client=placement.client,
        recruiter=recruiter,
        job_family="techniek",
        themes=themes,
        employer_nps=nps,
        answered_at=datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC),
    )
    ExitTheme.objects.bulk_create([ExitTheme(feedback=feedback, theme=t) for t in themes])
    return placement


@pytest.mark.django_db
def test_the_table_reads_the_recounted_cells_and_a_raised_threshold_hides_at_once(
    recruiter, organisation, django_assert_max_num_queries
):
    contact = factories.make_contact(organisation=organisation)
    for i in range(4):
        _departed_with_feedback(recruiter, client_contact=contact, themes=["workload_peaks"], nps=9 if i else 2)
    patterns.rebuild(organisation.pk, [20264])
    with django_assert_max_num_queries(1):
        table = patterns.table(organisation, "client", str(contact.client_id), [20263, 20264])
    assert table.themes == {"workload_peaks": {20264: 4}}
    assert table.leavers == {20264: 4}
    assert table.nps == {}  # 4 answers: the employer NPS shows from 5
    organisation.exit_min_leavers = 5
    organisation.save()
    assert patterns.table(organisation, "client", str(contact.client_id), [20264]).themes == {}
    patterns.rebuild_all(organisation.pk)
    assert patterns.table(organisation, "agency", "", [20264]).themes == {}  # 4 < 5


@pytest.mark.django_db
def test_the_threshold_cannot_go_below_three(organisation):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    organisation.exit_min_leavers = 2
    with pytest.raises(ValidationError):
        organisation.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()


def test_quarters_are_named_and_parsed_without_dates():
    assert patterns.parse_quarter("2026-4") == 20264
    assert patterns.parse_quarter("2026-5") is None
    assert patterns.parse_quarter("26-1") is None
    assert patterns.previous(20262, 4) == [20253, 20254, 20261, 20262]
