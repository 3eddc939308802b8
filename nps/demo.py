"""Realistic demo data for the running app: an agency with two teams.

Idempotent: people, clients and surveys are found by natural keys before
they are created, and the placement history is only generated when the
demo organisation has none, so running seed_demo twice leaves the same rows.
Scores differ per recruiter and drift over the 18 months.
"""

import datetime
import io
import random
import unicodedata

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts import demo
from accounts.models import Organisation, User
from accounts.services import team_ensure, user_ensure
from evalportal.working_days import add_working_days
from nps.models import Answer, FollowUp, Invitation, InvitationPlacement, Response
from placements.models import Client, Contact, Placement
from surveys import services as survey_services
from surveys.models import DefaultSurvey, Survey, Topic

CLIENTS = [
    "Van der Berg Installatietechniek",
    "Noordzee Logistiek",
    "Bakkerij De Gouden Korenaar",
    "Hoogland Bouw",
    "Stichting Zorgpunt Utrecht",
    "Rijnmond Haven Services",
    "De Vries Accountants",
    "TechnoVision Eindhoven",
    "Groene Weide Zuivel",
    "Amstel Advocaten",
    "Brabant Metaalbewerking",
    "Delta Energie",
    "Fietsfabriek Batavus-Noord",
    "Kustlijn Hotels",
    "Meridiaan Software",
    "Zuidas Vastgoed",
    "Polder Agri Solutions",
    "Gemeente Vleuten",
    "Het Fries Museum",
    "Orion Medical Devices",
    "Veenstra Transport",
    "Maasvlakte Chemie",
    "Studio Oranje Design",
    "Twente Textiel",
    "Helder Water Zuivering",
    "Limburgse Bierbrouwerij",
    "Scheveningen Offshore",
    "Kasteel Facilitair",
    "Drenthe Duurzaam",
    "Waterland Verzekeringen",
    "Overijssel Techniek",
    "Utrechtse Hogeschool",
    "Randstad Retail Groep",
    "Nijmegen Biotech",
    "Zeeuwse Mosselhandel",
    "Flevo Windpark",
    "Groningen Data Center",
    "Alkmaar Kaasmakerij",
    "Leidse Onderwijsgroep",
    "Haarlem Horeca Holding",
]
FIRST = [
    "Anouk",
    "Bas",
    "Chantal",
    "Dirk",
    "Esther",
    "Frank",
    "Gerda",
    "Hans",
    "Inge",
    "Joost",
    "Karin",
    "Lars",
    "Mirjam",
    "Niels",
    "Olga",
    "Paul",
    "Renate",
    "Sander",
    "Tamara",
    "Wim",
    "Yvonne",
    "Zoë",
    "Ruud",
    "Fleur",
]
LAST = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "van 't Hoff",
    "El Idrissi",
    "Yılmaz",
    "Nguyen",
]
JOBS = [
    "Werkvoorbereider",
    "Controller",
    "Servicemonteur",
    "HR-adviseur",
    "Projectleider",
    "Data-analist",
    "Verpleegkundige",
    "Logistiek planner",
    "Accountmanager",
    "Software-ontwikkelaar",
    "Financieel medewerker",
    "Teamleider productie",
    "Inkoper",
    "Juridisch medewerker",
    "Elektrotechnicus",
]
COMMENTS_LOW = [
    "De terugkoppeling na gesprekken duurde te lang.",
    "Kandidaten pasten niet goed bij het profiel.",
    "Moeilijk bereikbaar in de laatste fase.",
    "Het proces duurde langer dan afgesproken.",
]
COMMENTS_HIGH = [
    "Snel geschakeld en goede kandidaten.",
    "Prettige samenwerking, duidelijke communicatie.",
    "Precies de juiste persoon gevonden.",
    "",
]
# Per recruiter: a base NPS tendency and a drift per month (positive = improving).
PROFILES = [(8.6, 0.02), (7.4, 0.05), (6.2, 0.08), (8.0, -0.04), (7.0, 0.0), (5.8, 0.1)]


@transaction.atomic
def seed(*, placements: int = 600) -> dict:
    organisation, _ = Organisation.objects.get_or_create(name=demo.DEMO_ORGANISATION)
    email, first, last, role = demo.ADMIN
    admin = user_ensure(
        organisation=organisation, email=email, first_name=first, last_name=last, role=role, password=demo.DEMO_PASSWORD
    )
    recruiters = []
    for team_name, people in demo.TEAMS.items():
        lead = user_ensure(organisation=organisation, **_person(people["lead"]), password=demo.DEMO_PASSWORD)
        members = [
            user_ensure(organisation=organisation, **_person(p), password=demo.DEMO_PASSWORD)
            for p in people["recruiters"]
        ]
        team_ensure(organisation=organisation, name=team_name, leads=[lead], members=members)
        recruiters.extend(members)
    online, live = _surveys(organisation, admin)
    clients = [Client.objects.get_or_create(organisation=organisation, name=name)[0] for name in CLIENTS]
    if not Placement.objects.filter(organisation=organisation).exists():
        _history(organisation, recruiters, clients, online, live, placements)
        # reporting's command, called by name: nps does not import the apps after it.
        call_command("rebuild_summaries", organisation=organisation.pk, verbosity=0, stdout=io.StringIO())
    _evaluation(organisation)
    # The candidates in probation, the leavers and the introduced candidates (checkins, exits, applicants: called
    # by name for the same reason); none adds anything a second time.
    call_command("seed_checkins_demo", organisation=organisation.pk, verbosity=0, stdout=io.StringIO())
    call_command("seed_exits_demo", organisation=organisation.pk, verbosity=0, stdout=io.StringIO())
    call_command("seed_applicants_demo", organisation=organisation.pk, verbosity=0, stdout=io.StringIO())
    return {
        "users": User.objects.filter(organisation=organisation).count(),
        "clients": Client.objects.filter(organisation=organisation).count(),
        "hiring managers": Contact.objects.filter(organisation=organisation).count(),
        "placements": Placement.objects.filter(organisation=organisation).count(),
        "responses": Response.objects.filter(organisation=organisation, completed_at__isnull=False).count(),
        "follow-ups": FollowUp.objects.filter(organisation=organisation).count(),
    }


def _person(row):
    email, first, last, role = row
    return {"email": email, "first_name": first, "last_name": last, "role": role}


def _topics(names):
    return [Topic.objects.get(organisation__isnull=True, name_nl=name) for name in names]


def _surveys(organisation, admin):
    online = Survey.objects.filter(organisation=organisation, name="Evaluatie na plaatsing").first()
    if online is None:
        online = survey_services.survey_create(
            organisation=organisation,
            user=admin,
            name="Evaluatie na plaatsing",
            kind="online",
            intro_nl="Hartelijk dank voor de samenwerking. Wij horen graag hoe u die heeft ervaren.",
            intro_en="Thank you for working with us. We would like to hear how you experienced it.",
            open_question_nl="Wat kunnen wij nog beter doen?",
            open_question_en="What could we do even better?",
            topic_ids=[
                t.pk
                for t in _topics(
                    [
                        "Communicatie",
                        "Deskundigheid",
                        "Proactiviteit",
                        "Intake",
                        "Snelheid van terugkoppeling",
                        "Begeleiding van het selectieproces",
                        "Kwaliteit van de kandidaten",
                        "Tijdspad",
                    ]
                )
            ],
        )
        survey_services.survey_publish(survey=online, user=admin, revision=online.revision)
    if not DefaultSurvey.objects.filter(organisation=organisation, client__isnull=True).exists():
        survey_services.default_survey_set(organisation=organisation, survey=online)
    live = Survey.objects.filter(organisation=organisation, name="Evaluatiegesprek").first()
    if live is None:
        live = survey_services.survey_create(
            organisation=organisation,
            user=admin,
            name="Evaluatiegesprek",
            kind="live",
            topic_ids=[
                t.pk for t in _topics(["Communicatie", "Snelheid van terugkoppeling", "Kwaliteit van de kandidaten"])
            ],
        )
        survey_services.survey_publish(survey=live, user=admin, revision=live.revision)
    if not Survey.objects.filter(organisation=organisation, name="Korte check (concept)").exists():
        survey_services.survey_create(
            organisation=organisation,
            user=admin,
            name="Korte check (concept)",
            kind="online",
            topic_ids=[t.pk for t in _topics(["Samenwerking", "Aansluiting op de functie"])],
        )
    return online.versions.order_by("-number").first(), live.versions.order_by("-number").first()


def _history(organisation, recruiters, clients, version, live_version, count):
    rng = random.Random(42)
    now = timezone.now()
    contacts = []
    for i in range(80):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
        slug = name.lower().replace(" ", ".").replace("'", "").replace("ë", "e").replace("ı", "i")
        contacts.append(
            Contact.objects.create(
                organisation=organisation,
                client=clients[i % len(clients)],
                name=name,
                email=f"{slug}{i}@klant.example",
                phone=f"06-{rng.randint(10000000, 99999999)}",
                language="en" if i % 9 == 0 else "nl",
            )
        )
    version_topics = list(version.topics.all())
    last_sent = {}
    for n in range(count):
        age_days = int((count - n) * 540 / count) + rng.randint(0, 5)
        closed = now - datetime.timedelta(days=age_days)
        recruiter = recruiters[n % len(recruiters)]
        contact = contacts[rng.randrange(len(contacts))]
        placement = Placement.objects.create(
            organisation=organisation,
            client=contact.client,
            contact=contact,
            recruiter=recruiter,
            candidate_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            job_title=rng.choice(JOBS),
            start_date=(closed - datetime.timedelta(days=rng.randint(20, 60))).date(),
            status=Placement.Status.CLOSED if age_days > 1 or n % 3 else Placement.Status.OPEN,
            closed_at=closed if age_days > 1 or n % 3 else None,
        )
        if placement.status == Placement.Status.OPEN:
            continue
        previous = last_sent.get(contact.pk)
        if previous and (closed - previous[1]).days < organisation.quiet_period_days:
            InvitationPlacement.objects.create(
                placement=placement,
                invitation=previous[0],
                skipped_reason="De hiring manager kreeg al een enquête (rustperiode).",
            )
            continue
        sent_at = closed + datetime.timedelta(days=organisation.invitation_delay_days)
        if sent_at > now:
            invitation = Invitation.objects.create(
                organisation=organisation,
                contact=contact,
                recruiter=recruiter,
                survey_version=version,
                language=contact.language,
                send_after=sent_at,
            )
            InvitationPlacement.objects.create(placement=placement, invitation=invitation)
            continue
        invitation = Invitation.objects.create(
            organisation=organisation,
            contact=contact,
            recruiter=recruiter,
            survey_version=version,
            language=contact.language,
            send_after=sent_at,
            status=Invitation.Status.SENT,
            sent_at=sent_at,
            expires_at=sent_at + datetime.timedelta(days=organisation.expiry_days),
        )
        InvitationPlacement.objects.create(placement=placement, invitation=invitation)
        last_sent[contact.pk] = (invitation, sent_at)
        _maybe_answer(
            rng, organisation, invitation, placement, version_topics, recruiters.index(recruiter), age_days, now
        )
    _followups(rng, organisation, live_version, now)


def _maybe_answer(rng, organisation, invitation, placement, version_topics, profile_index, age_days, now):
    roll = rng.random()
    if roll > 0.78:  # about one in five never answers
        if invitation.expires_at < now:
            Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.EXPIRED)
        return
    base, drift = PROFILES[profile_index % len(PROFILES)]
    months_ago = age_days / 30
    mean = base + drift * (18 - months_ago)
    nps = max(0, min(10, round(rng.gauss(mean, 1.6))))
    answered_at = invitation.sent_at + datetime.timedelta(hours=rng.randint(1, 120))
    if answered_at > now:
        answered_at = now - datetime.timedelta(minutes=5)
    partial = roll > 0.74
    response = Response.objects.create(
        organisation=organisation,
        invitation=invitation,
        survey_version=invitation.survey_version,
        recruiter=invitation.recruiter,
        client=placement.client,
        contact=invitation.contact,
        nps_score=None if partial else nps,
        comment="" if partial else rng.choice(COMMENTS_LOW if nps <= 6 else COMMENTS_HIGH),
        completed_at=None if partial else answered_at,
        completed_on=None if partial else timezone.localdate(answered_at),
    )
    answers = []
    for i, vt in enumerate(version_topics):
        if partial and i > 2:
            break
        score = max(1, min(5, round(rng.gauss(1 + (nps / 10) * 4 + (0.3 if vt.dimension == "gedrag" else -0.2), 0.7))))
        answers.append(Answer(response=response, version_topic=vt, topic_id=vt.topic_id, score=score))
    Answer.objects.bulk_create(answers)
    updates = {"opened_at": answered_at}
    if not partial:
        updates["answered_at"] = answered_at
        low = nps <= organisation.low_nps_threshold or min(a.score for a in answers) <= organisation.low_topic_threshold
        if low:
            FollowUp.objects.create(
                organisation=organisation,
                response=response,
                owner=invitation.recruiter,
                low_nps=nps <= organisation.low_nps_threshold,
                low_topics=min(a.score for a in answers) <= organisation.low_topic_threshold,
                call_requested=rng.random() < 0.2,
                due_date=add_working_days(timezone.localdate(answered_at), organisation.followup_due_working_days),
                notified_at=answered_at,
            )
    Invitation.objects.filter(pk=invitation.pk).update(**updates)


def _followups(rng, organisation, live_version, now):
    """Older follow-ups are mostly handled; recent ones open, planned or overdue."""
    needs = [["faster_feedback"], ["reachability"], ["clearer_briefing"], ["faster_feedback", "clearer_briefing"], []]
    for followup in FollowUp.objects.filter(organisation=organisation).select_related("response"):
        age = (now.date() - followup.due_date).days
        if age > 45:
            status = rng.choice(["done", "done", "done", "not_reached", "not_needed"])
        elif age > 0:
            status = rng.choice(["open", "open", "planned", "done", "not_reached"])
        else:
            status = rng.choice(["open", "planned"])
        followup.status = status
        if status in ("done", "not_reached", "not_needed"):
            followup.closed_at = datetime.datetime.combine(
                followup.due_date - datetime.timedelta(days=rng.randint(-3, 3)), datetime.time(11), tzinfo=datetime.UTC
            )
        if status == "planned":
            followup.planned_at = now + datetime.timedelta(days=rng.randint(1, 5))
        if status == "done":
            followup.went_well = "De kandidaat functioneert goed in het team."
            followup.could_be_better = rng.choice(COMMENTS_LOW)
            followup.expectations = "Sneller een eerste shortlist en wekelijks contact."
            followup.client_needs = rng.choice(needs)
            followup.outcome = "Afgesproken: vaste wekelijkse belafspraak tijdens lopende vacatures."
        followup.save()
        if status == "done" and rng.random() < 0.5:
            phone = Response.objects.create(
                organisation=organisation,
                survey_version=live_version,
                channel=Response.Channel.PHONE,
                recruiter_id=followup.owner_id,
                client_id=followup.response.client_id,
                contact_id=followup.response.contact_id,
                nps_score=rng.randint(5, 9),
                completed_at=followup.closed_at,
                completed_on=followup.closed_at.date(),
            )
            Answer.objects.bulk_create(
                [
                    Answer(response=phone, version_topic=vt, topic_id=vt.topic_id, score=rng.randint(2, 5))
                    for vt in live_version.topics.all()
                ]
            )
            FollowUp.objects.filter(pk=followup.pk).update(live_response=phone)


def address_part(text: str) -> str:
    """The local part of a demo address made from a name: ASCII only (ë -> e, ı -> i), so the email can be
    sent without SMTPUTF8; no spaces or apostrophes."""
    folded = unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", "").replace("'", "")


def _evaluation(organisation) -> None:
    """The other half of the evaluation: the facts of each closed placement, the recruiters' ratings of their
    clients, and the agreements from the calls, some kept and some not. Nothing when ratings exist."""
    from nps.models import ClientRating, Commitment
    from nps.services.evaluation import commitments_from_followup

    if ClientRating.objects.filter(organisation=organisation).exists():
        return
    rng = random.Random(21)
    now = timezone.now()
    closed = list(Placement.objects.filter(organisation=organisation, status=Placement.Status.CLOSED))
    for placement in closed:
        placement.search_started_on = placement.start_date - datetime.timedelta(days=rng.randint(18, 75))
        placement.candidates_introduced = rng.randint(2, 9)
        placement.client_feedback_days = rng.randint(1, 9) if rng.random() < 0.7 else None
    Placement.objects.bulk_update(closed, ["search_started_on", "candidates_introduced", "client_feedback_days"])
    slow = {c: rng.random() < 0.3 for c in {p.client_id for p in closed}}  # clients that keep a recruiter waiting
    ratings = []
    for placement in closed:
        if rng.random() > 0.8 or placement.closed_at is None:
            continue
        low = slow[placement.client_id]
        ratings.append(
            ClientRating(
                organisation=organisation,
                placement=placement,
                client_id=placement.client_id,
                recruiter_id=placement.recruiter_id,
                briefing=rng.choice([2, 3, 3] if low else [3, 4, 5]),
                feedback_speed=rng.choice([1, 2, 2] if low else [3, 4, 4, 5]),
                reachability=rng.choice([2, 3] if low else [4, 4, 5]),
                decision_speed=rng.choice([1, 2, 3] if low else [3, 4, 5]),
                client_needs=["faster_feedback"] if low else [],
            )
        )
    ClientRating.objects.bulk_create(ratings)
    for followup in FollowUp.objects.filter(organisation=organisation, status=FollowUp.Status.DONE).select_related(
        "response"
    ):
        commitments_from_followup(followup=followup)
        made_on = (followup.response.completed_at or now) + datetime.timedelta(days=3)
        Commitment.objects.filter(followup=followup).update(created_at=min(made_on, now))
    for commitment in Commitment.objects.filter(organisation=organisation):
        roll = rng.random()
        if roll < 0.45:
            status = Commitment.Status.KEPT
        elif roll < 0.7:
            status = Commitment.Status.NOT_KEPT
        else:
            continue
        commitment.status = status
        commitment.resolved_at = min(now, commitment.created_at + datetime.timedelta(days=rng.randint(20, 60)))
        commitment.save(update_fields=["status", "resolved_at"])
