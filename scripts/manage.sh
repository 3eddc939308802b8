#!/usr/bin/env bash
# manage.py with the same settings as `make run` (DEBUG on, the development secret key under var/),
# for the embedded run on a laptop: scripts/manage.sh create_api_key "Bullhorn".
# In production, run manage.py in the app's own environment (docker compose exec web python manage.py …).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || scripts/setup.sh requirements.lock >/dev/null
export DEBUG=${DEBUG:-true}
export SITE_URL=${SITE_URL:-http://127.0.0.1:${PORT:-8000}}
exec .venv/bin/python manage.py "$@"
