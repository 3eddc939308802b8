#!/usr/bin/env bash
# Refresh the nl and en catalogs from the code and templates, then compile
# them. Needs GNU gettext (apt install gettext). The compiled .mo files are
# committed, so running the app never needs gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
DEBUG=true .venv/bin/python manage.py makemessages -l nl -l en --no-obsolete --no-location --no-wrap \
  -i ".venv/*" -i "var/*" -i "static/*" -i "tests/*" -i "scripts/*"
DEBUG=true .venv/bin/python manage.py makemessages -d djangojs -l nl -l en --no-obsolete --no-location --no-wrap \
  -i ".venv/*" -i "var/*" -i "static/vendor/*" -i "tests/*" -i "scripts/*" 2>/dev/null || true
DEBUG=true .venv/bin/python manage.py compilemessages --ignore ".venv/*" -v0
echo "Untranslated or fuzzy Dutch entries:"
for po in */locale/nl/LC_MESSAGES/*.po; do msgfmt --statistics -o /dev/null "$po" 2>&1 | sed "s|^|  $po: |"; done
