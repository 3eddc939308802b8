"""The evalportal WSGI app with one extra Django view, /__hello, that does a single INSERT.

Only the reliability scripts serve this module. The hello-world view is the
yardstick R1 compares the survey submission's throughput with: same
gunicorn, same middleware, same database and settings, one INSERT.
"""

from django.conf import settings

from evalportal.wsgi import application

settings.ROOT_URLCONF = "tests.reliability.urls"

__all__ = ["application"]
