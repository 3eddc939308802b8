"""Exit feedback as a recruiter, a leaver on a phone and a team lead use it: the link and the page, the exit
conversation entered by the recruiter, who reads what, acting on a pattern, the quarterly report, the
recruiter's own learning, and the leaver's personal data."""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from exits import patterns, services
from exits.models import ExitFeedback, ExitInvitation, ExitTheme, PatternCell, RecruitmentChange, SelectionReflection
from nps.services import privacy
from outreach.models import OutboxStatus
from placements.services import placement_record_outcome
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(recruiter, organisation, django_capture_on_commit_callbacks):
    organisation.name = "Bureau d'Hondt"
    organisation.save()
    contact = factories.make_contact(organisation=organisation)
    contact.client.name = "Van 't Hoff & Zn"
    contact.client.save()
    return factories.make_exit_invitation(
        recruiter=recruiter, captured=django_capture_on_commit_callbacks, contact=contact
    )


def _open(invitation_email) -> Client:
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", invitation_email.body).group(1)
    leaver = Client()
    assert leaver.get(reverse("outreach:token_entry", args=[token])).status_code == 302
    return leaver


ANSWERS = {
    "vacancy_score": "2",
    "vacancy_themes": ["vacancy_tasks"],
    "vacancy_text": "Meer administratie dan in de vacature stond",
    "workload_score": "1",
    "workload_themes": ["workload_peaks", "workload_overtime"],
    "employer_nps": "4",
}


def test_the_email_comes_from_the_recruiter_and_escapes_for_its_medium(sent):
    message = mail.outbox[-1]
    assert message.to == ["ruud.leaver@example.nl"]
    assert message.subject == "Bureau d'Hondt: een paar vragen over je tijd bij Van 't Hoff & Zn"
    html = message.alternatives[0][0]
    assert "Van &#x27;t Hoff &amp; Zn" in html and "Van 't Hoff & Zn" not in html
    assert "niet naar Van 't Hoff & Zn" in message.body  # the text part: plain text
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Sanne de Vries" in message.from_email


def test_the_leaver_answers_on_one_page_that_says_who_reads_what(sent):
    leaver = _open(mail.outbox[-1])
    url = reverse("exits:answer", args=[sent.pk])
    page = leaver.get(url).content.decode()
    assert page.index('id="confidential"') < page.index('id="q-vacancy"')
    assert "niet naar Van &#x27;t Hoff &amp; Zn" in page
    assert "Alleen Sanne de Vries, je recruiter, en de beheerders van Bureau d&#x27;Hondt lezen" in page
    assert "minstens drie vertrekkers" in page
    assert not ExitFeedback.objects.exists()  # a GET stores nothing: mail scanners follow links
    sent.refresh_from_db()
    assert sent.opened_at is None

    bad = dict(ANSWERS, employer_nps="11", skills_themes=["vacancy_tasks"])
    refused = leaver.post(url, bad)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Kies een waarde van 0 tot en met 10." in body
    assert "vacancy_tasks is geen thema van deze vraag." in body
    assert "Meer administratie dan in de vacature stond" in body  # what was typed survives
    assert 'value="workload_peaks" id="workload-workload_peaks" checked' in body
    assert not ExitFeedback.objects.exists()

    assert leaver.post(url, {}).status_code == 400  # nothing answered at all

    done = leaver.post(url, ANSWERS)
    assert done.status_code == 302 and done["Location"].endswith("/thanks/")
    feedback = ExitFeedback.objects.get()
    assert (feedback.source, feedback.vacancy_score, feedback.employer_nps, feedback.quarter) == ("link", 2, 4, 20264)
    assert sorted(ExitTheme.objects.values_list("theme", flat=True)) == [
        "vacancy_tasks",
        "workload_overtime",
        "workload_peaks",
    ]
    assert feedback.job_family == "techniek"
    assert "Bedankt voor je antwoorden" in leaver.get(done["Location"]).content.decode()
    sent.refresh_from_db()
    assert sent.answered_at is not None


def test_a_link_not_opened_in_this_browser_shows_nothing(sent):
    stranger = Client()
    assert stranger.get(reverse("exits:answer", args=[sent.pk])).status_code == 404
    assert stranger.post(reverse("exits:answer", args=[sent.pk]), ANSWERS).status_code == 410
    assert not ExitFeedback.objects.exists()


def test_the_leaver_stops_the_questions_with_one_click(sent, client):
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[-1].body).group(1)
    assert client.post(reverse("outreach:unsubscribe", args=[token])).status_code == 200
    sent.placement.refresh_from_db()
    assert sent.placement.candidate_opted_out_at is not None
    assert services.EXITS.remind(sent.pk, force=True) == "opted-out"


def test_the_recruiter_enters_the_exit_conversation_and_the_team_lead_sees_only_that_it_is_in(
    recruiter, recruiter_client, team_lead_client, other_recruiter_client
):
    placement = factories.make_placement(
        recruiter=recruiter, probation_end_date=datetime.date(2026, 10, 31), probation_end_agreed=True
    )
    url = reverse("exits:feedback", args=[placement.pk])
    assert recruiter_client.get(url).status_code == 404  # not left yet
    placement_record_outcome(
        placement=placement, outcome="left", left_on=datetime.date(2026, 9, 20), ended_by="employer", reason="team"
    )
    detail = recruiter_client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert "Exitgesprek invoeren" in detail
    assert "Stuur de vertrekvragenlijst" not in detail  # no address of the candidate
    refused = recruiter_client.post(url, dict(ANSWERS, source="gossip"))
    assert refused.status_code == 400 and "Kies waar de antwoorden vandaan komen." in refused.content.decode()
    saved = recruiter_client.post(url, dict(ANSWERS, source="hr_catch_up", team_text="De teamleider stopte"))
    assert saved.status_code == 302
    feedback = ExitFeedback.objects.get(placement=placement)
    assert (feedback.source, feedback.entered_by, feedback.team_text) == (
        "hr_catch_up",
        recruiter,
        "De teamleider stopte",
    )
    assert team_lead_client.get(url).status_code == 404
    assert other_recruiter_client.get(url).status_code == 404
    lead_view = team_lead_client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert "Ontvangen" in lead_view and "De teamleider stopte" not in lead_view
    assert "Vertrekfeedback lezen" not in lead_view


def test_answers_from_the_link_are_the_leavers_own(sent, recruiter_client):
    leaver = _open(mail.outbox[-1])
    leaver.post(reverse("exits:answer", args=[sent.pk]), ANSWERS)
    url = reverse("exits:feedback", args=[sent.placement_id])
    page = recruiter_client.get(url).content.decode()
    assert "Meer administratie dan in de vacature stond" in page
    assert 'name="source"' not in page  # read, not edited
    response = recruiter_client.post(url, dict(ANSWERS, source="conversation", vacancy_score="5"))
    assert response.status_code == 400
    assert ExitFeedback.objects.get().vacancy_score == 2


def test_a_reflection_on_the_selection_and_the_list_of_placements_that_ended_early(
    sent, recruiter, recruiter_client, team_lead_client, other_recruiter_client, other_recruiter
):
    url = reverse("exits:feedback", args=[sent.placement_id])
    refused = recruiter_client.post(url, {"action": "reflection", "signals_text": "x"})
    assert refused.status_code == 400
    recruiter_client.post(
        url, {"action": "reflection", "signals_seen": "yes", "signals_text": "Twijfel over werkdruk niet uitgevraagd"}
    )
    reflection = SelectionReflection.objects.get()
    assert reflection.signals_seen is True
    own = recruiter_client.get(reverse("exits:learning")).content.decode()
    assert "Twijfel over werkdruk niet uitgevraagd" in own and "Ruud van &#x27;t Hoff" in own
    lead = team_lead_client.get(reverse("exits:learning") + f"?recruiter={recruiter.pk}").content.decode()
    assert "Twijfel over werkdruk niet uitgevraagd" in lead
    assert other_recruiter_client.get(reverse("exits:learning") + f"?recruiter={recruiter.pk}").status_code == 404
    assert "Twijfel" not in other_recruiter_client.get(reverse("exits:learning")).content.decode()


# -- patterns, changes and the quarterly report -----------------------------------------------------------


def _leavers_at(client_contact, recruiter, n, themes, *, left_on=datetime.date(2026, 10, 15), text="Eigen woorden"):
    for i in range(n):
        placement = factories.make_placement(
            recruiter=recruiter,
            contact=client_contact,
            candidate_name=f"Kandidaat {i} van 't Hoff",
            probation_end_date=left_on + datetime.timedelta(days=30),
            probation_end_agreed=True,
            job_family="Techniek",
        )
        placement = placement_record_outcome(
            placement=placement, outcome="left", left_on=left_on, ended_by="candidate", reason="workload"
        )
        services.feedback_store(
            placement=placement,
            source="conversation",
            answers={"themes": themes, "workload_score": 2, "workload_text": text, "employer_nps": 3},
            user=recruiter,
        )


def test_a_theme_shows_from_three_leavers_and_the_report_prints_without_people(
    recruiter, recruiter_client, organisation, django_capture_on_commit_callbacks, run_tasks
):
    contact = factories.make_contact(organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        _leavers_at(contact, recruiter, 2, ["workload_peaks"])
    pattern_url = reverse("exits:patterns") + f"?view=client&key={contact.client_id}&to=2026-4"
    assert "Piekperiodes die niemand noemde" not in recruiter_client.get(pattern_url).content.decode()
    change = {"client": contact.client_id, "theme": "workload_peaks", "kind": "peaks", "description": "Piek in Q4"}
    refused = recruiter_client.post(reverse("exits:change_new"), change)
    assert refused.status_code == 400 and "nog niet boven de drempel" in refused.content.decode()
    assert not RecruitmentChange.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        _leavers_at(contact, recruiter, 1, ["workload_peaks"])
    page = recruiter_client.get(pattern_url).content.decode()
    assert "Piekperiodes die niemand noemde" in page
    assert re.search(
        r"Piekperiodes die niemand noemde</th><td class=\"text-end\">–</td>.*?<td class=\"text-end\">3</td>", page, re.S
    )
    assert recruiter_client.post(reverse("exits:change_new"), change).status_code == 302
    RecruitmentChange.objects.update(quarter=20264)

    report = recruiter_client.get(reverse("exits:client_report", args=[contact.client_id]) + "?quarter=2027-1")
    body = re.search(r'<article class="print-report">.*</article>', report.content.decode(), re.S).group(0)
    assert "Piek in Q4" in body and "Sinds de verandering niet boven de drempel" in body
    assert "Kandidaat" not in body and "Eigen woorden" not in body and "Sanne" not in body
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b|\b\d{1,2} (januari|oktober|november)\b", body)

    with django_capture_on_commit_callbacks(execute=True):
        _leavers_at(contact, recruiter, 3, ["workload_peaks"], left_on=datetime.date(2027, 2, 1))
    body = recruiter_client.get(
        reverse("exits:client_report", args=[contact.client_id]) + "?quarter=2027-1"
    ).content.decode()
    assert "Teruggekomen" in body and "K1 2027" in body


def test_the_pattern_page_offers_only_groups_with_something_to_show_and_never_a_hidden_one(
    recruiter, recruiter_client, organisation, django_capture_on_commit_callbacks, run_tasks
):
    big, small = factories.make_contact(organisation=organisation), factories.make_contact(organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        _leavers_at(big, recruiter, 3, ["team_manager"])
        _leavers_at(small, recruiter, 1, ["team_manager"])
    page = recruiter_client.get(reverse("exits:patterns") + "?view=client&to=2026-4").content.decode()
    assert f'value="{big.client_id}"' in page and f'value="{small.client_id}"' not in page
    hidden = recruiter_client.get(reverse("exits:patterns") + f"?view=client&key={small.client_id}&to=2026-4")
    assert "De leidinggevende" not in hidden.content.decode()
    agency = recruiter_client.get(reverse("exits:patterns") + "?to=2026-4").content.decode()
    # the agency's count is the sum of what the clients show: 3, not 4
    assert re.search(r"De leidinggevende</th>(<td class=\"text-end\">–</td>){3}<td class=\"text-end\">3</td>", agency)


# -- personal data ----------------------------------------------------------------------------------------


def test_the_leaver_is_in_the_export_and_the_erasure_and_never_in_a_log(sent, organisation, caplog):
    caplog.set_level(logging.DEBUG)
    leaver = _open(mail.outbox[-1])
    leaver.post(reverse("exits:answer", args=[sent.pk]), ANSWERS)
    services.reflection_record(placement=sent.placement, user=sent.recruiter, signals_seen=False, signals_text="Geen")
    exported = privacy.personal_data_export(organisation=organisation, email="ruud.leaver@example.nl")
    text = str(exported)
    assert "Meer administratie dan in de vacature stond" in text and "vacancy_tasks" in text and "Geen" in text
    privacy.personal_data_erase(organisation=organisation, email="ruud.leaver@example.nl")
    feedback = ExitFeedback.objects.get()
    assert feedback.vacancy_text == "" and feedback.vacancy_score == 2  # the words go, the scores stay
    assert not sent.tokens.exists()
    assert SelectionReflection.objects.get().signals_text == ""
    assert "ruud.leaver@example.nl" not in caplog.text


def test_sending_twice_or_without_a_departure_is_refused(sent, recruiter, recruiter_client):
    with pytest.raises(Exception, match="al verstuurd|already"):
        services.exit_invite(placement=sent.placement, user=recruiter)
    response = recruiter_client.post(reverse("exits:send_link", args=[sent.placement_id]), follow=True)
    assert "De vertrekvragenlijst is al verstuurd." in response.content.decode()
    assert ExitInvitation.objects.count() == 1
    assert ExitInvitation.objects.get().status == OutboxStatus.SENT


def test_a_recount_per_quarter_costs_a_fixed_number_of_queries(
    recruiter, organisation, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    contact = factories.make_contact(organisation=organisation)
    _leavers_at(contact, recruiter, 12, ["team_manager", "workload_peaks"])
    with django_assert_max_num_queries(8):
        patterns.rebuild(organisation.pk, [20264])
    assert PatternCell.objects.filter(theme="team_manager", dimension="agency").get().count == 12


def test_a_placement_moved_to_another_client_takes_its_feedback_along(sent, recruiter, organisation, run_tasks):
    leaver = _open(mail.outbox[-1])
    leaver.post(reverse("exits:answer", args=[sent.pk]), ANSWERS)
    other = factories.make_contact(organisation=organisation)
    from placements.services import placement_update

    placement_update(placement=sent.placement, client=other.client, contact=other, job_family="Logistiek")
    feedback = ExitFeedback.objects.get()
    assert (feedback.client_id, feedback.job_family) == (other.client_id, "logistiek")
