from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from applicants.demo import seed


class Command(BaseCommand):
    help = "Add a year of demo vacancies with introduced candidates and their experience to an organisation."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=int, required=True, help="The organisation's id.")

    def handle(self, *args, organisation, **options):
        found = Organisation.objects.filter(pk=organisation).first()
        if found is None:
            raise CommandError(f"No organisation with id {organisation}.")
        made = seed(organisation=found)
        self.stdout.write(f"Demo introduced candidates: {made} added.")
