"""The dashboard's summary tables: per-day buckets recomputed from the raw rows.

A bucket (day x recruiter x client x survey version x channel) is rebuilt
from its responses whenever one of them is completed or changed, so the
summary never drifts; `rebuild_summaries` recomputes everything and the
benchmark checks both against a raw recomputation.
"""

import datetime
import logging

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from nps.models import Answer, NpsDaily, Response, TopicDaily

log = logging.getLogger(__name__)
BUCKET = ("organisation_id", "completed_on", "recruiter_id", "client_id", "survey_version_id", "channel")


def queue_summary_refresh(response_id: int) -> None:
    from nps.tasks import summary_refresh

    try:
        summary_refresh.delay(response_id)
    except Exception as exc:  # noqa: BLE001 - the periodic reconcile catches up
        log.warning("summary refresh %s not queued (%s)", response_id, exc.__class__.__name__)


def _nps_rows(responses):
    return responses.values(*BUCKET).annotate(
        n=Count("pk"),
        promoters=Count("pk", filter=Q(nps_score__gte=9)),
        passives=Count("pk", filter=Q(nps_score__gte=7, nps_score__lte=8)),
        detractors=Count("pk", filter=Q(nps_score__lte=6)),
    )


def _topic_rows(answers):
    prefix = "response__"
    paired = Q(response__nps_score__isnull=False)
    return answers.values(*(prefix + k for k in BUCKET), "topic_id", "version_topic__dimension").annotate(
        n=Count("pk"),
        total=Sum("score"),
        paired=Count("pk", filter=paired),
        paired_total=Sum("score", filter=paired, default=0),
        paired_sq=Sum(F("score") * F("score"), filter=paired, default=0),
        nps_total=Sum("response__nps_score", filter=paired, default=0),
        nps_sq=Sum(F("response__nps_score") * F("response__nps_score"), filter=paired, default=0),
        cross=Sum(F("score") * F("response__nps_score"), filter=paired, default=0),
    )


def _nps_objects(rows):
    for r in rows:
        day = r["completed_on"]
        yield NpsDaily(
            organisation_id=r["organisation_id"],
            day=day,
            month=day.replace(day=1),
            recruiter_id=r["recruiter_id"],
            client_id=r["client_id"],
            survey_version_id=r["survey_version_id"],
            channel=r["channel"],
            responses=r["n"],
            promoters=r["promoters"],
            passives=r["passives"],
            detractors=r["detractors"],
        )


def _topic_objects(rows):
    p = "response__"
    for r in rows:
        yield TopicDaily(
            organisation_id=r[p + "organisation_id"],
            day=r[p + "completed_on"],
            recruiter_id=r[p + "recruiter_id"],
            client_id=r[p + "client_id"],
            survey_version_id=r[p + "survey_version_id"],
            channel=r[p + "channel"],
            topic_id=r["topic_id"],
            dimension=r["version_topic__dimension"],
            answers=r["n"],
            score_sum=r["total"],
            paired=r["paired"],
            paired_score_sum=r["paired_total"],
            paired_score_sq_sum=r["paired_sq"],
            nps_sum=r["nps_total"],
            nps_sq_sum=r["nps_sq"],
            score_nps_sum=r["cross"],
        )


@transaction.atomic
def summary_refresh_bucket(*, organisation_id, day, recruiter_id, client_id, survey_version_id, channel) -> None:
    """Recompute one bucket from its raw responses and answers."""
    key = {
        "organisation_id": organisation_id,
        "recruiter_id": recruiter_id,
        "client_id": client_id,
        "survey_version_id": survey_version_id,
        "channel": channel,
    }
    NpsDaily.objects.filter(day=day, **key).delete()
    TopicDaily.objects.filter(day=day, **key).delete()
    responses = Response.objects.filter(completed_on=day, completed_at__isnull=False, **key)
    NpsDaily.objects.bulk_create(_nps_objects(_nps_rows(responses.filter(nps_score__isnull=False))))
    answers = Answer.objects.filter(response__in=responses)
    TopicDaily.objects.bulk_create(_topic_objects(_topic_rows(answers)))


def summary_refresh(*, response_id: int) -> bool:
    response = Response.objects.filter(pk=response_id, completed_on__isnull=False).values(*BUCKET).first()
    if response is None:
        return False
    summary_refresh_bucket(
        organisation_id=response["organisation_id"],
        day=response["completed_on"],
        recruiter_id=response["recruiter_id"],
        client_id=response["client_id"],
        survey_version_id=response["survey_version_id"],
        channel=response["channel"],
    )
    return True


def summaries_reconcile(*, minutes: int = 30) -> int:
    """Refresh the buckets of responses changed lately: catches refreshes whose message was lost."""
    since = timezone.now() - datetime.timedelta(minutes=minutes)
    buckets = Response.objects.filter(updated_at__gte=since, completed_on__isnull=False).values(*BUCKET).distinct()
    count = 0
    for bucket in buckets:
        summary_refresh_bucket(
            organisation_id=bucket["organisation_id"],
            day=bucket["completed_on"],
            recruiter_id=bucket["recruiter_id"],
            client_id=bucket["client_id"],
            survey_version_id=bucket["survey_version_id"],
            channel=bucket["channel"],
        )
        count += 1
    return count


@transaction.atomic
def summaries_rebuild(*, organisation_id: int | None = None) -> tuple[int, int]:
    """Recompute every summary row from the raw data, in one transaction."""
    nps_rows = NpsDaily.objects.all()
    topic_rows = TopicDaily.objects.all()
    responses = Response.objects.filter(completed_on__isnull=False)
    if organisation_id:
        nps_rows = nps_rows.filter(organisation_id=organisation_id)
        topic_rows = topic_rows.filter(organisation_id=organisation_id)
        responses = responses.filter(organisation_id=organisation_id)
    nps_rows.delete()
    topic_rows.delete()
    created = NpsDaily.objects.bulk_create(
        _nps_objects(_nps_rows(responses.filter(nps_score__isnull=False))), batch_size=5000
    )
    topics = TopicDaily.objects.bulk_create(
        _topic_objects(_topic_rows(Answer.objects.filter(response__in=responses))), batch_size=5000
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE nps_npsdaily; ANALYZE nps_topicdaily")
    return len(created), len(topics)
