"""Patterns, not people: which counts of exit feedback may be shown.

A theme shows for a group (the agency, a client, a job family, a recruiter) in a quarter only when at least
k distinct leavers share it (the organisation's threshold, never below 3); the employer NPS from 5 answers.

Hiding small groups one view at a time is not enough: the agency's count minus the counts of the clients
that show would give the hidden clients' leavers, one of them perhaps alone. So the counts are made
consistent first. A leaver's theme is counted only when, in every view the leaver falls into (their client,
their job family, their recruiter), at least k counted leavers share it; leavers who fail that are taken out
and the check is repeated until nothing changes. Every number shown is then a sum over counted leavers only:
a cell is 0 or at least k, the cells of one view add up to the agency's count, and a leaver who is not
counted changes no number anywhere, so no subtraction of views can single them out. The price is honest:
a theme three leavers share at one client may stay hidden when they came through three recruiters.

The counts are kept in PatternCell, rebuilt per organisation and quarter when feedback changes (a fixed few
queries, in Python over one quarter's leavers); the pages read only those rows.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Organisation
from evalportal import quarters
from exits.models import ExitFeedback, ExitTheme, PatternCell

DIMENSIONS = ("client", "job_family", "recruiter")
AGENCY = "agency"
NPS_MIN = 5  # the employer NPS shows from this many answers (or the threshold, when that is higher)


def threshold(organisation: Organisation) -> int:
    return max(3, organisation.exit_min_leavers)


@dataclass(frozen=True)
class Leaver:
    client: str
    job_family: str
    recruiter: str
    nps: int | None = None

    def key(self, dimension: str) -> str:
        return getattr(self, dimension)


def counted(leavers: dict[int, Leaver], members: Iterable[int], k: int) -> set[int]:
    """The members that may be counted: in every dimension, their group has at least k counted members."""
    current = set(members)
    while current:
        sizes = Counter((d, leavers[i].key(d)) for i in current for d in DIMENSIONS)
        kept = {i for i in current if all(sizes[(d, leavers[i].key(d))] >= k for d in DIMENSIONS)}
        if kept == current:
            break
        current = kept
    return current


def cells(leavers: dict[int, Leaver], themes: dict[str, set[int]], k: int) -> list[dict]:
    """Every count that may be shown for one quarter: {dimension, key, theme, count, promoters, detractors}."""
    out = []

    def emit(theme: str, members: set[int], nps: bool = False):
        groups = defaultdict(list)
        for i in members:
            groups[(AGENCY, "")].append(i)
            for d in DIMENSIONS:
                groups[(d, leavers[i].key(d))].append(i)
        for (dimension, key), ids in groups.items():
            cell = {"dimension": dimension, "key": key, "theme": theme, "count": len(ids)}
            if nps:
                scores = [leavers[i].nps for i in ids]
                cell |= {"promoters": sum(s >= 9 for s in scores), "detractors": sum(s <= 6 for s in scores)}
            out.append(cell)

    for theme, members in sorted(themes.items()):
        emit(theme, counted(leavers, members, k))
    emit(PatternCell.LEAVERS, counted(leavers, leavers, k))
    answered = [i for i, leaver in leavers.items() if leaver.nps is not None]
    emit(PatternCell.NPS, counted(leavers, answered, max(k, NPS_MIN)), nps=True)
    return out


def _leavers(organisation_id: int, quarter: int) -> tuple[dict[int, Leaver], dict[str, set[int]]]:
    rows = ExitFeedback.objects.filter(organisation_id=organisation_id, quarter=quarter).values_list(
        "pk", "client_id", "job_family", "recruiter_id", "employer_nps"
    )
    leavers = {pk: Leaver(str(client), family, str(recruiter), nps) for pk, client, family, recruiter, nps in rows}
    themes = defaultdict(set)
    for feedback_id, theme in ExitTheme.objects.filter(
        feedback__organisation_id=organisation_id, feedback__quarter=quarter
    ).values_list("feedback_id", "theme"):
        themes[theme].add(feedback_id)
    return leavers, themes


@transaction.atomic
def rebuild(organisation_id: int, quarters: Iterable[int]) -> int:
    """Recount the quarters of one organisation; returns the number of cells kept."""
    organisation = Organisation.objects.get(pk=organisation_id)
    k = threshold(organisation)
    kept = 0
    for quarter in set(quarters):
        leavers, themes = _leavers(organisation_id, quarter)
        PatternCell.objects.filter(organisation_id=organisation_id, quarter=quarter).delete()
        new = [
            PatternCell(organisation_id=organisation_id, quarter=quarter, threshold=k, **cell)
            for cell in cells(leavers, themes, k)
        ]
        PatternCell.objects.bulk_create(new, batch_size=2000)
        kept += len(new)
    return kept


def rebuild_all(organisation_id: int) -> int:
    quarters = ExitFeedback.objects.filter(organisation_id=organisation_id).values_list("quarter", flat=True)
    stale = PatternCell.objects.filter(organisation_id=organisation_id).values_list("quarter", flat=True)
    return rebuild(organisation_id, set(quarters) | set(stale))


# -- quarters (evalportal.quarters, under the names the pages use) -------------------------------------------

quarter_label = quarters.label
quarter_param = quarters.param
parse_quarter = quarters.parse
previous = quarters.previous


def current_quarter(today: datetime.date) -> int:
    return quarters.quarter_of(today)


# -- reading ----------------------------------------------------------------------------------------------


@dataclass
class Table:
    """One group's patterns over some quarters: only cells that may be shown."""

    quarters: list[int]
    themes: dict[str, dict[int, int]]  # theme -> quarter -> count
    leavers: dict[int, int]
    nps: dict[int, tuple[int, int]]  # quarter -> (n, NPS)


def table(organisation: Organisation, dimension: str, key: str, quarters: list[int]) -> Table:
    """One query, whatever the number of departures."""
    rows = PatternCell.objects.filter(
        organisation=organisation,
        dimension=dimension,
        key=key,
        quarter__in=quarters,
        threshold=threshold(organisation),  # a raised threshold hides at once, before the recount
    ).values_list("quarter", "theme", "count", "promoters", "detractors")
    result = Table(quarters, defaultdict(dict), {}, {})
    for quarter, theme, count, promoters, detractors in rows:
        if theme == PatternCell.LEAVERS:
            result.leavers[quarter] = count
        elif theme == PatternCell.NPS:
            result.nps[quarter] = (count, round(100 * (promoters - detractors) / count))
        else:
            result.themes[theme][quarter] = count
    result.themes = dict(result.themes)
    return result


def keys_with_patterns(organisation: Organisation, dimension: str, quarters: list[int]) -> set[str]:
    """The groups of a dimension that have anything to show in these quarters."""
    return set(
        PatternCell.objects.filter(
            organisation=organisation,
            dimension=dimension,
            quarter__in=quarters,
            threshold=threshold(organisation),
        )
        .values_list("key", flat=True)
        .distinct()
    )
