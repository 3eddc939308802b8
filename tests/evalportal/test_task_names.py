"""Celery tasks have explicit, stable names: a move of a module renames nothing, the beat schedule names
registered tasks, and a message queued under a task's former name before a deploy is still processed."""

import inspect

import pytest

from evalportal.celery import app, load_for_publishing

OURS = (
    "accounts.",
    "applicants.",
    "checkins.",
    "evalportal.",
    "exits.",
    "nps.",
    "outreach.",
    "placements.",
    "reporting.",
    "surveys.",
)


@pytest.fixture(scope="module")
def tasks():
    load_for_publishing()  # the task modules, as the web server loads them; no connection, no database
    return {name: task for name, task in app.tasks.items() if name.startswith(OURS)}


def test_every_beat_entry_names_a_registered_task(tasks):
    for entry, schedule in app.conf.beat_schedule.items():
        assert schedule["task"] in tasks, f"beat entry {entry!r} names no registered task: {schedule['task']}"


def _function(task):
    return task.__wrapped__


def test_no_task_is_named_after_its_module_path_unless_kept_as_a_former_name(tasks):
    current = {name for name in tasks if ".tasks." not in name}
    for name, task in tasks.items():
        module = inspect.getmodule(_function(task)).__name__
        if name.startswith(module + "."):
            stable = [n for n in current if _function(tasks[n]) is _function(task)]
            assert stable, f"{name} has no stable name: declare it with evalportal.task_names.stable_task"


def test_a_former_name_runs_the_same_function_with_the_same_retry_policy(tasks):
    current = {_function(task): name for name, task in tasks.items() if ".tasks." not in name}
    for name in [n for n in tasks if ".tasks." in n]:
        new = current.get(_function(tasks[name]))
        assert new, f"{name} runs no function that has a stable name"
        assert (tasks[name].max_retries, tasks[name].acks_late) == (tasks[new].max_retries, tasks[new].acks_late)


@pytest.mark.django_db
def test_a_message_queued_under_the_old_name_before_a_deploy_is_still_processed(tasks, invitation_to_send):
    from django.core import mail

    from nps.models import Invitation

    tasks["nps.tasks.invitation_send"].apply(args=[invitation_to_send.pk])
    assert Invitation.objects.get(pk=invitation_to_send.pk).status == "sent"
    assert len(mail.outbox) == 1


@pytest.fixture
def invitation_to_send(organisation, recruiter, django_capture_on_commit_callbacks):
    from placements.services import placement_close
    from tests import factories

    factories.make_default_survey(organisation=organisation, user=recruiter)
    organisation.invitation_delay_days = 0
    organisation.save()
    placement = factories.make_placement(recruiter=recruiter)
    with django_capture_on_commit_callbacks(execute=False):
        placement_close(placement=placement)
    return placement.invitation_link.invitation
