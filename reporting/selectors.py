"""Dashboard reads: every figure comes from the summary tables through one scoping selector.

`dashboard_scope` is the single place that decides whose data a user sees
(recruiter: own placements; team lead: the team; administrator: all) and
applies the filters; every query below starts from it.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scope
from accounts.models import User
from nps import scoring
from nps.models import Answer, FollowUp, NpsSummary, Response, SummaryGrain, TopicSummary
from placements.models import Client, Placement
from reporting.metrics import NPS_METRICS
from surveys.models import Dimension, Survey, Topic

MIN_GROUP = 5
# The filters that narrow whose responses count (the period aside).
NARROWING = ("team", "recruiter", "client", "channel", "survey")
MIN_DRIVERS = 20
MAX_GROUP_ROWS = 100  # rows per group table on the page
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
    scope_cache: dict = field(default_factory=dict, repr=False, compare=False)

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
    return today - relativedelta(years=1) + datetime.timedelta(days=1), today  # the 12 months back from today


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


def summary_span(start: datetime.date, end: datetime.date) -> Q:
    """The summary rows of a period: whole calendar months from the monthly rows, the days at either
    edge from the daily rows. Twelve months read about a dozen rows per recruiter, not 365."""
    first = start if start.day == 1 else start.replace(day=1) + relativedelta(months=1)
    after = end + datetime.timedelta(days=1)
    stop = after.replace(day=1)  # the first day after the last whole month
    if first >= stop:
        return Q(grain=SummaryGrain.DAY, period__gte=start, period__lte=end)
    span = Q(grain=SummaryGrain.MONTH, period__gte=first, period__lt=stop)
    if start < first:
        span |= Q(grain=SummaryGrain.DAY, period__gte=start, period__lt=first)
    if stop <= end:
        span |= Q(grain=SummaryGrain.DAY, period__gte=stop, period__lte=end)
    return span


def _scope_recruiters(user: User, filters: Filters) -> list[int] | None:
    """accounts.scope.recruiter_ids under the team filter, looked up once per view."""
    key = (user.pk, filters.team)
    if key not in filters.scope_cache:
        filters.scope_cache[key] = scope.recruiter_ids(user=user, team=filters.team)
    return filters.scope_cache[key]


def dashboard_scope(
    *, user: User, filters: Filters, prefix: str = "", dates: tuple | None = None, date_field: str | None = "period"
) -> Q:
    """The rows `user` may see, narrowed by the filters. Every dashboard query goes through this.

    `date_field` "period" reads summary rows (see `summary_span`); any other names a date column of
    raw rows, for the responses behind a figure and the exports; None leaves the period out."""
    p = prefix
    q = Q(**{f"{p}organisation_id": user.organisation_id})
    recruiters = _scope_recruiters(user, filters)
    if recruiters is not None:
        q &= Q(**{f"{p}recruiter_id__in": recruiters})
    if filters.recruiter:
        q &= Q(**{f"{p}recruiter_id": filters.recruiter})
    if filters.client:
        q &= Q(**{f"{p}client_id": filters.client})
    if filters.channel:
        q &= Q(**{f"{p}channel": filters.channel})
    if filters.survey:
        q &= Q(**{f"{p}survey_version__survey_id": filters.survey})
    start, end = dates or (filters.start, filters.end)
    if date_field == "period":
        q &= summary_span(start, end)
    elif date_field:
        q &= Q(**{f"{p}{date_field}__gte": start, f"{p}{date_field}__lte": end})
    return q


def _summary(user, filters, *, dates=None, by_client: bool = False):
    """Summary rows in scope: per client when the view looks at clients, else the all-clients rows."""
    level = Q(client__isnull=not (by_client or filters.client))
    return NpsSummary.objects.filter(dashboard_scope(user=user, filters=filters, dates=dates), level)


NPS_SUMS = {
    "n": Sum("responses"),
    "promoters": Sum("promoters"),
    "passives": Sum("passives"),
    "detractors": Sum("detractors"),
}
# Everything a summary row holds, summed: NPS counts, dimension sums, invitations, closed follow-ups.
ALL_SUMS = NPS_SUMS | {m: Sum(m) for m in NPS_METRICS if m not in ("responses", *NPS_SUMS)}


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


def _rate(row) -> dict:
    sent, answered = row.get("sent") or 0, row.get("answered") or 0
    return {"sent": sent, "answered": answered, "rate": round(100 * answered / sent) if sent else None}


def dashboard_data(*, user: User, filters: Filters) -> dict:
    rows = _summary(user, filters)
    totals = rows.aggregate(**ALL_SUMS)
    current = _nps_figure(totals)
    previous = _nps_figure(_summary(user, filters, dates=filters.previous).aggregate(**NPS_SUMS))
    change = None if current["exact"] is None or previous["exact"] is None else current["nps"] - previous["nps"]
    by_month = rows.values("month").annotate(**NPS_SUMS).filter(n__gt=0).order_by("month")
    months = [dict(_nps_figure(r), month=r["month"]) for r in by_month]
    topics = _topic_figures(user, filters)
    followups = _followups(user, filters, totals)
    return {
        "current": current,
        "previous": previous,
        "change": change,
        "months": months,
        "quarters": _quarters(months),
        **_group_tables(user, filters, followups["by"]),
        **topics,
        "rate": _rate(totals),
        "followups": followups["status"],
        "fill": fill_facts(user=user, filters=filters),
    }


def fill_facts(*, user: User, filters: Filters) -> dict:
    """Beside the Resultaat scores: the median days to fill and the candidates introduced per placement, of
    the placements closed in the period (whose search start and numbers the form, the API or the ATS gave)."""
    placements = Placement.objects.filter(
        organisation_id=user.organisation_id, closed_at__date__gte=filters.start, closed_at__date__lte=filters.end
    )
    recruiters = _scope_recruiters(user, filters)
    if recruiters is not None:
        placements = placements.filter(recruiter_id__in=recruiters)
    if filters.recruiter:
        placements = placements.filter(recruiter_id=filters.recruiter)
    if filters.client:
        placements = placements.filter(client_id=filters.client)
    rows = placements.filter(Q(search_started_on__isnull=False) | Q(candidates_introduced__isnull=False))
    days, introduced = [], []
    for start, search, count in rows.values_list("start_date", "search_started_on", "candidates_introduced"):
        if search:
            days.append((start - search).days)
        if count is not None:
            introduced.append(count)
    return {
        "days_to_fill": statistics.median(days) if days else None,
        "days_n": len(days),
        "introduced": round(sum(introduced) / len(introduced), 1) if introduced else None,
        "introduced_n": len(introduced),
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


def _group_tables(user, filters, open_followups) -> dict:
    tables = {}
    for key, name in (("recruiter", "recruiters"), ("client", "clients")):
        table = _group_table(user, filters, key, open_followups)
        tables[name], tables[f"more_{name}"] = table["rows"], table["more"]
    return tables


def _dimension_averages(row) -> list:
    averages = []
    for d in Dimension.values:
        answers = row.get(f"{d}_answers") or 0
        averages.append(round(row[f"{d}_sum"] / answers, 1) if answers else None)
    return averages


def _group_table(user, filters, key: str, open_followups: dict) -> dict:
    """NPS, response rate and dimension averages per recruiter or per client: one query over the
    summary. The page shows the MAX_GROUP_ROWS groups with the most responses (`more` says there
    are others: the filter and the export reach them). A group with calls still to make but no
    responses in the period gets a row too, so the open follow-ups add up to the status card."""
    grouped = _summary(user, filters, by_client=key == "client").values(key).annotate(**ALL_SUMS)
    rows = {}
    for r in grouped.order_by("-n", key)[: MAX_GROUP_ROWS + 1]:
        rows[r[key]] = dict(_nps_figure(r), id=r[key], rate=_rate(r)["rate"], dims=_dimension_averages(r))
    more = len(rows) > MAX_GROUP_ROWS
    if more:
        rows.popitem()
    for pk, n in open_followups[key].items():
        if pk not in rows and not more:
            rows[pk] = dict(_nps_figure({}), id=pk, rate=None, dims=[None] * len(Dimension.values))
        if pk in rows:
            rows[pk]["open_followups"] = n
    if not rows:
        return {"rows": [], "more": False}
    model = User if key == "recruiter" else Client
    names = {o.pk: str(o) for o in model.objects.filter(pk__in=list(rows))}
    table = []
    for pk, row in rows.items():
        row["name"] = names.get(pk, "?")
        row["small"] = row["responses"] < MIN_GROUP
        table.append(row)
    ranked = sorted([r for r in table if not r["small"]], key=lambda r: -(r["exact"] or -999))
    for i, row in enumerate(ranked, start=1):
        row["rank"] = i
    return {"rows": ranked + sorted([r for r in table if r["small"]], key=lambda r: -r["responses"]), "more": more}


TOPIC_SUMS = {
    "n": Sum("answers"),
    "total": Sum("score_sum"),
    "paired": Sum("paired"),
    "sx": Sum("paired_score_sum"),
    "sxx": Sum("paired_score_sq_sum"),
    "sy": Sum("nps_sum"),
    "syy": Sum("nps_sq_sum"),
    "sxy": Sum("score_nps_sum"),
}


def _topic_rows(user, filters):
    """Sums per topic: from the topic summary, or for one client (which it does not hold) from the
    client's raw answers, found through the response index by client and day."""
    if not filters.client:
        summary = TopicSummary.objects.filter(dashboard_scope(user=user, filters=filters))
        return summary.values("topic", "dimension").annotate(**TOPIC_SUMS)
    scope = dashboard_scope(user=user, filters=filters, prefix="response__", date_field="completed_on")
    paired = Q(response__nps_score__isnull=False)
    score, nps = F("score"), F("response__nps_score")
    return (
        Answer.objects.filter(scope, response__completed_at__isnull=False)
        .values("topic", dimension=F("version_topic__dimension"))
        .annotate(
            n=Count("pk"),
            total=Sum("score"),
            paired=Count("pk", filter=paired),
            sx=Sum("score", filter=paired, default=0),
            sxx=Sum(score * score, filter=paired, default=0),
            sy=Sum(nps, filter=paired, default=0),
            syy=Sum(nps * nps, filter=paired, default=0),
            sxy=Sum(score * nps, filter=paired, default=0),
        )
    )


def _topic_figures(user, filters) -> dict:
    rows = list(_topic_rows(user, filters))
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
    # Like the group tables: a topic with fewer than MIN_GROUP answers is shown greyed and unranked, so one
    # answer of 2 never heads "weakest first" above a hundred answers averaging 3.
    for t in topics:
        t["small"] = t["answers"] < MIN_GROUP
    ranked = sorted((t for t in topics if not t["small"]), key=lambda t: (t["average"] is None, t["average"]))
    for t in ranked[:3]:
        t["weak"] = True
    topics = ranked + sorted((t for t in topics if t["small"]), key=lambda t: -t["answers"])
    dimensions = [
        {
            "key": v,
            "label": label,
            "average": round(dims[v][0] / dims[v][1], 2) if dims.get(v) and dims[v][1] else None,
            "answers": dims[v][1] if dims.get(v) else 0,
        }
        for v, label in Dimension.choices
    ]
    paired_total = max((t["paired"] for t in topics), default=0)
    drivers = (
        sorted([t for t in ranked if t["impact"] is not None and t["paired"] >= MIN_GROUP], key=lambda t: -t["impact"])
        if paired_total >= MIN_DRIVERS
        else []
    )
    return {"topics": topics, "dimensions": dimensions, "drivers": drivers, "driver_responses": paired_total}


def _followups(user, filters, totals) -> dict:
    """The open follow-ups in scope, in one query (they are few by nature, and overdue depends on
    today). Open and overdue are the calls still to make, whenever the response came in: the
    same count as the group tables' column and the list the figure links to. Closed on time or
    late are those of the period's responses, from the summary."""
    today = timezone.localdate()
    scope = dashboard_scope(user=user, filters=filters, prefix="response__", date_field=None)
    rows = (
        FollowUp.objects.filter(scope, status__in=FollowUp.OPEN_STATUSES)
        .values("response__recruiter_id", "response__client_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    by = {"recruiter": {}, "client": {}}
    status = {"open": 0, "overdue": 0}
    for r in rows:
        for key in by:
            by[key][r[f"response__{key}_id"]] = by[key].get(r[f"response__{key}_id"], 0) + r["n"]
        status["open"] += r["n"]
        status["overdue"] += r["overdue"]
    status["on_time"] = totals.get("followups_on_time") or 0
    status["late"] = totals.get("followups_late") or 0
    return {"by": by, "status": status}


def filter_choices(*, user: User) -> dict:
    return {
        "teams": scope.visible_teams(user=user),
        # (id, label) pairs: the selects render them in one join.
        "recruiters": [(u.pk, str(u)) for u in scope.visible_recruiters(user=user).order_by("first_name", "last_name")],
        "clients": list(
            Client.objects.filter(organisation_id=user.organisation_id).order_by("name").values_list("pk", "name")
        ),
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
