"""The read API for BI tools: read-only keys, cursor pages in a stable order, updated_since, no personal text."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from nps import services
from nps.models import FollowUp, Response
from placements.api_keys import api_key_create
from placements.models import Integration
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bi(organisation):
    key = api_key_create(
        integration=Integration.objects.create(organisation=organisation, name="Power BI", access="read")
    )
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def ats(organisation):
    key = api_key_create(integration=Integration.objects.create(organisation=organisation, name="Bullhorn"))
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def responses(organisation, recruiter, django_capture_on_commit_callbacks):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    made = []
    for score in (2, 9, 10, 6, 8):
        placement = factories.make_placement(recruiter=recruiter)
        invitation, _token = factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)
        made.append(
            services.response_save(
                invitation_id=invitation.pk, nps_score=score, answers={}, comment="Bel me: 06 1234", submit=True
            )
        )
    return made


def test_a_bi_tool_reads_every_response_once_page_by_page(bi, responses):
    seen, cursor = [], None
    while True:
        page = bi.get("/api/v1/responses", {"limit": 2} | ({"cursor": cursor} if cursor else {})).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(responses, key=lambda pk: (Response.objects.get(pk=pk).updated_at, pk))
    item = bi.get("/api/v1/responses").json()["items"][0]
    assert set(item) >= {"nps_score", "client", "recruiter_email", "answers", "completed_at"}
    assert "Bel me" not in str(item) and "comment" not in item


def test_updated_since_gives_only_what_changed(bi, responses):
    later = timezone.now() + datetime.timedelta(seconds=1)
    Response.objects.filter(pk=responses[0]).update(updated_at=later + datetime.timedelta(seconds=5))
    page = bi.get("/api/v1/responses", {"updated_since": later.isoformat()}).json()
    assert [item["id"] for item in page["items"]] == [responses[0]]


def test_follow_ups_and_summaries(bi, responses, organisation):
    call_command("rebuild_summaries", organisation=organisation.pk, verbosity=0)
    followups = bi.get("/api/v1/follow-ups").json()["items"]
    assert [f["response_id"] for f in followups] == list(FollowUp.objects.values_list("response_id", flat=True))
    assert "went_well" not in followups[0] and "outcome" not in followups[0]
    summaries = bi.get("/api/v1/summaries", {"since": timezone.localdate().isoformat()}).json()["items"]
    assert sum(s["responses"] for s in summaries) == 5
    assert sum(s["promoters"] for s in summaries) == 2


def test_each_key_does_what_its_integration_does(bi, ats, responses, recruiter):
    refused = ats.get("/api/v1/responses")
    assert refused.status_code == 403
    assert "read-only key" in refused.json()["detail"]
    written = bi.post("/api/v1/placements", {"external_id": "X"}, content_type="application/json")
    assert written.status_code == 403
    assert "placements need a key of an ATS" in written.json()["detail"]
    assert Client().get("/api/v1/responses").status_code == 401


def test_a_key_sees_only_its_own_organisation(bi, responses, outsider, django_capture_on_commit_callbacks):
    factories.make_default_survey(organisation=outsider.organisation, user=outsider)
    invitation, _token = factories.close_and_send(
        factories.make_placement(recruiter=outsider), captured=django_capture_on_commit_callbacks
    )
    theirs = services.response_save(invitation_id=invitation.pk, nps_score=1, answers={}, comment="", submit=True)
    seen = [item["id"] for item in bi.get("/api/v1/responses", {"limit": 500}).json()["items"]]
    assert sorted(seen) == sorted(responses) and theirs not in seen


@pytest.mark.parametrize("cursor", ["nonsense", "eyJh", "WyJ4IiwgMV0"])
def test_a_cursor_the_api_did_not_give_out_is_a_clear_400(bi, cursor):
    response = bi.get("/api/v1/responses", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_the_command_makes_a_read_only_key(organisation, capsys):
    call_command("create_api_key", "Power BI", "--read")
    key = capsys.readouterr().out.split()[-1]
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/summaries").status_code == 200
