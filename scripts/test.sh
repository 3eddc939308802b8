#!/usr/bin/env bash
# make test: set up, lint, check migrations, run the suite on SQLite; then,
# when PostgreSQL and Redis answer (always on CI), run it again on PostgreSQL
# with the integration tests going through a real Celery worker on Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh requirements-dev.lock
py=.venv/bin/python
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL CELERY_BROKER_URL CACHE_URL EMAIL_URL

if [ "${CI:-}" = "true" ]; then
  : "${TEST_DATABASE_URL:=postgres://postgres@127.0.0.1:5432/postgres}"
  : "${TEST_BROKER_URL:=redis://127.0.0.1:6379/15}"
  # Browser tests drive Debian's Chromium; a clean CI machine installs it here.
  if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing Chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "Chromium could not be installed; browser tests will be skipped" >&2
  fi
fi

echo "== ruff"
.venv/bin/ruff check .
echo "== pip-audit of the locked dependencies"
scripts/audit.sh
echo "== migrations are complete"
DEBUG=true $py manage.py makemigrations --check --dry-run
echo "== pytest on SQLite"
$py -m pytest -q -n "${PYTEST_WORKERS:-2}" -m "not integration and not browser" "$@"
echo "== browser tests in Chromium (SQLite file: the live server answers from several threads)"
mkdir -p var
rm -f var/test-browser.sqlite3*
TEST_SQLITE_NAME=var/test-browser.sqlite3 $py -m pytest -q -p no:xdist -m browser tests/browser "$@" \
  || { rc=$?; [ $rc -eq 5 ] || exit $rc; }

if [ -n "${TEST_DATABASE_URL:-}" ] || [ -n "${TEST_BROKER_URL:-}" ]; then
  echo "== checking PostgreSQL and Redis"
  if ! $py scripts/services_answer.py "${TEST_DATABASE_URL:-}" "${TEST_BROKER_URL:-}"; then
    if [ "${CI:-}" = "true" ]; then echo "On CI PostgreSQL and Redis must answer." >&2; exit 1; fi
    echo "Skipping the PostgreSQL run." >&2; exit 0
  fi
  echo "== pytest on PostgreSQL, integration tests through a real Celery worker on Redis"
  DATABASE_URL=$TEST_DATABASE_URL TEST_BROKER_URL=$TEST_BROKER_URL \
    $py -m pytest -q -n "${PYTEST_WORKERS:-2}" -m "not browser" "$@"
fi

if [ "${CI:-}" = "true" ] || [ -n "${RELIABILITY:-}" ]; then
  # Short versions of the load and fault scripts; `make reliability` runs them full size.
  echo "== load and fault scripts R1-R6 (short)"
  $py -m tests.reliability.run_all --short
fi
