"""naikkelas dedupe: find likely duplicate businesses and persons with Splink and put them in the review queue."""

import json
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from naikkelas.intake.duplicates import run_search
from naikkelas.intake.models import RecordKind


class Command(BaseCommand):
    help = "Find likely duplicate businesses and persons (Splink on DuckDB or Spark) and put them in the review queue."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="region code, e.g. 18.09 (default: everything)")
        parser.add_argument("--threshold", type=float, default=0.9, help="match probability, default 0.9")
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument(
            "--kind",
            choices=["all", "business", "person"],
            default="all",
            help="businesses, persons or both (default)",
        )
        parser.add_argument(
            "--report", help="write {records, pairs, clusters, persons: {…}} as JSON to this file"
        )

    def handle(self, *args, region, threshold, backend, kind, report, **opts):
        logging.getLogger("splink").setLevel(logging.ERROR)  # its training chatter is not for the office
        kinds = {
            "all": (RecordKind.BUSINESS, RecordKind.PERSON),
            "business": (RecordKind.BUSINESS,),
            "person": (RecordKind.PERSON,),
        }[kind]
        try:
            run = run_search(region_code=region, threshold=threshold, backend=backend, kinds=kinds)
        except ValidationError as err:
            raise CommandError(" ".join(m for ms in err.message_dict.values() for m in ms)) from None
        except NotImplementedError as err:
            raise CommandError(str(err)) from None
        if report:
            found = dict(
                run.result.get(RecordKind.BUSINESS, {})
            )  # {"records", "pairs": [{"a", "b", "probability"}], "clusters"}
            if RecordKind.PERSON in run.result:
                found["persons"] = run.result[RecordKind.PERSON]
            Path(report).write_text(json.dumps(found, ensure_ascii=False, indent=1))
        if run.training_area != run.region_code:
            where = run.training_area or "semua wilayah"
            self.stdout.write(
                f"Catatan: wilayah {run.region_code} terlalu kecil untuk melatih model; model belajar dari "
                f"{run.trained_on} data di {where}, pasangan hanya diusulkan di {run.region_code}."
            )
        for kind, found in run.result.items():
            for rule in found.get("untrained", []):
                self.stdout.write(
                    f"Catatan ({kind}): tidak ada pasangan data dengan {rule}; model tidak belajar dari "
                    "blok itu (misalnya tidak ada dua data dengan nomor HP yang sama)."
                )
        self.stdout.write(
            f"{run.records} usaha dan {run.persons} orang diperiksa dalam {run.seconds} detik: "
            f"{run.pairs} pasangan, {run.clusters} kelompok kemungkinan ganda masuk antrean periksa."
        )
