import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalportal.settings")
application = get_wsgi_application()

# gunicorn loads this module once, before it starts its workers (preload_app).
from evalportal.celery import load_for_publishing  # noqa: E402 - needs the settings configured above

load_for_publishing()
