"""Demo performance data: the demo owner sells fried bananas and keeps a cash book; a few hundred Pesawaran
businesses report monthly figures (some falling three months running, some missing last month); some have
adopted SOPs."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.performance import books
from naikkelas.performance.models import (
    Entry,
    Kpi,
    MonthlyReport,
    ReportValue,
    SopAdoption,
    SopTemplate,
    Target,
)
from naikkelas.performance.selectors import add_months
from naikkelas.registry.models import Business


@transaction.atomic
def demo_performance(*, today: date | None = None, seed: int = 7) -> int:
    """Returns the number of monthly reports made (0 when the demo already has them)."""
    today = today or timezone.localdate()
    if MonthlyReport.objects.filter(business__external_ref__startswith="demo:").exists():
        return 0
    rng = random.Random(seed)
    owner = User.objects.filter(username="pemilik").first()
    officer = User.objects.filter(username="petugas.gedongtataan").first()
    this_month = today.replace(day=1)
    made = 0
    seller = Business.objects.filter(owner__user=owner).first() if owner else None
    if seller is not None:
        # Eight weeks of a fried-banana stall's books: sales most days, ingredients twice a week.
        entries = []
        for n in range(56):
            day = today - timedelta(days=n)
            if day.weekday() != 6:
                entries.append(
                    Entry(
                        business=seller,
                        day=day,
                        kind="sale",
                        category="jual_tunai",
                        amount=rng.randrange(90_000, 180_000, 1_000),
                        created_by=owner,
                    )
                )
                if rng.random() < 0.3:
                    entries.append(
                        Entry(
                            business=seller,
                            day=day,
                            kind="sale",
                            category="jual_online",
                            amount=rng.randrange(30_000, 90_000, 1_000),
                            created_by=owner,
                        )
                    )
            if day.weekday() in (0, 3):
                entries.append(
                    Entry(
                        business=seller,
                        day=day,
                        kind="expense",
                        category="bahan_baku",
                        amount=rng.randrange(180_000, 260_000, 5_000),
                        note="pisang, tepung, minyak",
                        created_by=owner,
                    )
                )
                entries.append(
                    Entry(
                        business=seller,
                        day=day,
                        kind="expense",
                        category="kemasan",
                        amount=rng.randrange(20_000, 40_000, 1_000),
                        created_by=owner,
                    )
                )
        Entry.objects.bulk_create(entries)
        for month in {e.day.replace(day=1) for e in entries}:
            books.month_from_books(actor=owner, business=seller, month=month)
            made += 1
        omzet = Kpi.objects.get(key="omzet")
        Target.objects.create(
            business=seller,
            kpi=omzet,
            start=this_month,
            end=this_month.replace(month=12),
            value=3_500_000,
            set_by=officer,
        )
    # Monthly figures of operating businesses in Pesawaran over the last six months.
    kpis = {k.key: k for k in Kpi.objects.all()}
    reporters = list(
        Business.objects.filter(external_ref__startswith="demo:18.09:", status__in=["operating", "modern"])
        .exclude(pk=getattr(seller, "pk", None))
        .order_by("external_ref")[:400]
    )
    reports, values = [], []
    for b in reporters:
        base = (b.annual_revenue or 60_000_000) / 12
        falling = rng.random() < 0.06
        stops = rng.random() < 0.08  # missed last month
        for i in range(6, 0, -1):
            month = add_months(this_month, -i)
            if stops and i == 1:
                continue
            trend = (1 - 0.12 * (6 - i)) if falling else (1 + rng.uniform(-0.08, 0.12))
            omzet = int(base * trend * rng.uniform(0.9, 1.1) // 1000 * 1000)
            hpp = int(omzet * rng.uniform(0.45, 0.7) // 1000 * 1000)
            report = MonthlyReport(business=b, month=month, source="officer", created_by=officer)
            reports.append(report)
            values.append(
                (
                    report,
                    {
                        "omzet": omzet,
                        "hpp": hpp,
                        "laba_bersih": int((omzet - hpp) * 0.6),
                        "margin_kotor": round((omzet - hpp) * 100 / omzet, 2) if omzet else None,
                        "pelanggan": rng.randint(20, 400),
                        "karyawan": b.employees or 1,
                    },
                )
            )
    MonthlyReport.objects.bulk_create(reports)
    ReportValue.objects.bulk_create(
        [
            ReportValue(report=r, kpi=kpis[k], value=v)
            for r, vs in values
            for k, v in vs.items()
            if v is not None
        ]
    )
    made += len(reports)
    # SOPs adopted by the modern businesses.
    sops = list(SopTemplate.objects.filter(published=True, version=1))
    adoptions = []
    for b in Business.objects.filter(external_ref__startswith="demo:18.09:", status="modern").order_by("pk")[
        :300
    ]:
        for sop in rng.sample(sops, k=rng.randint(1, 2)):
            adoptions.append(
                SopAdoption(business=b, template=sop, adopted_on=today - timedelta(days=rng.randint(30, 600)))
            )
    SopAdoption.objects.bulk_create(adoptions)
    return made
