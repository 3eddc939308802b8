from django.core.management.base import BaseCommand

from reporting.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's summary tables from the raw responses and answers."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=int, help="only this organisation's rows (its id)")

    def handle(self, *args, **options):
        nps_rows, topic_rows = summaries_rebuild(organisation_id=options["organisation"])
        self.stdout.write(f"Rebuilt {nps_rows} NPS rows and {topic_rows} topic rows.")
