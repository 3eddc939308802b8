"""Demo vacancies of the last year with the candidates introduced for them: most heard back, some still wait
(for the demo recruiter too, so the daily list has them), and the candidates' experience surveys answered, so
the closure report shows every touchpoint. Idempotent; dates are relative to today.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from applicants.models import CandidateFeedback, CandidateSurvey, Touchpoint
from applicants.services import email_digest, touchpoint_of
from nps.demo import FIRST, LAST, address_part
from outreach.models import OutboxStatus
from placements import applicants
from placements.importer import IMPORT_INTEGRATION
from placements.models import Applicant, Client, Integration, Stage, Vacancy
from placements.services import client_ensure

TITLES = ["Monteur", "Planner", "Accountmanager", "Financieel administrateur", "Verpleegkundige", "Data-analist"]
COMMENTS = [
    "Snel en eerlijk antwoord gekregen, ook al was het nee.",
    "Ik hoorde pas na drie weken iets.",
    "De feedback na het gesprek was concreet; daar heb ik wat aan.",
    "Jammer dat niemand vertelde waarom het niet doorging.",
]


def _stage(rng: random.Random, closed: bool) -> str:
    roll = rng.random()
    if roll < 0.45:
        return Stage.REJECTED
    if roll < 0.6:
        return Stage.WITHDRAWN
    if roll < 0.75 or not closed:
        return Stage.INTERVIEWED
    return Stage.REJECTED


@transaction.atomic
def seed(*, organisation: Organisation) -> int:
    if Vacancy.objects.filter(organisation=organisation).exists():
        return 0
    rng = random.Random(22)
    today = timezone.localdate()
    recruiter = User.objects.filter(organisation=organisation, email="recruiter@demo.evalportal.nl").first()
    recruiters = list(User.objects.filter(organisation=organisation, role=User.Role.RECRUITER).order_by("pk"))
    clients = list(Client.objects.filter(organisation=organisation).order_by("pk")[:8]) or [
        client_ensure(organisation=organisation, name="Van 't Hoff & Zn")
    ]
    if not recruiters:
        return 0
    integration, _new = Integration.objects.get_or_create(organisation=organisation, name=IMPORT_INTEGRATION)
    made = 0
    for n in range(36):
        opened = today - datetime.timedelta(days=12 + 10 * n)
        owner = recruiter if n % 3 == 0 and recruiter else recruiters[n % len(recruiters)]
        closed = n > 3
        vacancy, _created = applicants.vacancy_upsert(
            integration=integration,
            external_id=f"DEMO-{n + 1:03d}",
            client=clients[n % len(clients)],
            recruiter=owner,
            title=TITLES[n % len(TITLES)],
            opened_on=opened,
        )
        rows = []
        for i in range(rng.randint(4, 12)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            introduced = opened + datetime.timedelta(days=rng.randint(0, 8))
            stage = _stage(rng, closed)
            stage_on = min(introduced + datetime.timedelta(days=rng.randint(3, 25)), today)
            # Most rejections are told; some are not (the loops the list shows).
            told = stage in (Stage.REJECTED,) and rng.random() < 0.9
            rows.append(
                {
                    "external_id": f"K{n + 1:03d}-{i + 1}",
                    "name": f"{first} {last}",
                    "email": f"{address_part(first)}.{address_part(last)}.{n}{i}@example.nl",
                    "stage": stage,
                    "introduced_on": introduced,
                    "stage_on": stage_on,
                    "interviewed": rng.random() < 0.5,
                    **({"told_on": stage_on} if told else {}),
                }
            )
        if closed:
            hire_on = min(opened + datetime.timedelta(days=30), today)
            rows.append(
                {
                    "external_id": f"K{n + 1:03d}-hire",
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "email": "",
                    "stage": Stage.HIRED,
                    "introduced_on": min(opened + datetime.timedelta(days=2), hire_on),
                    "stage_on": hire_on,
                }
            )
        applicants.applicants_upsert(vacancy=vacancy, rows=rows, today=today)
        made += len(rows)
    _answers(organisation, rng, today)
    return made


def _answers(organisation: Organisation, rng: random.Random, today: datetime.date) -> None:
    """Surveys of past answers as if sent and answered: about half of those told answered."""
    now = timezone.now()
    told = Applicant.objects.filter(organisation=organisation, told_on__isnull=False).exclude(email="")
    for applicant in told.select_related("vacancy"):
        touchpoint = touchpoint_of(applicant)
        if touchpoint in (None, Touchpoint.HIRED):
            continue
        answered = rng.random() < 0.55
        survey = CandidateSurvey.objects.create(
            organisation=organisation,
            applicant=applicant,
            recruiter_id=applicant.vacancy.recruiter_id,
            touchpoint=touchpoint,
            email_digest=email_digest(applicant.email),
            language=applicant.language,
            send_after=now,
            status=OutboxStatus.SENT,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=14),
            answered_at=now if answered else None,
        )
        if not answered:
            continue
        low = touchpoint == Touchpoint.REJECTED_INTRODUCTION and rng.random() < 0.5
        CandidateFeedback.objects.create(
            organisation=organisation,
            survey=survey,
            recruiter_id=survey.recruiter_id,
            client_id=applicant.vacancy.client_id,
            touchpoint=touchpoint,
            clear_answer=not low or rng.random() < 0.3,
            feedback_useful=rng.randint(1, 3) if low else rng.randint(3, 5),
            nps=rng.randint(2, 6) if low else rng.randint(6, 10),
            comment=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
            answered_on=min(applicant.told_on + datetime.timedelta(days=2), today),
        )
