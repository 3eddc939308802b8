"""The API fixtures: an integration, its key, and a caller that sends JSON with that key."""

import json

import pytest

from placements.api_keys import api_key_create
from placements.models import Integration


@pytest.fixture
def integration(organisation):
    return Integration.objects.create(organisation=organisation, name="Bullhorn")


@pytest.fixture
def key(integration):
    return api_key_create(integration=integration)


@pytest.fixture
def api(client, key):
    def call(method, path, body=None, *, auth=key, content_type="application/json", raw=None):
        headers = {"Authorization": f"Bearer {auth}"} if auth else {}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"content_type": content_type, "headers": headers}
        if data is not None:
            kwargs["data"] = data
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return call
