"""Turn a lost database connection into a friendly 503 with Retry-After."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(exception: Exception) -> HttpResponse:
    log.warning("database unavailable: %s", exception.__class__.__name__)
    body = render_to_string("503.html", request=None)
    return HttpResponse(body, status=503, headers={"Retry-After": "5"})


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(exception)
        return None


def server_error(request, *args, **kwargs):
    """handler500: the database can also vanish in a middleware (loading the session), before any view."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable(exception)
    return defaults.server_error(request, *args, **kwargs)
