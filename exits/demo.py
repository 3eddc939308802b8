"""Demo exit feedback: a year of leavers, mostly at one client through one recruiter, so that some themes pass
the threshold and others stay hidden; a change made after a pattern, one that held and one that did not;
reflections on the selection for the demo recruiter.

Idempotent: nothing is added when the demo agency already has exit feedback. Quarters are relative to today.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from exits import patterns
from exits.models import ExitFeedback, ExitTheme, RecruitmentChange, SelectionReflection, quarter_of
from nps.demo import FIRST, LAST, address_part
from placements.models import Contact, Placement

# (quarters ago, how many, the themes every one of them names, the other themes they may name)
COHORTS = [
    (3, 4, ["workload_peaks"], ["know_workload", "skill_pressure"]),
    (2, 3, ["vacancy_tasks"], ["know_culture", "team_onboarding"]),
    (1, 5, ["vacancy_tasks", "team_onboarding"], ["dev_training", "workload_higher"]),
    (0, 3, ["dev_career"], ["know_growth", "team_manager"]),
]
NOTES = {
    "vacancy_text": "Veel meer administratie dan de vacature beloofde.",
    "workload_text": "In de piekweken was overwerk normaal; dat werd in het gesprek niet genoemd.",
    "team_text": "Het inwerken was er eigenlijk niet.",
}


def _quarter_start(today: datetime.date, ago: int) -> datetime.date:
    month = (today.month - 1) // 3 * 3 + 1 - 3 * ago
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


@transaction.atomic
def seed(*, organisation: Organisation) -> int:
    if ExitFeedback.objects.filter(organisation=organisation).exists():
        return 0
    rng = random.Random(11)
    today = timezone.localdate()
    recruiter = User.objects.filter(organisation=organisation, email="recruiter@demo.evalportal.nl").first()
    others = list(
        User.objects.filter(organisation=organisation, role=User.Role.RECRUITER).exclude(
            pk=getattr(recruiter, "pk", None)
        )
    )
    contacts = list(Contact.objects.filter(organisation=organisation).select_related("client").order_by("pk")[:6])
    if recruiter is None or len(contacts) < 2:
        return 0
    main, rest = contacts[0], contacts[1:]
    made = 0
    for ago, count, shared, extra in COHORTS:
        start = _quarter_start(today, ago)
        for i in range(count):
            left_on = min(start + datetime.timedelta(days=10 + 20 * i), today)
            made += _leaver(rng, recruiter, main, left_on, shared + rng.sample(extra, 1), made, link=i % 2 == 0)
        # one leaver elsewhere each quarter: alone in their group, so counted nowhere
        made += _leaver(
            rng,
            rng.choice(others or [recruiter]),
            rng.choice(rest),
            start + datetime.timedelta(days=15),
            shared,
            made,
            link=False,
        )
    client = main.client
    RecruitmentChange.objects.create(
        organisation=organisation,
        client=client,
        theme="workload_peaks",
        kind="peaks",
        description="De piekweken in maart en september staan nu met uren per week in de vacaturetekst.",
        quarter=quarter_of(_quarter_start(today, 3)),
        created_by=recruiter,
    )
    RecruitmentChange.objects.create(
        organisation=organisation,
        client=client,
        theme="vacancy_tasks",
        kind="vacancy_text",
        description="Vacaturetekst herschreven met de hiring manager: het aandeel administratie staat erin.",
        quarter=quarter_of(_quarter_start(today, 2)),
        created_by=recruiter,
    )
    patterns.rebuild_all(organisation.pk)
    return made


def _leaver(rng, recruiter, contact, left_on, themes, n, *, link: bool) -> int:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    start = left_on - datetime.timedelta(days=rng.randint(25, 50))
    placement = Placement.objects.create(
        organisation=recruiter.organisation,
        client=contact.client,
        contact=contact,
        recruiter=recruiter,
        candidate_name=f"{first} {last}",
        candidate_email=f"{address_part(first)}.{address_part(last)}.vertrek{n}@kandidaat.example",
        job_title="Planner",
        job_family="Logistiek",
        contract_type="permanent",
        start_date=start,
        probation_end_date=start + datetime.timedelta(days=60),
        probation_outcome="left",
        left_on=left_on,
        ended_by=rng.choice(["candidate", "candidate", "both"]),
        leave_reason=rng.choice(["role", "workload", "team"]),
        status=Placement.Status.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=(timezone.localdate() - start).days),
        outcome_recorded_at=timezone.now(),
        outcome_recorded_by=recruiter,
    )
    feedback = ExitFeedback.objects.create(
        organisation=placement.organisation,
        placement=placement,
        source="link" if link else rng.choice(["conversation", "hr_catch_up"]),
        entered_by=None if link else recruiter,
        quarter=quarter_of(left_on),
        client=contact.client,
        recruiter=recruiter,
        job_family="logistiek",
        vacancy_score=rng.choice([1, 2, 2, 3]),
        workload_score=rng.choice([1, 2, 3]),
        team_score=rng.choice([2, 3, 4]),
        themes=themes,
        employer_nps=rng.choice([3, 6, 7, 8, 9, 9, 10]),
        answered_at=timezone.make_aware(datetime.datetime.combine(left_on, datetime.time(12))),
        **{k: v for k, v in NOTES.items() if rng.random() < 0.5},
    )
    ExitTheme.objects.bulk_create([ExitTheme(feedback=feedback, theme=t) for t in themes])
    if recruiter.email == "recruiter@demo.evalportal.nl" and n % 3 == 0:
        SelectionReflection.objects.create(
            organisation=placement.organisation,
            placement=placement,
            signals_seen=n % 2 == 0,
            signals_text="In het tweede gesprek twijfelde de kandidaat over de piekweken; ik heb niet doorgevraagd."
            if n % 2 == 0
            else "",
            recorded_by=recruiter,
        )
    return 1
