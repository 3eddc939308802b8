import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nps.models import Answer, FollowUp, Invitation, Response
from surveys.models import SurveyVersionTopic
from tests import factories

pytestmark = pytest.mark.django_db


def _open(client, token, query=""):
    response = client.get(f"/s/{token}/{query}")
    assert response.status_code == 302
    return response["Location"]


def _topics(invitation):
    return list(SurveyVersionTopic.objects.filter(version=invitation.survey_version).order_by("position"))


def _full_answers(invitation, nps="9", score="4"):
    data = {"nps": nps, "comment": "Prima samenwerking", "action": "submit"}
    data.update({f"topic_{vt.pk}": score for vt in _topics(invitation)})
    return data


def test_the_token_leaves_the_url_and_the_page_stores_nothing(client, token, invitation):
    location = _open(client, token, "?score=7")
    assert token not in location
    assert location == reverse("nps:answer", args=[invitation.pk]) + "?score=7"
    page = client.get(location)
    body = page.content.decode()
    assert page.status_code == 200
    assert token not in body
    assert 'value="7" checked' in body
    assert body.index('name="nps"') < body.index('name="topic_')
    assert "Zoë de Vries" in body
    assert not Response.objects.exists()
    assert page["Cache-Control"].startswith("max-age=0")


def test_the_page_is_in_the_hiring_managers_language_with_a_switch(client, token):
    location = _open(client, token)
    assert "Zou u de samenwerking met recruitment aanbevelen" in client.get(location).content.decode()
    english = client.get(location + "?lang=en").content.decode()
    assert "Would you recommend working with recruitment to a colleague?" in english
    assert 'lang="en"' in english


def test_answering_everything_stores_one_response_and_thanks(client, token, invitation):
    location = _open(client, token)
    response = client.post(location, _full_answers(invitation))
    assert response.status_code == 302
    assert response["Location"] == reverse("nps:thanks", args=[invitation.pk])
    stored = Response.objects.get()
    assert stored.nps_score == 9 and stored.completed_at and stored.comment == "Prima samenwerking"
    assert Answer.objects.filter(response=stored).count() == 3
    assert Invitation.objects.get().answered_at is not None
    thanks = client.get(response["Location"]).content.decode()
    assert "Bedankt voor uw antwoorden" in thanks and "Bel mij" in thanks
    assert not FollowUp.objects.exists()


def test_a_partial_save_survives_and_resumes_from_the_same_link(client, token, invitation):
    location = _open(client, token)
    first = _topics(invitation)[0]
    saved = client.post(location, {f"topic_{first.pk}": "2", "action": "save"}, headers={"X-Requested-With": "fetch"})
    assert saved.json() == {"ok": True, "errors": {}}
    assert Response.objects.get().completed_at is None
    again = Client()
    page = again.get(_open(again, token)).content.decode()
    assert f'name="topic_{first.pk}" id="topic_{first.pk}-2" value="2" checked' in page


def test_answers_can_be_changed_until_the_invitation_closes(client, token, invitation):
    location = _open(client, token)
    client.post(location, _full_answers(invitation, nps="9"))
    client.post(location, _full_answers(invitation, nps="10"))
    assert Response.objects.get().nps_score == 10
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    late = client.post(location, _full_answers(invitation, nps="3"))
    assert late.status_code == 410
    assert Response.objects.get().nps_score == 10


@pytest.mark.parametrize(
    "post, xhr",
    [
        ({"action": "save", "nps": "8"}, True),  # a valid autosave
        ({"action": "save", "nps": "eleven"}, True),  # an invalid one
        ({"action": "submit", "comment": "Geen score"}, False),  # a submit without its score
        ({"action": "save", "topic_999999": "3"}, True),  # a question not in the survey
        ({"action": "open"}, True),
    ],
)
def test_a_closed_survey_answers_410_whatever_is_posted(client, token, invitation, post, xhr):
    location = _open(client, token)
    Invitation.objects.filter(pk=invitation.pk).update(status="cancelled")
    headers = {"X-Requested-With": "fetch"} if xhr else {}
    response = client.post(location, post, headers=headers)
    assert response.status_code == 410
    assert "Deze link werkt niet (meer)" in response.content.decode()
    assert not Response.objects.exists()
    assert Invitation.objects.get().opened_at is None


def test_a_browser_that_opened_the_link_before_versions_were_kept_in_the_session_can_still_answer(
    client, token, invitation
):
    location = _open(client, token)
    session = client.session
    session["answer_invitations"] = [invitation.pk]  # the earlier form: ids only
    session.save()
    assert client.post(location, _full_answers(invitation)).status_code == 302
    assert Response.objects.get().completed_at is not None


def test_a_low_score_opens_one_follow_up_and_emails_the_recruiter(
    client, token, invitation, recruiter, django_capture_on_commit_callbacks, run_tasks
):
    location = _open(client, token)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, _full_answers(invitation, nps="4"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, _full_answers(invitation, nps="3", score="1"))
    followup = FollowUp.objects.get()
    assert followup.owner == recruiter and followup.low_nps and followup.low_topics
    alerts = [m for m in mail.outbox if m.to == [recruiter.email]]
    assert len(alerts) == 1 and "Opvolging nodig" in alerts[0].subject
    assert followup.due_date > timezone.localdate()


def test_a_low_topic_alone_opens_a_follow_up(client, token, invitation):
    client.post(_open(client, token), _full_answers(invitation, nps="9", score="2"))
    assert FollowUp.objects.get().low_topics


@pytest.mark.parametrize(("nps", "score", "called_back"), [("3", "4", True), ("9", "2", True), ("9", "4", False)])
def test_the_thanks_page_promises_a_call_exactly_when_a_follow_up_was_opened(
    client, token, invitation, nps, score, called_back
):
    submitted = client.post(_open(client, token), _full_answers(invitation, nps=nps, score=score))
    thanks = client.get(submitted["Location"]).content.decode()
    assert FollowUp.objects.exists() is called_back
    promise = (
        f"belt {invitation.recruiter.get_full_name()} u binnen {invitation.organisation.followup_due_working_days}"
    )
    assert (promise in thanks) is called_back
    # "Call me" is offered only where no call is coming yet.
    assert ("Bel mij" in thanks) is not called_back


def test_call_me_opens_a_follow_up(client, token, invitation):
    location = _open(client, token)
    client.post(location, _full_answers(invitation, nps="9"))
    response = client.post(reverse("nps:request_call", args=[invitation.pk]))
    assert response.status_code == 302
    assert FollowUp.objects.get().call_requested
    assert "belt u binnenkort" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("score", ["11", "-1", "3.5", "３", "٣", " 4", "4 "])
def test_scores_outside_the_offered_digits_are_refused(client, token, invitation, score):
    location = _open(client, token)
    data = _full_answers(invitation)
    data[f"topic_{_topics(invitation)[0].pk}"] = score
    response = client.post(location, data)
    assert response.status_code == 400
    assert "Kies een score van 1 tot en met 5." in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize("nps", ["11", "-1", "3.5", "１０", "x"])
def test_nps_outside_0_to_10_is_refused(client, token, invitation, nps):
    response = client.post(_open(client, token), _full_answers(invitation, nps=nps))
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_save_keeps_what_it_leaves_out_and_a_submit_may_rely_on_a_saved_score(client, token, invitation):
    location = _open(client, token)
    first, second = _topics(invitation)[:2]
    fetch = {"X-Requested-With": "fetch"}
    client.post(location, {"nps": "7", "comment": "Eerste indruk", "action": "save"}, headers=fetch)
    client.post(location, {f"topic_{first.pk}": "2", "action": "save"}, headers=fetch)
    stored = Response.objects.get()
    assert (stored.nps_score, stored.comment, stored.completed_at) == (7, "Eerste indruk", None)
    client.post(location, {f"topic_{second.pk}": "5", "comment": "", "action": "save"}, headers=fetch)
    assert Response.objects.get().comment == ""
    sent = client.post(location, {f"topic_{first.pk}": "3", "action": "submit"})
    assert sent.status_code == 302
    stored = Response.objects.get()
    assert stored.nps_score == 7 and stored.completed_at is not None
    assert dict(stored.answers.values_list("version_topic_id", "score")) == {first.pk: 3, second.pk: 5}
    assert Invitation.objects.get().answered_at is not None


def test_a_submit_without_a_score_stores_nothing_of_that_post(client, token, invitation):
    location = _open(client, token)
    first = _topics(invitation)[0]
    client.post(location, {f"topic_{first.pk}": "2", "action": "save"}, headers={"X-Requested-With": "fetch"})
    before = Response.objects.get().updated_at
    refused = client.post(location, {f"topic_{first.pk}": "5", "comment": "Toch niet", "action": "submit"})
    assert refused.status_code == 400
    stored = Response.objects.get()
    assert (stored.completed_at, stored.comment, stored.updated_at) == (None, "", before)
    assert list(stored.answers.values_list("score", flat=True)) == [2]
    assert Invitation.objects.get().answered_at is None


def test_changing_only_an_answer_after_submitting_marks_the_response_changed(client, token, invitation):
    # The dashboards' refresh takes in the responses whose updated_at moved.
    location = _open(client, token)
    client.post(location, _full_answers(invitation))
    submitted = Response.objects.get().updated_at
    first = _topics(invitation)[0]
    client.post(location, {f"topic_{first.pk}": "1", "action": "save"}, headers={"X-Requested-With": "fetch"})
    assert Response.objects.get().updated_at > submitted


def test_a_missing_nps_on_submit_gets_a_clear_message(client, token, invitation):
    response = client.post(_open(client, token), _full_answers(invitation, nps=""))
    assert response.status_code == 400
    assert "Beantwoord eerst de eerste vraag" in response.content.decode()
    assert not Response.objects.exists()


def test_a_topic_that_is_not_in_this_version_is_refused(client, token, invitation, organisation, recruiter):
    other = factories.make_survey(organisation=organisation, user=recruiter)
    foreign = other.versions.get().topics.first()
    data = _full_answers(invitation) | {f"topic_{foreign.pk}": "3"}
    assert client.post(_open(client, token), data).status_code == 400
    assert not Response.objects.exists()


def test_a_repeated_field_is_refused(client, token, invitation):
    location = _open(client, token)
    response = client.post(location, "nps=9&nps=3&action=submit", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not Response.objects.exists()


@pytest.mark.parametrize("comment", ["x" * 100_000, "a\x00b"])
def test_oversized_or_nul_text_is_refused(client, token, invitation, comment):
    response = client.post(_open(client, token), _full_answers(invitation) | {"comment": comment})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_invalid_utf8_is_refused(client, token, invitation):
    location = _open(client, token)
    body = b"nps=9&action=submit&comment=%ff%fe"
    response = client.post(location, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_post_without_csrf_token_is_refused(token, invitation):
    strict = Client(enforce_csrf_checks=True)
    location = _open(strict, token)
    assert strict.post(location, _full_answers(invitation)).status_code == 403
    assert not Response.objects.exists()


def test_a_token_of_another_invitation_in_the_session_opens_only_its_own(
    client, token, invitation, recruiter, django_capture_on_commit_callbacks
):
    other_placement = factories.make_placement(recruiter=recruiter)
    other, other_token = factories.close_and_send(other_placement, captured=django_capture_on_commit_callbacks)
    _open(client, other_token)
    response = client.post(reverse("nps:answer", args=[invitation.pk]), _full_answers(invitation))
    assert response.status_code == 410
    assert client.get(reverse("nps:answer", args=[invitation.pk])).status_code == 404
    assert not Response.objects.exists()


@pytest.mark.parametrize("path", ["/s/unknown-token-that-is-long-enough-to-look-real-0123/", "/s/x/", "/s/a/999999/"])
def test_unknown_links_get_the_same_friendly_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Deze link werkt niet (meer)" in response.content.decode()


def test_an_expired_link_gets_the_same_page_as_an_unknown_one(client, token, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(status="expired")
    location = _open(client, token)
    response = client.get(location)
    assert response.status_code == 404
    assert "Deze link werkt niet (meer)" in response.content.decode()


def _real(captured):
    """The statements that read or write data: the test's own wrapping transaction turns each
    atomic block into SAVEPOINT/RELEASE, which production runs as one BEGIN/COMMIT."""
    return [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_the_get_takes_at_most_5_queries_and_the_post_at_most_10(client, token, invitation):
    location = _open(client, token)
    client.post(location, {"action": "save", f"topic_{_topics(invitation)[0].pk}": "3"})
    with CaptureQueriesContext(connection) as get_queries:
        assert client.get(location).status_code == 200
    assert len(_real(get_queries)) <= 5, _real(get_queries)
    low_answers = _full_answers(invitation, nps="3")
    with CaptureQueriesContext(connection) as post_queries:
        assert client.post(location, low_answers).status_code == 302
    assert FollowUp.objects.count() == 1
    assert len(_real(post_queries)) <= 10, _real(post_queries)


def test_a_submit_after_an_autosave_is_three_statements_on_postgresql_and_six_on_sqlite(client, token, invitation):
    # The session (which holds the invitation's version and language); the save: on PostgreSQL one
    # statement, on SQLite four (lock, response, answers, invitation answered); then whether the saved
    # answers call for a follow-up. (The version's topics are read once per process, here by the autosave.)
    location = _open(client, token)
    answers = _full_answers(invitation)
    client.post(location, {"action": "save", "nps": "9"}, headers={"X-Requested-With": "fetch"})
    with CaptureQueriesContext(connection) as queries:
        assert client.post(location, answers).status_code == 302
    assert len(_real(queries)) == (3 if connection.vendor == "postgresql" else 6), _real(queries)
    stored = Response.objects.get()
    assert stored.completed_at is not None and stored.answers.count() == len(_topics(invitation))


def test_unsubscribe_needs_a_post_and_then_stops_surveys(client, token, invitation):
    url = f"/s/{token}/unsubscribe/"
    assert "Stuur mij geen enquêtes meer" in client.get(url).content.decode()
    invitation.contact.refresh_from_db()
    assert invitation.contact.opted_out_at is None
    one_click = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200
    invitation.contact.refresh_from_db()
    assert invitation.contact.opted_out_at is not None


def test_a_different_score_clicked_after_answering_shows_the_stored_one_and_offers_the_change(
    client, token, invitation
):
    client.post(_open(client, token), _full_answers(invitation, nps="7"))
    location = _open(client, token, "?score=4")
    page = client.get(location).content.decode()
    assert 'id="nps-7" value="7" checked' in page
    assert "U gaf eerder een 7; in de e-mail klikte u op 4." in page
    change = re.search(r'href="(\?score=4&amp;use=1)"', page).group(1).replace("&amp;", "&")
    changed = client.get(location.split("?")[0] + change).content.decode()
    assert 'id="nps-4" value="4" checked' in changed and 'id="nps-7" value="7" checked' not in changed
    assert "U gaf eerder" not in changed
    assert Response.objects.get().nps_score == 7, "a GET stores nothing"


def test_the_same_score_clicked_again_needs_no_notice(client, token, invitation):
    client.post(_open(client, token), _full_answers(invitation, nps="7"))
    assert "U gaf eerder" not in client.get(_open(client, token, "?score=7")).content.decode()
