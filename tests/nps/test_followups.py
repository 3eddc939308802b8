import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from nps import services
from nps.models import FollowUp, Response
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(invitation):
    services.response_save(invitation_id=invitation.pk, nps_score=3, answers={}, comment="Traag", submit=True)
    return FollowUp.objects.get()


def test_working_days_skip_the_weekend():
    friday = datetime.date(2026, 11, 20)
    assert services.add_working_days(friday, 5) == datetime.date(2026, 11, 27)


def test_the_follow_up_page_shows_the_answers_and_the_three_questions(recruiter_client, followup):
    page = recruiter_client.get(reverse("nps:followup_detail", args=[followup.pk])).content.decode()
    for text in (
        "Wat ging goed?",
        "Wat had beter gekund?",
        "Wat verwacht u de volgende keer?",
        "Traag",
        "Snellere terugkoppeling",
        "Duidelijkere briefing",
    ):
        assert text in page


def test_the_recruiter_records_the_call_with_what_they_needed_from_the_client(
    recruiter_client, followup, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(
            reverse("nps:followup_detail", args=[followup.pk]),
            {
                "status": "done",
                "due_date": followup.due_date.isoformat(),
                "went_well": "Snelle start",
                "could_be_better": "Terugkoppeling",
                "expectations": "Wekelijks contact",
                "client_needs": ["faster_feedback", "other"],
                "client_needs_note": "Vaste belafspraak",
                "outcome": "Afspraken gemaakt",
                "send_closing_email": "on",
                "closing_note": "Tot snel!",
            },
        )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == "done" and followup.closed_at
    assert followup.client_needs == ["faster_feedback", "other"]
    closing = [m for m in mail.outbox if "Bedankt voor uw tijd" in m.subject]
    assert len(closing) == 1 and "Tot snel!" in closing[0].body


def test_other_needs_a_note(recruiter_client, followup):
    response = recruiter_client.post(
        reverse("nps:followup_detail", args=[followup.pk]),
        {"status": "open", "due_date": followup.due_date.isoformat(), "client_needs": ["other"]},
    )
    assert response.status_code == 200
    assert "Beschrijf wat u verder nodig had." in response.content.decode()


def test_an_unknown_need_is_refused(recruiter_client, followup):
    response = recruiter_client.post(
        reverse("nps:followup_detail", args=[followup.pk]),
        {"status": "open", "due_date": followup.due_date.isoformat(), "client_needs": ["money"]},
    )
    assert response.status_code == 200
    followup.refresh_from_db()
    assert followup.client_needs == []


def test_live_scores_are_stored_as_a_phone_response_and_limited_to_five(
    recruiter_client, followup, organisation, recruiter
):
    live = factories.make_survey(
        organisation=organisation, user=recruiter, kind="live", topics=factories.standard_topics()[:5]
    )
    version = live.versions.get()
    data = {"version": version.pk} | {f"live_{vt.pk}": "2" for vt in version.topics.all()}
    recruiter_client.post(reverse("nps:followup_live_scores", args=[followup.pk]), data)
    followup.refresh_from_db()
    phone = followup.live_response
    assert phone.channel == "phone" and phone.answers.count() == 5
    assert Response.objects.count() == 2
    online = factories.make_survey(organisation=organisation, user=recruiter)
    data = {"version": online.versions.get().pk}
    response = recruiter_client.post(reverse("nps:followup_live_scores", args=[followup.pk]), data, follow=True)
    assert "live gesprekken" in response.content.decode()


def test_my_follow_ups_list_overdue_first(recruiter_client, followup, recruiter, invitation):
    FollowUp.objects.filter(pk=followup.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    page = recruiter_client.get(reverse("nps:followup_list")).content.decode()
    assert "te laat" in page and invitation.contact.name in page


def test_other_recruiters_get_404_and_the_team_lead_sees_it(other_recruiter_client, team_lead_client, followup):
    assert other_recruiter_client.get(reverse("nps:followup_detail", args=[followup.pk])).status_code == 404
    assert other_recruiter_client.get(reverse("nps:response_detail", args=[followup.response_id])).status_code == 404
    assert team_lead_client.get(reverse("nps:followup_detail", args=[followup.pk])).status_code == 200
    page = team_lead_client.get(reverse("nps:followup_list") + "?scope=team").content.decode()
    assert followup.response.contact.name in page


def test_the_daily_job_reminds_owners_of_overdue_follow_ups_once_a_day(followup, recruiter):
    FollowUp.objects.filter(pk=followup.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    mail.outbox.clear()
    assert services.followups_remind_overdue() == 1
    assert services.followups_remind_overdue() == 0
    assert mail.outbox[0].to == [recruiter.email]
