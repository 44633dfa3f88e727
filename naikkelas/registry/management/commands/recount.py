"""naikkelas recount: rebuild the pre-aggregated business counts from the businesses themselves."""

from django.core.management.base import BaseCommand

from naikkelas.registry import followers
from naikkelas.registry.tallies import tally_rebuild


class Command(BaseCommand):
    help = "Rebuild the business tallies (counts per village, status, size class and sector) and the funnel."

    def handle(self, *args, **opts):
        rows = tally_rebuild()
        followers.businesses_rebuilt()  # the funnel's sums too
        self.stdout.write(f"Rekap jumlah usaha dibangun ulang: {rows} baris.")
