#!/bin/sh
# Build the static files exactly as production serves them: DEBUG off, so whitenoise's manifest
# storage writes the hashed, compressed files and staticfiles.json that every page's {% static %} needs.
# The Dockerfile runs this, and so does tests/evalportal/test_production.py before it starts gunicorn.
# PYTHON picks the interpreter (the image's `python` by default); STATIC_ROOT the target folder.
set -eu
cd "$(dirname "$0")/.."
py=${PYTHON:-python}
# collectstatic reads the settings, which refuse DEBUG off without a secret; none is used while building.
SECRET_KEY=$("$py" -c 'import secrets; print(secrets.token_urlsafe(50))') DEBUG=false \
  exec "$py" manage.py collectstatic --no-input --clear --verbosity 0
