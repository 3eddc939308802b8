"""The summary tables against the raw rows: every period, filter and role reads the same figures
from the monthly and daily rows as a count over the raw responses gives; refreshing bucket by
bucket ends where a rebuild ends."""

import collections
import datetime
import random

import pytest
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Team, User
from accounts.scope import visible_recruiters as user_visible_recruiters
from nps.models import Answer, FollowUp, Invitation, NpsSummary, Response, TopicSummary
from reporting import selectors as dashboard
from reporting.summaries import (
    NPS_METRICS,
    TOPIC_METRICS,
    queue_summary_refresh,
    summaries_rebuild,
    summaries_reconcile,
    summaries_refresh_changed,
)
from surveys.models import Dimension, SurveyVersionTopic
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
FIRST = TODAY - datetime.timedelta(days=500)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour=23, minute=30)))


@pytest.fixture
def world(organisation, recruiter, other_recruiter, team_lead, admin_user):
    """About 100 responses of two recruiters at three clients over 500 days, online and by phone
    (some calls without an NPS score), with topic answers, invitations and closed follow-ups."""
    rng = random.Random(20261201)
    survey = factories.make_default_survey(organisation=organisation, user=admin_user)
    version = survey.versions.get()
    topics = list(SurveyVersionTopic.objects.filter(version=version))
    clients = [factories.make_client(organisation=organisation, name=f"Klant {i}") for i in range(3)]
    contacts = [factories.make_contact(organisation=organisation, client=c) for c in clients]
    for _ in range(100):
        day = FIRST + datetime.timedelta(days=rng.randrange(501))
        who = rng.choice([recruiter, other_recruiter])
        k = rng.randrange(3)
        channel = rng.choice(["online", "online", "phone"])
        nps = None if channel == "phone" and rng.random() < 0.4 else rng.randrange(11)
        invitation = None
        if channel == "online":
            sent = day - datetime.timedelta(days=rng.randrange(4))
            invitation = Invitation.objects.create(
                organisation=organisation, contact=contacts[k], recruiter=who, survey_version=version,
                status="sent", send_after=_moment(sent), sent_at=_moment(sent), answered_at=_moment(day),
            )  # fmt: skip
        response = Response.objects.create(
            organisation=organisation, invitation=invitation, survey_version=version, channel=channel,
            recruiter=who, client=clients[k], contact=contacts[k], nps_score=nps,
            completed_at=_moment(day), completed_on=day,
        )  # fmt: skip
        Answer.objects.bulk_create(
            Answer(response=response, version_topic=vt, topic_id=vt.topic_id, score=rng.randint(1, 5))
            for vt in rng.sample(topics, rng.randint(0, len(topics)))
        )
        if nps is not None and nps <= 6:
            due = day + datetime.timedelta(days=2)
            closed = _moment(day + datetime.timedelta(days=rng.randrange(5))) if rng.random() < 0.8 else None
            FollowUp.objects.create(
                organisation=organisation, response=response, owner=who, due_date=due,
                status="done" if closed else "open", closed_at=closed,
            )  # fmt: skip
    # Invitations sent but not answered, in the same period.
    for _ in range(30):
        sent = FIRST + datetime.timedelta(days=rng.randrange(501))
        Invitation.objects.create(
            organisation=organisation, contact=contacts[rng.randrange(3)],
            recruiter=rng.choice([recruiter, other_recruiter]), survey_version=version,
            status="sent", send_after=_moment(sent), sent_at=_moment(sent),
        )  # fmt: skip
    summaries_rebuild()
    return {"users": [recruiter, other_recruiter, team_lead, admin_user], "clients": clients, "survey": survey}


def _raw(user, filters) -> dict:
    """The figures counted over the raw rows, as a team lead would count them by hand."""
    scope = Q(organisation_id=user.organisation_id, recruiter__in=user_visible_recruiters(user=user))
    if filters.recruiter:
        scope &= Q(recruiter_id=filters.recruiter)
    if filters.team:
        scope &= Q(recruiter__teams=filters.team)
    if filters.client:
        scope &= Q(client_id=filters.client)
    if filters.channel:
        scope &= Q(channel=filters.channel)
    # Open follow-ups are calls still to make, whenever the response came in.
    still_open = FollowUp.objects.filter(status__in=FollowUp.OPEN_STATUSES, response__in=Response.objects.filter(scope))
    scope &= Q(completed_on__gte=filters.start, completed_on__lte=filters.end)
    responses = list(Response.objects.filter(scope))
    scores = [r.nps_score for r in responses if r.nps_score is not None]
    answers = list(Answer.objects.filter(response__in=[r.pk for r in responses]).select_related("version_topic"))
    sent = [
        i
        for i in Invitation.objects.filter(
            organisation_id=user.organisation_id, recruiter__in=user_visible_recruiters(user=user)
        )
        if filters.start <= timezone.localdate(i.sent_at) <= filters.end
        and (not filters.recruiter or i.recruiter_id == filters.recruiter)
        and (not filters.team or i.recruiter.teams.filter(pk=filters.team).exists())
        and (not filters.client or i.contact.client_id == filters.client)
        and filters.channel in (None, "online")
    ]
    per_dimension = {}
    for a in answers:
        per_dimension.setdefault(a.version_topic.dimension, []).append(a.score)
    by_recruiter = {}
    for r in responses:
        if r.nps_score is not None:
            by_recruiter.setdefault(r.recruiter_id, []).append(r.nps_score)
    closed = FollowUp.objects.filter(response__in=[r.pk for r in responses], closed_at__isnull=False)
    return {
        "responses": len(scores),
        "promoters": sum(s >= 9 for s in scores),
        "detractors": sum(s <= 6 for s in scores),
        "dimensions": {d: round(sum(v) / len(v), 2) if (v := per_dimension.get(d)) else None for d in Dimension.values},
        "sent": len(sent),
        "answered": sum(i.answered_at is not None for i in sent),
        "recruiters": {k: (len(v), sum(s >= 9 for s in v)) for k, v in by_recruiter.items()},
        "on_time": sum(timezone.localdate(f.closed_at) <= f.due_date for f in closed),
        "open": still_open.count(),
        "open_by_recruiter": collections.Counter(still_open.values_list("response__recruiter_id", flat=True)),
        "overdue": still_open.filter(due_date__lt=timezone.localdate()).count(),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.integers(0, 500),
    length=st.integers(0, 400),
    who=st.integers(0, 3),
    client=st.sampled_from([None, 0, 1]),
    channel=st.sampled_from([None, "online", "phone"]),
    one_recruiter=st.booleans(),
    team=st.booleans(),
)
def test_every_period_filter_and_role_reads_what_the_raw_rows_give(
    world, start, length, who, client, channel, one_recruiter, team
):
    user = world["users"][who]
    first = FIRST + datetime.timedelta(days=start)
    filters = dashboard.Filters(
        start=first,
        end=first + datetime.timedelta(days=length),
        preset="custom",
        client=world["clients"][client].pk if client is not None else None,
        channel=channel,
        recruiter=world["users"][0].pk if one_recruiter else None,
        team=Team.objects.get().pk if team else None,
    )
    data = dashboard.dashboard_data(user=user, filters=filters)
    raw = _raw(user, filters)
    current = data["current"]
    assert (current["responses"], current["promoters"], current["detractors"]) == (
        raw["responses"],
        raw["promoters"],
        raw["detractors"],
    )
    assert {d["key"]: d["average"] for d in data["dimensions"]} == raw["dimensions"]
    assert (data["rate"]["sent"], data["rate"]["answered"]) == (raw["sent"], raw["answered"])
    assert data["followups"]["on_time"] == raw["on_time"]
    assert (data["followups"]["open"], data["followups"]["overdue"]) == (raw["open"], raw["overdue"])
    for row in data["recruiters"]:  # the table's column counts the same calls, per recruiter
        assert row.get("open_followups", 0) == raw["open_by_recruiter"].get(row["id"], 0)
    # Every open call has its row, even where the period holds no response: the column adds up.
    for table in ("recruiters", "clients"):
        assert sum(row.get("open_followups", 0) for row in data[table]) == raw["open"], table
    table = {r["id"]: (r["responses"], r["promoters"]) for r in data["recruiters"] if r["responses"]}
    assert table == raw["recruiters"]
    assert sum(m["responses"] for m in data["months"]) == raw["responses"]
    if user.role == User.Role.RECRUITER:
        assert set(table) <= {user.pk}


def _snapshot():
    nps = ["organisation_id", "grain", "period", "month", "recruiter_id", "client_id", "survey_version_id", "channel"]
    topic = ["organisation_id", "grain", "period", "month", "recruiter_id", "survey_version_id", "channel", "topic_id"]
    return (
        sorted(NpsSummary.objects.values_list(*nps, *NPS_METRICS), key=repr),
        sorted(TopicSummary.objects.values_list(*topic, "dimension", *TOPIC_METRICS), key=repr),
    )


def test_refreshing_bucket_by_bucket_ends_where_a_rebuild_ends(world):
    # Unanswered invitations have no response: the reconcile picks up what was sent lately.
    Invitation.objects.filter(response__isnull=True).update(sent_at=timezone.now())
    summaries_rebuild()
    expected = _snapshot()
    assert expected[0] and expected[1]
    NpsSummary.objects.all().delete()
    TopicSummary.objects.all().delete()
    summaries_reconcile()  # every response of the world changed lately
    assert _snapshot() == expected


def test_a_changed_score_moves_every_level(world):
    response = Response.objects.filter(nps_score=10, channel="online").first()
    Response.objects.filter(pk=response.pk).update(nps_score=0, updated_at=timezone.now())
    summaries_reconcile()
    refreshed = _snapshot()
    summaries_rebuild()
    assert _snapshot() == refreshed
    month = NpsSummary.objects.get(
        grain="month", client__isnull=True, period=response.completed_on.replace(day=1),
        recruiter=response.recruiter, channel="online",
    )  # fmt: skip
    assert month.detractors >= 1


def test_a_period_reads_whole_months_and_only_the_edge_days():
    span = dashboard.summary_span(datetime.date(2026, 1, 15), datetime.date(2026, 3, 10))
    assert span == (
        Q(grain="month", period__gte=datetime.date(2026, 2, 1), period__lt=datetime.date(2026, 3, 1))
        | Q(grain="day", period__gte=datetime.date(2026, 1, 15), period__lt=datetime.date(2026, 2, 1))
        | Q(grain="day", period__gte=datetime.date(2026, 3, 1), period__lte=datetime.date(2026, 3, 10))
    )
    inside = dashboard.summary_span(datetime.date(2026, 1, 5), datetime.date(2026, 2, 10))
    assert inside == Q(grain="day", period__gte=datetime.date(2026, 1, 5), period__lte=datetime.date(2026, 2, 10))


def test_closing_a_follow_up_reaches_the_summary(world, run_tasks, django_capture_on_commit_callbacks):
    from nps.services import followup_update

    followup = FollowUp.objects.filter(status="open").select_related("owner").first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        followup_update(followup=followup, user=followup.owner, status="done", outcome="Gebeld.")
    assert callbacks  # the refresh was queued
    refreshed = _snapshot()
    summaries_rebuild()
    assert _snapshot() == refreshed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        followup_update(followup=followup, user=followup.owner, outcome="Gebeld, verslag aangevuld.")
    assert not callbacks  # a note on a closed call changes no figure


@pytest.fixture
def queued(monkeypatch):
    """The refresh tasks queued, instead of sent to a broker."""
    from celery.app.task import Task

    sent = []
    monkeypatch.setattr(Task, "apply_async", lambda task, *args, **options: sent.append((task.name, options)))
    return sent


def _settled():
    """The world as it stands has been summarised: nothing in it changed lately."""
    summaries_rebuild()
    a_day_ago = timezone.now() - datetime.timedelta(days=1)
    Response.objects.update(updated_at=a_day_ago)
    FollowUp.objects.update(updated_at=a_day_ago)


def _change(response, nps_score):
    Response.objects.filter(pk=response.pk).update(nps_score=nps_score, updated_at=timezone.now())


def test_answers_in_a_burst_share_one_refresh_that_takes_in_all_of_them(world, queued):
    _settled()
    first, second = Response.objects.filter(nps_score__gte=9, channel="online")[:2]
    _change(first, 0)
    queue_summary_refresh()
    _change(second, 1)
    queue_summary_refresh()
    assert queued == [("reporting.summaries_refresh_changed", {"countdown": 5})]
    summaries_refresh_changed()
    refreshed = _snapshot()
    summaries_rebuild()
    assert _snapshot() == refreshed
    # Once the refresh has started, a new change queues the next one.
    _change(first, 10)
    queue_summary_refresh()
    assert len(queued) == 2


def test_a_refresh_that_could_not_be_queued_does_not_hold_back_the_next(world, monkeypatch):
    from celery.app.task import Task

    def broker_down(task, *args, **options):
        raise ConnectionError("broker down")

    monkeypatch.setattr(Task, "apply_async", broker_down)
    queue_summary_refresh()  # logged, not raised: the answer is stored and the reconcile catches up
    sent = []
    monkeypatch.setattr(Task, "apply_async", lambda task, *args, **options: sent.append(task.name))
    queue_summary_refresh()
    assert sent == ["reporting.summaries_refresh_changed"]


def test_a_refresh_whose_queue_mark_expired_still_looks_back_far_enough(world, queued):
    _settled()
    response = Response.objects.filter(nps_score__gte=9, channel="online").first()
    _change(response, 0)
    summaries_refresh_changed()  # no mark: the message outlived it, or the cache was emptied
    refreshed = _snapshot()
    summaries_rebuild()
    assert _snapshot() == refreshed
