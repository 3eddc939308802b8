import logging
import smtplib
import time
from email import message_from_bytes
from unittest import mock

import pytest
from django.core.mail import EmailMultiAlternatives

from evalportal import mail
from evalportal.logging import LineFormatter, RedactFilter
from evalportal.mail import EmlFileBackend


def test_log_lines_hide_email_addresses_and_tokens():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "sent to %s via %s",
        ("zoe@example.nl", "/a/Jx3kF9sQ0pL2mN8vB7cX1zR4tY6uI5oP0aS9dF8gH7j"),
        None,
    )
    RedactFilter().filter(record)
    line = LineFormatter("%(message)s").format(record)
    assert "zoe@example.nl" not in line
    assert "Jx3kF9sQ0pL2mN8vB7cX1zR4tY6uI5oP0aS9dF8gH7j" not in line
    assert "[email]" in line and "[token]" in line


def test_a_multi_line_event_is_logged_on_one_line():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "first\nsecond", (), None)
    assert "\n" not in LineFormatter("%(message)s").format(record)


def test_each_email_becomes_one_eml_file_a_person_can_open(tmp_path):
    message = EmailMultiAlternatives("Hoe was de samenwerking?", "Platte tekst", "a@b.nl", ["c@d.nl"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    assert EmlFileBackend(file_path=tmp_path).send_messages([message, message]) == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    parsed = message_from_bytes(files[0].read_bytes())
    assert parsed["To"] == "c@d.nl"
    assert parsed.is_multipart()


class SessionBackend:
    """A stand-in SMTP backend that counts sessions and can drop one, like a server closing an idle link."""

    opened = 0
    sent = []
    drop_next = False

    def __init__(self, **kwargs):
        self.connection = None

    def open(self):
        if self.connection:
            return False
        SessionBackend.opened += 1
        self.connection = object()
        return True

    def close(self):
        self.connection = None

    def send_messages(self, messages):
        if SessionBackend.drop_next:
            SessionBackend.drop_next = False
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        SessionBackend.sent.extend(messages)
        return len(messages)


@pytest.fixture
def session_backend(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SessionBackend", "OPTIONS": {}}}
    SessionBackend.opened, SessionBackend.sent, SessionBackend.drop_next = 0, [], False
    mail.close_kept()
    yield SessionBackend
    mail.close_kept()


def test_a_worker_keeps_one_mail_session_for_many_messages(session_backend):
    for n in range(3):
        mail.deliver(EmailMultiAlternatives(f"m{n}", "body", "a@b.nl", ["c@d.nl"]))
    assert session_backend.opened == 1 and len(session_backend.sent) == 3


def test_a_session_the_server_dropped_is_replaced_and_the_message_still_goes(session_backend):
    mail.deliver(EmailMultiAlternatives("first", "body", "a@b.nl", ["c@d.nl"]))
    session_backend.drop_next = True
    mail.deliver(EmailMultiAlternatives("second", "body", "a@b.nl", ["c@d.nl"]))
    assert session_backend.opened == 2
    assert [m.subject for m in session_backend.sent] == ["first", "second"]


def test_an_idle_session_is_not_reused(session_backend, settings):
    settings.MAIL_CONNECTION_IDLE_SECONDS = 0
    mail.deliver(EmailMultiAlternatives("first", "body", "a@b.nl", ["c@d.nl"]))
    time.sleep(0.01)
    mail.deliver(EmailMultiAlternatives("second", "body", "a@b.nl", ["c@d.nl"]))
    assert session_backend.opened == 2


def test_any_other_send_error_reaches_the_caller_and_the_next_message_starts_clean(session_backend):
    mail.deliver(EmailMultiAlternatives("first", "body", "a@b.nl", ["c@d.nl"]))
    refused = smtplib.SMTPResponseException(451, b"later")
    with (
        mock.patch.object(SessionBackend, "send_messages", side_effect=refused),
        pytest.raises(smtplib.SMTPResponseException),
    ):
        mail.deliver(EmailMultiAlternatives("second", "body", "a@b.nl", ["c@d.nl"]))
    mail.deliver(EmailMultiAlternatives("third", "body", "a@b.nl", ["c@d.nl"]))
    assert session_backend.opened == 2
