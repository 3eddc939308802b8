"""Every email kind with names that HTML would mangle: the subject and the text part read as typed,
the HTML part escapes them (and shows them as typed once a mail program renders it)."""

import datetime
import html
import re

import pytest
from django.core import mail

from nps import emails, services
from nps.models import FollowUp
from reporting import digest
from tests import factories

pytestmark = pytest.mark.django_db

CANDIDATE = "Ruud van 't Hoff"
CONTACT = "Fleur d'Hondt"
CLIENT = "Smit & Zn."
JOB = "<b>x</b>"
ORGANISATION = "O'Brien & Partners"
NOTE = "Dank voor 't gesprek & tot snel <b>x</b>"
HOSTILE = [CANDIDATE, CONTACT, CLIENT, JOB]


@pytest.fixture
def followup(recruiter, django_capture_on_commit_callbacks):
    organisation = recruiter.organisation
    organisation.name = ORGANISATION
    organisation.save(update_fields=["name"])
    recruiter.last_name = "van 't Hoff"
    recruiter.save(update_fields=["last_name"])
    factories.make_default_survey(organisation=organisation, user=recruiter)
    client = factories.make_client(organisation=organisation, name=CLIENT)
    contact = factories.make_contact(organisation=organisation, client=client, name=CONTACT)
    placement = factories.make_placement(recruiter=recruiter, contact=contact, candidate_name=CANDIDATE, job_title=JOB)
    invitation, token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
    response_id = services.response_save(invitation_id=invitation.pk, nps_score=2, answers={}, comment="", submit=True)
    followup = FollowUp.objects.select_related("owner__organisation", "response__contact__client").get(
        response=response_id
    )
    followup.closing_note = NOTE
    followup.save(update_fields=["closing_note"])
    followup.token = token
    return followup


def _parts(message):
    html_part = next(content for content, kind in message.alternatives if kind == "text/html")
    return message.subject, message.body, html_part


def _messages(followup, team_lead):
    invitation = followup.response.invitation
    yield "invitation", emails.invitation_message(invitation=invitation, token=followup.token), [CANDIDATE]
    yield (
        "reminder",
        emails.invitation_message(invitation=invitation, token=followup.token, kind="reminder"),
        [CANDIDATE],
    )
    yield "followup alert", emails.followup_alert_message(followup=followup), [CONTACT, CLIENT]
    yield "overdue", emails.followups_overdue_message(owner=followup.owner, followups=[followup]), []
    yield "closing", emails.followup_closing_message(followup=followup, note=NOTE), []
    context = digest.digest_context(user=team_lead, today=datetime.date.today() + datetime.timedelta(days=1))
    yield "digest", emails.digest_message(**context), []


def test_no_email_subject_or_text_part_is_html_escaped(followup, team_lead):
    for kind, message, in_subject in _messages(followup, team_lead):
        subject, text, _ = _parts(message)
        for name in in_subject:
            assert name in subject, (kind, subject)
        for part in (subject, text):
            assert not re.search(r"&(#x?[0-9a-f]+|amp|lt|gt|quot);", part, re.IGNORECASE), (kind, part[:300])


def test_the_html_part_escapes_names_and_shows_them_as_typed(followup, team_lead):
    for kind, message, _ in _messages(followup, team_lead):
        _, _, html_part = _parts(message)
        assert "<b>x</b>" not in html_part, kind
        shown = html.unescape(re.sub(r"<[^>]+>", " ", html_part))
        assert "&amp;" not in shown and "&#x27;" not in shown, kind


def test_the_invitation_shows_every_name_as_typed_in_both_parts(followup):
    subject, text, html_part = _parts(
        emails.invitation_message(invitation=followup.response.invitation, token=followup.token)
    )
    assert subject == f"Hoe was de samenwerking bij de plaatsing van {CANDIDATE}?"
    shown = html.unescape(re.sub(r"<[^>]+>", " ", html_part))
    for name in [*HOSTILE, ORGANISATION, "Sanne van 't Hoff"]:
        assert name in text, name
        assert name in shown, name


def test_the_closing_email_keeps_the_recruiters_note_as_typed(followup):
    _, text, html_part = _parts(emails.followup_closing_message(followup=followup, note=NOTE))
    assert NOTE in text
    assert NOTE in html.unescape(re.sub(r"<(?!/?b>)[^>]+>", " ", html_part))
    assert "<b>x</b>" not in html_part


def test_the_sent_invitation_has_the_plain_subject_on_the_wire(followup):
    sent = mail.outbox[0]
    assert sent.subject == f"Hoe was de samenwerking bij de plaatsing van {CANDIDATE}?"
    assert "van 't Hoff" in sent.message().as_string() or "=?utf-8?" in sent.message()["Subject"]
