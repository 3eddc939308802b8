"""Log formatting: one line per event, no tokens and no email addresses."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Survey tokens are 43 urlsafe characters; anything that long and random-looking is hidden.
TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{32,}(?![\w-])")


def redact(text: str) -> str:
    return TOKEN.sub("[token]", EMAIL.sub("[email]", text))


class RedactFilter(logging.Filter):
    def filter(self, record):
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


class LineFormatter(logging.Formatter):
    def format(self, record):
        text = super().format(record)
        return redact(text).replace("\r", "").replace("\n", " | ")
