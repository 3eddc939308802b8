"""Dashboard reads: every figure comes from the summary tables through one scoping selector.

`dashboard_scope` is the single place that decides whose data a user sees
(recruiter: own placements; team lead: the team; administrator: all) and
applies the filters; every query below starts from it.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.selectors import team_list_for_user, user_visible_recruiters
from nps import scoring
from nps.models import FollowUp, Invitation, NpsDaily, Response, TopicDaily
from placements.models import Client
from surveys.models import Dimension, Survey, Topic

MIN_GROUP = 5
MIN_DRIVERS = 20
PRESETS = {
    "30d": _("Last 30 days"),
    "quarter": _("This quarter"),
    "last_quarter": _("Last quarter"),
    "12m": _("Last 12 months"),
    "year": _("This year"),
    "custom": _("Custom dates"),
}


@dataclass
class Filters:
    start: datetime.date
    end: datetime.date  # inclusive
    preset: str = "12m"
    team: int | None = None
    recruiter: int | None = None
    client: int | None = None
    channel: str | None = None
    survey: int | None = None
    errors: list = field(default_factory=list)

    @property
    def previous(self) -> tuple[datetime.date, datetime.date]:
        length = (self.end - self.start).days + 1
        return self.start - datetime.timedelta(days=length), self.start - datetime.timedelta(days=1)

    def query(self, **extra) -> str:
        from urllib.parse import urlencode

        params = {
            "period": self.preset,
            "team": self.team,
            "recruiter": self.recruiter,
            "client": self.client,
            "channel": self.channel,
            "survey": self.survey,
        }
        if self.preset == "custom":
            params |= {"from": self.start.isoformat(), "to": self.end.isoformat()}
        params |= extra
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def _preset_range(preset: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if preset == "30d":
        return today - datetime.timedelta(days=29), today
    if preset == "quarter":
        return quarter_start, today
    if preset == "last_quarter":
        start = quarter_start - relativedelta(months=3)
        return start, quarter_start - datetime.timedelta(days=1)
    if preset == "year":
        return datetime.date(today.year, 1, 1), today
    return (today.replace(day=1) - relativedelta(months=11)), today


def parse_filters(params) -> Filters:
    today = timezone.localdate()
    preset = params.get("period") if params.get("period") in PRESETS else "12m"
    start, end = _preset_range(preset, today)
    errors = []
    if preset == "custom":
        try:
            start = datetime.date.fromisoformat(params.get("from", ""))
            end = datetime.date.fromisoformat(params.get("to", ""))
            if end < start or (end - start).days > 366 * 5:
                raise ValueError
        except ValueError:
            errors.append(_("Choose a valid period: a start and end date, the end not before the start."))
            preset = "12m"
            start, end = _preset_range(preset, today)
    channel = (
        params.get("channel") if params.get("channel") in (Response.Channel.ONLINE, Response.Channel.PHONE) else None
    )
    return Filters(
        start=start,
        end=end,
        preset=preset,
        team=_int(params.get("team")),
        recruiter=_int(params.get("recruiter")),
        client=_int(params.get("client")),
        channel=channel,
        survey=_int(params.get("survey")),
        errors=errors,
    )


def dashboard_scope(
    *, user: User, filters: Filters, prefix: str = "", dates: tuple | None = None, date_field: str = "day"
) -> Q:
    """The rows `user` may see, narrowed by the filters. Every dashboard query goes through this."""
    p = prefix
    recruiters = user_visible_recruiters(user=user)
    if filters.team:
        teams = (
            team_list_for_user(user=user)
            if user.role != User.Role.ADMIN
            else Team.objects.filter(organisation_id=user.organisation_id)
        )
        recruiters = recruiters.filter(teams__in=teams.filter(pk=filters.team))
    q = Q(**{f"{p}organisation_id": user.organisation_id, f"{p}recruiter__in": recruiters.values("pk")})
    if filters.recruiter:
        q &= Q(**{f"{p}recruiter_id": filters.recruiter})
    if filters.client:
        # Invitations reach the client through the hiring manager.
        client_field = "contact__client_id" if date_field == "sent_at" else f"{p}client_id"
        q &= Q(**{client_field: filters.client})
    if filters.channel and date_field != "sent_at":
        q &= Q(**{f"{p}channel": filters.channel})
    if filters.survey:
        q &= Q(**{f"{p}survey_version__survey_id": filters.survey})
    start, end = dates or (filters.start, filters.end)
    if date_field == "sent_at":
        q &= Q(sent_at__date__gte=start, sent_at__date__lte=end)
    else:
        q &= Q(**{f"{p}{date_field}__gte": start, f"{p}{date_field}__lte": end})
    return q


NPS_SUMS = {
    "n": Sum("responses"),
    "promoters": Sum("promoters"),
    "passives": Sum("passives"),
    "detractors": Sum("detractors"),
}


def _counts(row) -> scoring.Counts:
    return scoring.Counts(
        promoters=row.get("promoters") or 0, passives=row.get("passives") or 0, detractors=row.get("detractors") or 0
    )


def _nps_figure(row) -> dict:
    counts = _counts(row)
    value = scoring.nps(counts)
    total = counts.total
    return {
        "nps": scoring.nps_rounded(counts),
        "exact": value,
        "responses": total,
        "promoters": counts.promoters,
        "passives": counts.passives,
        "detractors": counts.detractors,
        "strong": scoring.is_strong(value),
        "pct": {
            k: round(100 * getattr(counts, k) / total, 1) if total else 0
            for k in ("promoters", "passives", "detractors")
        },
    }


def dashboard_data(*, user: User, filters: Filters) -> dict:
    scope = dashboard_scope(user=user, filters=filters)
    daily = NpsDaily.objects.filter(scope)
    current = _nps_figure(daily.aggregate(**NPS_SUMS))
    previous = _nps_figure(
        NpsDaily.objects.filter(dashboard_scope(user=user, filters=filters, dates=filters.previous)).aggregate(
            **NPS_SUMS
        )
    )
    change = None if current["exact"] is None or previous["exact"] is None else current["nps"] - previous["nps"]
    months = [
        dict(_nps_figure(r), month=r["month"]) for r in daily.values("month").annotate(**NPS_SUMS).order_by("month")
    ]
    topics = _topic_figures(user, filters)
    return {
        "current": current,
        "previous": previous,
        "change": change,
        "months": months,
        "quarters": _quarters(months),
        "recruiters": _group_table(user, filters, "recruiter"),
        "clients": _group_table(user, filters, "client"),
        **topics,
        "rate": _response_rate(user, filters),
        "followups": _followup_status(user, filters),
    }


def _month_query(filters: Filters, month: datetime.date) -> str:
    """The filters narrowed to one month (within the chosen period), for the responses behind it."""
    start = max(month, filters.start)
    end = min(month + relativedelta(months=1) - datetime.timedelta(days=1), filters.end)
    narrowed = Filters(**{**filters.__dict__, "start": start, "end": end, "preset": "custom", "errors": []})
    return narrowed.query()


def _quarters(months):
    quarters = {}
    for m in months:
        key = (m["month"].year, (m["month"].month - 1) // 3 + 1)
        agg = quarters.setdefault(key, {"promoters": 0, "passives": 0, "detractors": 0})
        for k in agg:
            agg[k] += m[k]
    return [dict(_nps_figure(v), label=f"{y} Q{q}") for (y, q), v in sorted(quarters.items())]


def _group_table(user, filters, key: str) -> list[dict]:
    scope = dashboard_scope(user=user, filters=filters)
    rows = {
        r[key]: dict(_nps_figure(r), id=r[key])
        for r in NpsDaily.objects.filter(scope).values(key).annotate(**NPS_SUMS).order_by("-n")[:200]
    }
    if not rows:
        return []
    dims = (
        TopicDaily.objects.filter(dashboard_scope(user=user, filters=filters), **{f"{key}__in": list(rows)})
        .values(key, "dimension")
        .annotate(n=Sum("answers"), total=Sum("score_sum"))
    )
    for d in dims:
        rows[d[key]].setdefault("dimensions", {})[d["dimension"]] = round(d["total"] / d["n"], 1) if d["n"] else None
    sent = Invitation.objects.filter(
        dashboard_scope(user=user, filters=filters, date_field="sent_at"),
        **{f"{key}__in" if key == "recruiter" else "contact__client__in": list(rows)},
    )
    group = key if key == "recruiter" else "contact__client"
    for r in sent.values(group).annotate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))):
        row = rows.get(r[group])
        if row:
            row["rate"] = round(100 * r["answered"] / r["sent"]) if r["sent"] else None
    open_q = FollowUp.objects.filter(
        status__in=FollowUp.OPEN_STATUSES, organisation_id=user.organisation_id, **{f"response__{key}__in": list(rows)}
    )
    open_q = open_q.filter(owner__in=user_visible_recruiters(user=user))
    for r in open_q.values(f"response__{key}").annotate(n=Count("pk")):
        rows[r[f"response__{key}"]]["open_followups"] = r["n"]
    model = User if key == "recruiter" else Client
    names = {o.pk: str(o) for o in model.objects.filter(pk__in=list(rows))}
    table = []
    for pk, row in rows.items():
        row["name"] = names.get(pk, "?")
        row["small"] = row["responses"] < MIN_GROUP
        row["dims"] = [(row.get("dimensions") or {}).get(v) for v in Dimension.values]
        table.append(row)
    ranked = sorted([r for r in table if not r["small"]], key=lambda r: -(r["exact"] or -999))
    for i, row in enumerate(ranked, start=1):
        row["rank"] = i
    return ranked + sorted([r for r in table if r["small"]], key=lambda r: -r["responses"])


def _topic_figures(user, filters) -> dict:
    rows = list(
        TopicDaily.objects.filter(dashboard_scope(user=user, filters=filters))
        .values("topic", "dimension")
        .annotate(
            n=Sum("answers"),
            total=Sum("score_sum"),
            paired=Sum("paired"),
            sx=Sum("paired_score_sum"),
            sxx=Sum("paired_score_sq_sum"),
            sy=Sum("nps_sum"),
            syy=Sum("nps_sq_sum"),
            sxy=Sum("score_nps_sum"),
        )
    )
    names = {t.pk: t.name_nl for t in Topic.objects.filter(pk__in=[r["topic"] for r in rows])}
    topics, dims = [], {}
    for r in rows:
        average = scoring.average_from(r["total"], r["n"])
        correlation = scoring.pearson_from_sums(r["paired"], r["sx"], r["sy"], r["sxx"], r["syy"], r["sxy"])
        topics.append(
            {
                "id": r["topic"],
                "name": names.get(r["topic"], "?"),
                "dimension": r["dimension"],
                "average": round(average, 2) if average is not None else None,
                "answers": r["n"],
                "correlation": round(correlation, 2) if correlation is not None else None,
                "gap": round(5 - average, 2) if average is not None else None,
                "impact": scoring.impact(correlation, average),
                "paired": r["paired"],
            }
        )
        agg = dims.setdefault(r["dimension"], [0, 0])
        agg[0] += r["total"]
        agg[1] += r["n"]
    topics.sort(key=lambda t: (t["average"] is None, t["average"]))
    for t in topics[:3]:
        t["weak"] = True
    dimensions = [
        {"key": v, "label": label, "average": round(dims[v][0] / dims[v][1], 2) if dims.get(v) and dims[v][1] else None}
        for v, label in Dimension.choices
    ]
    paired_total = max((t["paired"] for t in topics), default=0)
    drivers = (
        sorted([t for t in topics if t["impact"] is not None], key=lambda t: -t["impact"])
        if paired_total >= MIN_DRIVERS
        else []
    )
    return {"topics": topics, "dimensions": dimensions, "drivers": drivers, "driver_responses": paired_total}


def _response_rate(user, filters) -> dict:
    row = Invitation.objects.filter(dashboard_scope(user=user, filters=filters, date_field="sent_at")).aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    row["rate"] = round(100 * row["answered"] / row["sent"]) if row["sent"] else None
    return row


def _followup_status(user, filters) -> dict:
    today = timezone.localdate()
    scope = dashboard_scope(user=user, filters=filters, prefix="response__", date_field="completed_on")
    row = FollowUp.objects.filter(scope).aggregate(
        open=Count("pk", filter=Q(status__in=FollowUp.OPEN_STATUSES, due_date__gte=today)),
        overdue=Count("pk", filter=Q(status__in=FollowUp.OPEN_STATUSES, due_date__lt=today)),
        on_time=Count("pk", filter=Q(closed_at__isnull=False, closed_at__date__lte=F("due_date"))),
        late=Count("pk", filter=Q(closed_at__isnull=False, closed_at__date__gt=F("due_date"))),
    )
    return row


def filter_choices(*, user: User) -> dict:
    return {
        "teams": team_list_for_user(user=user),
        "recruiters": user_visible_recruiters(user=user).order_by("first_name", "last_name"),
        "clients": Client.objects.filter(organisation_id=user.organisation_id).order_by("name"),
        "surveys": Survey.objects.filter(organisation_id=user.organisation_id).order_by("name"),
        "presets": PRESETS,
    }


def response_list(*, user: User, filters: Filters, category: str | None = None, topic: int | None = None):
    """The responses behind a figure: the same scope over the raw rows."""
    scope = dashboard_scope(user=user, filters=filters, date_field="completed_on")
    responses = Response.objects.filter(scope, completed_at__isnull=False).select_related(
        "contact", "client", "recruiter", "survey_version"
    )
    if category == "promoters":
        responses = responses.filter(nps_score__gte=9)
    elif category == "passives":
        responses = responses.filter(nps_score__gte=7, nps_score__lte=8)
    elif category == "detractors":
        responses = responses.filter(nps_score__lte=6)
    if topic:
        responses = responses.filter(answers__topic_id=topic).distinct()
    return responses.order_by("-completed_at", "-pk")
