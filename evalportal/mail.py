"""An email backend that writes each message as its own .eml file.

The embedded run has no SMTP server; a person opens var/mail/*.eml in any
mail program (or a browser) to see exactly what a hiring manager would get.
"""

import contextlib
import re
import smtplib
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_lock = threading.Lock()
_counter = 0


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(file_path or settings.VAR_DIR / "mail")

    def send_messages(self, email_messages):
        global _counter
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with _lock:
                _counter += 1
                seq = _counter
            subject = re.sub(r"[^A-Za-z0-9]+", "-", message.subject)[:40].strip("-").lower() or "message"
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"{stamp}-{seq:04d}-{subject}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(path)
            sent += 1
        return sent


class _Kept(threading.local):
    backend = None
    config = None
    used_at = 0.0


_kept = _Kept()


def _fresh_backend():
    from django.core import mail

    _kept.backend = mail.mailers.create_connection("default")
    _kept.config = repr(settings.MAILERS)
    _kept.backend.open()
    return _kept.backend


def deliver(message) -> None:
    """Send one message over a connection this process (thread) keeps open between messages.

    A Celery worker sends thousands of survey emails; one SMTP session per
    worker saves a connect, EHLO and QUIT per message. A connection idle longer
    than MAIL_CONNECTION_IDLE_SECONDS is replaced before use; one that the
    server closed meanwhile is replaced once. The backend's timeout still
    bounds every step, so a hung server cannot hold a worker.
    """
    now = time.monotonic()
    idle_limit = settings.MAIL_CONNECTION_IDLE_SECONDS
    backend = _kept.backend
    if backend is None or _kept.config != repr(settings.MAILERS) or now - _kept.used_at > idle_limit:
        close_kept()
        backend = _fresh_backend()
    try:
        backend.send_messages([message])
    except smtplib.SMTPServerDisconnected:
        # The server dropped the kept session (before accepting the message): try once on a new one.
        close_kept()
        backend = _fresh_backend()
        try:
            backend.send_messages([message])
        except Exception:
            close_kept()
            raise
    except Exception:
        # Unknown state after any other error: the next message starts a clean session.
        close_kept()
        raise
    _kept.used_at = time.monotonic()


def close_kept() -> None:
    backend, _kept.backend = _kept.backend, None
    if backend is not None:
        # The session is being discarded either way.
        with contextlib.suppress(Exception):
            backend.close()
