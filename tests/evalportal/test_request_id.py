import logging

import pytest
from django.test import Client
from django.urls import path

from evalportal.logging import LineFormatter, RedactFilter


def boom(request):
    logging.getLogger("evalportal.test").error("about to fail")
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
from evalportal.urls import handler500  # noqa: E402,F401 - the project's own 500 handler


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.evalportal.test_request_id"
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second


@pytest.mark.django_db
def test_a_request_id_is_taken_from_a_trusted_proxy_only(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    from_proxy = client.get("/healthz", REMOTE_ADDR="10.0.0.1", HTTP_X_REQUEST_ID="lb-42")
    assert from_proxy["X-Request-ID"] == "lb-42"
    from_anyone = client.get("/healthz", REMOTE_ADDR="203.0.113.5", HTTP_X_REQUEST_ID="lb-42")
    assert from_anyone["X-Request-ID"] != "lb-42"
    garbage = client.get("/healthz", REMOTE_ADDR="10.0.0.1", HTTP_X_REQUEST_ID="a b\n<script>")
    assert garbage["X-Request-ID"] != "a b\n<script>"


@pytest.mark.django_db
def test_the_500_page_and_every_log_line_of_the_request_carry_its_id(failing_site, caplog):
    handler_lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            handler_lines.append(self.format(record))

    collect = Collect()
    collect.addFilter(RedactFilter())
    collect.setFormatter(LineFormatter("%(levelname)s %(name)s request=%(request_id)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(collect)
    try:
        response = failing_site.get("/boom/")
    finally:
        root.removeHandler(collect)
    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    assert request_id in response.content.decode()
    errors = [line for line in handler_lines if line.startswith("ERROR")]
    assert any("about to fail" in line for line in errors)
    assert any("Internal Server Error" in line for line in errors)
    assert all(f"request={request_id}" in line for line in errors)


def test_log_lines_outside_a_request_say_so():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "worker trouble", (), None)
    RedactFilter().filter(record)
    assert "request=-" in LineFormatter("request=%(request_id)s %(message)s").format(record)


def test_token_paths_are_redacted_whatever_the_token_length():
    from evalportal.logging import redact

    assert redact('"GET /s/short-token/unsubscribe/"') == '"GET /s/[token]/unsubscribe/"'
    assert redact('"GET /s/a/12/thanks/"') == '"GET /s/a/12/thanks/"'
    assert redact('"GET /s/privacy/"') == '"GET /s/privacy/"'


def test_a_task_id_stays_readable_while_a_token_of_the_same_length_does_not():
    from evalportal.logging import redact

    task = "Task nps.tasks.invitation_send[1b4e28ba-2fa1-11d2-883f-0016d3cca427] succeeded"
    assert redact(task) == task
    assert redact("token Jx3kF9sQ0pL2mN8vB7cX1zR4tY6uI5oP0aS9") == "token [token]"


@pytest.mark.django_db
def test_a_4xx_line_that_django_logs_after_the_middleware_carries_the_request_id(client):
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    collect = Collect()
    collect.addFilter(RedactFilter())
    collect.setFormatter(LineFormatter("%(levelname)s %(name)s request=%(request_id)s %(message)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(collect)
    try:
        response = client.get("/s/no-such-token-at-all/")
    finally:
        logger.removeHandler(collect)
    assert response.status_code == 404
    assert any("Not Found" in line and f"request={response['X-Request-ID']}" in line for line in lines), lines
