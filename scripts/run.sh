#!/usr/bin/env bash
# make run: set up, migrate, load the demo data and run web, worker and beat.
# Ctrl-C stops all three (honcho forwards it and waits for them) and ends the run without an error.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh requirements.lock
export DEBUG=${DEBUG:-true}
export PORT=${PORT:-8000}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
export PYTHONUNBUFFERED=1
py=.venv/bin/python
if $py - "$PORT" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
then
  echo "Port $PORT on 127.0.0.1 is in use. Stop what runs there, or choose another: PORT=8001 make run" >&2
  exit 1
fi
$py manage.py migrate --no-input
$py manage.py seed_demo
$py manage.py demo_logins
echo
$py manage.py where
echo "evalportal runs at $SITE_URL  (Ctrl-C stops web, worker and beat)"
echo "Other manage.py commands with these settings: scripts/manage.sh <command>"
echo
export GUNICORN_BIND=127.0.0.1:$PORT
export PATH="$PWD/.venv/bin:$PATH"
# Ctrl-C is how the embedded run ends: honcho stops all three, and that is not an error (exit 130).
honcho start -f Procfile || { rc=$?; [ "$rc" -eq 130 ] || exit "$rc"; }
