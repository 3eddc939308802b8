"""Request ids, and a lost database connection turned into a friendly 503 with Retry-After."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from evalportal import proxies
from evalportal.logging import request_id as request_id_var

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(exception: Exception) -> HttpResponse:
    log.warning("database unavailable: %s", exception.__class__.__name__)
    body = render_to_string("503.html", {"request_id": request_id_var.get()})
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
    # Rendered without the request: nothing that could fail again (a context processor, the session) runs here.
    body = render_to_string("500.html", {"request_id": getattr(request, "request_id", request_id_var.get())})
    return HttpResponse(body, status=500)


class RequestIdMiddleware:
    """Give every request an id: in the X-Request-ID response header, on every log line and on the error pages,
    so a user's report can be matched to the log. Taken from X-Request-ID only when a trusted proxy sends it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = proxies.request_id(request)
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
