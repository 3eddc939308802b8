from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from placements.api_keys import api_key_create
from placements.models import Integration


class Command(BaseCommand):
    help = (
        "Create an API key for an integration (created if new) and print it once: an ATS's, or with --read a BI tool's."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The integration's name, for example 'Bullhorn'.")
        parser.add_argument("--organisation", help="The organisation's name (needed when there are several).")
        parser.add_argument(
            "--read", action="store_true", help="A read-only key for a BI tool: responses, follow-ups, summaries."
        )

    def handle(self, *args, name, organisation=None, read=False, **options):
        organisations = Organisation.objects.all()
        if organisation:
            organisations = organisations.filter(name=organisation)
        if organisations.count() != 1:
            names = ", ".join(Organisation.objects.values_list("name", flat=True))
            raise CommandError(f"Name the organisation with --organisation (one of: {names}).")
        access = Integration.Access.READ if read else Integration.Access.WRITE
        integration, _ = Integration.objects.get_or_create(
            organisation=organisations.get(), name=name[:100], defaults={"access": access}
        )
        if integration.access != access:
            raise CommandError(f"{integration.name} is an integration that {integration.get_access_display().lower()}.")
        key = api_key_create(integration=integration)
        self.stdout.write(f"API key for {integration.name} (shown once, store it now):")
        self.stdout.write(key)
