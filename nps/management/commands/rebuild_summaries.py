from django.core.management.base import BaseCommand

from nps.services.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's summary tables from the raw responses and answers."

    def handle(self, *args, **options):
        nps_rows, topic_rows = summaries_rebuild()
        self.stdout.write(f"Rebuilt {nps_rows} NPS rows and {topic_rows} topic rows.")
