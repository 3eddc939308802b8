"""Check-ins with the placed candidate until the probation ends: the schedule, the outbox, the page, early
warnings, confidentiality, the outcome, and bad input."""

import datetime
import re
import zoneinfo
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from checkins import schedule, services
from checkins.models import CandidateFollowUp, CheckIn
from nps.services import privacy
from outreach.models import OutboxStatus
from placements.models import Placement
from placements.services import placement_record_outcome, placement_update
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
DEFAULT = schedule.Settings()


def at(day: datetime.date, hour=9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMS)


def _plan(time_machine, day: datetime.date, hour=9) -> dict:
    """The daily job, run on that day (the clock moves there and stays)."""
    time_machine.move_to(at(day, hour), tick=False)
    return services.checkins_plan()


# -- the schedule ------------------------------------------------------------------------------------------


def test_a_permanent_contract_gets_three_check_ins():
    # Monday 1 March 2027, two months of probation until 30 April.
    assert schedule.planned(D(2027, 3, 1), D(2027, 4, 30), DEFAULT) == (
        ("first_week", D(2027, 3, 4)),  # 3 working days after the start
        ("halfway", D(2027, 3, 31)),
        ("before_end", D(2027, 4, 20)),  # 10 days before the end, a working day
    )


def test_the_last_one_moves_to_a_working_day_and_stays_7_to_10_days_before_the_end():
    for end in [D(2027, 5, 31) + datetime.timedelta(days=n) for n in range(14)]:
        _stage, day = schedule.planned(D(2027, 4, 1), end, DEFAULT)[-1]
        assert 7 <= (end - day).days <= 10, (end, day)
        assert day.weekday() < 5


def test_no_probation_means_only_the_first_week_and_the_organisation_may_change_it():
    assert schedule.planned(D(2027, 3, 1), None, DEFAULT) == (("first_week", D(2027, 3, 4)),)
    own = schedule.Settings(first_working_days=5, halfway=False, days_before_end=14)
    assert schedule.planned(D(2027, 3, 1), D(2027, 4, 30), own) == (
        ("first_week", D(2027, 3, 8)),
        ("before_end", D(2027, 4, 16)),
    )


def test_a_stage_is_due_from_its_day_until_the_next_one():
    start, end = D(2027, 3, 1), D(2027, 4, 30)
    assert schedule.due(start, end, DEFAULT, D(2027, 3, 3)) is None
    assert schedule.due(start, end, DEFAULT, D(2027, 3, 4)) == ("first_week", D(2027, 3, 4))
    assert schedule.due(start, end, DEFAULT, D(2027, 3, 30)) == ("first_week", D(2027, 3, 4))
    assert schedule.due(start, end, DEFAULT, D(2027, 4, 29)) == ("before_end", D(2027, 4, 20))
    assert schedule.due(start, end, DEFAULT, D(2027, 4, 30)) is None


# -- the daily job and the outbox --------------------------------------------------------------------------


@pytest.fixture
def placement(recruiter):
    return factories.make_placement(
        recruiter=recruiter,
        candidate_name="Ruud van 't Hoff",
        candidate_email="ruud@example.nl",
        candidate_phone="06 12345678",
        contract_type="permanent",
        start_date=D(2027, 3, 1),
        probation_end_date=D(2027, 4, 30),
        status="closed",
        closed_at=timezone.now(),
    )


def test_the_daily_job_makes_the_check_in_of_the_day_once(placement, time_machine):
    assert _plan(time_machine, D(2027, 3, 3))["created"] == 0
    assert _plan(time_machine, D(2027, 3, 4))["created"] == 1
    assert _plan(time_machine, D(2027, 3, 4), 15)["created"] == 0
    checkin = CheckIn.objects.get()
    assert (checkin.stage, checkin.planned_on, checkin.language, checkin.recruiter) == (
        "first_week",
        D(2027, 3, 4),
        "nl",
        placement.recruiter,
    )


def test_a_start_date_that_moves_moves_the_check_ins(placement, time_machine):
    placement_update(placement=placement, start_date=D(2027, 3, 15), probation_end_date=None)
    placement.refresh_from_db()
    assert placement.probation_end_date == D(2027, 5, 14)  # the legal maximum moved along
    assert _plan(time_machine, D(2027, 3, 4))["created"] == 0
    assert _plan(time_machine, D(2027, 3, 18))["created"] == 1


def test_none_on_a_weekend_and_none_for_who_left_opted_out_or_has_no_address(placement, recruiter, time_machine):
    assert _plan(time_machine, D(2027, 3, 6))["created"] == 0  # Saturday
    factories.make_placement(recruiter=recruiter, start_date=D(2027, 3, 1), candidate_email="")
    factories.make_placement(
        recruiter=recruiter,
        start_date=D(2027, 3, 1),
        candidate_email="a@example.nl",
        candidate_opted_out_at=timezone.now(),
    )
    placement_record_outcome(
        placement=placement, outcome="left", left_on=D(2027, 3, 3), ended_by="candidate", reason="other_job"
    )
    assert _plan(time_machine, D(2027, 3, 8))["created"] == 0


def _send(checkin) -> str:
    services.CHECKINS.send(checkin.pk)
    return re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[-1].body).group(1)


def test_the_check_in_email_is_personal_plain_and_confidential(placement, time_machine):
    _plan(time_machine, D(2027, 3, 4))
    with mock.patch("checkins.tasks.checkin_send.delay") as delay:
        assert services.CHECKINS.sweep(backlog=False)["sends"] == 1
    delay.assert_called_once()
    _send(CheckIn.objects.get())
    email = mail.outbox[-1]
    assert email.to == ["ruud@example.nl"]
    assert email.subject == f"Hoe gaat het bij {placement.client.name}?"
    assert "Hoi Ruud," in email.body
    assert "en nooit naar" in email.body  # the employer never sees the answers
    assert "&#x27;" not in email.subject + email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.CHECKINS.send(CheckIn.objects.get().pk) == "not-claimed"  # never twice
    assert CheckIn.objects.get().status == "sent"


def test_one_reminder_and_a_formal_tone_when_the_organisation_chooses_it(placement, time_machine):
    placement.organisation.candidate_tone = "formal"
    placement.organisation.save()
    _plan(time_machine, D(2027, 3, 4))
    checkin = CheckIn.objects.get()
    _send(checkin)
    assert "Beste Ruud," in mail.outbox[-1].body
    assert "Uw antwoorden" in mail.outbox[-1].body
    CheckIn.objects.filter(pk=checkin.pk).update(sent_at=timezone.now() - datetime.timedelta(days=3))
    assert services.CHECKINS.remind(checkin.pk) == "reminded"
    CheckIn.objects.filter(pk=checkin.pk).update(last_reminded_at=timezone.now() - datetime.timedelta(days=3))
    assert services.CHECKINS.remind(checkin.pk) == "not-claimed"  # one reminder each
    assert len(mail.outbox) == 2


# -- the page ----------------------------------------------------------------------------------------------


@pytest.fixture
def opened(placement, client, time_machine):
    _plan(time_machine, D(2027, 3, 4))
    checkin = CheckIn.objects.get()
    token = _send(checkin)
    landing = client.get(f"/s/{token}/?score=2")
    assert landing.status_code == 302
    assert token not in landing["Location"]
    return checkin, landing["Location"], token


def test_the_page_says_who_reads_the_answers_before_the_first_question(opened, client, django_assert_max_num_queries):
    checkin, url, _token = opened
    with django_assert_max_num_queries(5):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index('id="confidential"') < html.index('name="how_going"')
    assert "Je antwoorden gaan naar" in html and "nooit naar" in html
    assert 'id="how_going-2" value="2" checked' in html  # the click in the email, not stored by the GET
    checkin.refresh_from_db()
    assert checkin.answered_at is None


def test_a_low_answer_opens_a_follow_up_before_the_probation_ends(
    opened, client, django_assert_max_num_queries, django_capture_on_commit_callbacks, run_tasks
):
    checkin, url, _token = opened
    data = {
        "how_going": "4",
        "exp_workload": "1",
        "candidate_nps": "8",
        "message": "Werkdruk is hoog",
        "call_requested": "1",
    }
    with django_assert_max_num_queries(10), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    followup = CandidateFollowUp.objects.get()
    assert (followup.low_how_going, followup.low_expectations, followup.call_requested) == (
        False,
        ["exp_workload"],
        True,
    )
    assert followup.due_date < checkin.placement.probation_end_date
    alert = mail.outbox[-1]
    assert alert.to == [checkin.recruiter.email]
    assert "Ruud van 't Hoff" in alert.subject
    thanks = client.get(response["Location"]).content.decode()
    assert "belt je" in thanks


def test_a_low_answer_without_call_me_is_promised_the_call_it_opened(opened, client):
    _checkin, url, _token = opened
    thanks = client.get(client.post(url, {"how_going": "2"})["Location"]).content.decode()
    assert "belt je uiterlijk" in thanks


def test_a_good_answer_is_thanked_without_a_call(opened, client):
    _checkin, url, _token = opened
    thanks = client.get(client.post(url, {"how_going": "4"})["Location"]).content.decode()
    assert "leest je antwoorden" in thanks and "belt je" not in thanks


def test_bad_input_keeps_what_was_typed_and_stores_nothing(opened, client):
    checkin, url, _token = opened
    response = client.post(url, {"how_going": "9", "message": "Het team is fijn", "exp_team": "4"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Het team is fijn" in html
    assert 'id="exp_team-4" value="4" checked' in html
    assert client.post(url, {"message": "x"}).status_code == 400  # "how is it going" is needed
    checkin.refresh_from_db()
    assert checkin.answered_at is None and not CandidateFollowUp.objects.exists()


def test_a_link_after_the_placement_ended_says_so_and_stores_nothing(opened, client):
    checkin, url, _token = opened
    placement_record_outcome(
        placement=checkin.placement, outcome="left", left_on=D(2027, 3, 5), ended_by="employer", reason="performance"
    )
    assert client.get(url).status_code == 410
    response = client.post(url, {"how_going": "1"})
    assert response.status_code == 410
    assert "gesloten" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.answered_at is None and checkin.how_going is None


def test_one_click_unsubscribe_stops_the_check_ins(opened, client, time_machine):
    checkin, _url, token = opened
    assert client.post(f"/s/{token}/unsubscribe/").status_code == 200
    checkin.placement.refresh_from_db()
    assert checkin.placement.candidate_opted_out_at is not None
    assert _plan(time_machine, D(2027, 3, 31))["created"] == 0


# -- confidentiality -------------------------------------------------------------------------------------


def test_only_the_recruiter_and_administrators_read_the_answers(
    opened, client, recruiter_client, team_lead_client, admin_client, other_recruiter_client
):
    checkin, url, _token = opened
    client.post(url, {"how_going": "1", "message": "Ik overweeg te stoppen"})
    followup = CandidateFollowUp.objects.get()
    page = reverse("checkins:followup_detail", args=[followup.pk])
    assert recruiter_client.get(page).status_code == 200
    assert admin_client.get(page).status_code == 200
    assert team_lead_client.get(page).status_code == 404
    assert other_recruiter_client.get(page).status_code == 404
    placement_page = reverse("placements:placement_detail", args=[checkin.placement_id])
    assert "Ik overweeg te stoppen" in recruiter_client.get(placement_page).content.decode()
    lead_view = team_lead_client.get(placement_page).content.decode()
    assert "Ik overweeg te stoppen" not in lead_view
    assert "beantwoord" in lead_view  # the status, not the answers


def test_the_follow_up_records_consent_before_anything_goes_to_the_client(opened, client, recruiter_client):
    checkin, url, _token = opened
    client.post(url, {"how_going": "2"})
    followup = CandidateFollowUp.objects.get()
    page = reverse("checkins:followup_detail", args=[followup.pk])
    data = {"situation": "Te weinig inwerken", "what_would_help": "Een buddy", "consent": "yes", "status": "open"}
    refused = recruiter_client.post(page, data)
    assert refused.status_code == 400
    assert "Te weinig inwerken" in refused.content.decode()
    followup.refresh_from_db()
    assert followup.consent == "not_asked" and followup.situation == ""
    done = data | {"client_may_know": "Graag een vaste buddy in de eerste maand.", "status": "done"}
    assert recruiter_client.post(page, done).status_code == 302
    followup.refresh_from_db()
    assert followup.consent == "yes" and followup.consent_recorded_at and followup.closed_at


# -- silence, the outcome, privacy -------------------------------------------------------------------------


def test_no_answer_to_the_last_check_in_opens_a_follow_up(placement, django_capture_on_commit_callbacks, time_machine):
    _plan(time_machine, D(2027, 4, 20))
    checkin = CheckIn.objects.get(stage="before_end")
    _send(checkin)
    checkin.refresh_from_db()
    assert checkin.expires_at <= at(D(2027, 4, 28), 23).replace(minute=59)
    with django_capture_on_commit_callbacks(execute=True):
        assert _plan(time_machine, D(2027, 4, 26))["no_answer"] == 1
    followup = CandidateFollowUp.objects.get()
    assert followup.no_answer and followup.due_date < D(2027, 4, 30)
    assert _plan(time_machine, D(2027, 4, 27))["no_answer"] == 0


def test_leaving_stops_the_check_ins_and_a_missing_outcome_is_asked_for_the_day_after(placement, time_machine):
    _plan(time_machine, D(2027, 3, 4))
    placement_record_outcome(placement=placement, outcome="left", left_on=D(2027, 3, 4), ended_by="both", reason="role")
    assert CheckIn.objects.get().status == OutboxStatus.CANCELLED
    other = factories.make_placement(
        recruiter=placement.recruiter, start_date=D(2027, 3, 1), probation_end_date=D(2027, 4, 30)
    )
    assert _plan(time_machine, D(2027, 4, 30))["outcome_asked"] == 0
    assert _plan(time_machine, D(2027, 5, 1))["outcome_asked"] == 1
    assert other.candidate_name in mail.outbox[-1].body
    assert _plan(time_machine, D(2027, 5, 2))["outcome_asked"] == 0


def test_the_candidate_is_in_the_export_and_the_erasure(opened, client, organisation):
    checkin, url, _token = opened
    client.post(url, {"how_going": "1", "message": "Bel me op 06 12345678"})
    data = privacy.personal_data_export(organisation=organisation, email="ruud@example.nl")
    assert data["placements_as_candidate"][0]["phone"] == "06 12345678"
    assert data["check_ins"][0]["for_the_recruiter"] == "Bel me op 06 12345678"
    counts = privacy.personal_data_erase(organisation=organisation, email="ruud@example.nl")
    assert counts["candidate_placements"] == 1 and counts["check_in_messages"] == 1
    checkin.refresh_from_db()
    checkin.placement.refresh_from_db()
    assert (checkin.placement.candidate_email, checkin.placement.candidate_phone, checkin.message) == ("", "", "")
    assert checkin.how_going == 1  # the scores stay
    assert client.get(url).status_code == 410  # and the check-in is closed


def test_the_daily_job_costs_the_same_queries_for_few_or_many_placements(recruiter, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(count: int) -> int:
        CheckIn.objects.all().delete()
        for _ in range(count - Placement.objects.count()):
            factories.make_placement(
                recruiter=recruiter,
                candidate_email="c@example.nl",
                start_date=D(2027, 3, 1),
                probation_end_date=D(2027, 4, 30),
            )
        time_machine.move_to(at(D(2027, 3, 4)), tick=False)
        with CaptureQueriesContext(connection) as queries:
            assert services.checkins_plan()["created"] == count
        return len(queries)

    assert run(3) == run(40)


def test_retention_takes_the_candidate_and_the_check_in_words_after_the_period(opened, client, organisation):
    checkin, url, _token = opened
    client.post(url, {"how_going": "2", "message": "Lastig begin"})
    CandidateFollowUp.objects.update(situation="Gesprek gevoerd")
    assert privacy.personal_data_retain()["candidates"] == 0  # in probation, and answered recently
    later = timezone.now() + datetime.timedelta(days=800)
    assert privacy.personal_data_retain(now=later)["candidates"] == 1
    checkin.refresh_from_db()
    placement = checkin.placement
    placement.refresh_from_db()
    assert (placement.candidate_name, placement.candidate_email, placement.candidate_phone) == (
        "Geanonimiseerd",
        "",
        "",
    )
    assert checkin.message == "" and CandidateFollowUp.objects.get().situation == ""
    assert checkin.how_going == 2


def test_nothing_of_a_check_in_reaches_the_clients_exports(opened, client, recruiter_client):
    checkin, url, _token = opened
    client.post(url, {"how_going": "1", "message": "Mijn leidinggevende is onaardig", "candidate_nps": "0"})
    export = recruiter_client.get(reverse("reporting:export_csv")).getvalue().decode()
    assert "onaardig" not in export and "Ruud van 't Hoff" not in export


def test_the_candidate_reads_it_in_their_own_language(placement, time_machine, client):
    placement.candidate_language = "en"
    placement.save()
    _plan(time_machine, D(2027, 3, 4))
    token = _send(CheckIn.objects.get())
    email = mail.outbox[-1]
    assert email.subject == f"How is it going at {placement.client.name}?"
    assert "Your answers go to" in email.body
    page = client.get(client.get(f"/s/{token}/")["Location"]).content.decode()
    assert '<html lang="en">' in page and "Would you recommend" in page


def test_the_organisations_own_schedule_is_what_the_daily_job_follows(placement, time_machine):
    organisation = placement.organisation
    organisation.checkin_first_working_days = 5
    organisation.checkin_halfway = False
    organisation.save()
    assert _plan(time_machine, D(2027, 3, 4))["created"] == 0  # not on the default third working day
    assert _plan(time_machine, D(2027, 3, 8))["created"] == 1
    assert _plan(time_machine, D(2027, 3, 31))["created"] == 0  # no halfway check-in
    assert list(CheckIn.objects.values_list("stage", flat=True)) == ["first_week"]


def test_a_call_me_on_a_later_answer_reopens_the_call_and_alerts_again(
    opened, client, run_tasks, django_capture_on_commit_callbacks
):
    checkin, url, _token = opened
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"how_going": "2"})
    followup = CandidateFollowUp.objects.get()
    CandidateFollowUp.objects.filter(pk=followup.pk).update(status="done", closed_at=timezone.now())
    alerts = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"how_going": "2", "call_requested": "1"})
    followup.refresh_from_db()
    assert (followup.status, followup.call_requested, followup.closed_at) == ("open", True, None)
    assert len(mail.outbox) == alerts + 1 and mail.outbox[-1].to == [checkin.recruiter.email]
