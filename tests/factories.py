"""The smallest valid rows with readable defaults: make_<thing>(**overrides)."""

import itertools

from accounts.models import Organisation, Team, User

_seq = itertools.count(1)


def make_organisation(**overrides) -> Organisation:
    fields = {"name": f"Agency {next(_seq)}"} | overrides
    return Organisation.objects.create(**fields)


def make_user(*, organisation: Organisation | None = None, role: str = User.Role.RECRUITER, **overrides) -> User:
    n = next(_seq)
    fields = {
        "email": f"user{n}@agency-example.nl",
        "first_name": "Sam",
        "last_name": f"Recruiter {n}",
        "role": role,
        "organisation": organisation or make_organisation(),
    } | overrides
    password = fields.pop("password", "correct horse battery staple")
    user = User.objects.create_user(**fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def make_team(*, organisation: Organisation, leads=(), members=(), **overrides) -> Team:
    team = Team.objects.create(organisation=organisation, name=overrides.pop("name", f"Team {next(_seq)}"), **overrides)
    team.leads.add(*leads)
    team.members.add(*members)
    return team


def standard_topics(dimension: str | None = None):
    from surveys.models import Topic

    topics = Topic.objects.filter(organisation__isnull=True).order_by("pk")
    return list(topics.filter(dimension=dimension) if dimension else topics)


def make_topic(*, organisation: Organisation, **overrides):
    """An organisation's own topic, next to the shared library."""
    from surveys.models import Topic

    n = next(_seq)
    fields = {"dimension": "service", "name_nl": f"Onderwerp {n}", "name_en": f"Topic {n}", "question_nl": "?"}
    return Topic.objects.create(organisation=organisation, **(fields | {"question_en": "?"} | overrides))


def make_survey(
    *, organisation: Organisation, user: User | None = None, topics=None, publish: bool = True, **overrides
):
    """A survey with the first three standard topics (or `topics`), published unless publish=False."""
    from surveys import services

    user = user or make_user(organisation=organisation)
    topics = topics if topics is not None else standard_topics()[:3]
    fields = {"name": f"Survey {next(_seq)}", "kind": "online"} | overrides
    survey = services.survey_create(organisation=organisation, user=user, topic_ids=[t.pk for t in topics], **fields)
    if publish:
        services.survey_publish(survey=survey, user=user, revision=survey.revision)
        survey.refresh_from_db()
    return survey


def make_client(*, organisation: Organisation, **overrides):
    from placements.models import Client

    return Client.objects.create(organisation=organisation, **({"name": f"Client {next(_seq)} B.V."} | overrides))


def make_contact(*, organisation: Organisation, client=None, **overrides):
    from placements.models import Contact

    n = next(_seq)
    fields = {
        "client": client or make_client(organisation=organisation),
        "name": f"Hiring Manager {n}",
        "email": f"manager{n}@client-example.nl",
        "language": "nl",
    } | overrides
    return Contact.objects.create(organisation=organisation, **fields)


def make_placement(*, recruiter: User, contact=None, **overrides):
    import datetime

    from placements.models import Placement

    organisation = recruiter.organisation
    contact = contact or make_contact(organisation=organisation)
    fields = {
        "client": contact.client,
        "contact": contact,
        "recruiter": recruiter,
        "candidate_name": "Zoë de Vries",
        "job_title": "Engineer",
        "start_date": datetime.date(2026, 9, 1),
    } | overrides
    return Placement.objects.create(organisation=organisation, **fields)


def make_default_survey(*, organisation: Organisation, user: User | None = None, **overrides):
    """A published online survey set as the organisation's default."""
    from surveys.services import default_survey_set

    survey = make_survey(organisation=organisation, user=user, **overrides)
    default_survey_set(organisation=organisation, survey=survey)
    return survey


def close_and_send(placement, *, captured) -> tuple:
    """Close the placement with delay 0 and run the send; returns (invitation, token) from the email."""
    import re

    from django.core import mail

    from nps import services
    from placements.services import placement_close

    organisation = placement.organisation
    organisation.invitation_delay_days = 0
    organisation.save(update_fields=["invitation_delay_days"])
    with captured(execute=False):
        placement_close(placement=placement)
    link = placement.invitation_link
    services.invitation_send(invitation_id=link.invitation_id)
    body = mail.outbox[-1].body
    token = re.search(r"/s/([A-Za-z0-9_-]{40,})/", body).group(1)
    link.invitation.refresh_from_db()
    return link.invitation, token


def make_checkin(*, recruiter: User, **placement_fields):
    """A placed candidate's first check-in, sent (its email is the last in mail.outbox)."""
    from django.utils import timezone

    from checkins.models import CheckIn
    from checkins.services import CHECKINS

    placement = make_placement(
        recruiter=recruiter,
        **({"candidate_name": "Ruud van 't Hoff", "candidate_email": "ruud@example.nl"} | placement_fields),
    )
    checkin = CheckIn.objects.create(
        organisation=recruiter.organisation,
        placement=placement,
        recruiter=recruiter,
        stage="first_week",
        planned_on=placement.start_date,
        send_after=timezone.now(),
    )
    CHECKINS.send(checkin.pk)
    checkin.refresh_from_db()
    return checkin


def answer_checkin(checkin, **answers):
    """The candidate's answers through the service the page uses; low with "call me" unless told otherwise."""
    from checkins.services import checkin_answer

    values = dict.fromkeys(["exp_role", "exp_workload", "exp_team", "exp_manager", "candidate_nps"])
    values |= {"how_going": 1, "message": "", "call_requested": True} | answers
    checkin_answer(checkin_id=checkin.pk, answers=values)
    checkin.refresh_from_db()
    return checkin


def make_exit_invitation(*, recruiter: User, captured, **placement_fields):
    """A candidate who left during probation, sent the exit questionnaire (its email is the last in mail.outbox)."""
    import datetime

    from exits.services import EXITS, exit_invite
    from placements.services import placement_record_outcome

    placement = make_placement(
        recruiter=recruiter,
        **{
            "candidate_name": "Ruud van 't Hoff",
            "candidate_email": "ruud.leaver@example.nl",
            "probation_end_date": datetime.date(2026, 10, 31),
            "probation_end_agreed": True,
            "job_family": "Techniek",
        }
        | placement_fields,
    )
    placement = placement_record_outcome(
        placement=placement, outcome="left", left_on=datetime.date(2026, 10, 15), ended_by="candidate", reason="role"
    )
    with captured(execute=False):
        invitation = exit_invite(placement=placement, user=recruiter)
    EXITS.send(invitation.pk)
    invitation.refresh_from_db()
    return invitation
