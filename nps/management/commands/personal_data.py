"""Export or erase everything stored about one hiring manager's email address (AVG/GDPR)."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from nps.services import privacy
from placements.models import Contact


class Command(BaseCommand):
    help = (
        "Export (JSON) or erase the personal data of the hiring manager with this email address. "
        "Erasure keeps the scores; both leave an audit record."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument("--organisation", help="Only this organisation (by name); default: every one that has it.")
        parser.add_argument("--yes", action="store_true", help="Erase without asking for confirmation.")

    def handle(self, *args, action, email, organisation, yes, **options):
        email = email.strip().lower()
        organisations = Organisation.objects.filter(
            pk__in=Contact.objects.filter(email=email).values("organisation_id")
        ).order_by("name")
        if organisation:
            organisations = organisations.filter(name=organisation)
        organisations = list(organisations)
        if not organisations:
            raise CommandError("No hiring manager with this email address is stored.")
        if action == "export":
            exports = [privacy.personal_data_export(organisation=org, email=email) for org in organisations]
            self.stdout.write(json.dumps(exports, ensure_ascii=False, indent=2))
            return
        names = ", ".join(org.name for org in organisations)
        if not yes:
            answer = input(f"Erase the personal data of {email} in {names}? Scores are kept. [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "j", "ja"}:
                raise CommandError("Nothing was erased.")
        for org in organisations:
            counts = privacy.personal_data_erase(organisation=org, email=email)
            summary = ", ".join(f"{key} {value}" for key, value in counts.items())
            self.stdout.write(f"{org.name}: erased ({summary}).")
