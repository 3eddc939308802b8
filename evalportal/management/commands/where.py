from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"


def mail_destination() -> str:
    """Where this configuration really delivers email, in words (no password)."""
    mailer = settings.MAILERS["default"]
    options = mailer.get("OPTIONS", {})
    if mailer["BACKEND"] == "evalportal.mail.EmlFileBackend":
        return f"written as .eml files to {options['file_path']} (open one with any mail program)"
    if "smtp" in mailer["BACKEND"]:
        security = "SSL" if options.get("use_ssl") else ("STARTTLS" if options.get("use_tls") else "no encryption")
        return f"sent by SMTP to {options['host']}:{options['port']} ({security})"
    return f"handed to {mailer['BACKEND']}"


class Command(BaseCommand):
    help = "Say where this configuration keeps its data, queues its tasks and delivers its email."

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        where = (
            database["NAME"]
            if "sqlite" in database["ENGINE"]
            else f"{database.get('HOST') or 'localhost'}/{database['NAME']}"
        )
        broker = settings.CELERY_BROKER_URL
        queue = (
            f"a folder queue in {settings.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in']}"
            if broker.startswith("filesystem://")
            else _without_password(broker)
        )
        self.stdout.write(f"Site:     {settings.SITE_URL}")
        self.stdout.write(f"Database: {where}")
        self.stdout.write(f"Tasks:    {queue}")
        self.stdout.write(f"Email:    {mail_destination()}")
