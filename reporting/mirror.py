"""The mirror: the client's view of the agency beside the agency's view of the client, with the facts.

Per quarter, for one client, over the placements the user may see (accounts.scope): the client's NPS and
Gedrag / Service / Resultaat (by the quarter the answers came in), the recruiters' ratings of the client (by
the quarter the placement closed), days to fill, candidates introduced and the client's days to feedback.
Every figure carries its n. Double-blind: a placement's answers on either side count only once both sides
rated it or ClientRating.BLIND_DAYS have passed since it closed, so neither side can answer the other.

A fixed number of queries, whatever the number of responses.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import scope
from accounts.models import User
from evalportal import quarters
from nps import scoring
from nps.models import Answer, ClientRating, Commitment, InvitationPlacement, Response
from placements.models import Client, Placement
from reporting.selectors import MIN_GROUP
from surveys.models import Dimension

# The shared report shows the agency's ratings of the client only when at least this many recruiters gave
# them: the client never sees one recruiter's ratings.
SHARED_MIN_RECRUITERS = 2


def client_for(user: User, pk: int) -> Client:
    """A client whose mirror this user may open: an administrator any of the organisation's, others a client
    of a placement they may see."""
    client = Client.objects.filter(organisation_id=user.organisation_id, pk=pk).first()
    if client is None:
        raise Http404
    recruiters = scope.recruiter_ids(user=user)
    if recruiters is not None and not Placement.objects.filter(client=client, recruiter_id__in=recruiters).exists():
        raise Http404
    return client


def _released(now: datetime.datetime) -> Q:
    """Placements whose evaluation may show: both sides in, or the blind period over. A placement whose survey
    was skipped (the hiring manager had just been asked) has no answer of its own: it waits the period out."""
    both = Q(client_rating__isnull=False) & Exists(
        InvitationPlacement.objects.filter(
            placement=OuterRef("pk"), skipped_reason="", invitation__response__completed_at__isnull=False
        )
    )
    return both | Q(closed_at__lte=now - datetime.timedelta(days=ClientRating.BLIND_DAYS))


def _buckets(field: str, periods: list[int]) -> dict[int, Q]:
    out = {}
    for quarter in periods:
        start, end = quarters.bounds(quarter)
        out[quarter] = Q(**{f"{field}__gte": start, f"{field}__lte": end})
    return out


def _median(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


@dataclass
class Column:
    """One quarter of the mirror."""

    quarter: int
    label: str
    nps: int | None = None
    responses: int = 0
    dimensions: dict = field(default_factory=dict)  # dimension -> (average, n answers)
    ratings: dict = field(default_factory=dict)  # rating field -> (average, n)
    raters: int = 0  # distinct recruiters who rated
    days_to_fill: tuple = (None, 0)  # (median, n)
    introduced: tuple = (None, 0)  # (average, n)
    feedback_days: tuple = (None, 0)  # (median, n)


def mirror(*, user: User, client: Client, to: int, n: int = 4, now=None) -> dict:
    now = now or timezone.now()
    periods = quarters.previous(to, n)
    first, _end = quarters.bounds(periods[0])
    _start, last = quarters.bounds(periods[-1])
    recruiters = scope.recruiter_ids(user=user)
    placements = Placement.objects.filter(client=client, organisation_id=user.organisation_id)
    if recruiters is not None:
        placements = placements.filter(recruiter_id__in=recruiters)
    released = placements.filter(_released(now))
    columns = {q: Column(q, quarters.label(q)) for q in periods}

    # The client's side: answers that came in during the quarter, about a released placement.
    responses = Response.objects.filter(
        client=client,
        completed_on__gte=first,
        completed_on__lte=last,
        nps_score__isnull=False,
        invitation__isnull=False,
    ).filter(Exists(InvitationPlacement.objects.filter(invitation=OuterRef("invitation"), placement__in=released)))
    if recruiters is not None:
        responses = responses.filter(recruiter_id__in=recruiters)
    day = _buckets("completed_on", periods)
    counts = responses.aggregate(
        **{f"n{q}": Count("pk", filter=day[q]) for q in periods},
        **{f"p{q}": Count("pk", filter=day[q] & Q(nps_score__gte=scoring.PROMOTER_MIN)) for q in periods},
        **{f"d{q}": Count("pk", filter=day[q] & Q(nps_score__lt=scoring.PASSIVE_MIN)) for q in periods},
    )
    for q in periods:
        total, promoters, detractors = counts[f"n{q}"], counts[f"p{q}"], counts[f"d{q}"]
        columns[q].responses = total
        columns[q].nps = scoring.nps_rounded(
            scoring.Counts(promoters=promoters, detractors=detractors, passives=total - promoters - detractors)
        )
    answer_day = _buckets("response__completed_on", periods)
    by_dimension = (
        Answer.objects.filter(response__in=responses)
        .values("topic__dimension")
        .annotate(
            **{f"a{q}": Avg("score", filter=answer_day[q]) for q in periods},
            **{f"c{q}": Count("pk", filter=answer_day[q]) for q in periods},
        )
    )
    for row in by_dimension:
        for q in periods:
            if row[f"c{q}"]:
                columns[q].dimensions[row["topic__dimension"]] = (round(row[f"a{q}"], 1), row[f"c{q}"])

    # The agency's side: the recruiters' ratings of released placements closed in the quarter.
    closed = _buckets("placement__closed_at__date", periods)
    ratings = ClientRating.objects.filter(placement__in=released).aggregate(
        **{f"{f}{q}": Avg(f, filter=closed[q]) for f in ClientRating.FIELDS for q in periods},
        **{f"n{q}": Count("pk", filter=closed[q]) for q in periods},
        **{f"r{q}": Count("recruiter", filter=closed[q], distinct=True) for q in periods},
    )
    for q in periods:
        columns[q].raters = ratings[f"r{q}"]
        if ratings[f"n{q}"]:
            columns[q].ratings = {f: (round(ratings[f"{f}{q}"], 1), ratings[f"n{q}"]) for f in ClientRating.FIELDS}

    # The facts: every placement closed in the quarter (no opinion in them, nothing to keep blind).
    facts = placements.filter(closed_at__date__gte=first, closed_at__date__lte=last).values_list(
        "closed_at", "start_date", "search_started_on", "candidates_introduced", "client_feedback_days"
    )
    grouped = {q: ([], [], []) for q in periods}
    for closed_at, start, search, introduced, feedback in facts:
        quarter = quarters.quarter_of(timezone.localdate(closed_at))
        if quarter in grouped:
            fill, intro, days = grouped[quarter]
            fill.append((start - search).days if search else None)
            intro.append(introduced)
            days.append(feedback)
    for q, (fill, intro, days) in grouped.items():
        known = [v for v in intro if v is not None]
        columns[q].days_to_fill = (_median(fill), sum(v is not None for v in fill))
        columns[q].introduced = (round(sum(known) / len(known), 1) if known else None, len(known))
        columns[q].feedback_days = (_median(days), sum(v is not None for v in days))

    shown = [columns[q] for q in periods]
    return {
        "client": client,
        "columns": shown,
        "sections": sections(shown),
        "blind_days": ClientRating.BLIND_DAYS,
        "dimensions": list(Dimension.choices),
        "rating_fields": [(f, ClientRating._meta.get_field(f).verbose_name) for f in ClientRating.FIELDS],
        "commitments": commitment_figures(client=client),
        "to": to,
    }


def commitment_figures(*, client: Client) -> dict:
    """How the client's agreements went: kept of those marked kept or not kept."""
    counts = dict(
        Commitment.objects.filter(client=client)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    kept, broken = counts.get(Commitment.Status.KEPT, 0), counts.get(Commitment.Status.NOT_KEPT, 0)
    return {
        "kept": kept,
        "not_kept": broken,
        "open": counts.get(Commitment.Status.OPEN, 0),
        "rate": round(100 * kept / (kept + broken)) if kept + broken else None,
        "n": kept + broken,
    }


def kept_and_next_score(*, user: User) -> dict:
    """Do clients score higher after their agreements were kept? The NPS of each client's first answer after a
    commitment was marked kept, beside the same after one marked not kept; each shown from MIN_GROUP answers."""
    commitments = Commitment.objects.filter(
        organisation_id=user.organisation_id, status__in=[Commitment.Status.KEPT, Commitment.Status.NOT_KEPT]
    )
    recruiters = scope.recruiter_ids(user=user)
    if recruiters is not None:
        commitments = commitments.filter(recruiter_id__in=recruiters)
    next_score = Response.objects.filter(
        client=OuterRef("client"), completed_at__gt=OuterRef("resolved_at"), nps_score__isnull=False
    ).order_by("completed_at")
    rows = commitments.annotate(next_nps=Subquery(next_score.values("nps_score")[:1])).values_list("status", "next_nps")
    scores = {Commitment.Status.KEPT: [], Commitment.Status.NOT_KEPT: []}
    for status, value in rows:
        if value is not None:
            scores[status].append(value)
    out = {}
    for status, values in scores.items():
        n = len(values)
        out[status] = {"n": n, "nps": scoring.nps_rounded(scoring.Counts.of(values)) if n >= MIN_GROUP else None}
    return out


def sections(columns: list[Column], *, shared: bool = False) -> list[dict]:
    """The mirror as rows of cells (value, n) or None, in three sections; `shared` leaves out the agency's
    ratings of a quarter that fewer than SHARED_MIN_RECRUITERS recruiters gave."""

    def row(label, cells):
        return {"label": label, "cells": cells}

    client_rows = [row(gettext_lazy("Client NPS"), [(c.nps, c.responses) if c.responses else None for c in columns])]
    client_rows += [row(label, [c.dimensions.get(value) for c in columns]) for value, label in Dimension.choices]
    agency_rows = [
        row(
            ClientRating._meta.get_field(name).verbose_name,
            [None if (shared and c.raters < SHARED_MIN_RECRUITERS) else c.ratings.get(name) for c in columns],
        )
        for name in ClientRating.FIELDS
    ]
    fact_rows = [
        row(gettext_lazy("Days to fill (median)"), [c.days_to_fill if c.days_to_fill[1] else None for c in columns]),
        row(
            gettext_lazy("Candidates introduced (average)"),
            [c.introduced if c.introduced[1] else None for c in columns],
        ),
        row(
            gettext_lazy("Days to feedback on a candidate (median)"),
            [c.feedback_days if c.feedback_days[1] else None for c in columns],
        ),
    ]
    return [
        {"title": gettext_lazy("The client about the agency"), "rows": client_rows},
        {"title": gettext_lazy("The agency about the client"), "rows": agency_rows},
        {"title": gettext_lazy("The facts"), "rows": fact_rows},
    ]
