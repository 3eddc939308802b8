import pytest
from django.test import RequestFactory

from evalportal.proxies import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_minute(monkeypatch):
    """The limits count in fixed one-minute windows: pin the clock inside one, so a test that happens to run
    across a minute boundary does not see its counter start again."""
    import types

    from evalportal import ratelimit

    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))


def test_token_pages_answer_429_with_retry_after_when_asked_too_often(client, settings):
    settings.RATELIMIT_TOKEN_PAGES_PER_MINUTE = 3
    statuses = [client.get("/s/unknown-token-that-is-long-enough-to-look-real-0123/").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    response = client.get("/s/unknown-token-that-is-long-enough-to-look-real-0123/")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Te veel verzoeken" in response.content.decode()


def test_the_api_answers_429_json_when_asked_too_often(client, settings):
    settings.RATELIMIT_API_PER_MINUTE = 2
    statuses = [
        client.get("/api/v1/placements/X", headers={"Authorization": "Bearer ep_x"}).status_code for _ in range(3)
    ]
    assert statuses == [401, 401, 429]
    response = client.get("/api/v1/placements/X")
    assert response.status_code == 429 and response["Retry-After"] and response.json()["detail"]


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    factory = RequestFactory()
    spoofed = factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="203.0.113.9")
    assert client_address(spoofed) == "203.0.113.9"
    proxied = factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    assert client_address(proxied) == "198.51.100.7"


def test_a_cache_that_is_down_lets_requests_through(client, settings, monkeypatch):
    from django.core.cache import cache

    settings.RATELIMIT_TOKEN_PAGES_PER_MINUTE = 1

    def broken(*args, **kwargs):
        raise ConnectionError

    monkeypatch.setattr(cache, "add", broken)
    statuses = {client.get("/s/unknown-token-that-is-long-enough-to-look-real-0123/").status_code for _ in range(3)}
    assert statuses == {404}
