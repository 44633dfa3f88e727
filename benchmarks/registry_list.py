"""Benchmark: business list page and API at 7,000 and 1,000,000 businesses, on SQLite and PostgreSQL.

Prints p50/p95 server time (Django test client, in process) per scenario. Not part of the test run.

    .venv/bin/python benchmarks/registry_list.py                       # both backends, 7k and 1M
    .venv/bin/python benchmarks/registry_list.py --backend sqlite --sizes 7000,100000

PostgreSQL: a database named naikkelas_bench is dropped and created at $BENCH_PG (default
postgres://postgres@127.0.0.1:5432).
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup_django  # noqa: E402


def run_backend(backend: str, sizes: list[int], repeats: int) -> list[dict]:
    """Set up Django on a fresh database for this backend, grow the table, time the pages."""
    setup_django(backend)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from naikkelas.accounts.constants import Role
    from naikkelas.accounts.models import User
    from naikkelas.accounts.services import api_token_get_or_create
    from naikkelas.regions.models import Level, Region
    from naikkelas.registry.models import Business, Person
    from naikkelas.registry.search import search_text_for
    from naikkelas.registry.tallies import tally_rebuild

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG is off: measured as in production
    cached = sorted((ROOT / "var" / "packages").glob("idn-area-data-*.tgz"))
    source = ["--source", str(cached[-1])] if cached else []
    call_command("load_regions", "--only", "18", *source, verbosity=0)
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="18.").values_list("code", flat=True)
    )
    province_admin = User.objects.create_user("bench.prov", role=Role.PROVINCE_ADMIN, region_id="18")
    regency_admin = User.objects.create_user("bench.kab", role=Role.REGENCY_ADMIN, region_id="18.09")
    rng = random.Random(7)
    words = ["Keripik", "Kopi", "Warung", "Toko", "Bengkel", "Kue", "Tenun", "Ikan", "Jamur", "Sambal"]
    names = ["Siti", "Budi", "Ahmad", "Rahayu", "Slamet", "Dewi", "Agus", "Ratna", "Joko", "Wati"]

    def grow(to: int) -> float:
        started = time.monotonic()
        have = Business.objects.count()
        batch = 20_000
        while have < to:
            n = min(batch, to - have)
            persons = Person.objects.bulk_create(
                [Person(name=f"{rng.choice(names)} {have + i}") for i in range(n)], batch_size=5000
            )
            titles = [f"{rng.choice(words)} {rng.choice(names)} {have + i}" for i in range(n)]
            Business.objects.bulk_create(
                [
                    Business(
                        name=titles[i],
                        search_text=search_text_for(name=titles[i], owner_name=p.name, nib=""),
                        owner_id=p.pk,
                        village_id=rng.choice(villages),
                        status=rng.choice(["registered", "operating", "modern", "closed"]),
                        size_class="mikro",
                        annual_revenue=rng.randint(10, 2000) * 1_000_000,
                        sector=rng.choice(["Makanan olahan", "Warung makan", "Kerajinan"]),
                    )
                    for i, p in enumerate(persons)
                ],
                batch_size=5000,
            )
            have += n
        tally_rebuild()  # what every bulk loader does after writing
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return time.monotonic() - started

    page_client = Client()
    page_client.force_login(province_admin)
    kab_client = Client()
    kab_client.force_login(regency_admin)
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_get_or_create(user=province_admin)}")
    scenarios = [
        ("page, provincial admin", page_client, "/usaha/"),
        ("page, provincial admin, page 40", page_client, "/usaha/?page=40"),
        ("page, regency admin, status filter", kab_client, "/usaha/?status=operating"),
        ("page, district filter", page_client, "/usaha/?region=18.09.01"),
        ("page, search 'kopi siti' (2 common words)", page_client, "/usaha/?q=kopi%20siti"),
        ("page, search one business", page_client, "/usaha/?q=siti%204241"),
        ("api, provincial admin", api_client, "/api/v1/businesses"),
        ("api, regency + status", api_client, "/api/v1/businesses?region=18.09&status=modern"),
    ]
    results = []
    for size in sizes:
        seconds = grow(size)
        for label, client, url in scenarios:
            assert client.get(url).status_code == 200, url  # warm up, and make sure it works
            timings = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            timings.sort()
            results.append(
                {
                    "backend": backend,
                    "businesses": size,
                    "scenario": label,
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
                    "grow_seconds": round(seconds, 1),
                }
            )
            print(json.dumps(results[-1]), flush=True)
        # The whole list exported, as a regency and a provincial admin download it (streamed; timed to the end).
        for label, client, url in [
            ("export XLSX, regency admin", kab_client, "/usaha/ekspor.xlsx"),
            ("export XLSX, provincial admin", page_client, "/usaha/ekspor.xlsx"),
            ("export CSV, provincial admin", page_client, "/usaha/ekspor.csv"),
        ]:
            t0 = time.perf_counter()
            response = client.get(url)
            size_bytes = len(response.getvalue())
            seconds_taken = time.perf_counter() - t0
            results.append(
                {
                    "backend": backend,
                    "businesses": size,
                    "scenario": label,
                    "seconds": round(seconds_taken, 2),
                    "bytes": size_bytes,
                }
            )
            print(json.dumps(results[-1]), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="7000,1000000")
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child or args.backend != "both":
        run_backend(args.backend, sizes, args.repeats)
        return
    rows = []
    for backend in ("sqlite", "postgres"):
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--backend",
                backend,
                "--sizes",
                args.sizes,
                "--repeats",
                str(args.repeats),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        rows += [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    print(f"\n{'backend':<9} {'businesses':>10}  {'scenario':<44} {'p50 ms':>7} {'p95 ms':>7}")
    for r in rows:
        if "seconds" in r:  # an export, timed once to its last byte
            print(
                f"{r['backend']:<9} {r['businesses']:>10,}  {r['scenario']:<44} {r['seconds']:>7} s, {r['bytes']:,} bytes"
            )
            continue
        print(
            f"{r['backend']:<9} {r['businesses']:>10,}  {r['scenario']:<44} {r['p50_ms']:>7} {r['p95_ms']:>7}"
        )


if __name__ == "__main__":
    main()
