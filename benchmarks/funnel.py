"""Benchmark: the funnel at a province's scale, on SQLite and PostgreSQL.

1,000,000 businesses over Lampung (18) and 3,000,000 verification visits plus 500,000 assessments over three
years; then p50/p95 server time of the funnel (API and page) for the province and for one regency, today and as
of a past date; then 10,000 random visits and assessments through the services, after which the funnel's
figures are compared with a recount from scratch (every business's stages from the definition,
funnel.stages_on, without FunnelEvent or FunnelDelta). Not part of the test run.

    .venv/bin/python benchmarks/funnel.py                                   # both backends, 1M businesses
    .venv/bin/python benchmarks/funnel.py --backend sqlite --businesses 100000 --visits 300000

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
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup_django  # noqa: E402


def generate(n_businesses: int, n_visits: int, n_assessments: int, today: date) -> dict:
    """Businesses, visits and assessments written with the bulk writer; then the funnel rebuilt from them."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from naikkelas.core.bulk import BulkTable
    from naikkelas.lifecycle.funnel import funnel_rebuild
    from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit
    from naikkelas.regions.models import Level, Region
    from naikkelas.registry.models import Business, Person
    from naikkelas.registry.tallies import tally_rebuild

    cached = sorted((ROOT / "var" / "packages").glob("idn-area-data-*.tgz"))
    source = ["--source", str(cached[-1])] if cached else []
    call_command("load_regions", "--only", "18", *source, verbosity=0)
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="18.").values_list("code", flat=True)
    )
    rng = random.Random(11)
    start = today - timedelta(days=3 * 365)
    now = timezone.now()
    figures = {}
    t0 = time.monotonic()
    with transaction.atomic():
        persons = BulkTable(
            Person,
            [
                "id",
                "name",
                "nik_encrypted",
                "nik_hash",
                "nik_masked",
                "gender",
                "phone",
                "email",
                "created_at",
                "updated_at",
            ],
        )
        businesses = BulkTable(
            Business,
            [
                "id",
                "name",
                "owner_id",
                "village_id",
                "sector",
                "size_class",
                "status",
                "registered_on",
                "search_text",
                "nib",
                "kbli",
                "address",
                "phone",
                "external_ref",
                "created_at",
                "updated_at",
            ],
        )
        sectors = [
            "Makanan olahan",
            "Warung makan",
            "Kerajinan",
            "Pertanian",
            "Jasa",
            "Perdagangan",
            "Fesyen",
        ]
        registered: list[date] = []
        step = 50_000
        for first in range(0, n_businesses, step):
            n = min(step, n_businesses - first)
            pids = persons.allocate(n)
            persons.insert((pk, f"Pemilik {pk}", "", "", "", "", "", "", now, now) for pk in pids)
            bids = businesses.allocate(n)
            rows = []
            for pk, owner in zip(bids, pids, strict=True):
                day = (
                    start - timedelta(days=rng.randint(0, 2000))
                    if rng.random() < 0.8
                    else start + timedelta(days=rng.randint(0, 1000))
                )
                registered.append(day)
                rows.append(
                    (
                        pk,
                        f"Usaha {pk}",
                        owner,
                        rng.choice(villages),
                        rng.choice(sectors),
                        rng.choice(["mikro", "mikro", "mikro", "kecil", "menengah"]),
                        "registered",
                        day,
                        f"usaha {pk}",
                        "",
                        "",
                        "",
                        "",
                        "",
                        now,
                        now,
                    )
                )
            businesses.insert(rows)
        ids = list(Business.objects.order_by("pk").values_list("pk", flat=True))
        reg_of = dict(zip(ids, registered, strict=True))
        visits = BulkTable(VerificationVisit, ["business_id", "visited_on", "outcome", "notes", "created_at"])
        outcomes = ["operating"] * 8 + ["temporarily_closed", "closed", "moved", "not_found"]
        batch = []
        for _ in range(n_visits):
            pk = rng.choice(ids)
            first_day = max(start, reg_of[pk])
            span = (today - first_day).days
            if span <= 0:
                continue
            batch.append(
                (pk, first_day + timedelta(days=rng.randint(0, span)), rng.choice(outcomes), "", now)
            )
            if len(batch) >= 100_000:
                visits.insert(batch)
                batch = []
        visits.insert(batch)
        instrument = Instrument.objects.get(status="active")
        assessments = BulkTable(
            Assessment,
            [
                "business_id",
                "instrument_id",
                "assessed_on",
                "score",
                "level",
                "innovation",
                "modern",
                "created_at",
            ],
        )
        batch = []
        for _ in range(n_assessments):
            pk = rng.choice(ids)
            first_day = max(start, reg_of[pk])
            span = (today - first_day).days
            if span <= 0:
                continue
            level = rng.randint(1, 5)
            innovation = rng.random() < 0.5
            batch.append(
                (
                    pk,
                    instrument.pk,
                    first_day + timedelta(days=rng.randint(0, span)),
                    level * 18,
                    level,
                    innovation,
                    level >= 4 and innovation,
                    now,
                )
            )
            if len(batch) >= 100_000:
                assessments.insert(batch)
                batch = []
        assessments.insert(batch)
        figures["generate_s"] = round(time.monotonic() - t0, 1)
        t0 = time.monotonic()
        tally_rebuild()
        figures["funnel_events"] = funnel_rebuild()
        figures["rebuild_s"] = round(time.monotonic() - t0, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return figures


def timed(client, url: str, repeats: int) -> tuple[float, float]:
    assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    timings.sort()
    return round(statistics.median(timings), 1), round(timings[int(len(timings) * 0.95) - 1], 1)


def recount(codes: list[str], days: list[date]) -> dict:
    """Every business's stages from the definition, summed per region code prefix and day (streamed)."""
    from naikkelas.lifecycle import funnel
    from naikkelas.lifecycle.models import Assessment, VerificationVisit
    from naikkelas.registry.models import Business

    totals = defaultdict(lambda: [0, 0, 0])

    def grouped(qs, key):
        current, items = None, []
        for row in qs.iterator(chunk_size=20_000):
            if row[0] != current:
                if current is not None:
                    yield current, items
                current, items = row[0], []
            items.append(row[1:])
        if current is not None:
            yield current, items

    visits = grouped(
        VerificationVisit.objects.order_by("business_id", "visited_on", "id").values_list(
            "business_id", "visited_on", "outcome"
        ),
        None,
    )
    ratings = grouped(
        Assessment.objects.order_by("business_id", "assessed_on", "id").values_list(
            "business_id", "assessed_on", "modern"
        ),
        None,
    )
    next_v, next_r = next(visits, None), next(ratings, None)
    for pk, village, registered_on in (
        Business.objects.order_by("pk")
        .values_list("pk", "village_id", "registered_on")
        .iterator(chunk_size=20_000)
    ):
        v, r = [], []
        while next_v is not None and next_v[0] < pk:
            next_v = next(visits, None)
        if next_v is not None and next_v[0] == pk:
            v = next_v[1]
            next_v = next(visits, None)
        while next_r is not None and next_r[0] < pk:
            next_r = next(ratings, None)
        if next_r is not None and next_r[0] == pk:
            r = next_r[1]
            next_r = next(ratings, None)
        for day in days:
            stages = funnel.stages_on(day, registered_on=registered_on, visits=v, ratings=r)
            for code in codes:
                if village.startswith(code + "."):
                    t = totals[(code, day)]
                    for i in range(3):
                        t[i] += stages[i]
    return {k: tuple(t) for k, t in totals.items()}


def run_backend(
    backend: str, n_businesses: int, n_visits: int, n_assessments: int, repeats: int, changes: int
):
    setup_django(backend)
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from naikkelas.accounts.constants import Role
    from naikkelas.accounts.models import User
    from naikkelas.accounts.services import api_token_get_or_create
    from naikkelas.lifecycle import funnel, services
    from naikkelas.lifecycle.models import Instrument, Question
    from naikkelas.regions.models import Region
    from naikkelas.registry.models import Business

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    today = timezone.localdate()
    past = today - timedelta(days=400)
    info = {"backend": backend, "businesses": n_businesses, "visits": n_visits, "assessments": n_assessments}
    info |= generate(n_businesses, n_visits, n_assessments, today)
    print(json.dumps(info), flush=True)

    admin = User.objects.create_user("bench.prov", role=Role.PROVINCE_ADMIN, region_id="18")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_get_or_create(user=admin)}")
    page = Client()
    page.force_login(admin)
    results = []
    scenarios = [
        ("api, province, today", api, "/api/v1/dashboard/funnel?region=18"),
        ("api, province, past date", api, f"/api/v1/dashboard/funnel?region=18&as_of={past}"),
        ("api, regency, today", api, "/api/v1/dashboard/funnel?region=18.09"),
        ("api, regency, past date", api, f"/api/v1/dashboard/funnel?region=18.09&as_of={past}"),
        (
            "api, regency, sector + size",
            api,
            "/api/v1/dashboard/funnel?region=18.09&sector=Jasa&size_class=kecil",
        ),
        ("api, district, today", api, "/api/v1/dashboard/funnel?region=18.09.01"),
        ("page (with trend and map), province", page, "/dasbor/corong/?region=18"),
        ("page (with trend and map), regency", page, "/dasbor/corong/?region=18.09"),
    ]
    for label, client, url in scenarios:
        p50, p95 = timed(client, url, repeats)
        results.append({"backend": backend, "scenario": label, "p50_ms": p50, "p95_ms": p95})
        print(json.dumps(results[-1]), flush=True)

    # Random field work through the services, then the figures against a recount from scratch.
    rng = random.Random(5)
    officer = User.objects.create_user("bench.kab", role=Role.REGENCY_ADMIN, region_id="18.09")
    candidates = list(
        Business.objects.filter(village__code__startswith="18.09.").values_list("pk", flat=True)
    )
    questions = list(Question.objects.filter(instrument__status="active").prefetch_related("options"))
    assert Instrument.objects.filter(status="active").exists()
    t0 = time.monotonic()
    for i in range(changes):
        b = Business.objects.get(pk=rng.choice(candidates))
        day = b.registered_on + timedelta(days=rng.randint(0, max(0, (today - b.registered_on).days)))
        day = min(day, today)
        if i % 3:
            services.visit_record(
                actor=officer,
                business=b,
                data={
                    "date": day.isoformat(),
                    "outcome": rng.choice(["operating", "operating", "closed", "not_found"]),
                },
            )
        else:
            answers = {q.key: rng.choice(list(q.options.all())).key for q in questions}
            services.assessment_record(actor=officer, business=b, answers=answers, day=day)
    per_change_ms = (time.monotonic() - t0) * 1000 / max(changes, 1)
    regions = Region.objects.in_bulk(["18", "18.09"])
    t0 = time.monotonic()
    expected = recount(["18", "18.09"], [today, past])
    recount_s = time.monotonic() - t0
    checks = []
    for code in ("18", "18.09"):
        for day in (today, past):
            got = funnel.funnel_counts(region=regions[code], as_of=day).total
            got = (got.registered, got.operating, got.modern)
            checks.append(
                {
                    "region": code,
                    "as_of": day.isoformat(),
                    "funnel": got,
                    "recount": expected[(code, day)],
                    "equal": got == expected[(code, day)],
                }
            )
    summary = {
        "backend": backend,
        "random_changes": changes,
        "ms_per_change": round(per_change_ms, 1),
        "recount_s": round(recount_s, 1),
        "all_equal": all(c["equal"] for c in checks),
        "checks": checks,
    }
    print(json.dumps(summary), flush=True)
    return results, summary


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--visits", type=int, default=3_000_000)
    parser.add_argument("--assessments", type=int, default=500_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if args.child or len(backends) == 1:
        run_backend(backends[0], args.businesses, args.visits, args.assessments, args.repeats, args.changes)
        return
    for backend in backends:  # each backend in its own process: Django is set up once per process
        argv = [
            sys.executable,
            __file__,
            "--child",
            "--backend",
            backend,
            "--businesses",
            str(args.businesses),
            "--visits",
            str(args.visits),
            "--assessments",
            str(args.assessments),
            "--repeats",
            str(args.repeats),
            "--changes",
            str(args.changes),
        ]
        subprocess.run(argv, check=True)


if __name__ == "__main__":
    main()
