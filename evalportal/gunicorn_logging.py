"""gunicorn's own logs (access and errors) pass the same redaction as the app's: no token, no email address.

gunicorn writes its access log itself, outside Django's logging, so a path such as /s/<token>/ would
otherwise stand in it in full, and whoever reads the logs could open and change that person's answers.
"""

from gunicorn import glogging

from evalportal.logging import RedactFilter


class Logger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactFilter) for f in log.filters):
                log.addFilter(RedactFilter())
