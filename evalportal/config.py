"""Helpers that read settings from the environment and fail in one line.

A malformed variable stops start-up with a message that names it, instead of
a traceback from deep inside Django or a library.
"""

import os
import secrets
from urllib.parse import urlsplit

DB_ENGINES = {"sqlite", "postgres", "postgresql", "pgsql", "psql"}


def config_error(name: str, problem: str):
    """Stop the process with one line naming the variable."""
    raise SystemExit(f"evalportal: configuration error in {name}: {problem}")


def read_env(cast, name: str, **kwargs):
    """Read one variable with an environ.Env cast, failing in one line."""
    try:
        return cast(name, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any parse error is a config error
        config_error(name, f"{exc.__class__.__name__}: {exc} (value {os.environ.get(name, '')!r})")


def read_database(env, *, default: str) -> dict:
    """DATABASE_URL as a Django DATABASES entry, with safe connection settings."""
    url = os.environ.get("DATABASE_URL", default)
    scheme = urlsplit(url).scheme
    if scheme not in DB_ENGINES:
        config_error(
            "DATABASE_URL", f"unsupported or missing scheme {scheme!r}; use sqlite:///path or postgres://user@host/db"
        )
    threshold = os.environ.get("DB_PREPARE_THRESHOLD", "1").strip().lower()
    if threshold != "off" and not (threshold.isascii() and threshold.isdigit()):
        config_error("DB_PREPARE_THRESHOLD", f"use a whole number of executions or 'off' (value {threshold!r})")
    prepare_threshold = None if threshold == "off" else int(threshold)
    try:
        db = env.db_url_config(url)
    except Exception as exc:  # noqa: BLE001
        config_error("DATABASE_URL", f"{exc.__class__.__name__}: {exc}")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if db["NAME"] != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(db["NAME"])), exist_ok=True)
        # WAL lets the web server read while the worker writes; IMMEDIATE
        # takes the write lock at BEGIN so two writers queue instead of failing.
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # Tests use an in-memory database unless a file is asked for: the browser tests' live
        # server answers from several threads, which an in-memory database cannot serve.
        if os.environ.get("TEST_SQLITE_NAME"):
            db["TEST"] = {"NAME": os.environ["TEST_SQLITE_NAME"]}
    else:
        if not db.get("NAME"):
            config_error("DATABASE_URL", "no database name in the URL path")
        # Persistent connections with a health check: a new connection per
        # request costs several times the throughput.
        db["CONN_MAX_AGE"] = read_env(env.int, "DB_CONN_MAX_AGE", default=60)
        db["CONN_HEALTH_CHECKS"] = True
        db.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        # Parameters travel apart from the SQL, and a statement a connection runs a second time is
        # prepared: PostgreSQL then skips planning it (on a survey submit, a third of its work).
        # Behind a pooler in transaction mode that cannot keep prepared statements, set "off".
        db["OPTIONS"]["server_side_binding"] = True
        db["OPTIONS"]["prepare_threshold"] = prepare_threshold
    db["ATOMIC_REQUESTS"] = False
    return db


def read_cache(env) -> dict:
    """CACHE_URL as a Django CACHES entry; Redis with short socket timeouts."""
    url = os.environ.get("CACHE_URL", "locmem://")
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            "KEY_PREFIX": "evalportal",
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    config_error("CACHE_URL", f"unsupported scheme {scheme!r}; use redis://host:6379/1 or locmem://")


def read_mailer(env, *, timeout: int, file_path) -> dict:
    """EMAIL_URL as a MAILERS entry; unset means .eml files a person can open."""
    if not os.environ.get("EMAIL_URL"):
        return {"BACKEND": "evalportal.mail.EmlFileBackend", "OPTIONS": {"file_path": str(file_path)}}
    parsed = read_env(env.email_url, "EMAIL_URL")
    if parsed["EMAIL_BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
        return {"BACKEND": parsed["EMAIL_BACKEND"], "OPTIONS": {}}
    encrypted = parsed.get("EMAIL_USE_TLS", False) or parsed.get("EMAIL_USE_SSL", False)
    if parsed["EMAIL_HOST_PASSWORD"] and not encrypted:
        config_error(
            "EMAIL_URL",
            "a password over plain SMTP would travel unencrypted; use smtp+tls://…:587 (STARTTLS) or smtp+ssl://…:465",
        )
    return {
        "BACKEND": parsed["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": parsed["EMAIL_HOST"],
            "port": parsed["EMAIL_PORT"],
            "username": parsed["EMAIL_HOST_USER"] or None,
            "password": parsed["EMAIL_HOST_PASSWORD"] or None,
            "use_tls": parsed.get("EMAIL_USE_TLS", False),
            "use_ssl": parsed.get("EMAIL_USE_SSL", False),
            # A hung SMTP server must not hold a worker for long.
            "timeout": timeout,
        },
    }


def development_secret_key(path) -> str:
    """A random key kept under var/ for DEBUG runs, shared by all local processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
