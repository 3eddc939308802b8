"""The introduced candidates' side: the experience survey after the final answer (through the outbox), the alert
about candidates still waiting, and forgetting their contact data on time."""

import datetime
import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from applicants import emails
from applicants.models import CandidateFeedback, CandidateSurvey, CandidateSurveyToken, Touchpoint
from checkins.services import scale_choice
from evalportal import mail
from outreach import outbox
from outreach.models import OutboxStatus
from placements.applicants import open_loops
from placements.models import Applicant, Stage, Vacancy

log = logging.getLogger(__name__)

# The survey goes out the morning after the answer, while the procedure is fresh, and closes well before the
# contact data is anonymised (FORGET_AFTER_DAYS after the answer).
SEND_HOUR = 10
ANSWERED_WITHIN_DAYS = 7  # an older answer (an import of last year's candidates) gets no survey
ANSWER_DAYS = 14
REMINDER_AFTER_DAYS = 5
QUIET_DAYS = 183  # never twice to the same person within six months
FORGET_AFTER_DAYS = 28
LONGEST_KEPT_DAYS = 365
TEXT_MAX = 3000
NOT_SENT = _("Not sent: the candidate opted out, has no email address, or the data was erased.")
NOTHING_ANSWERED = _("Answer at least one question.")
YES_OR_NO = _("Choose yes or no.")
TOO_LONG = _("At most %(max)d characters.")
NUL = _("The text contains a character that is not allowed.")
CLOSED = _("This survey is closed.")


def email_digest(email: str) -> str:
    """A keyed hash of the address: enough to recognise the person again, not to read the address back."""
    return salted_hmac("applicants.email", email.strip().lower(), algorithm="sha256").hexdigest() if email else ""


def touchpoint_of(applicant: Applicant) -> str | None:
    if applicant.stage == Stage.HIRED:
        return Touchpoint.HIRED
    if applicant.stage == Stage.WITHDRAWN:
        return Touchpoint.WITHDRAWN
    if applicant.stage == Stage.REJECTED:
        return Touchpoint.REJECTED_INTERVIEW if applicant.interviewed else Touchpoint.REJECTED_INTRODUCTION
    return None


def _opted_out(survey: CandidateSurvey) -> bool:
    applicant = survey.applicant
    if not applicant.email or applicant.anonymised_at or survey.opted_out_at:
        return True
    return CandidateSurvey.objects.filter(
        organisation_id=survey.organisation_id, email_digest=survey.email_digest, opted_out_at__isnull=False
    ).exists()


def opt_out(survey: CandidateSurvey) -> None:
    """One click: no survey now or later to this address; what is scheduled for it is cancelled."""
    now = timezone.now()
    CandidateSurvey.objects.filter(pk=survey.pk, opted_out_at__isnull=True).update(opted_out_at=now)
    CandidateSurvey.objects.filter(
        organisation_id=survey.organisation_id, email_digest=survey.email_digest, status=OutboxStatus.SCHEDULED
    ).update(status=OutboxStatus.CANCELLED, cancelled_at=now, last_error=str(NOT_SENT))


def _expires_at(row, sent_at: datetime.datetime) -> datetime.datetime:
    return sent_at + datetime.timedelta(days=ANSWER_DAYS)


def _send_task():
    from applicants.tasks import survey_send

    return survey_send


def _remind_task():
    from applicants.tasks import survey_remind

    return survey_remind


CANDIDATES = outbox.Outbox(
    name="candidate",
    model=CandidateSurvey,
    token_model=CandidateSurveyToken,
    link_field="survey",
    related=("applicant__vacancy", "recruiter", "organisation"),
    message=lambda row, token, kind, sequence: emails.survey_message(
        survey=row, token=token, kind=kind, sequence=sequence
    ),
    opted_out=_opted_out,
    opt_out=opt_out,
    opted_out_reason=NOT_SENT,
    expires_at=_expires_at,
    send_task=_send_task,
    remind_task=_remind_task,
    max_reminders=1,
    reminder_after_days=REMINDER_AFTER_DAYS,
    answer_url_name="applicants:answer",
    session_key="applicants",
    unsubscribe_template="applicants/unsubscribe.html",
    unsubscribed_template="applicants/unsubscribed.html",
    context=lambda row: {"organisation": row.organisation, "t": emails.texts(row, language=row.language)},
)


# -- the survey -------------------------------------------------------------------------------------------


def _send_after(told_on: datetime.date, now: datetime.datetime) -> datetime.datetime:
    morning = datetime.datetime.combine(
        told_on + datetime.timedelta(days=1), datetime.time(SEND_HOUR), tzinfo=timezone.get_current_timezone()
    )
    return max(morning, now)


@transaction.atomic
def surveys_schedule(*, applicant_ids: list[int], now: datetime.datetime | None = None) -> int:
    """Schedule the experience survey of candidates just told their final answer: rejected and withdrawn ones,
    hired ones where the organisation wants it; never twice to the same address within six months, never after
    an opt-out, never for an answer older than a week."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = (
        Applicant.objects.select_related("vacancy", "organisation")
        .filter(pk__in=applicant_ids, anonymised_at__isnull=True, told_on__isnull=False, survey__isnull=True)
        .filter(told_on__gte=today - datetime.timedelta(days=ANSWERED_WITHIN_DAYS))
        .exclude(email="")
    )
    eligible = []
    for applicant in candidates:
        touchpoint = touchpoint_of(applicant)
        if touchpoint is None or (touchpoint == Touchpoint.HIRED and not applicant.organisation.candidate_survey_hired):
            continue
        eligible.append((applicant, touchpoint, email_digest(applicant.email)))
    # One query for everyone of the call who got a survey lately or opted out, whichever vacancy it was for.
    recent = set(
        CandidateSurvey.objects.filter(email_digest__in={digest for _a, _t, digest in eligible})
        .filter(Q(opted_out_at__isnull=False) | Q(created_at__gte=now - datetime.timedelta(QUIET_DAYS)))
        .values_list("organisation_id", "email_digest")
    )
    surveys = []
    for applicant, touchpoint, digest in eligible:
        if (applicant.organisation_id, digest) in recent:
            continue
        recent.add((applicant.organisation_id, digest))  # the same person twice in one call: once
        surveys.append(
            CandidateSurvey(
                organisation_id=applicant.organisation_id,
                applicant=applicant,
                recruiter_id=applicant.vacancy.recruiter_id,
                touchpoint=touchpoint,
                email_digest=digest,
                language=applicant.language,
                send_after=_send_after(applicant.told_on, now),
            )
        )
    created = CandidateSurvey.objects.bulk_create(surveys, batch_size=500)
    for survey in created:
        if survey.send_after <= now:
            CANDIDATES.queue_on_commit(survey.pk)
    return len(created)


def is_open(survey: CandidateSurvey, now=None) -> bool:
    return survey.is_open(now or timezone.now()) and not survey.applicant.anonymised_at


def _text(value: str) -> str:
    if "\x00" in value:
        raise ValidationError(NUL)
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise ValidationError(TOO_LONG % {"max": TEXT_MAX})
    return value


def _yes_no(value) -> bool | None:
    if value in (None, ""):
        return None
    if value in ("yes", "no"):
        return value == "yes"
    raise ValidationError(YES_OR_NO)


def parse_answers(post) -> tuple[dict, dict]:
    """The posted answers and the errors per field (the page keeps what was typed)."""
    values, errors = {}, {}
    for name, parse in (
        ("clear_answer", _yes_no),
        ("feedback_useful", lambda v: scale_choice(v, 1, 5)),
        ("nps", lambda v: scale_choice(v, 0, 10)),
        ("comment", lambda v: _text(v or "")),
    ):
        try:
            values[name] = parse(post.get(name, ""))
        except ValidationError as error:
            errors[name] = error.messages[0]
    if not errors and all(values[k] in (None, "") for k in values):
        errors["__all__"] = str(NOTHING_ANSWERED)
    return values, errors


@transaction.atomic
def feedback_answer(*, survey_id: int, answers: dict) -> CandidateFeedback:
    """Store (or change, while the link is open) the candidate's answers."""
    survey = CandidateSurvey.objects.select_for_update().select_related("applicant__vacancy").get(pk=survey_id)
    if not is_open(survey):
        raise ValidationError(CLOSED)
    now = timezone.now()
    feedback, _created = CandidateFeedback.objects.update_or_create(
        survey=survey,
        defaults={
            "organisation_id": survey.organisation_id,
            "recruiter_id": survey.recruiter_id,
            "client_id": survey.applicant.vacancy.client_id,
            "touchpoint": survey.touchpoint,
            "answered_on": timezone.localdate(now),
            **{k: answers.get(k) for k in ("clear_answer", "feedback_useful", "nps")},
            "comment": answers.get("comment") or "",
        },
    )
    CandidateSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(answered_at=now)
    return feedback


# -- candidates waiting -----------------------------------------------------------------------------------


def loops_alert(*, today: datetime.date | None = None) -> int:
    """One email per recruiter about the candidates who started waiting too long since the last alert (each
    candidate once per stage); the list on the follow-up page shows them all until they are answered."""
    from accounts.models import Organisation

    today = today or timezone.localdate()
    sent = 0
    for organisation in Organisation.objects.all():
        waiting = Applicant.objects.filter(open_loops(organisation, today), loop_alerted_at__isnull=True)
        by_recruiter = defaultdict(list)
        for pk, recruiter_id in waiting.values_list("pk", "vacancy__recruiter_id"):
            by_recruiter[recruiter_id].append(pk)
        for recruiter_id, ids in by_recruiter.items():
            try:
                sent += _alert_recruiter(recruiter_id, ids)
            except Exception as exc:  # noqa: BLE001 - one failing address must not stop the others
                log.warning("open-loop alert for user %s failed: %s", recruiter_id, exc.__class__.__name__)
    return sent


def _alert_recruiter(recruiter_id: int, ids: list[int]) -> int:
    from accounts.models import User

    now = timezone.now()
    claimed = list(Applicant.objects.filter(pk__in=ids, loop_alerted_at__isnull=True).values_list("pk", flat=True))
    if not claimed or not Applicant.objects.filter(pk__in=claimed).update(loop_alerted_at=now):
        return 0
    recruiter = User.objects.get(pk=recruiter_id)
    counts = (
        Vacancy.objects.filter(applicants__pk__in=claimed)
        .select_related("client")
        .annotate(n=Count("applicants"))
        .order_by("-n", "title")
    )
    try:
        mail.deliver(
            emails.loops_alert_message(recruiter=recruiter, vacancies=[(v, v.n) for v in counts], count=len(claimed))
        )
    except Exception:
        Applicant.objects.filter(pk__in=claimed, loop_alerted_at=now).update(loop_alerted_at=None)
        raise
    return 1


# -- forgetting -------------------------------------------------------------------------------------------


def anonymise(applicants) -> dict:
    """Contact data goes; stage, dates and scores stay. The links stop working and an unsent survey is
    cancelled; the candidate's words go too."""
    now = timezone.now()
    ids = list(applicants.values_list("pk", flat=True))
    surveys = CandidateSurvey.objects.filter(applicant_id__in=ids)
    counts = {
        "candidate_survey_links": CandidateSurveyToken.objects.filter(survey__in=surveys).delete()[0],
        "candidate_surveys_cancelled": surveys.filter(status=OutboxStatus.SCHEDULED).update(
            status=OutboxStatus.CANCELLED, cancelled_at=now, last_error=str(NOT_SENT)
        ),
        "candidate_comments": CandidateFeedback.objects.filter(survey__in=surveys)
        .exclude(comment="")
        .update(comment=""),
        "introduced_candidates": Applicant.objects.filter(pk__in=ids).update(
            name="", email="", anonymised_at=now, updated_at=now
        ),
    }
    return counts


def forget(*, today: datetime.date | None = None) -> int:
    """Anonymise introduced candidates four weeks after their final answer (or after their vacancy closed
    without one), unless they agreed to stay on file; then when that time ends, and never later than a year
    after their last stage. Each organisation's run leaves a privacy record."""
    from accounts.models import Organisation
    from nps.models import PrivacyRecord

    today = today or timezone.localdate()
    weeks_ago = today - datetime.timedelta(days=FORGET_AFTER_DAYS)
    not_kept = Q(kept_on_file_until__isnull=True) | Q(kept_on_file_until__lt=today)
    ended = Q(told_on__lte=weeks_ago) | Q(told_on__isnull=True, vacancy__closed_on__lte=weeks_ago)
    due = Q(anonymised_at__isnull=True) & (
        (ended & not_kept) | Q(stage_on__lt=today - datetime.timedelta(days=LONGEST_KEPT_DAYS))
    )
    total = 0
    for organisation in Organisation.objects.all():
        with transaction.atomic():
            counts = anonymise(Applicant.objects.filter(due, organisation=organisation))
            if counts["introduced_candidates"]:
                PrivacyRecord.objects.create(
                    organisation=organisation, action=PrivacyRecord.Action.RETENTION, counts=counts
                )
        total += counts["introduced_candidates"]
    # The six-month memory of who got a survey ends with the six months (an opt-out is kept).
    CandidateSurvey.objects.filter(
        opted_out_at__isnull=True, created_at__lt=timezone.now() - datetime.timedelta(days=QUIET_DAYS)
    ).exclude(email_digest="").update(email_digest="")
    return total
