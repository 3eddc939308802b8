#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain what to install.
# Django 6 needs 3.12+. Candidates are tried by running them, because pyenv
# shims exist on PATH even when they refuse to answer without PYENV_VERSION.
set -u
ok() { "$1" -c 'import sys, venv; raise SystemExit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
cands=()
[ -n "${PYTHON:-}" ] && cands+=("$PYTHON")
cands+=(python3.14 python3.13 python3.12 python3)
pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for d in $(ls -d "$pyenv_root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
  cands+=("$d/bin/python3")
done
for d in $(ls -d "$HOME"/.local/share/uv/python/cpython-3.1[2-9]*/bin 2>/dev/null | sort -rV); do
  cands+=("$d/python3")
done
cands+=(/usr/local/bin/python3.13 /usr/local/bin/python3.12 /opt/homebrew/bin/python3.13 /opt/homebrew/bin/python3.12)
for c in "${cands[@]}"; do
  p=$(command -v "$c" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
echo "evalportal needs Python 3.12 or newer (Django 6), and none was found." >&2
echo "Install one (python.org, your package manager: 'apt install python3.12', 'brew install python@3.13'," >&2
echo "or 'pyenv install 3.13'), or point PYTHON at it: PYTHON=/path/to/python3.13 make run" >&2
exit 1
