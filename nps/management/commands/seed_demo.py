from django.core.management.base import BaseCommand

from nps.demo import seed


class Command(BaseCommand):
    help = "Load the demo agency (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--placements", type=int, default=600, help="How many placements to create (first run).")

    def handle(self, *args, placements, **options):
        summary = seed(placements=placements)
        self.stdout.write(self.style.SUCCESS("Demo data ready: " + ", ".join(f"{k} {v}" for k, v in summary.items())))
