"""API keys for ATS integrations: 256 random bits, shown once, stored as a SHA-256 hash.

An ATS calls for every placement, often thousands in a row. The key's row with
its integration and organisation is kept in the cache for API_KEY_CACHE_SECONDS,
so a request costs no query to authenticate. Every change to a key, its
integration or its organisation drops the cached rows at once; with a cache
that is not shared between processes (no CACHE_URL), another web process may
still accept a revoked key until its copy expires.
"""

import contextlib
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Organisation
from evalportal.queries import one_or_none
from placements.models import ApiKey, Integration

log = logging.getLogger(__name__)

PREFIX = "ep_"
# How often last_used_at is written for a key in use.
LAST_USED_EVERY_SECONDS = 300


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _cache_key(key_hash: str) -> str:
    return f"apikey:{key_hash}"


@transaction.atomic
def api_key_create(*, integration: Integration) -> str:
    """Create a key and return it; only its hash and first characters are kept."""
    key = PREFIX + secrets.token_urlsafe(32)
    ApiKey.objects.create(integration=integration, prefix=key[:10], key_hash=_hash(key))
    return key


def api_keys_revoke(*, keys) -> int:
    """Revoke the keys of this queryset that are still valid; they stop working at once."""
    hashes = list(keys.filter(revoked_at__isnull=True).values_list("key_hash", flat=True))
    revoked = ApiKey.objects.filter(key_hash__in=hashes).update(revoked_at=timezone.now())
    _forget(hashes)
    return revoked


def api_key_authenticate(key: str) -> Integration | None:
    if not key or len(key) > 100 or not key.startswith(PREFIX):
        return None
    key_hash = _hash(key)
    row = _cached(key_hash)
    if row is None:
        row = one_or_none(
            ApiKey.objects.select_related("integration__organisation").filter(
                key_hash=key_hash, revoked_at__isnull=True
            )
        )
        if row is None:
            return None
        _remember(row)
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
        _remember(row)
    return row.integration


def _cached(key_hash: str) -> ApiKey | None:
    try:
        return cache.get(_cache_key(key_hash))
    except Exception:  # noqa: BLE001 - a cache that is down only costs the query
        return None


def _remember(row: ApiKey) -> None:
    seconds = settings.API_KEY_CACHE_SECONDS
    if seconds > 0:
        # A cache that is down only means the next request asks the database again.
        with contextlib.suppress(Exception):
            cache.set(_cache_key(row.key_hash), row, timeout=seconds)


def _forget(hashes) -> None:
    keys = [_cache_key(h) for h in hashes]
    if keys:
        _delete(keys)
        # Once more after the commit: a request in between may have cached the row as it was.
        transaction.on_commit(lambda: _delete(keys))


def _delete(keys) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - logged; the copies expire after API_KEY_CACHE_SECONDS
        log.warning("API keys not dropped from the cache; they expire within %s s", settings.API_KEY_CACHE_SECONDS)


@receiver(post_save, sender=ApiKey)
@receiver(post_delete, sender=ApiKey)
def _key_changed(sender, instance, **kwargs):
    _forget([instance.key_hash])


# A deleted integration or organisation takes its keys with it, and each key's post_delete drops its copy.
@receiver(post_save, sender=Integration)
def _integration_changed(sender, instance, **kwargs):
    _forget(ApiKey.objects.filter(integration_id=instance.pk).values_list("key_hash", flat=True))


@receiver(post_save, sender=Organisation)
def _organisation_changed(sender, instance, created, **kwargs):
    if not created:
        _forget(ApiKey.objects.filter(integration__organisation_id=instance.pk).values_list("key_hash", flat=True))
