"""Benchmark: how long one person's full copy of their data (privacy.holdings.gather, the JSON it is written to)
takes to assemble in a registry of a province's size.

Imports N SIDT-layout rows (default 1,000,000) into PostgreSQL with the import benchmark's setup and times
gather() and the JSON for a sample of persons spread over the table, printing the median and the slowest. The
walk asks every relation of every record it finds, whether rows exist or not, so the cost measured is the cost of
the walk at that size (the indexes it uses); a person with years of visits and books adds their rows' reading.

    .venv/bin/python benchmarks/personal_copy.py                   # 1,000,000 rows
    .venv/bin/python benchmarks/personal_copy.py --rows 100000 --keep   # reuse the database the next time

PostgreSQL: the database naikkelas_bench_import at $BENCH_PG (as benchmarks/import_throughput.py). Not a test.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_throughput as bench  # noqa: E402  (the import benchmark's setup and files)
import messy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="use the database as it is if it holds the rows")
    args = parser.parse_args()
    url = f"{bench.PG}/{bench.PG_DB}"
    work = Path(tempfile.mkdtemp(prefix="naikkelas-copy-bench-"))
    data_dir = str(work / "data")
    if not args.keep:
        import subprocess

        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", bench.PG_DB], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", bench.PG_DB], check=True)
    places = bench._setup(url, data_dir)
    from naikkelas.accounts.models import User
    from naikkelas.intake.services import import_businesses
    from naikkelas.privacy.holdings import gather
    from naikkelas.privacy.services import as_json
    from naikkelas.registry.models import Business, Person

    have = Business.objects.count()
    print(
        f"naikkelas personal-copy benchmark: {args.rows:,} rows asked, {have:,} businesses held", flush=True
    )
    if have < args.rows * 0.9:
        path = messy.write_sidt_csv(work / "umkm.csv", args.rows, places)
        started = time.perf_counter()
        report = import_businesses(actor=User.objects.get(username="bench.kab"), path=path)
        print(f"  imported {report.created:,} in {time.perf_counter() - started:.0f} s", flush=True)
    total = Business.objects.count()
    step = max(Person.objects.count() // args.sample, 1)
    persons = list(Person.objects.order_by("pk")[::step][: args.sample])
    seconds, sizes = [], []
    for person in persons:
        started = time.perf_counter()
        held = gather(person)
        text = as_json(held)
        seconds.append(time.perf_counter() - started)
        sizes.append(len(text))
    print(f"  {total:,} businesses; {len(persons)} persons' copies (gather + JSON):")
    print(f"    median {statistics.median(seconds) * 1000:.0f} ms, slowest {max(seconds) * 1000:.0f} ms, "
          f"median size {statistics.median(sizes) / 1024:.1f} KB", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
