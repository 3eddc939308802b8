import datetime
import re
from unittest import mock

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
    page = {"status": "open", "due_date": followup.due_date.isoformat()}
    data = page | {"version": version.pk} | {f"live_{vt.pk}": "2" for vt in version.topics.all()}
    recruiter_client.post(reverse("nps:followup_detail", args=[followup.pk]), data)
    followup.refresh_from_db()
    phone = followup.live_response
    assert phone.channel == "phone" and phone.answers.count() == 5
    assert Response.objects.count() == 2
    online = factories.make_survey(organisation=organisation, user=recruiter)
    data = page | {"version": online.versions.get().pk}
    response = recruiter_client.post(reverse("nps:followup_detail", args=[followup.pk]), data, follow=True)
    assert "live gesprekken" in response.content.decode()


def test_my_follow_ups_list_overdue_first(recruiter_client, followup, recruiter, invitation):
    FollowUp.objects.filter(pk=followup.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    page = recruiter_client.get(reverse("reporting:followup_list")).content.decode()
    assert "te laat" in page and invitation.contact.name in page


def test_other_recruiters_get_404_and_the_team_lead_sees_it(other_recruiter_client, team_lead_client, followup):
    assert other_recruiter_client.get(reverse("nps:followup_detail", args=[followup.pk])).status_code == 404
    assert other_recruiter_client.get(reverse("nps:response_detail", args=[followup.response_id])).status_code == 404
    assert team_lead_client.get(reverse("nps:followup_detail", args=[followup.pk])).status_code == 200
    page = team_lead_client.get(reverse("reporting:followup_list") + "?scope=team").content.decode()
    assert followup.response.contact.name in page


def test_the_dashboards_open_follow_ups_link_to_exactly_those_calls(
    team_lead, team_lead_client, recruiter, other_recruiter, organisation, survey
):
    from reporting.selectors import dashboard_data, parse_filters
    from tests.reporting.test_dashboard import _answer

    organisation.invitation_delay_days = organisation.quiet_period_days = 0
    organisation.save()
    factories.make_team(organisation=organisation, leads=[team_lead], members=[other_recruiter])
    for who in (recruiter, recruiter, other_recruiter):
        _answer(who, 2, 4)
    old = FollowUp.objects.filter(response__recruiter=recruiter).first()
    Response.objects.filter(followup=old).update(completed_on=timezone.localdate() - datetime.timedelta(days=800))

    params = {"period": "30d", "recruiter": str(recruiter.pk)}
    card = dashboard_data(user=team_lead, filters=parse_filters(params))["followups"]
    dashboard = team_lead_client.get(reverse("reporting:dashboard"), params).content.decode()
    link = re.search(r'href="(/follow-ups/\?scope=team[^"]*)"', dashboard).group(1).replace("&amp;", "&")
    listed = team_lead_client.get(link)
    rows = listed.context["rows"]
    assert card["open"] == len(rows) == 2  # the older call counts too: it is still to make
    assert {f.response.recruiter_id for f in rows} == {recruiter.pk}
    assert "Alleen de opvolgingen binnen de filters van het dashboard." in listed.content.decode()
    everyone = team_lead_client.get(reverse("reporting:followup_list"), {"scope": "team"}).context["rows"]
    assert len(everyone) == 3


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999", "", "１"])
def test_a_bad_dashboard_filter_on_the_follow_up_list_is_ignored(team_lead_client, followup, value):
    page = team_lead_client.get(
        reverse("reporting:followup_list"), {"scope": "team", "recruiter": value, "client": value}
    )
    assert page.status_code == 200
    assert followup.response.contact.name in page.content.decode()


def test_the_daily_job_reminds_owners_of_overdue_follow_ups_once_a_day(followup, recruiter):
    FollowUp.objects.filter(pk=followup.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    mail.outbox.clear()
    assert services.followups_remind_overdue() == 1
    assert services.followups_remind_overdue() == 0
    assert mail.outbox[0].to == [recruiter.email]


@pytest.fixture
def live_version(organisation, recruiter):
    survey = factories.make_survey(
        organisation=organisation, user=recruiter, kind="live", name="Live kort", topics=factories.standard_topics()[:3]
    )
    return survey.versions.get()


def test_notes_and_scores_on_the_call_are_saved_by_the_one_save_button(recruiter_client, followup, live_version):
    topics = list(live_version.topics.all())
    data = {
        "status": "open",
        "due_date": followup.due_date.isoformat(),
        "went_well": "Ruud van 't Hoff past goed in het team",
        "version": live_version.pk,
        f"live_{topics[0].pk}": "4",
    }
    response = recruiter_client.post(reverse("nps:followup_detail", args=[followup.pk]), data)
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.went_well == "Ruud van 't Hoff past goed in het team"
    assert dict(followup.live_response.answers.values_list("version_topic_id", "score")) == {topics[0].pk: 4}


def test_a_refused_score_keeps_every_typed_word_on_the_page_and_stores_nothing(
    recruiter_client, followup, live_version
):
    topics = list(live_version.topics.all())
    data = {
        "status": "done",
        "due_date": followup.due_date.isoformat(),
        "went_well": "Snelle start & d'Hondt tevreden",
        "could_be_better": "Terugkoppeling",
        "version": live_version.pk,
        f"live_{topics[0].pk}": "9",
        f"live_{topics[1].pk}": "2",
    }
    response = recruiter_client.post(reverse("nps:followup_detail", args=[followup.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies een score van 1 tot en met 5." in page
    assert "Snelle start &amp; d&#x27;Hondt tevreden</textarea>" in page
    assert "Terugkoppeling</textarea>" in page
    assert re.search(rf'name="live_{topics[1].pk}"[^>]*value="2" checked', page)
    followup.refresh_from_db()
    assert followup.went_well == "" and followup.status == "open" and followup.live_response is None


def test_invalid_notes_keep_the_chosen_scores_and_store_nothing(recruiter_client, followup, live_version):
    topic = live_version.topics.first()
    data = {
        "status": "open",
        "due_date": "not a date",
        "went_well": "Bewaard blijven",
        "version": live_version.pk,
        f"live_{topic.pk}": "3",
    }
    page = recruiter_client.post(reverse("nps:followup_detail", args=[followup.pk]), data).content.decode()
    assert re.search(rf'name="live_{topic.pk}"[^>]*value="3" checked', page)
    assert "Bewaard blijven</textarea>" in page
    followup.refresh_from_db()
    assert followup.live_response is None and followup.went_well == ""


def test_several_live_surveys_get_one_scoring_part_with_a_choice(
    recruiter_client, followup, live_version, organisation, recruiter
):
    topics = factories.standard_topics()[3:8]
    factories.make_survey(organisation=organisation, user=recruiter, kind="live", name="Live lang", topics=topics)
    page = recruiter_client.get(reverse("nps:followup_detail", args=[followup.pk])).content.decode()
    forms = re.findall(r"<form\b[^>]*>", page)
    assert [f for f in forms if "logout" not in f and "setlang" not in f] == [
        next(f for f in forms if 'id="followup-form"' in f)
    ]
    select = re.search(r'<select[^>]*name="version".*?</select>', page, re.DOTALL).group(0)
    assert select.count("<option") == 2
    assert '<label class="form-label small fw-semibold" for="live-version">' in page


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (datetime.date(2026, 4, 24), datetime.date(2026, 5, 4)),  # Friday; King's Day (Mon 27 April) skipped
        (datetime.date(2026, 12, 23), datetime.date(2026, 12, 31)),  # Christmas and Boxing Day skipped
        (datetime.date(2026, 5, 13), datetime.date(2026, 5, 21)),  # Ascension Day (Thu 14 May) skipped
        (datetime.date(2027, 5, 14), datetime.date(2027, 5, 24)),  # Whit Monday (17 May) skipped
    ],
)
def test_working_days_skip_dutch_public_holidays(start, due):
    assert services.add_working_days(start, 5) == due


def test_a_follow_up_opened_before_easter_is_due_after_the_holidays(invitation, recruiter):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2027, 3, 25)):
        services.response_save(invitation_id=invitation.pk, nps_score=2, answers={}, comment="", submit=True)
    # Thursday 25 March 2027: Good Friday (26th) and Easter Monday (29th) are public holidays, so five
    # working days end on Monday 5 April.
    assert FollowUp.objects.get().due_date == datetime.date(2027, 4, 5)
