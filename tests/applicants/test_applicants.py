"""Introduced candidates as a recruiter, a rejected candidate on a phone and a team lead meet them: the survey after
the final answer, the six-month rule, the open loops in the daily list and the alert, forgetting on time, the
person's export and erasure, and the closure report beside the client NPS."""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from applicants import services
from applicants.models import CandidateFeedback, CandidateSurvey
from nps.services import privacy
from outreach.models import OutboxStatus
from placements import applicants as write
from placements.models import Applicant, Integration, Vacancy
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)  # a Thursday


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 11, 0, tzinfo=datetime.UTC))


@pytest.fixture
def vacancy(organisation, recruiter):
    organisation.name = "Bureau d'Hondt"
    organisation.save()
    integration = Integration.objects.create(organisation=organisation, name="ATS")
    client = factories.make_client(organisation=organisation, name="Van 't Hoff & Zn")
    vacancy, _new = write.vacancy_upsert(
        integration=integration,
        external_id="V1",
        client=client,
        recruiter=recruiter,
        title="Monteur",
        opened_on=datetime.date(2026, 10, 1),
    )
    return vacancy


def _row(n, **overrides):
    return {
        "external_id": f"C{n}",
        "name": f"Ruud van 't Hoff {n}",
        "email": f"ruud{n}@example.nl",
        "stage": "introduced",
        "introduced_on": datetime.date(2026, 10, 5),
    } | overrides


def _reject(vacancy, n, *, told=TODAY, captured=None, **overrides):
    rows = [_row(n, stage="rejected", told_on=told, **overrides)]
    with captured(execute=True):
        write.applicants_upsert(vacancy=vacancy, rows=rows)
    return Applicant.objects.get(vacancy=vacancy, external_id=f"C{n}")


def _send_due(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, 5, tzinfo=datetime.UTC))
    for survey in CandidateSurvey.objects.filter(status=OutboxStatus.SCHEDULED):
        services.CANDIDATES.send(survey.pk)


def _open(message) -> Client:
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", message.body).group(1)
    candidate = Client()
    assert candidate.get(reverse("outreach:token_entry", args=[token])).status_code == 302
    return candidate


def test_a_rejection_gets_the_survey_the_next_morning_and_the_answer_is_stored(
    vacancy, django_capture_on_commit_callbacks, time_machine
):
    applicant = _reject(vacancy, 1, captured=django_capture_on_commit_callbacks)
    survey = applicant.survey
    assert survey.touchpoint == "rejected_introduction" and survey.status == "scheduled"
    assert survey.send_after.date() == datetime.date(2026, 12, 4)
    _send_due(time_machine)
    message = mail.outbox[-1]
    assert message.to == ["ruud1@example.nl"]
    assert message.subject == "Bureau d'Hondt: hoe heb je je sollicitatie voor Monteur ervaren?"
    assert "Bureau d&#x27;Hondt" in message.alternatives[0][0]
    candidate = _open(message)
    page = candidate.get(reverse("applicants:answer", args=[survey.pk]))
    assert page.status_code == 200
    assert not CandidateSurvey.objects.get(pk=survey.pk).answered_at  # a GET stores nothing
    assert "niet naar de werkgever" in page.content.decode(), page.content.decode()[800:2500]
    bad = candidate.post(
        reverse("applicants:answer", args=[survey.pk]),
        {"clear_answer": "maybe", "nps": "11", "comment": "Duidelijk 'nee' gekregen"},
    )
    assert bad.status_code == 400 and "Duidelijk &#x27;nee&#x27; gekregen" in bad.content.decode()
    assert not CandidateFeedback.objects.exists()
    done = candidate.post(
        reverse("applicants:answer", args=[survey.pk]),
        {"clear_answer": "yes", "feedback_useful": "4", "nps": "9", "comment": "Netjes"},
    )
    assert done.status_code == 302
    feedback = CandidateFeedback.objects.get()
    assert (feedback.clear_answer, feedback.feedback_useful, feedback.nps) == (True, 4, 9)
    assert feedback.client_id == vacancy.client_id


def test_never_twice_within_six_months_and_never_after_an_opt_out(
    vacancy, organisation, recruiter, django_capture_on_commit_callbacks, time_machine
):
    _reject(vacancy, 1, captured=django_capture_on_commit_callbacks)
    second, _new = write.vacancy_upsert(
        integration=vacancy.integration,
        external_id="V2",
        client=vacancy.client,
        recruiter=recruiter,
        title="Planner",
        opened_on=datetime.date(2026, 10, 1),
    )
    again = _reject(second, 9, email="RUUD1@example.nl", captured=django_capture_on_commit_callbacks)
    assert not CandidateSurvey.objects.filter(applicant=again).exists()
    assert CandidateSurvey.objects.count() == 1
    # Opting out holds beyond the six months.
    survey = CandidateSurvey.objects.get()
    services.opt_out(survey)
    time_machine.move_to(datetime.datetime(2027, 8, 1, 11, 0, tzinfo=datetime.UTC))
    third, _new = write.vacancy_upsert(
        integration=vacancy.integration,
        external_id="V3",
        client=vacancy.client,
        recruiter=recruiter,
        title="Planner",
        opened_on=datetime.date(2027, 7, 1),
    )
    later = _reject(
        third,
        5,
        email="ruud1@example.nl",
        told=datetime.date(2027, 8, 1),
        introduced_on=datetime.date(2027, 7, 2),
        captured=django_capture_on_commit_callbacks,
    )
    assert not CandidateSurvey.objects.filter(applicant=later).exists()


def test_hired_only_when_the_organisation_wants_it_and_old_answers_never(
    vacancy, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write.applicants_upsert(vacancy=vacancy, rows=[_row(1, stage="hired", stage_on=TODAY)])
    assert not CandidateSurvey.objects.exists()
    organisation.candidate_survey_hired = True
    organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        write.applicants_upsert(vacancy=vacancy, rows=[_row(2, stage="hired", stage_on=TODAY)])
        write.applicants_upsert(vacancy=vacancy, rows=[_row(3, stage="rejected", told_on=datetime.date(2026, 11, 1))])
    assert list(CandidateSurvey.objects.values_list("touchpoint", flat=True)) == ["hired"]


def test_a_candidate_waiting_too_long_is_in_the_daily_list_and_one_alert_until_answered(
    vacancy, recruiter, recruiter_client, django_capture_on_commit_callbacks
):
    write.applicants_upsert(
        vacancy=vacancy,
        rows=[
            _row(1, stage="interviewed", stage_on=datetime.date(2026, 11, 10)),  # 17 working days ago
            _row(2, stage="interviewed", stage_on=datetime.date(2026, 11, 30)),  # 3 working days ago
        ],
    )
    page = recruiter_client.get(reverse("reporting:followup_list"))
    waiting = [a.external_id for a in page.context["waiting"]]
    assert waiting == ["C1"]
    assert "Ruud van &#x27;t Hoff 1" in page.content.decode()
    assert services.loops_alert(today=TODAY) == 1
    alert = mail.outbox[-1]
    assert alert.to == [recruiter.email] and "Ruud" not in alert.body and "Monteur" in alert.body
    assert services.loops_alert(today=TODAY) == 0  # once per wait
    # The recruiter records the answer on the vacancy page: it leaves the list.
    with django_capture_on_commit_callbacks(execute=True):
        done = recruiter_client.post(
            reverse("applicants:record_answer", args=[vacancy.pk, Applicant.objects.get(external_id="C1").pk]),
            {"stage": "rejected", "told_on": "2026-12-03"},
        )
    assert done.status_code == 302
    assert not recruiter_client.get(reverse("reporting:followup_list")).context["waiting"]
    assert CandidateSurvey.objects.filter(applicant__external_id="C1").exists()


def test_a_closed_vacancy_makes_every_unanswered_candidate_wait(vacancy, recruiter_client):
    write.applicants_upsert(vacancy=vacancy, rows=[_row(1, stage="interviewed", stage_on=datetime.date(2026, 12, 2))])
    assert not recruiter_client.get(reverse("reporting:followup_list")).context["waiting"]
    write.applicants_upsert(vacancy=vacancy, rows=[_row(2, stage="hired", stage_on=datetime.date(2026, 12, 3))])
    assert Vacancy.objects.get().status == "filled"
    assert [a.external_id for a in recruiter_client.get(reverse("reporting:followup_list")).context["waiting"]] == [
        "C1"
    ]


def test_recording_an_answer_with_bad_input_keeps_what_was_typed(vacancy, recruiter_client):
    write.applicants_upsert(vacancy=vacancy, rows=[_row(1)])
    applicant = Applicant.objects.get()
    url = reverse("applicants:record_answer", args=[vacancy.pk, applicant.pk])
    page = recruiter_client.post(url, {"stage": "withdrawn", "told_on": "2026-10-01"})
    assert page.status_code == 400
    content = page.content.decode()
    assert "vóór het voorstellen (2026-10-05)" in content
    assert 'value="2026-10-01"' in content and '<option value="withdrawn" selected>' in content
    assert Applicant.objects.get().told_on is None


def test_others_do_not_see_the_vacancy(vacancy, other_recruiter_client, outsider_client, team_lead_client):
    url = reverse("applicants:vacancy", args=[vacancy.pk])
    assert other_recruiter_client.get(url).status_code == 404
    assert outsider_client.get(url).status_code == 404
    assert team_lead_client.get(url).status_code == 200


def test_contact_data_is_forgotten_four_weeks_after_the_answer_unless_kept_on_file(
    vacancy, organisation, django_capture_on_commit_callbacks, time_machine
):
    _reject(vacancy, 1, captured=django_capture_on_commit_callbacks)
    _reject(vacancy, 2, captured=django_capture_on_commit_callbacks, kept_on_file_until=datetime.date(2027, 6, 1))
    _send_due(time_machine)
    candidate = _open(mail.outbox[0])
    survey = CandidateSurvey.objects.get(applicant__external_id="C1")
    candidate.post(reverse("applicants:answer", args=[survey.pk]), {"nps": "3", "comment": "Nooit iets gehoord"})
    assert services.forget(today=datetime.date(2026, 12, 30)) == 0
    assert services.forget(today=datetime.date(2026, 12, 31)) == 1
    gone, kept = Applicant.objects.get(external_id="C1"), Applicant.objects.get(external_id="C2")
    assert (gone.name, gone.email, gone.stage) == ("", "", "rejected") and gone.anonymised_at
    assert kept.email == "ruud2@example.nl"
    feedback = CandidateFeedback.objects.get()
    assert (feedback.nps, feedback.comment) == (3, "")
    assert candidate.get(reverse("applicants:answer", args=[survey.pk])).status_code == 410
    # The ATS sending the candidate again does not bring the contact data back.
    write.applicants_upsert(vacancy=vacancy, rows=[_row(1, stage="rejected", told_on=TODAY)])
    assert Applicant.objects.get(external_id="C1").email == ""
    assert services.forget(today=datetime.date(2027, 6, 2)) == 1


def test_the_person_export_and_erasure_cover_introduced_candidates(
    vacancy, organisation, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    _reject(vacancy, 1, captured=django_capture_on_commit_callbacks)
    data = privacy.personal_data_export(organisation=organisation, email="RUUD1@example.nl")
    row = data["introduced_for_vacancies"][0]
    assert (row["vacancy"], row["stage"], row["told_on"]) == ("Monteur", "rejected", "2026-12-03")
    counts = privacy.personal_data_erase(organisation=organisation, email="ruud1@example.nl")
    assert counts["introduced_candidates"] == 1 and counts["candidate_surveys_cancelled"] == 1
    assert Applicant.objects.get().email == ""
    assert "ruud1@example.nl" not in caplog.text


def test_the_closure_report_puts_both_halves_side_by_side_and_hides_small_groups(
    vacancy, recruiter, team_lead_client, django_capture_on_commit_callbacks
):
    rows = [_row(n, stage="rejected", told_on=TODAY) for n in range(6)] + [_row(n) for n in range(6, 10)]
    write.applicants_upsert(vacancy=vacancy, rows=rows)
    page = team_lead_client.get(reverse("reporting:closure") + "?period=12m")
    assert page.status_code == 200
    data = page.context["data"]
    assert data["total"]["rate"] == 60 and data["total"]["introduced"] == 10
    (mine,) = data["recruiters"]
    assert (mine["rate"], mine["introduced"], mine["nps"]) == (60, 10, None)  # no client NPS answers yet
    touch = {r["code"]: r for r in data["touchpoints"]}
    assert touch["rejected_introduction"]["nps"] is None  # fewer than 5 answers
    content = page.content.decode()
    assert "Van &#x27;t Hoff &amp; Zn" in content


def test_the_import_reads_a_file_and_stores_nothing_when_a_row_is_wrong(recruiter, recruiter_client):
    header = (
        "vacature;functie;klant;recruiter;vacature geopend;kandidaat id;naam;e-mail;fase;voorgesteld op;"
        "geïnformeerd op\n"
    )
    good = (
        f"V9;Monteur;Van 't Hoff;{recruiter.email};01-10-2026;K1;d'Hondt;dhondt@example.nl;afgewezen;05-10-2026;"
        "20-10-2026\n"
    )
    bad = f"V9;Monteur;Van 't Hoff;{recruiter.email};01-10-2026;K2;Piet;piet@example.nl;onbekend;05-10-2026;\n"
    refused = recruiter_client.post(reverse("placements:candidates_import"), {"file": _file(header + good + bad)})
    assert refused.status_code == 400 and "Rij 3" in refused.content.decode()
    assert not Applicant.objects.exists()
    done = recruiter_client.post(reverse("placements:candidates_import"), {"file": _file(header + good)})
    assert done.status_code == 302
    applicant = Applicant.objects.get()
    assert (applicant.name, applicant.stage, applicant.told_on) == ("d'Hondt", "rejected", datetime.date(2026, 10, 20))
    assert applicant.vacancy.introduced == 1 and applicant.vacancy.answered == 1


def _file(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("kandidaten.csv", text.encode(), content_type="text/csv")
