"""Check-ins: the daily planning, the candidates' outbox, answering, early warnings and the follow-up call."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from checkins import emails, schedule
from checkins.models import EXPECTATIONS, CandidateFollowUp, CheckIn, CheckInToken, Stage
from evalportal import mail
from evalportal.working_days import add_working_days, is_working_day
from outreach import outbox
from outreach.models import OutboxStatus
from placements.models import Placement
from placements.services import candidate_opt_out

log = logging.getLogger(__name__)

# A check-in takes answers this long after sending; the last one at the latest two days before the probation
# ends, so that a silence still leaves time to call.
ANSWER_DAYS = 5
REMINDER_AFTER_DAYS = 2
LOW = 2  # "how is it going" or an expectation at or below this opens a follow-up
FOLLOWUP_WORKING_DAYS = 2
# The recruiter is asked for the outcome of a probation that ended at most this long ago (not for old ones).
ASK_OUTCOME_WITHIN_DAYS = 14
NOT_SENT_ENDED = _("Not sent: the placement ended or the candidate opted out.")
CHECKIN_CLOSED = _("This check-in is closed.")
HOW_GOING_REQUIRED = _("Please answer the first question (1 to 5).")
CONSENT_NEEDS_TEXT = _("Write down what the client may be told, or choose that nothing goes to the client.")
# The placements that get check-ins: a candidate to write to, who did not opt out, has not left, and is not
# anonymised, on a placement that was not cancelled.
ACTIVE = (
    ~Q(candidate_email="")
    & Q(candidate_opted_out_at__isnull=True, probation_outcome="", left_on__isnull=True, anonymised_at__isnull=True)
    & ~Q(status=Placement.Status.CANCELLED)
)


def ended(placement: Placement) -> bool:
    return not placement.candidate_email or bool(
        placement.candidate_opted_out_at
        or placement.left_on
        or placement.status == Placement.Status.CANCELLED
        or placement.anonymised_at
    )


def _expires_at(row: CheckIn, sent_at: datetime.datetime) -> datetime.datetime:
    expires = sent_at + datetime.timedelta(days=ANSWER_DAYS)
    end = row.placement.probation_end_date
    if row.stage == Stage.BEFORE_END and end:
        latest = timezone.make_aware(datetime.datetime.combine(end - datetime.timedelta(days=2), datetime.time(23, 59)))
        expires = max(min(expires, latest), sent_at + datetime.timedelta(days=1))
    return expires


def _send_task():
    from checkins.tasks import checkin_send

    return checkin_send


def _remind_task():
    from checkins.tasks import checkin_remind

    return checkin_remind


CHECKINS = outbox.Outbox(
    name="checkin",
    model=CheckIn,
    token_model=CheckInToken,
    link_field="checkin",
    related=("placement__client", "recruiter", "organisation"),
    message=lambda row, token, kind, sequence: emails.checkin_message(
        checkin=row, token=token, kind=kind, sequence=sequence
    ),
    opted_out=lambda row: ended(row.placement),
    opt_out=lambda row: candidate_opt_out(placement=row.placement),
    opted_out_reason=NOT_SENT_ENDED,
    expires_at=_expires_at,
    send_task=_send_task,
    remind_task=_remind_task,
    max_reminders=1,
    reminder_after_days=REMINDER_AFTER_DAYS,
    answer_url_name="checkins:checkin",
    session_key="checkins",
    unsubscribe_template="checkins/unsubscribe.html",
    unsubscribed_template="checkins/unsubscribed.html",
    context=lambda row: {
        "organisation": row.organisation,
        "checkin": row,
        "t": emails.texts(row, language=row.language),
    },
)


def _page_context(row: CheckIn) -> dict:
    """The unsubscribe pages' context, in the language the page is shown in."""
    return {
        "organisation": row.organisation,
        "checkin": row,
        "t": emails.texts(row, language=translation.get_language()),
    }


# -- the daily job ------------------------------------------------------------------------------------------


def checkins_plan(*, now: datetime.datetime | None = None, batch: int = 2000) -> dict:
    """Create today's check-ins, warn about silences before the probation ends, ask for missing outcomes.

    A check-in row is made on the working day its stage comes due (schedule.due), so a start date or a
    probation end that moved moves every check-in not yet sent, and no row waits for weeks. The sweep sends
    the new rows. Each batch of placements costs the same few queries, whatever their number.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = _create_due(now=now, today=today, batch=batch) if is_working_day(today) else 0
    return {
        "created": created,
        "no_answer": _warn_silences(now=now),
        "outcome_asked": _ask_outcomes(now=now, today=today),
    }


def _create_due(*, now, today, batch: int) -> int:
    settings = {o.pk: schedule.Settings.of(o) for o in Organisation.objects.all()}
    earliest_start = today - datetime.timedelta(days=3 * 366)  # no probation is longer than a few months
    candidates = (
        Placement.objects.filter(ACTIVE, start_date__lte=today, start_date__gte=earliest_start)
        .filter(
            Q(probation_end_date__gte=today)
            | Q(probation_end_date__isnull=True, start_date__gte=today - datetime.timedelta(days=30))
        )
        .order_by("pk")
        .values_list("pk", "organisation_id", "recruiter_id", "start_date", "probation_end_date", "candidate_language")
    )
    created, last = 0, 0
    while True:
        rows = list(candidates.filter(pk__gt=last)[:batch])
        if not rows:
            return created
        last = rows[-1][0]
        due = {}
        for pk, organisation_id, recruiter_id, start, end, language in rows:
            stage = schedule.due(start, end, settings[organisation_id], today)
            if stage:
                due[pk] = (organisation_id, recruiter_id, language, *stage)
        if not due:
            continue
        existing = set(CheckIn.objects.filter(placement_id__in=list(due)).values_list("placement_id", "stage"))
        new = [
            (organisation_id, pk, recruiter_id, language, stage, day)
            for pk, (organisation_id, recruiter_id, language, stage, day) in due.items()
            if (pk, stage) not in existing
        ]
        created += _insert_checkins(new, now=now)


# The columns a new check-in gets besides what the schedule decides; the rest are NULL.
_NEW_ROW = {"status": OutboxStatus.SCHEDULED, "attempts": 0, "last_error": "", "reminders_sent": 0, "message": ""}


def _insert_checkins(rows: list[tuple], *, now, chunk: int = 500) -> int:
    """Insert new check-ins and return how many were written. A row that exists (one per placement and stage)
    is left as it is, so a second run of the job on the same day, or two at once, creates nothing twice.

    Plain SQL rather than bulk_create: on the job's first day at 100,000 placements, building and preparing a
    model instance per row was most of its time. ON CONFLICT ... DO NOTHING is PostgreSQL's and SQLite's.
    """
    if not rows:
        return 0
    table = connection.ops.quote_name(CheckIn._meta.db_table)
    columns = ["organisation_id", "placement_id", "recruiter_id", "language", "stage", "planned_on"]
    columns += ["send_after", "created_at", "call_requested", *_NEW_ROW]
    ops = connection.ops  # values as the ORM would store them (SQLite keeps datetimes as UTC text)
    moment = ops.adapt_datetimefield_value(now)
    fixed = [moment, moment, False, *_NEW_ROW.values()]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([placeholders] * len(part))} "  # noqa: S608 - names are ours
                "ON CONFLICT (placement_id, stage) DO NOTHING",
                [value for row in part for value in (*row[:5], ops.adapt_datefield_value(row[5]), *fixed)],
            )
            inserted += cursor.rowcount  # the rows written, not those another run had made
    return inserted


def _warn_silences(*, now) -> int:
    """The last check-in before the probation ends went unanswered: the recruiter calls before the end."""
    silent = CheckIn.objects.filter(
        stage=Stage.BEFORE_END,
        answered_at__isnull=True,
        status__in=[OutboxStatus.SENT, OutboxStatus.EXPIRED],
        expires_at__lte=now,
        followup__isnull=True,
    ).filter(Q(placement__probation_end_date__gte=timezone.localdate(now)))
    opened = 0
    for checkin in silent.select_related("placement").filter(
        placement__probation_outcome="", placement__candidate_opted_out_at__isnull=True
    )[:1000]:
        with transaction.atomic():
            if _open_followup(checkin, no_answer=True):
                opened += 1
    return opened


def _ask_outcomes(*, now, today) -> int:
    """The day after a probation ended without an outcome, its recruiter is asked (one email per recruiter)."""
    due = Placement.objects.filter(
        probation_end_date__lt=today,
        probation_end_date__gte=today - datetime.timedelta(days=ASK_OUTCOME_WITHIN_DAYS),
        probation_outcome="",
        outcome_asked_at__isnull=True,
        anonymised_at__isnull=True,
    ).exclude(status=Placement.Status.CANCELLED)
    asked = 0
    by_recruiter: dict[int, list[int]] = {}
    for pk, recruiter_id in due.values_list("pk", "recruiter_id"):
        by_recruiter.setdefault(recruiter_id, []).append(pk)
    for recruiter_id, ids in by_recruiter.items():
        # The claim first: a second run or a second worker asks nobody twice.
        Placement.objects.filter(pk__in=ids, outcome_asked_at__isnull=True).update(outcome_asked_at=now)
        placements = list(
            Placement.objects.filter(pk__in=ids, outcome_asked_at=now)
            .select_related("client")
            .order_by("probation_end_date")
        )
        if not placements:
            continue
        recruiter = User.objects.get(pk=recruiter_id)
        try:
            mail.deliver(emails.outcome_ask_message(recruiter=recruiter, placements=placements))
        except Exception:
            Placement.objects.filter(pk__in=[p.pk for p in placements]).update(outcome_asked_at=None)
            raise
        asked += len(placements)
    return asked


# -- answering ----------------------------------------------------------------------------------------------


def is_open(checkin: CheckIn, now=None) -> bool:
    return checkin.is_open(now or timezone.now()) and not ended(checkin.placement)


def scale_choice(value, low: int, high: int) -> int | None:
    """A posted point on a scale from low to high; None when left empty. Also the exit questionnaire's."""
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise ValidationError(_("Choose a value from %(low)d to %(high)d.") % {"low": low, "high": high})
    return int(value)


def parse_answers(post) -> tuple[dict, dict]:
    """The posted answers and the errors, per field; what was posted is kept by the page as typed."""
    values, errors = {}, {}
    for name, low, high in [("how_going", 1, 5), *((e, 1, 5) for e in EXPECTATIONS), ("candidate_nps", 0, 10)]:
        try:
            values[name] = scale_choice(post.get(name), low, high)
        except ValidationError as error:
            errors[name] = error.messages[0]
    if values.get("how_going") is None and "how_going" not in errors:
        errors["how_going"] = str(HOW_GOING_REQUIRED)
    message = post.get("message", "")
    if "\x00" in message:
        errors["message"] = str(_("The text contains a character that is not allowed."))
    values["message"] = message.strip()[:5000]
    values["call_requested"] = post.get("call_requested") == "1"
    return values, errors


@transaction.atomic
def checkin_answer(*, checkin_id: int, answers: dict) -> CheckIn:
    """Store the candidate's answers (again, while the check-in is open) and open a follow-up when needed."""
    now = timezone.now()
    checkin = CheckIn.objects.select_for_update(of=("self",)).select_related("placement").get(pk=checkin_id)
    if not is_open(checkin, now):
        raise ValidationError(CHECKIN_CLOSED, code="closed")
    for name, value in answers.items():
        setattr(checkin, name, value)
    checkin.answered_at = checkin.answered_at or now
    checkin.save(update_fields=[*answers, "answered_at"])
    low_expectations = [name for name in EXPECTATIONS if (answers.get(name) or LOW + 1) <= LOW]
    if answers["how_going"] <= LOW or low_expectations or answers["call_requested"]:
        _open_followup(
            checkin,
            low_how_going=answers["how_going"] <= LOW,
            low_expectations=low_expectations,
            call_requested=answers["call_requested"],
        )
    return checkin


def due_date(placement: Placement, today: datetime.date) -> datetime.date:
    """Two working days from today, and always before the probation ends."""
    due = add_working_days(today, FOLLOWUP_WORKING_DAYS)
    end = placement.probation_end_date
    if end and due >= end:
        due = max(today, end - datetime.timedelta(days=1))
    return due


def _open_followup(checkin: CheckIn, **reasons) -> bool:
    """One follow-up per check-in: opened once, its reasons added to when the candidate answers again."""
    existing = CandidateFollowUp.objects.select_for_update().filter(checkin=checkin).first()
    if existing:
        newly_asked = reasons.get("call_requested", False) and not existing.call_requested
        existing.low_how_going |= reasons.get("low_how_going", False)
        existing.low_expectations = sorted(set(existing.low_expectations) | set(reasons.get("low_expectations", [])))
        existing.call_requested |= reasons.get("call_requested", False)
        fields = ["low_how_going", "low_expectations", "call_requested", "updated_at"]
        if newly_asked:  # "Bel mij" is news even when a call is open, or was done: the recruiter hears it again
            existing.notified_at = None
            existing.status = CandidateFollowUp.Status.OPEN
            existing.closed_at = None
            fields += ["notified_at", "status", "closed_at"]
            transaction.on_commit(lambda: _queue_notify(existing.pk))
        existing.save(update_fields=fields)
        return False
    followup = CandidateFollowUp.objects.create(
        organisation_id=checkin.organisation_id,
        placement_id=checkin.placement_id,
        checkin=checkin,
        owner_id=checkin.recruiter_id,
        due_date=due_date(checkin.placement, timezone.localdate()),
        **reasons,
    )
    transaction.on_commit(lambda: _queue_notify(followup.pk))
    return True


def _queue_notify(followup_id: int) -> None:
    from checkins.tasks import followup_notify as task

    try:
        task.delay(followup_id)
    except Exception as exc:  # noqa: BLE001 - the follow-up is on the recruiter's list either way
        log.warning("candidate follow-up %s alert not queued (%s)", followup_id, exc.__class__.__name__)


def followup_notify(*, followup_id: int) -> bool:
    """Email the recruiter once."""
    return outbox.deliver_once(
        CandidateFollowUp.objects.filter(pk=followup_id),
        field="notified_at",
        build=lambda: emails.followup_alert_message(
            followup=CandidateFollowUp.objects.select_related("owner", "placement__client", "checkin").get(
                pk=followup_id
            )
        ),
    )


@transaction.atomic
def followup_record(*, followup: CandidateFollowUp, user: User, **fields) -> CandidateFollowUp:
    """Record the call: what is going on, what would help, and whether (and what) the client may be told."""
    locked = CandidateFollowUp.objects.select_for_update().get(pk=followup.pk)
    consent_before = locked.consent
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if locked.consent == CandidateFollowUp.Consent.YES and not locked.client_may_know:
        raise ValidationError({"client_may_know": CONSENT_NEEDS_TEXT})
    if locked.consent != CandidateFollowUp.Consent.YES:
        locked.client_may_know = ""
    if locked.consent != consent_before:
        locked.consent_recorded_at = timezone.now() if locked.consent != CandidateFollowUp.Consent.NOT_ASKED else None
    closed = locked.status not in CandidateFollowUp.OPEN_STATUSES
    locked.closed_at = (locked.closed_at or timezone.now()) if closed else None
    locked.full_clean(exclude=["organisation", "placement", "checkin", "owner"])
    locked.save()
    return locked


def checkins_stop_for_placement(*, placement: Placement) -> int:
    """The placement ended (the candidate left, or it was cancelled): unsent check-ins are cancelled."""
    return CheckIn.objects.filter(placement=placement, status=OutboxStatus.SCHEDULED).update(
        status=OutboxStatus.CANCELLED, cancelled_at=timezone.now(), last_error=str(NOT_SENT_ENDED)
    )
