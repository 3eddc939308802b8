from django.core.management.base import BaseCommand

from accounts import two_factor
from accounts.demo import ADMIN, DEMO_PASSWORD, LOGINS
from accounts.models import User


class Command(BaseCommand):
    help = "Print the demo logins created by seed_demo, with fresh recovery codes for the demo administrator."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in LOGINS:
            self.stdout.write(f"  {role:<14} {email}")
        admin = User.objects.filter(email=ADMIN[0]).first()
        if admin is not None:
            # Administrators need a second factor. Each run makes new one-time codes for the demo
            # administrator, so the demo works without an authenticator app at hand.
            codes = two_factor.recovery_codes_renew(user=admin)
            self.stdout.write(
                "  The administrator logs in with two-factor authentication: set up an authenticator app,\n"
                f"  or enter one of these one-time recovery codes: {' '.join(codes[:3])}"
            )
