#!/usr/bin/env bash
# Write requirements.lock (runtime) and requirements-dev.lock (runtime + test tools) from the ranges in
# pyproject.toml, every pin with its hashes, so pip installs exactly these files and nothing else.
# A pin already in a lock file is kept while its range allows it; `scripts/lock.sh --upgrade` takes the
# newest versions the ranges allow. Needs the package index; uv runs in .venv-lock/, apart from the app.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-lock/bin/uv ]; then
  "$(scripts/find-python.sh)" -m venv .venv-lock
  .venv-lock/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
fi
common=(--generate-hashes --universal --python-version 3.12 --no-annotate --custom-compile-command scripts/lock.sh)
.venv-lock/bin/uv pip compile --quiet pyproject.toml -o requirements.lock "${common[@]}" "$@"
.venv-lock/bin/uv pip compile --quiet pyproject.toml --extra dev -c requirements.lock -o requirements-dev.lock \
  "${common[@]}" "$@"
