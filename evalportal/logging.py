"""Log formatting: one line per event, no tokens and no email addresses, each with its request id."""

import contextvars
import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Survey tokens are 43 urlsafe characters; anything that long and random-looking is hidden, except a
# UUID (a Celery task id), which matches a log line to its task and opens nothing.
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])"
TOKEN = re.compile(rf"(?<![\w-])(?!{UUID})[A-Za-z0-9_-]{{32,}}(?![\w-])")
# Paths that carry a token in a segment (/s/<token>/…, a shared report's /r/<token>/); the segment is hidden
# whatever its length.
TOKEN_PATH = re.compile(r"(/s/|/r/)(?!a/|c/|e/|k/|privacy/)[^/?#\s\"]+")

# The id of the request being served in this thread or task ("-" outside a request).
request_id = contextvars.ContextVar("request_id", default="-")


def redact(text: str) -> str:
    return TOKEN.sub("[token]", TOKEN_PATH.sub(r"\1[token]", EMAIL.sub("[email]", text)))


class RedactFilter(logging.Filter):
    def filter(self, record):
        record.msg = redact(record.getMessage())
        record.args = ()
        # Django logs a 4xx/5xx response after the middleware has returned, with the request attached.
        record.request_id = getattr(getattr(record, "request", None), "request_id", None) or request_id.get()
        return True


class LineFormatter(logging.Formatter):
    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        text = super().format(record)
        return redact(text).replace("\r", "").replace("\n", " | ")
