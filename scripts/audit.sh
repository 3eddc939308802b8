#!/usr/bin/env bash
# pip-audit of the locked dependencies against PyPI's vulnerability data.
# Fails on any known vulnerability. What pip-audit could not audit is looked up
# on PyPI's project pages (scripts/audit_report.py); what neither can tell about
# is listed and counted, so a run that could audit nothing says so plainly.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-audit/bin/pip-audit ]; then
  .venv/bin/python -m venv .venv-audit
  .venv-audit/bin/pip install -q pip-audit==2.10.1 >/dev/null 2>&1 \
    || echo "pip-audit could not be installed (no package index?)" >&2
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
for lock in requirements.lock requirements-dev.lock; do
  : >"$report"
  # Its exit status is not needed: the report says what it found, and a
  # missing report means it audited nothing.
  if [ -x .venv-audit/bin/pip-audit ]; then
    .venv-audit/bin/pip-audit -r "$lock" --no-deps --disable-pip -s pypi --progress-spinner off \
      --format json -o "$report" 2>/dev/null || true
  fi
  .venv/bin/python scripts/audit_report.py "$lock" "$report" || status=1
done
exit $status
