"""Benchmark: every shipped office indicator (naikkelas.planning) for a province of 1,000,000 businesses and
20,000 cooperatives, today and as of the end of a past year; prints p50/p95 per indicator and the total.

    .venv/bin/python benchmarks/indicators.py                          # PostgreSQL, 1,000,000 businesses
    .venv/bin/python benchmarks/indicators.py --keep                   # reuse naikkelas_bench (e.g. office_day's)
    .venv/bin/python benchmarks/indicators.py --backend sqlite --businesses 200000

Targets (issue 21): p95 ≤ 1 s per indicator on SQLite and PostgreSQL; the LKPJ material (PDF) for the province
≤ 15 s. The province gets a history to count: visits for 40 % of the businesses, assessments for 20 %, SOPs for
10 %, last month's KPI reports for 5 %, 20,000 training certificates, 50,000 size-class changes and 5,000
member-count changes in the audit log, a Renja with the DPRD's six points linked to it.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
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


def spread_registrations() -> None:
    """The office_day province registers every business on the day it is generated; here they were registered
    over the years before (2020 onwards), as a real registry was, and the funnel is rebuilt from the history."""
    from django.db import connection

    from naikkelas.registry import followers
    from naikkelas.registry.models import Business

    if Business.objects.filter(registered_on__lt=date(2024, 1, 1)).exists():
        return
    started = time.monotonic()
    table = Business._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {table} SET registered_on = date '2020-01-01' + (id % 2400)::int")  # noqa: S608
        else:
            days = "'+' || (id % 2400) || ' days'"
            cursor.execute(f"UPDATE {table} SET registered_on = date('2020-01-01', {days})")  # noqa: S608
    followers.businesses_rebuilt()
    print(
        f"  registrations spread over 2020–2026, funnel rebuilt ({time.monotonic() - started:.0f} s)",
        flush=True,
    )


def add_history(as_of: date) -> None:
    """What the indicators count beyond the registry, written in bulk (once: kept with --keep)."""
    from django.db import transaction
    from django.utils import timezone

    from naikkelas.core.models import AuditLog
    from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit
    from naikkelas.performance.models import MonthlyReport, SopAdoption, SopTemplate
    from naikkelas.regions.models import Region
    from naikkelas.registry.models import Business, Cooperative
    from naikkelas.training.models import Certificate, Cohort, Programme, Registration

    if VerificationVisit.objects.exists():
        return
    started = time.monotonic()
    rng = random.Random(21)
    rows = list(Business.objects.order_by("pk").values_list("pk", "village_id", "owner_id"))
    instrument = Instrument.objects.order_by("version").first()
    template = SopTemplate.objects.order_by("pk").first()
    last_month = (date(as_of.year, as_of.month, 1) - timedelta(days=1)).replace(day=1)

    def day() -> date:
        return date(as_of.year - rng.randrange(3), rng.randrange(1, 13), rng.randrange(1, 29))

    with transaction.atomic():
        VerificationVisit.objects.bulk_create(
            (VerificationVisit(business_id=pk, visited_on=day(), outcome=rng.choice(["operating", "operating", "closed"]))
             for pk, _v, _o in rows if rng.random() < 0.4), batch_size=20_000)  # fmt: skip
        Assessment.objects.bulk_create(
            (Assessment(business_id=pk, instrument=instrument, assessed_on=day(), score=50, level=rng.randrange(1, 6),
                        modern=rng.random() < 0.3) for pk, _v, _o in rows if rng.random() < 0.2), batch_size=20_000)  # fmt: skip
        SopAdoption.objects.bulk_create(
            (SopAdoption(business_id=pk, template=template, adopted_on=day()) for pk, _v, _o in rows if rng.random() < 0.1),
            batch_size=20_000)  # fmt: skip
        MonthlyReport.objects.bulk_create(
            (MonthlyReport(business_id=pk, month=last_month, source="owner") for pk, _v, _o in rows if rng.random() < 0.05),
            batch_size=20_000)  # fmt: skip
        programme = Programme.objects.create(name="Bench UMKM", topic="pemasaran-digital", audience="umkm")
        cohorts = [Cohort.objects.create(programme=programme, name=f"Angkatan {r}", region_id=r, capacity=1000,
                                         starts_on=date(as_of.year - 1, 1, 1))
                   for r in Region.objects.filter(code__startswith="18.", level=2).values_list("code", flat=True)]  # fmt: skip
        picked = rng.sample(rows, min(20_000, len(rows) // 50))
        registrations = Registration.objects.bulk_create(
            [Registration(cohort=cohorts[n % len(cohorts)], person_id=owner, business_id=pk, status="registered",
                          code=f"B{n:07d}", token=f"bench-{n}") for n, (pk, _v, owner) in enumerate(picked)],
            batch_size=5000)  # fmt: skip
        Certificate.objects.bulk_create(
            [Certificate(registration=r, number=f"BENCH-{n}", issued_on=day()) for n, r in enumerate(registrations)],
            batch_size=5000)  # fmt: skip
        now = timezone.now()
        stamp = AuditLog._meta.get_field("at")
        stamp.auto_now_add = False  # the changes are spread over the last years, not all made now
        AuditLog.objects.bulk_create(
            (AuditLog(actor_name="bench", action="update", object_type="registry.business", object_id=str(pk),
                      region_code=village, before={"size_class": "mikro"}, after={"size_class": "kecil"},
                      at=now - timedelta(days=rng.randrange(900)))
             for pk, village, _o in rng.sample(rows, min(50_000, len(rows) // 20))), batch_size=10_000)  # fmt: skip
        coops = list(Cooperative.objects.values_list("pk", "village_id", "members"))
        AuditLog.objects.bulk_create(
            (AuditLog(actor_name="bench", action="update", object_type="registry.cooperative", object_id=str(pk),
                      region_code=village, before={"members": members + 5}, after={"members": members},
                      at=now - timedelta(days=rng.randrange(900)))
             for pk, village, members in rng.sample(coops, min(5000, len(coops)))), batch_size=10_000)  # fmt: skip
        stamp.auto_now_add = True
    print(f"  history written ({time.monotonic() - started:.0f} s)", flush=True)


def province_plan(year: int) -> None:
    """A Renja for the province with the DPRD's six points linked to it (as the Banten demo)."""
    from naikkelas.planning.demo import BANTEN_POINTS, BANTEN_RENJA, _plan, _spending
    from naikkelas.planning.models import PokokPikiran

    for number, (text, codes) in enumerate(BANTEN_POINTS, start=1):
        PokokPikiran.objects.get_or_create(region_id="18", number=number, given_on=date(year, 3, 12),
                                           defaults={"text": text, "indicator_codes": codes})  # fmt: skip
    _spending(_plan("18", year, BANTEN_RENJA, with_points=True), date(year, 12, 31))


def time_lkpj(as_of: date) -> float:
    """The LKPJ material of the province as PDF, as the page makes it: the report, the template, WeasyPrint."""
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from naikkelas.planning import reports

    User = get_user_model()
    user = User.objects.filter(username="bench.provinsi").first()
    started = time.perf_counter()
    made = reports.report(user=user, region="18", as_of=as_of.isoformat())
    html = render_to_string("planning/report_pdf.html", {
        "report": made, "region": made.region, "as_of": made.as_of, "title": "Bahan LKPJ", "kind": "lkpj",
        "body": "planning/report_lkpj.html", "pdf": True})  # fmt: skip
    pdf = HTML(string=html, base_url="http://localhost/").write_pdf()
    took = time.perf_counter() - started
    print(
        f"\nLKPJ material (PDF) for province 18 as of {as_of}: {took:.1f} s, {len(pdf) / 1024:.0f} KiB, "
        f"{len(made.readings)} indicators, {len(made.points)} DPRD points, {len(made.rows)} plan entries",
        flush=True,
    )
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--cooperatives", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--as-of", default="2026-11-30", help="the day the figures are for (a fixed day)")
    args = parser.parse_args()
    setup_django(args.backend, keep=args.keep)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from office_day import fill

    from naikkelas.planning.indicators import INDICATORS

    data = fill(args.businesses)
    coops = add_cooperatives(args.cooperatives)
    today = date.fromisoformat(args.as_of)
    add_history(today)
    spread_registrations()
    province_plan(today.year)
    from django.db import connection

    with (
        connection.cursor() as cursor
    ):  # statistics and visibility map after the bulk loads, as autovacuum keeps them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{args.backend}: {data['businesses']:,} businesses, {coops:,} cooperatives", flush=True)
    for region in ("18", "18.09"):
        for as_of in (today, date(today.year - 1, 12, 31)):
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
    time_lkpj(today)


if __name__ == "__main__":
    main()
