"""Exit 0 when the given PostgreSQL and Redis URLs answer within a few seconds."""

import sys


def main(db_url: str, broker_url: str) -> int:
    ok = True
    if db_url:
        import psycopg

        try:
            psycopg.connect(db_url, connect_timeout=3).close()
        except Exception as exc:  # noqa: BLE001
            print(f"PostgreSQL does not answer: {exc}".strip(), file=sys.stderr)
            ok = False
    if broker_url:
        import redis

        try:
            redis.Redis.from_url(broker_url, socket_connect_timeout=3, socket_timeout=3).ping()
        except Exception as exc:  # noqa: BLE001
            print(f"Redis does not answer: {exc}", file=sys.stderr)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] + ["", ""])[:2]))
