"""An email backend that writes each message as its own .eml file.

The embedded run has no SMTP server; a person opens var/mail/*.eml in any
mail program (or a browser) to see exactly what a hiring manager would get.
"""

import re
import threading
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
