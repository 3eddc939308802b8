"""Exit feedback: the leaver's link (through the outbox), the answers from the link or the exit conversation,
the recruiter's reflection, and what recruitment changed. Patterns are recounted after every change."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from checkins.services import scale_choice
from exits import emails, patterns
from exits.models import (
    ExitFeedback,
    ExitInvitation,
    ExitInvitationToken,
    ExitTheme,
    PatternCell,
    RecruitmentChange,
    SelectionReflection,
    Source,
    quarter_of,
)
from exits.themes import QUESTION_OF, QUESTIONS, ChangeKind, Theme
from outreach import outbox
from outreach.models import OutboxStatus
from placements.models import Client, Placement
from placements.services import candidate_opt_out

log = logging.getLogger(__name__)

ANSWER_DAYS = 21
REMINDER_AFTER_DAYS = 5
TEXT_MAX = 3000
NOT_SENT = _("Not sent: the candidate opted out, has no email address, or the data was erased.")
NOT_LEFT = _("Record the departure first: exit feedback belongs to a candidate who left.")
NO_ADDRESS = _("The placement has no email address of the candidate: enter the exit conversation instead.")
OPTED_OUT = _("The candidate asked for no more emails about this placement.")
ALREADY_ANSWERED = _("The exit feedback of this placement is in already.")
ALREADY_SENT = _("The exit questionnaire was sent already.")
NOTHING_ANSWERED = _("Answer at least one question.")
LINK_ANSWERS = _("The leaver answered through the link; their answers are not changed here.")
CLOSED = _("This questionnaire is closed.")
NUL = _("The text contains a character that is not allowed.")
TOO_LONG = _("At most %(max)d characters.")
UNKNOWN_THEME = _("%(value)s is not a theme of this question.")
CHANGE_NEEDS_PATTERN = _(
    "This theme has not passed the threshold for this client yet; a change is recorded for a pattern, not for one"
    " leaver."
)
DESCRIPTION_NEEDED = _("Describe what changed.")


def _unusable(placement: Placement) -> bool:
    return bool(not placement.candidate_email or placement.candidate_opted_out_at or placement.anonymised_at)


def _expires_at(row, sent_at: datetime.datetime) -> datetime.datetime:
    return sent_at + datetime.timedelta(days=ANSWER_DAYS)


def _send_task():
    from exits.tasks import exit_send

    return exit_send


def _remind_task():
    from exits.tasks import exit_remind

    return exit_remind


EXITS = outbox.Outbox(
    name="exit",
    model=ExitInvitation,
    token_model=ExitInvitationToken,
    link_field="invitation",
    related=("placement__client", "recruiter", "organisation"),
    message=lambda row, token, kind, sequence: emails.exit_message(
        invitation=row, token=token, kind=kind, sequence=sequence
    ),
    opted_out=lambda row: _unusable(row.placement),
    opt_out=lambda row: candidate_opt_out(placement=row.placement),
    opted_out_reason=NOT_SENT,
    expires_at=_expires_at,
    send_task=_send_task,
    remind_task=_remind_task,
    max_reminders=1,
    reminder_after_days=REMINDER_AFTER_DAYS,
    answer_url_name="exits:answer",
    session_key="exits",
    unsubscribe_template="exits/unsubscribe.html",
    unsubscribed_template="exits/unsubscribed.html",
    context=lambda row: {"organisation": row.organisation, "t": emails.texts(row.placement, language=row.language)},
)


# -- the link ---------------------------------------------------------------------------------------------


@transaction.atomic
def exit_invite(*, placement: Placement, user: User) -> ExitInvitation:
    """Send the leaver the personal link to the questionnaire (once; the outbox reminds once)."""
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if not locked.left_on:
        raise ValidationError(NOT_LEFT)
    if ExitFeedback.objects.filter(placement=locked).exists():
        raise ValidationError(ALREADY_ANSWERED)
    if ExitInvitation.objects.filter(placement=locked).exists():
        raise ValidationError(ALREADY_SENT)
    if not locked.candidate_email or locked.anonymised_at:
        raise ValidationError(NO_ADDRESS)
    if locked.candidate_opted_out_at:
        raise ValidationError(OPTED_OUT)
    invitation = ExitInvitation.objects.create(
        organisation_id=locked.organisation_id,
        placement=locked,
        recruiter=locked.recruiter,
        language=locked.candidate_language,
        send_after=timezone.now(),
    )
    EXITS.queue_on_commit(invitation.pk)
    return invitation


def is_open(invitation: ExitInvitation, now=None) -> bool:
    return invitation.is_open(now or timezone.now()) and not _unusable(invitation.placement)


# -- the answers ------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    if "\x00" in value:
        raise ValidationError(NUL)
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise ValidationError(TOO_LONG % {"max": TEXT_MAX})
    return value


def parse_answers(post) -> tuple[dict, dict]:
    """The posted answers and the errors per field (the page keeps what was typed)."""
    values, errors = {"themes": []}, {}
    for question in QUESTIONS:
        for name, parse in ((f"{question}_score", lambda v: scale_choice(v, 1, 5)), (f"{question}_text", _text)):
            try:
                values[name] = parse(post.get(name, ""))
            except ValidationError as error:
                errors[name] = error.messages[0]
        for theme in post.getlist(f"{question}_themes"):
            if QUESTION_OF.get(theme) != question:
                errors[f"{question}_themes"] = str(UNKNOWN_THEME % {"value": theme[:40]})
            elif theme not in values["themes"]:
                values["themes"].append(theme)
    try:
        values["employer_nps"] = scale_choice(post.get("employer_nps"), 0, 10)
    except ValidationError as error:
        errors["employer_nps"] = error.messages[0]
    if not errors and not any(v for k, v in values.items() if v not in (None, "", [])):
        errors["__all__"] = str(NOTHING_ANSWERED)
    return values, errors


def _pattern_keys(placement: Placement) -> dict:
    return {
        "quarter": quarter_of(placement.left_on),
        "client_id": placement.client_id,
        "recruiter_id": placement.recruiter_id,
        "job_family": placement.job_family.casefold(),
    }


@transaction.atomic
def feedback_store(*, placement: Placement, source: str, answers: dict, user: User | None = None) -> ExitFeedback:
    """Store the answers of one departure: from the leaver's link, or entered by the recruiter from the exit
    conversation or the catch-up with HR. Answers given through the link are the leaver's own: a recruiter
    does not overwrite them."""
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if not locked.left_on:
        raise ValidationError(NOT_LEFT)
    if source not in Source.values:
        raise ValidationError({"source": _("Choose where the answers come from.")})
    existing = ExitFeedback.objects.filter(placement=locked).first()
    if existing and existing.source == Source.LINK and source != Source.LINK:
        raise ValidationError(LINK_ANSWERS)
    themes = [t for t in answers.get("themes", []) if t in Theme.values]
    fields = {name: answers.get(name) for q in QUESTIONS for name in (f"{q}_score",)}
    fields |= {f"{q}_text": answers.get(f"{q}_text") or "" for q in QUESTIONS}
    fields |= {"employer_nps": answers.get("employer_nps"), "themes": themes, "source": source}
    fields |= _pattern_keys(locked)
    before = {existing.quarter} if existing else set()
    if existing:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.entered_by = user if source != Source.LINK else existing.entered_by
        existing.full_clean(exclude=["organisation", "placement", "client", "recruiter", "entered_by"])
        existing.save()
        feedback = existing
    else:
        feedback = ExitFeedback(
            organisation_id=locked.organisation_id,
            placement=locked,
            entered_by=user if source != Source.LINK else None,
            answered_at=timezone.now(),
            **fields,
        )
        feedback.full_clean(exclude=["organisation", "placement", "client", "recruiter", "entered_by"])
        feedback.save()
    ExitTheme.objects.filter(feedback=feedback).delete()
    ExitTheme.objects.bulk_create([ExitTheme(feedback=feedback, theme=t) for t in themes])
    if source != Source.LINK:  # the conversation replaces an unanswered link
        ExitInvitation.objects.filter(placement=locked, status=OutboxStatus.SCHEDULED).update(
            status=OutboxStatus.CANCELLED, cancelled_at=timezone.now()
        )
    recount_on_commit(locked.organisation_id, before | {feedback.quarter})
    return feedback


@transaction.atomic
def feedback_answer(*, invitation_id: int, answers: dict) -> ExitFeedback:
    """The leaver's answers through the link, again while it is open."""
    now = timezone.now()
    invitation = (
        ExitInvitation.objects.select_for_update(of=("self",)).select_related("placement").get(pk=invitation_id)
    )
    if not is_open(invitation, now):
        raise ValidationError(CLOSED, code="closed")
    feedback = feedback_store(placement=invitation.placement, source=Source.LINK, answers=answers)
    ExitInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now)
    return feedback


def placement_moved(*, placement: Placement) -> None:
    """The departure (or the client, recruiter or job family) of a placement with feedback changed: its keys
    follow, and both quarters are recounted."""
    feedback = ExitFeedback.objects.filter(placement=placement).first()
    if feedback is None or not placement.left_on:
        return
    keys = _pattern_keys(placement)
    if all(getattr(feedback, k) == v for k, v in keys.items()):
        return
    before = feedback.quarter
    ExitFeedback.objects.filter(pk=feedback.pk).update(**keys)
    recount_on_commit(placement.organisation_id, {before, keys["quarter"]})


def recount_on_commit(organisation_id: int, quarters: set[int]) -> None:
    """Recount the patterns after the commit; the nightly recount catches what a broker outage loses."""

    def queue():
        from exits.tasks import recount

        try:
            recount.delay(organisation_id, sorted(quarters))
        except Exception as exc:  # noqa: BLE001 - the nightly recount covers it
            log.warning("exit patterns of organisation %s not recounted (%s)", organisation_id, exc.__class__.__name__)

    transaction.on_commit(queue)


# -- the recruiter's reflection ---------------------------------------------------------------------------


@transaction.atomic
def reflection_record(
    *, placement: Placement, user: User, signals_seen: bool, signals_text: str
) -> SelectionReflection:
    if not placement.left_on:
        raise ValidationError(NOT_LEFT)
    try:
        text = _text(signals_text or "")
    except ValidationError as error:
        raise ValidationError({"signals_text": error.messages}) from error
    reflection, _created = SelectionReflection.objects.update_or_create(
        placement=placement,
        defaults={
            "organisation_id": placement.organisation_id,
            "signals_seen": signals_seen,
            "signals_text": text,
            "recorded_by": user,
        },
    )
    return reflection


# -- acting on a pattern ----------------------------------------------------------------------------------


def change_record(
    *, user: User, client: Client, theme: str, kind: str, description: str, quarter: int
) -> RecruitmentChange:
    """What recruitment changes for a client because of a theme its leavers share (above the threshold)."""
    errors = {}
    if client.organisation_id != user.organisation_id:
        errors["client"] = _("Choose a client of your own organisation.")
    if theme not in Theme.values:
        errors["theme"] = _("Choose a theme.")
    elif not PatternCell.objects.filter(
        organisation_id=user.organisation_id,
        dimension="client",
        key=str(client.pk),
        theme=theme,
        quarter__lte=quarter,
        threshold=patterns.threshold(user.organisation),
    ).exists():
        errors["theme"] = CHANGE_NEEDS_PATTERN
    if kind not in ChangeKind.values:
        errors["kind"] = _("Choose what changed.")
    try:
        description = _text(description or "")
    except ValidationError as error:
        errors["description"] = error.messages
    if not errors and not description:
        errors["description"] = DESCRIPTION_NEEDED
    if errors:
        raise ValidationError(errors)
    return RecruitmentChange.objects.create(
        organisation_id=user.organisation_id,
        client=client,
        theme=theme,
        kind=kind,
        description=description,
        quarter=quarter,
        created_by=user,
    )
