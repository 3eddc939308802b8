import logging
from email import message_from_bytes

from django.core.mail import EmailMultiAlternatives

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
