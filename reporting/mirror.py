"""The mirror: the client's view of the agency beside the agency's view of the client, with the facts.

Per quarter, for one client, over the placements the user may see (accounts.scope): the client's NPS and
Gedrag / Service / Resultaat (by the quarter the answers came in), the recruiters' ratings of the client (by
the quarter the placement closed), days to fill, candidates introduced and the client's days to feedback.
Every figure carries its n. Double-blind: a placement's answers on either side count only once both sides
rated it or ClientRating.BLIND_DAYS have passed since it closed, so neither side can answer the other.

A fixed number of queries, whatever the number of responses.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncQuarter
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import scope
from accounts.models import User
from evalportal import quarters
from nps import scoring
from nps.models import Answer, ClientRating, Commitment, InvitationPlacement, NpsSummary, Response, SummaryGrain
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


def blind(placements, now: datetime.datetime) -> list[int]:
    """The placements whose evaluation may not show yet: closed less than BLIND_DAYS ago, and not both sides in.
    A placement whose survey was skipped (the hiring manager had just been asked) has no answer of its own: it
    waits the period out. Few by nature (the last two weeks), so the figures exclude them by id."""
    answered = Exists(
        InvitationPlacement.objects.filter(
            placement=OuterRef("pk"), skipped_reason="", invitation__response__completed_at__isnull=False
        )
    )
    recent = placements.filter(closed_at__gt=now - datetime.timedelta(days=ClientRating.BLIND_DAYS))
    return list(recent.exclude(Q(client_rating__isnull=False) & answered).values_list("pk", flat=True))


def _buckets(field: str, periods: list[int]) -> dict[int, Q]:
    """A date column within each quarter."""
    out = {}
    for quarter in periods:
        start, end = quarters.bounds(quarter)
        out[quarter] = Q(**{f"{field}__gte": start, f"{field}__lte": end})
    return out


def _moments(field: str, periods: list[int]) -> dict[int, Q]:
    """A datetime column within each quarter, local midnight to midnight: compared as stored, not cast to a date
    row by row."""
    out = {}
    for quarter in periods:
        start, end = quarters.bounds(quarter)
        begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
        after = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()))
        out[quarter] = Q(**{f"{field}__gte": begin, f"{field}__lt": after})
    return out


def _histograms(rows, periods: list[int]) -> dict[int, dict]:
    """(quarter start, value, count) rows -> {quarter: {value: count}}; a duration counts in days."""
    out = {q: {} for q in periods}
    for quarter_start, value, n in rows:
        quarter = quarters.quarter_of(quarter_start)
        if quarter in out:
            key = value.days if isinstance(value, datetime.timedelta) else value
            out[quarter][key] = out[quarter].get(key, 0) + n
    return out


def _histogram_median(counts: dict) -> tuple:
    """(median, n) of values given as {value: how many}; (None, 0) without any."""
    n = sum(counts.values())
    if not n:
        return (None, 0)
    ordered = sorted(counts.items())

    def nth(index):  # the value at this 0-based position of the sorted values
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        return ordered[-1][0]

    middle = (nth((n - 1) // 2) + nth(n // 2)) / 2
    return (int(middle) if middle == int(middle) else round(middle, 1), n)


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
    hidden = blind(placements, now)
    columns = {q: Column(q, quarters.label(q)) for q in periods}

    # The client's side: answers that came in during the quarter, but those about a blind placement.
    # Answers older than the blind period come from the day summaries (kept current by reporting.summaries):
    # no placement of theirs can still be blind. The recent ones are read raw, the blind ones left out.
    cutoff = timezone.localdate(now) - datetime.timedelta(days=ClientRating.BLIND_DAYS + 2)
    tally = {
        q: {"n": 0, "p": 0, "d": 0, **{f"{d}_{k}": 0 for d in Dimension.values for k in ("sum", "n")}} for q in periods
    }
    summary = NpsSummary.objects.filter(
        organisation_id=user.organisation_id,
        grain=SummaryGrain.DAY,
        client=client,
        channel=Response.Channel.ONLINE,
        period__gte=first,
        period__lte=min(last, cutoff - datetime.timedelta(days=1)),
    )
    if recruiters is not None:
        summary = summary.filter(recruiter_id__in=recruiters)
    fields = {"n": "responses", "p": "promoters", "d": "detractors"}
    fields |= {f"{d}_{k}": f"{d}_{'sum' if k == 'sum' else 'answers'}" for d in Dimension.values for k in ("sum", "n")}
    for row in (
        summary.values(quarter_start=TruncQuarter("period"))
        .annotate(**{key: Sum(column) for key, column in fields.items()})
        .order_by()
    ):
        quarter = quarters.quarter_of(row["quarter_start"])
        if quarter in tally:
            for key in fields:
                tally[quarter][key] += row[key] or 0
    responses = Response.objects.filter(
        client=client,
        completed_on__gte=max(first, cutoff),
        completed_on__lte=last,
        nps_score__isnull=False,
        invitation__isnull=False,
    )
    if hidden:  # an answer about a placement still blind waits with it
        responses = responses.exclude(
            Exists(InvitationPlacement.objects.filter(invitation=OuterRef("invitation"), placement_id__in=hidden))
        )
    if recruiters is not None:
        responses = responses.filter(recruiter_id__in=recruiters)
    for row in (
        responses.values(quarter_start=TruncQuarter("completed_on"))
        .annotate(
            n=Count("pk"),
            p=Count("pk", filter=Q(nps_score__gte=scoring.PROMOTER_MIN)),
            d=Count("pk", filter=Q(nps_score__lt=scoring.PASSIVE_MIN)),
        )
        .order_by()
    ):
        quarter = quarters.quarter_of(row["quarter_start"])
        if quarter in tally:
            for key in ("n", "p", "d"):
                tally[quarter][key] += row[key]
    for row in (
        Answer.objects.filter(response__in=responses)
        .values("topic__dimension", quarter_start=TruncQuarter("response__completed_on"))
        .annotate(total=Sum("score"), n=Count("pk"))
        .order_by()
    ):
        quarter = quarters.quarter_of(row["quarter_start"])
        if quarter in tally:
            tally[quarter][f"{row['topic__dimension']}_sum"] += row["total"]
            tally[quarter][f"{row['topic__dimension']}_n"] += row["n"]
    for quarter, t in tally.items():
        column = columns[quarter]
        column.responses = t["n"]
        if t["n"]:
            column.nps = scoring.nps_rounded(
                scoring.Counts(promoters=t["p"], detractors=t["d"], passives=t["n"] - t["p"] - t["d"])
            )
        for d in Dimension.values:
            if t[f"{d}_n"]:
                column.dimensions[d] = (round(t[f"{d}_sum"] / t[f"{d}_n"], 1), t[f"{d}_n"])

    # The agency's side: the recruiters' ratings of the placements closed in the quarter, but the blind ones.
    closed = _moments("placement__closed_at", periods)
    ratings = (
        ClientRating.objects.filter(placement__in=placements)
        .exclude(placement_id__in=hidden)
        .aggregate(
            **{f"{f}{q}": Avg(f, filter=closed[q]) for f in ClientRating.FIELDS for q in periods},
            **{f"n{q}": Count("pk", filter=closed[q]) for q in periods},
            **{f"r{q}": Count("recruiter", filter=closed[q], distinct=True) for q in periods},
        )
    )
    for q in periods:
        columns[q].raters = ratings[f"r{q}"]
        if ratings[f"n{q}"]:
            columns[q].ratings = {f: (round(ratings[f"{f}{q}"], 1), ratings[f"n{q}"]) for f in ClientRating.FIELDS}

    # The facts: every placement closed in the quarter (no opinion in them, nothing to keep blind).
    within = Q(closed_at__gte=timezone.make_aware(datetime.datetime.combine(first, datetime.time())))
    within &= Q(
        closed_at__lt=timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    )
    # Counted in the database by quarter (in the site's time zone) and value: the medians come from these few
    # rows, not from one Python object per placement.
    closed_here = placements.filter(within).annotate(quarter_start=TruncQuarter("closed_at")).order_by()
    fill = closed_here.filter(search_started_on__isnull=False).annotate(
        days=ExpressionWrapper(F("start_date") - F("search_started_on"), output_field=DurationField())
    )
    fill_counts = _histograms(fill.values_list("quarter_start", "days").annotate(n=Count("pk")), periods)
    feedback_counts = _histograms(
        closed_here.filter(client_feedback_days__isnull=False)
        .values_list("quarter_start", "client_feedback_days")
        .annotate(n=Count("pk")),
        periods,
    )
    introduced = (
        closed_here.filter(candidates_introduced__isnull=False)
        .values_list("quarter_start")
        .annotate(average=Avg("candidates_introduced"), n=Count("pk"))
    )
    for quarter_start, average, n in introduced:
        quarter = quarters.quarter_of(quarter_start)
        if quarter in columns:
            columns[quarter].introduced = (round(average, 1), n)
    for q in periods:
        columns[q].days_to_fill = _histogram_median(fill_counts[q])
        columns[q].feedback_days = _histogram_median(feedback_counts[q])

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
