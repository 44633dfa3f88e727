"""naikkelas load_regions: load or refresh the whole Kemendagri region tree."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from naikkelas.regions.services import RegionSourceError, regions_load


class Command(BaseCommand):
    help = "Load the Kemendagri region tree (provinces, regencies, districts, villages) from idn-area-data."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, help="a downloaded idn-area-data .tgz or its data folder")
        parser.add_argument("--only", help="comma-separated province/regency codes to load, e.g. 18,36")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, **opts):
        started = time.monotonic()
        only = [c.strip() for c in opts["only"].split(",")] if opts["only"] else None
        try:
            result = regions_load(source=opts["source"], only=only)
        except (RegionSourceError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        summary = {**result.as_dict(), "seconds": round(time.monotonic() - started, 1)}
        if opts["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"Wilayah: {result.created} baru, {result.updated} diperbarui, {result.unchanged} tetap "
                f"({summary['seconds']} detik) dari {result.source}"
            )
