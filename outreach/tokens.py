"""Link tokens of every outbox: 256 random bits from `secrets`; only a SHA-256 hash is stored."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(value: str) -> bool:
    return 40 <= len(value) <= 64 and value.isascii() and all(c.isalnum() or c in "-_" for c in value)
