#!/usr/bin/env bash
# pip-audit of the locked dependencies against PyPI's vulnerability data.
# Fails on any known vulnerability. Packages the index cannot tell about are
# listed and counted, so a run that could audit nothing says so plainly.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-audit/bin/pip-audit ]; then
  .venv/bin/python -m venv .venv-audit
  if ! .venv-audit/bin/pip install -q pip-audit==2.10.1 >/dev/null 2>&1; then
    echo "pip-audit could not be installed (no package index?); audit skipped" >&2
    exit 0
  fi
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
for lock in requirements.lock requirements-dev.lock; do
  .venv-audit/bin/pip-audit -r "$lock" --no-deps --disable-pip -s pypi --progress-spinner off \
    --format json -o "$report" 2>/dev/null || status=$?
  .venv/bin/python - "$lock" "$report" <<'PY'
import json, sys
lock, path = sys.argv[1], sys.argv[2]
try:
    deps = json.load(open(path))["dependencies"]
except (OSError, ValueError, KeyError):
    print(f"{lock}: pip-audit gave no report (vulnerability service unreachable?)")
    sys.exit(0)
found = [(d["name"], d["version"], v["id"], ",".join(v.get("fix_versions", []))) for d in deps for v in d.get("vulns", [])]
skipped = [d["name"] for d in deps if "skip_reason" in d]
for name, version, vuln, fixed in found:
    print(f"{lock}: {name} {version}: {vuln} (fixed in {fixed or 'no release yet'})")
print(f"{lock}: {len(deps) - len(skipped)} of {len(deps)} packages audited, {len(found)} known vulnerabilities"
      + (f"; not known to the index: {', '.join(skipped)}" if skipped and len(skipped) < len(deps) else "")
      + ("; the index serves no vulnerability data here" if deps and len(skipped) == len(deps) else ""))
sys.exit(1 if found else 0)
PY
done
# pip-audit exits 1 when it found vulnerabilities; the report above named them.
exit $(( status == 1 ? 1 : 0 ))
