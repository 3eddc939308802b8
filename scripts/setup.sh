#!/usr/bin/env bash
# Create .venv with a suitable Python and install the locked dependencies.
# Re-running is cheap: it reinstalls only when a lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=${1:-requirements.lock}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; raise SystemExit(sys.version_info < (3, 12))' 2>/dev/null; then
  py=$(scripts/find-python.sh)
  echo "Creating .venv with $py ($("$py" --version))"
  rm -rf .venv
  "$py" -m venv .venv
fi
stamp=.venv/.installed-$(basename "$lock")
hash=$(cat requirements*.lock | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "Installing locked dependencies from $lock"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
  echo "$hash" > "$stamp"
fi
mkdir -p var/mail
