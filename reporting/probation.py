"""Probation reads: survival, check-in response, the candidate NPS, expectations that fail, placements at risk.

Whose placements count is the one rule of the NPS dashboard (`selectors.dashboard_scope` with
accounts.scope); the period is the day a probation ended (survival) or a check-in was sent (the rest). A
group of fewer than MIN_GROUP is not shown: too few to mean anything, or to keep a candidate's answers to
themselves. Team leads see totals; a candidate's own answers are for their recruiter (checkins.selectors).
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts import scope
from accounts.models import User
from checkins.models import EXPECTATIONS, CandidateFollowUp, CheckIn
from nps import scoring
from outreach.models import OutboxStatus
from placements.models import Placement
from reporting.selectors import MIN_GROUP, Filters, dashboard_scope

LOW = 2
AT_RISK_ROWS = 100


def _placements(user: User, filters: Filters, *, dates=True):
    return Placement.objects.filter(
        dashboard_scope(user=user, filters=filters, date_field="probation_end_date" if dates else None)
    ).exclude(status=Placement.Status.CANCELLED)


def _checkins(user: User, filters: Filters):
    return CheckIn.objects.filter(
        dashboard_scope(user=user, filters=filters, prefix="placement__", date_field=None),
        sent_at__date__gte=filters.start,
        sent_at__date__lte=filters.end,
    )


def _rate(stayed: int, left: int) -> dict:
    n = stayed + left
    return {
        "n": n,
        "stayed": stayed,
        "left": left,
        "rate": round(100 * stayed / n) if n else None,
        "shown": n >= MIN_GROUP,
    }


def survival(*, user: User, filters: Filters) -> dict:
    """Still employed after probation, of the placements whose probation ended in the period with an outcome."""
    rows = list(
        _placements(user, filters)
        .filter(probation_end_date__isnull=False)
        .values("recruiter_id", "client_id", "client__name", "probation_outcome")
        .annotate(n=Count("pk"))
    )
    total, unknown = Counter(), 0
    by_client, by_recruiter = defaultdict(Counter), defaultdict(Counter)
    names = {}
    for row in rows:
        outcome = row["probation_outcome"]
        if not outcome:
            unknown += row["n"]
            continue
        total[outcome] += row["n"]
        by_client[row["client_id"]][outcome] += row["n"]
        by_recruiter[row["recruiter_id"]][outcome] += row["n"]
        names[row["client_id"]] = row["client__name"]
    recruiters = {u.pk: str(u) for u in User.objects.filter(pk__in=list(by_recruiter))}
    teams = []
    for team in scope.visible_teams(user=user).prefetch_related("members"):
        counts = Counter()
        for member in team.members.all():
            counts.update(by_recruiter.get(member.pk, {}))
        if counts:
            teams.append({"id": team.pk, "name": team.name} | _rate(counts["stayed"], counts["left"]))

    def groups(counter_by, labels):
        out = [
            {"id": key, "name": labels.get(key, "")} | _rate(c["stayed"], c["left"]) for key, c in counter_by.items()
        ]
        return sorted(out, key=lambda g: (not g["shown"], g["rate"] if g["rate"] is not None else 101, g["name"]))

    return {
        "total": _rate(total["stayed"], total["left"]),
        "unknown": unknown,
        "clients": groups(by_client, names),
        "recruiters": groups(by_recruiter, recruiters),
        "teams": sorted(teams, key=lambda g: g["name"]),
    }


def checkin_figures(*, user: User, filters: Filters) -> dict:
    """Response rate of the check-ins sent in the period, and the candidate NPS of their answers."""
    checkins = _checkins(user, filters)
    sent = checkins.count()
    answered = checkins.filter(answered_at__isnull=False).count()
    tally = checkins.aggregate(
        promoters=Count("pk", filter=Q(candidate_nps__gte=scoring.PROMOTER_MIN)),
        passives=Count("pk", filter=Q(candidate_nps__gte=scoring.PASSIVE_MIN, candidate_nps__lt=scoring.PROMOTER_MIN)),
        detractors=Count("pk", filter=Q(candidate_nps__lt=scoring.PASSIVE_MIN)),
    )
    counts = scoring.Counts(**tally)
    n = counts.total
    return {
        "sent": sent,
        "answered": answered,
        "response_rate": round(100 * answered / sent) if sent else None,
        "nps": scoring.nps_rounded(counts) if n >= MIN_GROUP else None,
        "nps_n": n,
        "nps_counts": counts,
    }


def failing_expectations(*, user: User, filters: Filters) -> list[dict]:
    """Per client, the expectation most often answered low (at most 2), over at least MIN_GROUP answers."""
    checkins = _checkins(user, filters).filter(answered_at__isnull=False)
    aggregates = {}
    for name in EXPECTATIONS:
        aggregates[f"{name}_n"] = Count("pk", filter=Q(**{f"{name}__isnull": False}))
        aggregates[f"{name}_low"] = Count("pk", filter=Q(**{f"{name}__lte": LOW}))
    rows = checkins.values("placement__client_id", "placement__client__name").annotate(**aggregates)
    out = []
    for row in rows:
        candidates = [
            (row[f"{name}_low"] / row[f"{name}_n"], name, row[f"{name}_n"], row[f"{name}_low"])
            for name in EXPECTATIONS
            if row[f"{name}_n"] >= MIN_GROUP and row[f"{name}_low"]
        ]
        if candidates:
            share, name, n, low = max(candidates)
            out.append(
                {
                    "client_id": row["placement__client_id"],
                    "client": row["placement__client__name"],
                    "expectation": name,
                    "n": n,
                    "low": low,
                    "share": round(100 * share),
                }
            )
    return sorted(out, key=lambda r: (-r["share"], r["client"]))


def at_risk(*, user: User, filters: Filters, today: datetime.date | None = None) -> list[dict]:
    """Placements still in probation with an open call or a low last answer, fewest days left first."""
    today = today or timezone.localdate()
    open_call = CandidateFollowUp.objects.filter(placement=OuterRef("pk"), status__in=CandidateFollowUp.OPEN_STATUSES)
    low_answer = CheckIn.objects.filter(placement=OuterRef("pk"), how_going__lte=LOW)
    silent_last = CheckIn.objects.filter(
        placement=OuterRef("pk"), stage="before_end", answered_at__isnull=True, status=OutboxStatus.EXPIRED
    )
    placements = (
        _placements(user, filters, dates=False)
        .filter(probation_outcome="", probation_end_date__gte=today, start_date__lte=today)
        .annotate(open_call=Exists(open_call), low_answer=Exists(low_answer), silent=Exists(silent_last))
        .filter(Q(open_call=True) | Q(low_answer=True) | Q(silent=True))
        .select_related("client", "recruiter")
        .order_by("probation_end_date", "pk")
    )
    return [{"placement": p, "days_left": (p.probation_end_date - today).days} for p in placements[:AT_RISK_ROWS]]


def placements_behind(*, user: User, filters: Filters, outcome: str | None):
    """The placements behind a survival figure: outcome "stayed", "left" or "unknown" (none recorded)."""
    placements = _placements(user, filters).filter(probation_end_date__isnull=False)
    if outcome in ("stayed", "left"):
        placements = placements.filter(probation_outcome=outcome)
    elif outcome == "unknown":
        placements = placements.filter(probation_outcome="")
    return placements.select_related("client", "recruiter").order_by("-probation_end_date", "pk")


def checkins_behind(*, user: User, filters: Filters, answered: bool | None = None, expectation: str | None = None):
    """The check-ins behind a figure; their scores are shown only to who may read them (the view decides)."""
    checkins = _checkins(user, filters)
    if answered is not None:
        checkins = checkins.filter(answered_at__isnull=not answered)
    if expectation in EXPECTATIONS:
        checkins = checkins.filter(**{f"{expectation}__lte": LOW})
    return checkins.select_related("placement__client", "recruiter").order_by("-sent_at", "pk")
