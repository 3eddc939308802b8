from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, LOGINS


class Command(BaseCommand):
    help = "Print the demo logins created by seed_demo."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in LOGINS:
            self.stdout.write(f"  {role:<14} {email}")
