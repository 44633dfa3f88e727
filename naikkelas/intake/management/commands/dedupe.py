"""naikkelas dedupe: find likely duplicate businesses with Splink and put them in the review queue."""

import json
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from naikkelas.intake.duplicates import run_search


class Command(BaseCommand):
    help = "Find likely duplicate businesses (Splink, DuckDB) and put them in the review queue."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="region code, e.g. 18.09 (default: everything)")
        parser.add_argument("--threshold", type=float, default=0.9, help="match probability, default 0.9")
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--report", help="write {records, pairs, clusters} as JSON to this file")

    def handle(self, *args, region, threshold, backend, report, **opts):
        logging.getLogger("splink").setLevel(logging.ERROR)  # its training chatter is not for the office
        try:
            run = run_search(region_code=region, threshold=threshold, backend=backend)
        except ValidationError as err:
            raise CommandError(" ".join(m for ms in err.message_dict.values() for m in ms)) from None
        except NotImplementedError as err:
            raise CommandError(str(err)) from None
        if report:
            Path(report).write_text(json.dumps(run.result, ensure_ascii=False, indent=1))
        self.stdout.write(f"{run.records} usaha diperiksa dalam {run.seconds} detik: {run.pairs} pasangan, "
                          f"{run.clusters} kelompok kemungkinan ganda masuk antrean periksa.")  # fmt: skip
