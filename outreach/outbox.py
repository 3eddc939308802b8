"""The outbox, for every audience: claim with a lease, send at most once, remind, sweep, expire, tokens.

An audience (hiring managers' survey invitations in nps, candidates' check-ins in checkins) describes its
rows with an `Outbox` and registers it; everything here works on any `OutboxMessage` subclass:

- The row is the truth. `transaction.on_commit` queues the send task; the periodic sweep queues every due
  row whose message was lost, so a dead broker or worker delays an email, never loses it.
- Sending claims the row (scheduled -> sending) with a lease; a claim left by a dead worker is taken over
  after the lease. A fresh token is committed before the email leaves, so every link ever sent works.
- A reminder claims `reminder_claimed_at` the same way.
- Opt-out is the audience's (`opted_out`, `opt_out`): a row of a person who opted out is cancelled.
"""

import datetime
import logging
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.utils import timezone

from evalportal import mail
from evalportal.queries import one_or_none
from outreach import tokens
from outreach.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Errors worth another try: the mail server or the network, not our data.
TEMPORARY_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


class TemporarySendError(Exception):
    """Sending failed for now; the task retries with backoff."""


# The send and remind tasks' retry policy, for every audience.
RETRY = {
    "autoretry_for": (TemporarySendError,),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


def deliver_once(rows, *, field: str, build) -> bool:
    """Send one email about a row at most once (an alert to a recruiter, say): claim the row's nullable
    timestamp `field` first, build and send, and give the claim back when sending fails, for the retry."""
    if not rows.filter(**{f"{field}__isnull": True}).update(**{field: timezone.now()}):
        return False
    try:
        mail.deliver(build())
    except Exception:
        rows.update(**{field: None})
        raise
    return True


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.INVITATION_CLAIM_LEASE_SECONDS)


def _max_attempts() -> int:
    return getattr(settings, "INVITATION_MAX_ATTEMPTS", 6)


@dataclass(frozen=True)
class Outbox:
    """How one audience's rows are sent. The callables get the row loaded with `related`."""

    name: str  # in log lines and Message-IDs: "invitation", "checkin"
    model: type[OutboxMessage]
    token_model: type  # rows with `token_hash` and a foreign key `link_field` to `model`
    link_field: str
    related: tuple[str, ...]  # select_related for sending
    message: Callable  # (row, token, kind, sequence) -> EmailMessage; kind "invitation" or "reminder"
    opted_out: Callable  # (row) -> bool
    opt_out: Callable  # (row) -> None: the one-click unsubscribe
    expires_at: Callable  # (row, sent_at) -> datetime | None
    send_task: Callable  # () -> the Celery task that sends one row by id
    remind_task: Callable  # () -> the Celery task that reminds one row by id
    opted_out_reason: str = ""
    # How many reminders a row may get, and after how many days: a column path or a constant.
    max_reminders: str | int = 1
    reminder_after_days: str | int = 3
    answer_url_name: str = ""  # the page a token leads to, with the row's id
    session_key: str = ""  # the rows this browser opened by their links
    session_entry: Callable = lambda row: [row.pk]  # noqa: E731 - what the session keeps of an opened row
    unsubscribe_template: str = ""
    unsubscribed_template: str = ""
    context: Callable = lambda row: {}  # noqa: E731 - extra context of the unsubscribe pages

    # -- queueing -------------------------------------------------------------------------------------

    def queue_send(self, pk: int) -> None:
        """Publish the send task; a broker that is down only delays the email (the sweep sends it)."""
        try:
            self.send_task().delay(pk)
        except Exception as exc:  # noqa: BLE001 - any broker failure: leave it to the sweep
            log.warning("%s %s not queued (%s); the sweep will send it", self.name, pk, exc.__class__.__name__)
            self.model.objects.filter(pk=pk).update(queued_at=None)

    def queue_reminder(self, pk: int, *, force: bool = False) -> None:
        try:
            self.remind_task().delay(pk, force)
        except Exception as exc:  # noqa: BLE001
            log.warning("%s reminder %s not queued (%s)", self.name, pk, exc.__class__.__name__)

    def queue_on_commit(self, pk: int) -> None:
        transaction.on_commit(lambda: self.queue_send(pk))

    # -- sending --------------------------------------------------------------------------------------

    def _claim(self, pk: int, now: datetime.datetime) -> bool:
        """Claim the row (scheduled -> sending); a stale claim of a dead worker may be taken over."""
        return (
            self.model.objects.filter(pk=pk, send_after__lte=now)
            .filter(Q(status=OutboxStatus.SCHEDULED) | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - _lease()))
            .update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
            == 1
        )

    def _new_token(self, row) -> str:
        token = tokens.new_token()
        self.token_model.objects.create(**{self.link_field: row, "token_hash": tokens.token_hash(token)})
        return token

    def send(self, pk: int) -> str:
        """Send one due row at most once; returns what happened.

        Only a crash between the SMTP server's OK and the final update can repeat the email, with the same
        Message-ID, so mail systems show it once.
        """
        now = timezone.now()
        if not self._claim(pk, now):
            return "not-claimed"
        row = self.model.objects.select_related(*self.related).get(pk=pk)
        if self.opted_out(row):
            self.model.objects.filter(pk=pk).update(
                status=OutboxStatus.CANCELLED, cancelled_at=now, last_error=str(self.opted_out_reason)[:300]
            )
            return "opted-out"
        message = self.message(row, self._new_token(row), "invitation", 0)
        try:
            mail.deliver(message)
        except TEMPORARY_ERRORS as exc:
            return self._send_failed(row, exc)
        sent_at = timezone.now()
        self.model.objects.filter(pk=pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.SENT, sent_at=sent_at, expires_at=self.expires_at(row, sent_at), last_error=""
        )
        log.info("%s %s sent", self.name, pk)
        return "sent"

    def _send_failed(self, row, exc: Exception) -> str:
        reason = f"{exc.__class__.__name__}: {exc}"[:300]
        if row.attempts >= _max_attempts():
            self.model.objects.filter(pk=row.pk).update(status=OutboxStatus.FAILED, last_error=reason)
            log.warning("%s %s failed after %s attempts", self.name, row.pk, row.attempts)
            return "failed"
        backoff = datetime.timedelta(seconds=min(30 * 2 ** (row.attempts - 1), 1800))
        self.model.objects.filter(pk=row.pk).update(
            status=OutboxStatus.SCHEDULED,
            send_after=timezone.now() + backoff,
            last_error=reason,
            queued_at=timezone.now(),
        )
        raise TemporarySendError(reason) from exc

    # -- reminders ------------------------------------------------------------------------------------

    def _setting(self, value):
        return F(value) if isinstance(value, str) else Value(value)

    def _reminder_due(self, now: datetime.datetime, *, force: bool = False) -> Q:
        """Sent, unanswered, not expired, not being reminded; within the maximum unless forced."""
        due = Q(status=OutboxStatus.SENT, answered_at__isnull=True, expires_at__gt=now, reminders_sent__lt=2) & (
            Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=now - _lease())
        )
        return due if force else due & Q(reminders_sent__lt=self._setting(self.max_reminders))

    def _reminder_after(self, row) -> datetime.timedelta:
        days = self.reminder_after_days
        if isinstance(days, str):
            for part in days.split("__"):
                row = getattr(row, part)
            days = row
        return datetime.timedelta(days=days)

    def remind(self, pk: int, *, force: bool = False) -> str:
        """Send one reminder, claimed like the row itself (a nullable timestamp)."""
        now = timezone.now()
        row = self.model.objects.select_related(*self.related).get(pk=pk)
        if not force:
            last = row.last_reminded_at or row.sent_at
            if last is None or last > now - self._reminder_after(row):
                return "not-due"
        claim = self.model.objects.filter(self._reminder_due(now, force=force), pk=pk)
        if not force:
            claim = claim.filter(reminders_sent=row.reminders_sent)
        if claim.update(reminder_claimed_at=now) != 1:
            return "not-claimed"
        row = self.model.objects.select_related(*self.related).get(pk=pk)
        if self.opted_out(row):
            return "opted-out"
        message = self.message(row, self._new_token(row), "reminder", row.reminders_sent + 1)
        try:
            mail.deliver(message)
        except TEMPORARY_ERRORS as exc:
            self.model.objects.filter(pk=pk).update(reminder_claimed_at=None)
            raise TemporarySendError(str(exc)) from exc
        self.model.objects.filter(pk=pk).update(
            reminders_sent=F("reminders_sent") + 1, last_reminded_at=timezone.now(), reminder_claimed_at=None
        )
        return "reminded"

    # -- the sweep and expiry -------------------------------------------------------------------------

    def sweep(self, *, batch: int = 1000, backlog: bool = False) -> dict:
        """Queue every due row and reminder that was not sent: lost messages are delayed, never lost.

        A message unanswered for INVITATION_REQUEUE_AFTER_SECONDS is queued again. While messages still wait
        in the send queue (`backlog`) the workers are busy rather than the message lost, so then only those
        unanswered for the claim lease are: a burst of thousands is not sent a second time through the queue.
        """
        now = timezone.now()
        wait = settings.INVITATION_REQUEUE_AFTER_SECONDS
        if backlog:
            wait = max(wait, settings.INVITATION_CLAIM_LEASE_SECONDS)
        requeue_before = now - datetime.timedelta(seconds=wait)
        due = self.model.objects.filter(
            Q(status=OutboxStatus.SCHEDULED, send_after__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - _lease())
        ).filter(Q(queued_at__isnull=True) | Q(queued_at__lt=requeue_before))
        ids = list(due.order_by("send_after").values_list("pk", flat=True)[:batch])
        if ids:
            self.model.objects.filter(pk__in=ids).update(queued_at=now)
            for pk in ids:
                self.queue_send(pk)
        reminders = 0
        candidates = self.model.objects.filter(self._reminder_due(now))
        fields = ["pk", "sent_at", "last_reminded_at"]
        if isinstance(self.reminder_after_days, str):  # a column of a related row: joined, not read per row
            fields.append(self.reminder_after_days)
            candidates = candidates.select_related(self.reminder_after_days.rsplit("__", 1)[0])
        for row in candidates.only(*fields)[:batch]:
            last = row.last_reminded_at or row.sent_at
            if last <= now - self._reminder_after(row):
                self.queue_reminder(row.pk)
                reminders += 1
        return {"sends": len(ids), "reminders": reminders}

    def expire(self) -> int:
        """Close rows whose answer window has passed."""
        return self.model.objects.filter(status=OutboxStatus.SENT, expires_at__lte=timezone.now()).update(
            status=OutboxStatus.EXPIRED
        )

    # -- what the pages use ---------------------------------------------------------------------------

    def mark_opened(self, pk: int) -> None:
        self.model.objects.filter(pk=pk, opened_at__isnull=True).update(opened_at=timezone.now())

    def row_for_token(self, token: str):
        """The row a token belongs to, or None; the token is matched by its hash only."""
        if not tokens.looks_like_token(token):
            return None
        found = one_or_none(
            self.token_model.objects.filter(token_hash=tokens.token_hash(token)).only(f"{self.link_field}_id")
        )
        if found is None:
            return None
        return one_or_none(self.model.objects.filter(pk=getattr(found, f"{self.link_field}_id")))


def send_queue_backlog() -> int | None:
    """How many messages wait in the send queue, or None when the broker cannot say."""
    from kombu.exceptions import ChannelError

    from evalportal.celery import app

    try:
        with app.connection_for_write() as connection:
            queue = app.conf.task_default_queue
            return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
    except ChannelError:  # no such queue yet: nothing was ever queued
        return 0
    except Exception as exc:  # noqa: BLE001 - any broker failure: sweep as if the queue were empty
        log.info("send queue length unknown (%s)", exc.__class__.__name__)
        return None


_OUTBOXES: dict[str, Outbox] = {}


def register(outbox: Outbox) -> Outbox:
    """An audience registers its outbox in its AppConfig.ready(): the token pages and the sweep find it."""
    _OUTBOXES[outbox.name] = outbox
    return outbox


def registered() -> list[Outbox]:
    return list(_OUTBOXES.values())


def sweep_all(*, batch: int = 1000) -> dict:
    """The periodic sweep of every audience's outbox."""
    backlog = bool(send_queue_backlog())
    return {outbox.name: outbox.sweep(batch=batch, backlog=backlog) for outbox in _OUTBOXES.values()}


def expire_all() -> dict:
    return {outbox.name: outbox.expire() for outbox in _OUTBOXES.values()}


def for_token(token: str):
    """(outbox, row) of a token sent by any audience, or (None, None)."""
    if not tokens.looks_like_token(token):
        return None, None
    for outbox in _OUTBOXES.values():
        row = outbox.row_for_token(token)
        if row is not None:
            return outbox, row
    return None, None
