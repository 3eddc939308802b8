"""The dashboard shows what a hand count of the raw scores gives, for each role and filter."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from nps import services
from nps.models import NpsSummary, Response
from placements.services import placement_close
from reporting.summaries import NPS_METRICS, summaries_rebuild
from surveys.models import SurveyVersionTopic
from tests import factories

pytestmark = pytest.mark.django_db

RECRUITER_SCORES = [10, 9, 7, 3, 0]  # 2 promoters, 1 passive, 2 detractors: NPS 0
OTHER_SCORES = [10, 10, 10, 9, 6, 8]  # 4 promoters, 1 passive, 1 detractor: NPS +50


def _answer(recruiter, nps, topic_score, client=None, **placement):
    organisation = recruiter.organisation
    contact = factories.make_contact(organisation=organisation, client=client) if client else None
    p = factories.make_placement(recruiter=recruiter, contact=contact, **placement)
    placement_close(placement=p)
    invitation = p.invitation_link.invitation
    invitation.send_after = timezone.now()
    invitation.save()
    services.invitation_send(invitation_id=invitation.pk)
    topics = SurveyVersionTopic.objects.filter(version=invitation.survey_version)
    return services.response_save(
        invitation_id=invitation.pk,
        nps_score=nps,
        comment="",
        answers={vt.pk: (vt.topic_id, topic_score) for vt in topics},
        submit=True,
    )


@pytest.fixture
def scores(organisation, recruiter, other_recruiter, team_lead, run_tasks, django_capture_on_commit_callbacks):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    organisation.invitation_delay_days = 0
    organisation.quiet_period_days = 0
    organisation.save()
    acme = factories.make_client(organisation=organisation, name="Acme")
    with django_capture_on_commit_callbacks(execute=True):
        for i, nps in enumerate(RECRUITER_SCORES):
            _answer(recruiter, nps, 4 if i else 2, client=acme if i < 2 else None)
        for nps in OTHER_SCORES:
            _answer(other_recruiter, nps, 5)
    return acme


def _data(client, query=""):
    response = client.get(reverse("reporting:dashboard") + query)
    assert response.status_code == 200
    return response.context["data"]


def test_the_summary_equals_a_rebuild_from_raw_rows(scores):
    fields = ["grain", "period", "recruiter_id", "client_id", "survey_version_id", "channel", *NPS_METRICS]
    before = sorted(NpsSummary.objects.values_list(*fields), key=repr)
    summaries_rebuild()
    after = sorted(NpsSummary.objects.values_list(*fields), key=repr)
    assert before == after
    per_client_days = NpsSummary.objects.filter(grain="day", client__isnull=False)
    assert sum(per_client_days.values_list("responses", flat=True)) == 11
    assert sum(per_client_days.values_list("sent", flat=True)) == 11


def test_a_recruiter_sees_only_their_own_figures(recruiter_client, scores):
    data = _data(recruiter_client)
    assert (data["current"]["nps"], data["current"]["responses"]) == (0, 5)
    assert [r["name"] for r in data["recruiters"]] == ["Sanne de Vries"]


def test_another_recruiter_sees_theirs(other_recruiter_client, scores):
    assert _data(other_recruiter_client)["current"]["nps"] == 50


def test_a_team_lead_sees_the_team_only(team_lead_client, scores):
    data = _data(team_lead_client)
    assert (data["current"]["nps"], data["current"]["responses"]) == (0, 5)
    assert data["current"]["promoters"] == 2 and data["current"]["detractors"] == 2


def test_an_administrator_sees_everything(admin_client, scores):
    data = _data(admin_client)
    # 6 promoters, 2 passives, 3 detractors of 11: (6 - 3) / 11 = 27.3 -> 27
    assert (data["current"]["nps"], data["current"]["responses"]) == (27, 11)
    ranked = [(r["name"], r.get("rank")) for r in data["recruiters"]]
    assert ranked == [("Daan Bakker", 1), ("Sanne de Vries", 2)]


def test_the_client_filter_and_groups_under_five_are_not_ranked(admin_client, scores):
    data = _data(admin_client, f"?client={scores.pk}")
    assert (data["current"]["nps"], data["current"]["responses"]) == (100, 2)
    acme = next(r for r in _data(admin_client)["clients"] if r["name"] == "Acme")
    assert acme["small"] and "rank" not in acme


def test_topic_and_dimension_averages(admin_client, scores):
    data = _data(admin_client)
    # Sanne: one response at 2, four at 4; Daan: six at 5 -> (2 + 16 + 30) / 11
    expected = round((2 + 4 * 4 + 6 * 5) / 11, 2)
    assert {t["average"] for t in data["topics"]} == {expected}
    assert data["dimensions"][0]["average"] == expected


def test_the_period_filter_and_the_change_against_the_previous_period(admin_client, scores):
    old = Response.objects.filter(nps_score=0).get()
    last_month = timezone.localdate() - datetime.timedelta(days=40)
    Response.objects.filter(pk=old.pk).update(completed_on=last_month)
    summaries_rebuild()
    data = _data(admin_client, "?period=30d")
    assert data["current"]["responses"] == 10
    # Now: 6P 2Pa 2D of 10 = +40; previous 30 days: the single 0 -> -100
    assert data["current"]["nps"] == 40 and data["previous"]["nps"] == -100 and data["change"] == 140


def test_a_channel_filter_separates_phone_responses(admin_client, scores):
    assert _data(admin_client, "?channel=phone")["current"]["responses"] == 0


def test_a_bad_custom_period_gets_a_message(admin_client, scores):
    response = admin_client.get(reverse("reporting:dashboard") + "?period=custom&from=2026-13-01&to=x")
    assert "Kies een geldige periode" in response.content.decode()


def test_the_responses_behind_a_figure(team_lead_client, scores):
    page = team_lead_client.get(reverse("reporting:response_list") + "?category=detractors")
    assert page.context["page"].paginator.count == 2


def test_the_csv_export_has_one_row_per_response_and_neutralised_formulas(admin_client, scores):
    Response.objects.filter(nps_score=10).update(comment='=HYPERLINK("http://x","y")')
    response = admin_client.get(reverse("reporting:export_csv"))
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 12
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_xlsx_export_scopes_to_the_role(team_lead_client, scores):
    response = team_lead_client.get(reverse("reporting:export_xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row == 6


def test_anonymous_users_cannot_see_the_dashboard(client):
    assert client.get(reverse("reporting:dashboard")).status_code == 302
    assert client.get(reverse("reporting:export_csv")).status_code == 302


def test_the_dashboard_query_count_does_not_grow_with_the_data(admin_client, scores, django_assert_max_num_queries):
    admin_client.get(reverse("reporting:dashboard"))  # the login's session bookkeeping writes once a minute, not here
    with django_assert_max_num_queries(25):
        admin_client.get(reverse("reporting:dashboard"))


def test_the_weekly_digest_goes_once_to_each_team_lead(scores, team_lead):
    from django.core import mail

    from reporting import digest

    mail.outbox.clear()
    today = timezone.localdate() + datetime.timedelta(days=1)
    assert digest.digest_send(user=team_lead, today=today)
    assert not digest.digest_send(user=team_lead, today=today)
    message = mail.outbox[-1]
    assert message.to == [team_lead.email]
    assert "Klant-NPS deze week" in message.body and "Nieuwe criticasters: 2" in message.body
    assert "/dashboard/?" in message.body


def test_the_digest_is_on_the_beat_schedule_monday_at_eight():
    from evalportal.celery import app

    entry = app.conf.beat_schedule["digest-weekly"]
    assert entry["task"] == "reporting.digest_weekly"
    schedule = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {0} and schedule.day_of_week == {1}
    assert app.conf.timezone == "Europe/Amsterdam"


def test_the_group_tables_show_the_largest_groups_and_say_there_are_more(admin_client, scores, monkeypatch):
    from reporting import selectors as dashboard

    monkeypatch.setattr(dashboard, "MAX_GROUP_ROWS", 1)
    response = admin_client.get(reverse("reporting:dashboard"))
    data = response.context["data"]
    assert len(data["clients"]) == 1 and data["more_clients"]
    assert len(data["recruiters"]) == 1 and data["more_recruiters"]
    page = response.content.decode()
    assert "De 1 klanten met de meeste antwoorden" in page
