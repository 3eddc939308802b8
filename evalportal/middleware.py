"""Turn a lost database connection into a friendly 503 with Retry-After."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            log.warning("database unavailable: %s", exception.__class__.__name__)
            body = render_to_string("503.html", request=None)
            return HttpResponse(body, status=503, headers={"Retry-After": "5"})
        return None
