"""Benchmark: every shipped office indicator (naikkelas.planning) for a province of 1,000,000 businesses and
20,000 cooperatives, today and as of the end of a past year; prints p50/p95 per indicator and the total.

    .venv/bin/python benchmarks/indicators.py                          # PostgreSQL, 1,000,000 businesses
    .venv/bin/python benchmarks/indicators.py --keep                   # reuse naikkelas_bench (e.g. office_day's)
    .venv/bin/python benchmarks/indicators.py --backend sqlite --businesses 200000

Target (issue 21): p95 ≤ 1 s per indicator on SQLite and PostgreSQL.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402


def add_cooperatives(target: int) -> int:
    from django.db import transaction

    from naikkelas.regions.models import Level, Region
    from naikkelas.registry.models import Cooperative
    from naikkelas.supervision.models import AnnualMeeting

    have = Cooperative.objects.count()
    if have >= target:
        return have
    rng = random.Random(5)
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="18.").values_list("code", flat=True)
    )
    with transaction.atomic():
        made = Cooperative.objects.bulk_create(
            [
                Cooperative(
                    name=f"Koperasi {n}",
                    type=rng.choice(["simpan_pinjam", "produsen", "konsumen"]),
                    village_id=rng.choice(villages),
                    level=rng.choice(["primer", "primer", "sekunder"]),
                    legal_entity_date=date(rng.randrange(1990, 2025), 1, 1),
                    status=rng.choice(["aktif", "aktif", "tidak_aktif", "dibubarkan"]),
                )  # fmt: skip
                for n in range(have, target)
            ],
            batch_size=5000,
        )
        AnnualMeeting.objects.bulk_create(
            [
                AnnualMeeting(cooperative=c, book_year=year, held_on=date(year + 1, rng.randrange(1, 9), 15))
                for c in made
                for year in (2023, 2024, 2025)
                if rng.random() < 0.7
            ],  # fmt: skip
            batch_size=5000,
        )
    return Cooperative.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--cooperatives", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    setup_django(args.backend, keep=args.keep)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from office_day import fill

    from naikkelas.planning.indicators import INDICATORS

    data = fill(args.businesses)
    coops = add_cooperatives(args.cooperatives)
    print(f"{args.backend}: {data['businesses']:,} businesses, {coops:,} cooperatives", flush=True)
    for region in ("18", "18.09"):
        for as_of in (date.today(), date(date.today().year - 1, 12, 31)):
            times: dict[str, list[float]] = {}
            for _ in range(args.repeats):
                for indicator in INDICATORS:
                    started = time.perf_counter()
                    indicator.compute(region, as_of)
                    times.setdefault(indicator.code, []).append(time.perf_counter() - started)
            print(f"\nregion {region}, as of {as_of}:  code  p50 ms  p95 ms")
            worst = 0.0
            for code, values in times.items():
                ordered = sorted(values)
                p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
                worst = max(worst, p95)
                print(f"  {code:<8}{statistics.median(values) * 1000:>8.0f}{p95 * 1000:>8.0f}")
            total = sum(statistics.median(v) for v in times.values())
            print(
                f"  all {len(times)} indicators: {total:.2f} s (median sum); worst p95 {worst * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
