"""Demo check-ins: placed candidates in every stage of probation, some at risk, some through it, some gone.

Idempotent: nothing is added when the demo agency already has check-ins. Dates are relative to today, so the
probation report and the at-risk list look alive whenever the demo is loaded.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from checkins import schedule
from checkins.models import CandidateFollowUp, CheckIn, Stage
from checkins.services import due_date
from nps.demo import FIRST, JOBS, LAST, address_part
from nps.models import InvitationPlacement
from outreach.models import OutboxStatus
from placements import probation
from placements.models import Contact, Placement

QUIET = "De hiring manager kreeg al een enquête (rustperiode)."
# (how many, days since the start, outcome, how it goes: "good", "mixed" or "bad")
GROUPS = [
    (6, 5, "", "good"),  # the first week
    (2, 6, "", "bad"),  # the first week, and not well: a call is open
    (8, 32, "", "good"),  # halfway
    (3, 34, "", "mixed"),
    (4, 52, "", "good"),  # about to end
    (2, 53, "", "silent"),  # no answer to the last check-in: a call is open
    (12, 100, "stayed", "good"),  # through the probation
    (3, 110, "stayed", "mixed"),
    (5, 90, "left", "bad"),  # left during it
    (3, 62, "", "good"),  # ended a day or two ago without an outcome: the recruiter is asked
]


@transaction.atomic
def seed(*, organisation: Organisation) -> int:
    if CheckIn.objects.filter(organisation=organisation).exists():
        return 0
    rng = random.Random(7)
    today = timezone.localdate()
    recruiters = list(User.objects.filter(organisation=organisation, role=User.Role.RECRUITER).order_by("pk"))
    contacts = list(Contact.objects.filter(organisation=organisation).order_by("pk")[:12])
    if not recruiters or not contacts:
        return 0
    settings = schedule.Settings.of(organisation)
    made = 0
    for count, days, outcome, mood in GROUPS:
        for _ in range(count):
            made += 1
            placement = _placement(rng, organisation, recruiters, contacts, today - datetime.timedelta(days=days), made)
            _checkins(rng, placement, settings, today, outcome, mood)
    return made


def _placement(rng, organisation, recruiters, contacts, start, n) -> Placement:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    contact = contacts[n % len(contacts)]
    contract = rng.choice(["permanent", "permanent", "fixed_term"])
    months = 12 if contract == "fixed_term" else None
    placement = Placement.objects.create(
        organisation=organisation,
        client=contact.client,
        contact=contact,
        recruiter=recruiters[n % len(recruiters)],
        candidate_name=f"{first} {last}",
        candidate_email=f"{address_part(first)}.{address_part(last)}.{n}@kandidaat.example",
        candidate_phone=f"06-{rng.randint(10000000, 99999999)}",
        candidate_language="en" if n % 11 == 0 else "nl",
        contract_type=contract,
        contract_months=months,
        probation_end_date=probation.legal_end(start, contract, months),
        job_title=rng.choice(JOBS),
        start_date=start,
        status=Placement.Status.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=max((timezone.localdate() - start).days, 1)),
    )
    # These hiring managers were surveyed about an earlier placement: this one falls in the quiet period.
    InvitationPlacement.objects.create(placement=placement, skipped_reason=QUIET)
    return placement


def _scores(rng, mood) -> dict:
    if mood == "good":
        how, exp, nps = rng.choice([4, 5, 5]), lambda: rng.choice([3, 4, 4, 5, None]), rng.choice([8, 9, 9, 10])
    elif mood == "mixed":
        how, exp, nps = 3, lambda: rng.choice([2, 3, 4, None]), rng.choice([6, 7, 8])
    else:
        how, exp, nps = rng.choice([1, 2]), lambda: rng.choice([1, 2, 3]), rng.choice([2, 4, 5])
    values = {"how_going": how, "candidate_nps": nps}
    values |= {name: exp() for name in ("exp_role", "exp_workload", "exp_team", "exp_manager")}
    if mood == "bad":
        values["exp_workload"] = 1
        values["message"] = rng.choice(
            ["De werkdruk is veel hoger dan in het gesprek leek.", "Ik word nauwelijks ingewerkt.", ""]
        )
    return values


def _checkins(rng, placement, settings, today, outcome, mood):
    now = timezone.now()
    end = placement.probation_end_date
    for stage, day in schedule.planned(placement.start_date, end, settings):
        if day > today or (outcome == "left" and stage == Stage.BEFORE_END):
            break
        sent_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 5)))
        last = stage == Stage.BEFORE_END
        expires = sent_at + datetime.timedelta(days=5)
        answered = mood != "silent" and rng.random() < 0.85
        checkin = CheckIn.objects.create(
            organisation=placement.organisation,
            placement=placement,
            recruiter=placement.recruiter,
            stage=stage,
            planned_on=day,
            language=placement.candidate_language,
            send_after=sent_at,
            status=OutboxStatus.SENT if expires > now else OutboxStatus.EXPIRED,
            sent_at=sent_at,
            expires_at=expires,
            answered_at=sent_at + datetime.timedelta(hours=rng.randint(1, 40)) if answered else None,
            **(_scores(rng, mood) if answered else {}),
        )
        low = answered and (checkin.how_going <= 2 or min(v or 5 for v in checkin.expectations.values()) <= 2)
        if low or (mood == "silent" and last):
            CandidateFollowUp.objects.create(
                organisation=placement.organisation,
                placement=placement,
                checkin=checkin,
                owner=placement.recruiter,
                low_how_going=bool(answered and checkin.how_going <= 2),
                low_expectations=[n for n, v in checkin.expectations.items() if v is not None and v <= 2]
                if answered
                else [],
                no_answer=not answered,
                due_date=due_date(placement, min(today, day + datetime.timedelta(days=5))),
                status=CandidateFollowUp.Status.OPEN if not outcome else CandidateFollowUp.Status.DONE,
                situation="" if not outcome else "Besproken; afspraken gemaakt over inwerken.",
                notified_at=now,
                closed_at=now if outcome else None,
            )
    if outcome:
        Placement.objects.filter(pk=placement.pk).update(
            probation_outcome=outcome,
            left_on=placement.start_date + datetime.timedelta(days=rng.randint(20, 50)) if outcome == "left" else None,
            ended_by=rng.choice(["candidate", "employer", "both", "candidate"]) if outcome == "left" else "",
            leave_reason=rng.choice(["role", "workload", "team", "other_job"]) if outcome == "left" else "",
            outcome_recorded_at=now,
            outcome_recorded_by=placement.recruiter,
        )
