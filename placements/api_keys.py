"""API keys for ATS integrations: 256 random bits, shown once, stored as a SHA-256 hash."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from placements.models import ApiKey, Integration

PREFIX = "ep_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_key_create(*, integration: Integration) -> str:
    """Create a key and return it; only its hash and first characters are kept."""
    key = PREFIX + secrets.token_urlsafe(32)
    ApiKey.objects.create(integration=integration, prefix=key[:10], key_hash=_hash(key))
    return key


def api_key_authenticate(key: str) -> Integration | None:
    if not key or len(key) > 100 or not key.startswith(PREFIX):
        return None
    row = (
        ApiKey.objects.select_related("integration__organisation")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.integration
