"""Races that only a real database with row locks shows: run on PostgreSQL."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client

from nps import services
from nps.models import Answer, Invitation, Response
from placements.models import Integration
from placements.services import placement_close, placement_close_external
from surveys.models import SurveyVersionTopic
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _run_together(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(target(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.fixture
def sent_invitation(organisation, recruiter):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter)
    organisation.invitation_delay_days = 0
    organisation.save()
    placement_close(placement=placement)
    invitation = Invitation.objects.get()
    services.invitation_send(invitation_id=invitation.pk)
    return invitation


def test_twenty_simultaneous_posts_on_one_token_make_one_response_with_one_posts_answers(sent_invitation):
    import re

    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", mail.outbox[-1].body).group(1)
    topics = list(SurveyVersionTopic.objects.filter(version=sent_invitation.survey_version))
    clients = []
    for _ in range(20):
        client = Client()
        location = client.get(f"/s/{token}/")["Location"]
        clients.append((client, location))

    def post(i):
        client, location = clients[i]
        score = str(i % 5 + 1)
        data = {"nps": str(i % 11), "action": "submit"} | {f"topic_{vt.pk}": score for vt in topics}
        return client.post(location, data).status_code

    results, errors = _run_together(20, post)
    assert errors == []
    assert sorted(set(results)) == [302]
    response = Response.objects.get()
    scores = set(Answer.objects.filter(response=response).values_list("score", flat=True))
    assert len(scores) == 1, "the answers of two posts were mixed"
    assert Answer.objects.count() == len(topics)


def test_the_send_task_run_twice_at_once_sends_one_email(organisation, recruiter):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    placement = factories.make_placement(recruiter=recruiter)
    organisation.invitation_delay_days = 0
    organisation.save()
    placement_close(placement=placement)
    invitation = Invitation.objects.get()
    results, errors = _run_together(2, lambda i: services.invitation_send(invitation_id=invitation.pk))
    assert errors == []
    assert sorted(results) == ["not-claimed", "sent"]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("way", ["browser", "api"])
def test_two_placements_of_one_hiring_manager_closed_at_once_make_one_invitation(organisation, recruiter, way):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    contact = factories.make_contact(organisation=organisation)
    integration = Integration.objects.create(organisation=organisation, name="ATS")
    placements = [
        factories.make_placement(recruiter=recruiter, contact=contact, integration=integration, external_id=f"P-{i}")
        for i in range(5)
    ]
    if way == "browser":
        results, errors = _run_together(5, lambda i: placement_close(placement=placements[i]))
    else:
        results, errors = _run_together(
            5, lambda i: placement_close_external(integration=integration, external_id=f"P-{i}")
        )
    assert errors == []
    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().links.count() == 5
