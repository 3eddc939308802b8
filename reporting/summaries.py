"""The dashboard's summary tables, recomputed from the raw rows, never incremented.

The base level is one row per day x recruiter x client x survey version x
channel, computed from the raw responses, answers, sent invitations and closed
follow-ups. The monthly rows and the all-clients rows are sums of those base
rows, and the topic rows come from the raw answers. When a raw row changes, the
buckets it belongs to are recomputed at every level, so the summary cannot
drift; `summaries_rebuild` recomputes everything in a few INSERT ... SELECT
statements, and the tests and the benchmark check both against the raw rows.
"""

import contextlib
import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from nps.models import Answer, FollowUp, Invitation, NpsSummary, Response, SummaryGrain, TopicSummary
from reporting.metrics import NPS_METRICS, TOPIC_METRICS
from surveys.models import Dimension

log = logging.getLogger(__name__)

DAY, MONTH = SummaryGrain.DAY, SummaryGrain.MONTH
# Refreshes of one recruiter's buckets take turns (PostgreSQL advisory lock: this class, the recruiter).
# The SQL below is put together from model metadata and ORM-compiled queries with their parameters
# (hence the S608 exemptions): no text from outside reaches it.
LOCK_CLASS = 73501


@dataclasses.dataclass(frozen=True, order=True)
class Bucket:
    organisation_id: int
    day: datetime.date
    recruiter_id: int
    client_id: int
    survey_version_id: int
    channel: str

    @property
    def month(self) -> datetime.date:
        return self.day.replace(day=1)


def response_bucket(row: dict) -> Bucket:
    return Bucket(
        row["organisation_id"],
        row["completed_on"],
        row["recruiter_id"],
        row["client_id"],
        row["survey_version_id"],
        row["channel"],
    )


def invitation_bucket(row: dict) -> Bucket:
    return Bucket(
        row["organisation_id"],
        timezone.localdate(row["sent_at"]),
        row["recruiter_id"],
        row["contact__client_id"],
        row["survey_version_id"],
        Response.Channel.ONLINE,
    )


RESPONSE_KEY = ("organisation_id", "completed_on", "recruiter_id", "client_id", "survey_version_id", "channel")
INVITATION_KEY = ("organisation_id", "sent_at", "recruiter_id", "contact__client_id", "survey_version_id")


# -- SQL building blocks --------------------------------------------------------------------------------------------


def _raw_keys(prefix: str = "", **given) -> dict:
    """The base key of a raw row, in the order of the summary's columns."""
    return {
        "k_org": F(f"{prefix}organisation_id"),
        "k_day": given.get("day", F(f"{prefix}completed_on")),
        "k_recruiter": F(f"{prefix}recruiter_id"),
        "k_client": given.get("client", F(f"{prefix}client_id")),
        "k_version": F(f"{prefix}survey_version_id"),
        "k_channel": given.get("channel", F(f"{prefix}channel")),
    }


def _metrics(**given) -> dict:
    return {f"m_{name}": given.get(name, Value(0)) for name in NPS_METRICS}


def _response_part(responses):
    return (
        responses.filter(completed_on__isnull=False)
        .order_by()
        .values(**_raw_keys())
        .annotate(
            **_metrics(
                responses=Count("pk", filter=Q(nps_score__isnull=False)),
                promoters=Count("pk", filter=Q(nps_score__gte=9)),
                passives=Count("pk", filter=Q(nps_score__gte=7, nps_score__lte=8)),
                detractors=Count("pk", filter=Q(nps_score__lte=6)),
            )
        )
    )


def _answer_part(answers):
    sums = {}
    for dimension in Dimension.values:
        mine = Q(version_topic__dimension=dimension)
        sums[f"{dimension}_answers"] = Count("pk", filter=mine)
        sums[f"{dimension}_sum"] = Sum("score", filter=mine, default=0)
    return (
        answers.filter(response__completed_on__isnull=False)
        .order_by()
        .values(**_raw_keys("response__"))
        .annotate(**_metrics(**sums))
    )


def _invitation_part(invitations):
    keys = _raw_keys(day=TruncDate("sent_at"), client=F("contact__client_id"), channel=Value(Response.Channel.ONLINE))
    return (
        invitations.filter(sent_at__isnull=False)
        .order_by()
        .values(**keys)
        .annotate(**_metrics(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))))
    )


def _followup_part(followups):
    return (
        followups.filter(closed_at__isnull=False, response__completed_on__isnull=False)
        .order_by()
        .values(**_raw_keys("response__"))
        .annotate(
            **_metrics(
                followups_on_time=Count("pk", filter=Q(closed_at__date__lte=F("due_date"))),
                followups_late=Count("pk", filter=Q(closed_at__date__gt=F("due_date"))),
            )
        )
    )


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _execute(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _columns(model, names) -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(model._meta.get_field(n).column) for n in names)


def _insert_base_days(parts) -> int:
    """Per-client day rows from the raw rows: the parts' sums added up per bucket."""
    compiled = [qs.query.sql_with_params() for qs in parts]
    union = " UNION ALL ".join(sql for sql, _ in compiled)
    params = [DAY] + [p for _, ps in compiled for p in ps]
    key = "k_org, k_day, k_recruiter, k_client, k_version, k_channel"
    names = ["organisation", "grain", "period", "month", "recruiter", "client", "survey_version", "channel"]
    sums = ", ".join(f"SUM(m_{m})" for m in NPS_METRICS)
    sql = (
        f"INSERT INTO {NpsSummary._meta.db_table} ({_columns(NpsSummary, [*names, *NPS_METRICS])}) "  # noqa: S608
        f"SELECT k_org, %s, k_day, {_month_sql('k_day')}, k_recruiter, k_client, k_version, k_channel, {sums} "
        f"FROM ({union}) u GROUP BY {key}"
    )
    return _execute(sql, params)


def _insert_grouped(model, source, *, grain: str, period: str, by_client: bool, extra=(), metrics) -> int:
    """Rows of `model` at `grain` summed from the `source` rows of the same model."""
    keys = {
        "k_org": F("organisation_id"),
        "k_grain": Value(grain),
        "k_period": F(period),
        "k_month": F("month"),
        "k_recruiter": F("recruiter_id"),
        **({"k_client": F("client_id")} if by_client else {}),
        "k_version": F("survey_version_id"),
        "k_channel": F("channel"),
        **{f"k_{name}": F(name) for name in extra},
    }
    names = ["organisation", "grain", "period", "month", "recruiter"]
    names += ["client"] if by_client else []
    names += ["survey_version", "channel", *extra, *metrics]
    grouped = source.order_by().values(**keys).annotate(**{f"m_{m}": Sum(m) for m in metrics})
    sql, params = grouped.query.sql_with_params()
    insert = f"INSERT INTO {model._meta.db_table} ({_columns(model, names)}) SELECT * FROM ({sql}) s"  # noqa: S608
    return _execute(insert, params)


def _derive_nps_levels(common: Q, *, day=None, month=None, client_id=None) -> None:
    """The monthly rows and the all-clients rows, from the per-client day rows that match `common`
    (and, when one bucket is refreshed, its day, month and client)."""
    per_client = Q(client__isnull=False)
    all_clients = Q(client__isnull=True)
    one_client = Q(client_id=client_id) if client_id else Q()
    in_month = (Q(period=month), Q(month=month)) if month else (Q(), Q())
    on_day = Q(period=day) if day else Q()
    levels = [
        # target rows, source rows, grain, period column, per client
        (Q(grain=MONTH) & per_client & one_client & in_month[0], Q(grain=DAY) & per_client & one_client & in_month[1],
         MONTH, "month", True),
        (Q(grain=DAY) & all_clients & on_day, Q(grain=DAY) & per_client & on_day, DAY, "period", False),
        (Q(grain=MONTH) & all_clients & in_month[0], Q(grain=MONTH) & per_client & in_month[0], MONTH, "period", False),
    ]  # fmt: skip
    for target, source, grain, period, by_client in levels:
        NpsSummary.objects.filter(common & target).delete()
        _insert_grouped(
            NpsSummary,
            NpsSummary.objects.filter(common & source),
            grain=grain,
            period=period,
            by_client=by_client,
            metrics=NPS_METRICS,
        )


def _insert_topic_days(answers) -> int:
    paired = Q(response__nps_score__isnull=False)
    nps = F("response__nps_score")
    grouped = (
        answers.filter(response__completed_on__isnull=False)
        .order_by()
        .values(
            k_org=F("response__organisation_id"),
            k_grain=Value(DAY),
            k_period=F("response__completed_on"),
            k_recruiter=F("response__recruiter_id"),
            k_version=F("response__survey_version_id"),
            k_channel=F("response__channel"),
            k_topic=F("topic_id"),
            k_dimension=F("version_topic__dimension"),
        )
        .annotate(
            m_answers=Count("pk"),
            m_score_sum=Sum("score"),
            m_paired=Count("pk", filter=paired),
            m_paired_score_sum=Sum("score", filter=paired, default=0),
            m_paired_score_sq_sum=Sum(F("score") * F("score"), filter=paired, default=0),
            m_nps_sum=Sum(nps, filter=paired, default=0),
            m_nps_sq_sum=Sum(nps * nps, filter=paired, default=0),
            m_score_nps_sum=Sum(F("score") * nps, filter=paired, default=0),
        )
    )
    sql, params = grouped.query.sql_with_params()
    names = ["organisation", "grain", "period", "recruiter", "survey_version", "channel", "topic", "dimension"]
    # The month is added around the grouped rows, so the grouping itself needs no date function.
    return _execute(
        f"INSERT INTO {TopicSummary._meta.db_table} ({_columns(TopicSummary, [*names, 'month', *TOPIC_METRICS])}) "  # noqa: S608
        f"SELECT k_org, k_grain, k_period, k_recruiter, k_version, k_channel, k_topic, k_dimension, "
        f"{_month_sql('k_period')}, {', '.join('m_' + m for m in TOPIC_METRICS)} FROM ({sql}) s",
        params,
    )


def _derive_topic_months(common: Q, *, month=None) -> None:
    target = common & Q(grain=MONTH) & (Q(period=month) if month else Q())
    source = common & Q(grain=DAY) & (Q(month=month) if month else Q())
    TopicSummary.objects.filter(target).delete()
    _insert_grouped(
        TopicSummary,
        TopicSummary.objects.filter(source),
        grain=MONTH,
        period="month",
        by_client=False,
        extra=("topic_id", "dimension"),
        metrics=TOPIC_METRICS,
    )


# -- Refresh --------------------------------------------------------------------------------------------------------


def _refresh_nps(b: Bucket) -> None:
    common = Q(
        organisation_id=b.organisation_id,
        recruiter_id=b.recruiter_id,
        survey_version_id=b.survey_version_id,
        channel=b.channel,
    )
    NpsSummary.objects.filter(common, grain=DAY, period=b.day, client_id=b.client_id).delete()
    responses = Response.objects.filter(common, client_id=b.client_id, completed_on=b.day)
    parts = [
        _response_part(responses),
        _answer_part(Answer.objects.filter(response__in=responses)),
        _followup_part(FollowUp.objects.filter(response__in=responses)),
    ]
    if b.channel == Response.Channel.ONLINE:
        # The local day as a range of moments, so the index on (recruiter, sent_at) finds them.
        start = timezone.make_aware(datetime.datetime.combine(b.day, datetime.time()))
        end = timezone.make_aware(datetime.datetime.combine(b.day + datetime.timedelta(days=1), datetime.time()))
        invitations = Invitation.objects.filter(
            organisation_id=b.organisation_id,
            recruiter_id=b.recruiter_id,
            survey_version_id=b.survey_version_id,
            contact__client_id=b.client_id,
            sent_at__gte=start,
            sent_at__lt=end,
        )
        parts.append(_invitation_part(invitations))
    _insert_base_days(parts)
    _derive_nps_levels(common, day=b.day, month=b.month, client_id=b.client_id)


def _refresh_topics(b: Bucket) -> None:
    """The topic rows of the bucket's day for its recruiter, survey version and channel (all clients)."""
    common = Q(
        organisation_id=b.organisation_id,
        recruiter_id=b.recruiter_id,
        survey_version_id=b.survey_version_id,
        channel=b.channel,
    )
    TopicSummary.objects.filter(common, grain=DAY, period=b.day).delete()
    _insert_topic_days(Answer.objects.filter(response__in=Response.objects.filter(common, completed_on=b.day)))
    _derive_topic_months(common, month=b.month)


@contextlib.contextmanager
def _recruiter_turn(recruiter_id: int):
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, recruiter_id])
        yield


def summary_refresh_buckets(buckets, *, answered=()) -> int:
    """Recompute these buckets at every level, each in its own transaction; for the `answered` ones
    (buckets of responses, whose answers may have changed) the topic rows too, once per day,
    recruiter, survey version and channel. A bucket of invitations only has no answers."""
    nps = set(buckets) | set(answered)
    topics = {dataclasses.replace(b, client_id=0) for b in answered}  # topic rows have no client
    for bucket in sorted(nps):
        with _recruiter_turn(bucket.recruiter_id):
            _refresh_nps(bucket)
    for bucket in sorted(topics):
        with _recruiter_turn(bucket.recruiter_id):
            _refresh_topics(bucket)
    return len(nps)


def _buckets_of(responses) -> tuple[set[Bucket], set[Bucket]]:
    """The buckets of these responses, and those of their invitations."""
    answered = {response_bucket(r) for r in responses.filter(completed_on__isnull=False).values(*RESPONSE_KEY)}
    invitations = Invitation.objects.filter(response__in=responses, sent_at__isnull=False)
    return answered, {invitation_bucket(r) for r in invitations.values(*INVITATION_KEY)}


# While this key exists, a refresh is queued and has not started: later changes ride along with it.
REFRESH_QUEUED = "nps:summaries-refresh-queued"
# A response's updated_at is set inside its transaction, a moment before the commit that asks for the
# refresh; the refresh looks back this much further than the first ask of its batch.
REFRESH_MARGIN = datetime.timedelta(minutes=1)
# A queued refresh whose message was lost stops holding back new ones after this long.
REFRESH_QUEUED_TIMEOUT = 120


def queue_summary_refresh() -> None:
    """Have the dashboards catch up with the responses and follow-ups changed just now (after commit).

    Coalesced: one refresh task covers every change made before it starts, so a burst of answers (a mass
    mailing's Monday morning) costs one refresh per bucket, not one per answer, and a submission costs
    no broker round trip when a refresh is already queued. The dashboards lag by at most
    SUMMARY_REFRESH_DELAY_SECONDS plus the refresh itself.
    """
    from reporting.tasks import summaries_refresh_changed as task

    queued_at = timezone.now().timestamp()
    try:
        if not cache.add(REFRESH_QUEUED, queued_at, timeout=REFRESH_QUEUED_TIMEOUT):
            return
        task.apply_async(countdown=settings.SUMMARY_REFRESH_DELAY_SECONDS)
    except Exception as exc:  # noqa: BLE001 - the periodic reconcile catches up
        log.warning("summary refresh not queued (%s)", exc.__class__.__name__)
        with contextlib.suppress(Exception):
            cache.delete(REFRESH_QUEUED)  # let the next change try again


def summaries_refresh_changed() -> int:
    """The queued refresh: every bucket changed since its batch's first ask (see queue_summary_refresh)."""
    queued_at = cache.get(REFRESH_QUEUED)
    # From here on a change queues a refresh of its own; the changes before are all visible to the reads below.
    cache.delete(REFRESH_QUEUED)
    since = (
        datetime.datetime.fromtimestamp(queued_at, tz=datetime.UTC)
        if queued_at is not None
        else timezone.now() - datetime.timedelta(seconds=REFRESH_QUEUED_TIMEOUT)
    )
    return summaries_refresh_since(since - REFRESH_MARGIN)


def summaries_reconcile(*, minutes: int = 12) -> int:
    """Refresh the buckets that changed lately. Sent invitations reach the summary only this way (or along
    with a refresh for a response); it also catches refreshes whose message was lost."""
    return summaries_refresh_since(timezone.now() - datetime.timedelta(minutes=minutes))


def summaries_refresh_since(since: datetime.datetime) -> int:
    """Refresh the buckets of invitations sent or answered, responses and follow-ups changed since then."""
    changed = Response.objects.filter(Q(updated_at__gte=since) | Q(followup__updated_at__gte=since))
    answered, sent = _buckets_of(changed)
    lately = Invitation.objects.filter(Q(sent_at__gte=since) | Q(answered_at__gte=since), sent_at__isnull=False)
    sent |= {invitation_bucket(r) for r in lately.values(*INVITATION_KEY)}
    return summary_refresh_buckets(sent, answered=answered)


# -- Rebuild --------------------------------------------------------------------------------------------------------


@transaction.atomic
def summaries_rebuild(*, organisation_id: int | None = None) -> tuple[int, int]:
    """Recompute every summary row from the raw rows, in one transaction."""
    common = Q(organisation_id=organisation_id) if organisation_id else Q()
    mine = {"organisation_id": organisation_id} if organisation_id else {}
    NpsSummary.objects.filter(common).delete()
    TopicSummary.objects.filter(common).delete()
    responses = Response.objects.filter(**mine)
    answers = Answer.objects.filter(**{f"response__{k}": v for k, v in mine.items()})
    _insert_base_days(
        [
            _response_part(responses),
            _answer_part(answers),
            _invitation_part(Invitation.objects.filter(**mine)),
            _followup_part(FollowUp.objects.filter(**mine)),
        ]
    )
    _derive_nps_levels(common)
    _insert_topic_days(answers)
    _derive_topic_months(common)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {NpsSummary._meta.db_table}; ANALYZE {TopicSummary._meta.db_table}")
    return NpsSummary.objects.filter(common).count(), TopicSummary.objects.filter(common).count()
