"""Property-based tests of the pure NPS maths (fixed seed via the profile in tests/conftest.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps import scoring

scores = st.lists(st.integers(min_value=0, max_value=10), max_size=300)


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, "detractor"), (6, "detractor"), (7, "passive"), (8, "passive"), (9, "promoter"), (10, "promoter")],
)
def test_categories_at_the_boundaries(score, expected):
    assert scoring.category(score) == expected


@pytest.mark.parametrize("score", [-1, 11])
def test_scores_out_of_range_are_refused(score):
    with pytest.raises(ValueError):
        scoring.category(score)


def test_no_responses_have_no_nps():
    assert scoring.nps(scoring.Counts()) is None
    assert scoring.nps_rounded(scoring.Counts.of([])) is None
    assert scoring.average([]) is None
    assert not scoring.is_strong(None)


@given(scores)
def test_nps_is_promoters_minus_detractors_in_percent(values):
    counts = scoring.Counts.of(values)
    assert counts.total == len(values)
    value = scoring.nps(counts)
    if not values:
        assert value is None
        return
    promoters = sum(1 for v in values if v >= 9) / len(values) * 100
    detractors = sum(1 for v in values if v <= 6) / len(values) * 100
    assert value == pytest.approx(promoters - detractors)
    assert -100 <= value <= 100
    assert abs(scoring.nps_rounded(counts) - value) <= 0.5


@given(scores)
def test_adding_a_promoter_never_lowers_the_nps(values):
    before = scoring.nps(scoring.Counts.of(values))
    after = scoring.nps(scoring.Counts.of([*values, 10]))
    assert before is None or after >= before


def test_rounding_is_half_away_from_zero():
    assert scoring.nps_rounded(scoring.Counts(promoters=1, passives=0, detractors=0)) == 100
    # 1 promoter, 7 passives: 12.5 -> 13; 1 detractor, 7 passives: -12.5 -> -13
    assert scoring.nps_rounded(scoring.Counts(promoters=1, passives=7)) == 13
    assert scoring.nps_rounded(scoring.Counts(detractors=1, passives=7)) == -13


def test_strong_is_above_forty():
    assert not scoring.is_strong(40)
    assert scoring.is_strong(40.1)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=100))
def test_the_average_lies_within_the_scale(values):
    assert 1 <= scoring.average(values) <= 5
    assert scoring.average_from(sum(values), len(values)) == pytest.approx(scoring.average(values))


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 10)), min_size=0, max_size=60))
def test_correlation_from_sums_equals_the_direct_one(pairs):
    xs = [float(x) for x, _ in pairs]
    ys = [float(y) for _, y in pairs]
    direct = scoring.pearson(xs, ys)
    sums = scoring.pearson_from_sums(
        len(xs),
        sum(xs),
        sum(ys),
        sum(x * x for x in xs),
        sum(y * y for y in ys),
        sum(x * y for x, y in zip(xs, ys, strict=True)),
    )
    if direct is None:
        assert sums is None or abs(sums) <= 1 + 1e-9
    else:
        assert sums == pytest.approx(direct, abs=1e-6)
        assert -1 - 1e-9 <= direct <= 1 + 1e-9


@given(st.integers(0, 10), st.lists(st.integers(1, 5), max_size=10))
def test_low_means_detractor_nps_or_a_topic_at_two_or_less(nps, topics):
    expected = nps <= 6 or any(t <= 2 for t in topics)
    assert scoring.is_low(nps_score=nps, topic_scores=topics, nps_threshold=6, topic_threshold=2) == expected


def test_impact_ranks_strong_links_with_low_averages_first():
    assert scoring.impact(0.8, 3.0) > scoring.impact(0.8, 4.5) > scoring.impact(0.1, 4.5)
    assert scoring.impact(None, 3.0) is None
