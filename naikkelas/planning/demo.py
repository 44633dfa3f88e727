"""Demo planning: the six points DPRD Banten's Komisi II gave the Dinas Koperasi dan UMKM at its Forum Renja (the
report the project started from), each linked to the indicators that answer it, for the provincial office
(admin.banten). Dated relative to the demo's day."""

from datetime import date

from django.db import transaction

from naikkelas.planning.indicators import BY_CODE
from naikkelas.planning.models import PokokPikiran
from naikkelas.regions.models import Region

BANTEN_POINTS = [
    ("Meningkatkan kapasitas dan pelatihan bagi SDM koperasi.", ["SDM-02"]),
    ("Memberikan kesempatan usaha yang seluas-luasnya kepada koperasi.", ["KOP-01", "KOP-05"]),
    ("Melakukan pengawasan terhadap koperasi.", ["KOP-02", "KOP-03", "KOP-04"]),
    ("Meningkatkan kapasitas dan pelatihan bagi SDM UMKM.", ["SDM-01"]),
    ("Mempermudah akses permodalan bagi UMKM.", ["PEMB-01", "PEMB-02", "PEMB-03", "PEMB-04"]),
    ("Mempromosikan produk UMKM melalui e-commerce.", ["PROM-01", "PROM-02"]),
]


@transaction.atomic
def demo_planning(*, today: date) -> int:
    """The six points at this year's Forum Renja (in March, or last year's before then); idempotent."""
    if not Region.objects.filter(code="36").exists():  # Banten's tree not loaded
        return 0
    forum = date(today.year, 3, 12) if today >= date(today.year, 3, 12) else date(today.year - 1, 3, 12)
    for number, (text, codes) in enumerate(BANTEN_POINTS, start=1):
        PokokPikiran.objects.update_or_create(
            region_id="36",
            given_on=forum,
            number=number,
            defaults={
                "text": text,
                "komisi": "Komisi II DPRD Provinsi Banten",
                "indicator_codes": codes,
                "forum": "Forum Renja Dinas Koperasi dan UMKM Provinsi Banten",
            },  # fmt: skip
        )
    return len(BANTEN_POINTS)


# The office's own figures from the report the project started from: 7,000 registered, 3,000 operating, 1,000
# modern and innovating (Kabupaten Pesawaran). Percentages are of the funnel's stages, as UMKM-02 and UMKM-03.
PESAWARAN_RENJA = [
    # (code, bidang, [(indicator code or "", name, unit, baseline, target)], pagu)
    ("2.17.07.2.01.0004", "Bidang UMKM", [
        ("UMKM-01", "", "", 7000, 7200),
        ("UMKM-02", "", "", 42.86, 45),
        ("UMKM-03", "", "", 33.33, 36),
        ("", "Jumlah UMKM beroperasi", "unit usaha", 3000, 3300),
        ("", "Jumlah UMKM modern dan berinovasi", "unit usaha", 1000, 1150),
    ], 619_000_000),
    ("2.17.07.2.01.0015", "Bidang UMKM", [("SDM-01", "", "", 450, 500)], 1_448_000_000),
    ("2.17.08.2.01.0002", "Bidang UMKM", [("UMKM-06", "", "", 1.5, 2), ("BIN-01", "", "", 20, 30)], 899_000_000),
    ("2.17.03.2.01.0004", "Bidang Koperasi", [("KOP-02", "", "", 60, 75), ("KOP-01", "", "", 70, 75)], 21_000_000),
    ("2.17.04.2.01.0001", "Bidang Koperasi", [("KOP-03", "", "", 50, 80)], 20_000_000),
    ("2.17.05.2.01.0001", "Bidang Koperasi", [("SDM-02", "", "", 80, 100)], 120_000_000),
]  # fmt: skip
# Banten's provincial Renja: one entry (or more) answering each of the DPRD's six points, in their order.
BANTEN_RENJA = [
    ("2.17.05.1.01.0001", "Bidang Kelembagaan Koperasi", [("SDM-02", "", "", 120, 150)], 350_000_000, [1]),
    ("2.17.06.1.01.0009", "Bidang Kelembagaan Koperasi", [("KOP-01", "", "", 65, 70), ("KOP-05", "", "", 3, 5)],
     275_000_000, [2]),
    ("2.17.03.1.01.0004", "Bidang Pengawasan Koperasi", [("KOP-02", "", "", 55, 70)], 180_000_000, [3]),
    ("2.17.04.1.01.0001", "Bidang Pengawasan Koperasi", [("KOP-03", "", "", 40, 60), ("KOP-04", "", "", 50, 60)],
     95_000_000, [3]),
    ("2.17.07.1.01.0002", "Bidang UMKM", [("SDM-01", "", "", 300, 400)], 900_000_000, [4]),
    ("2.17.08.1.01.0002", "Bidang UMKM", [("PEMB-02", "", "", 10, 15), ("PEMB-03", "", "", 8, 5),
                                          ("PROM-01", "", "", 30, 60)], 1_250_000_000, [5, 6]),
]  # fmt: skip


# Each entry's objective (sasaran), as a plan words it; the LKjIP groups its indicators by it.
SASARAN = {
    "2.17.07": "Meningkatnya UMKM yang beroperasi dan berinovasi",
    "2.17.08": "Meningkatnya usaha mikro yang naik kelas",
    "2.17.03": "Meningkatnya kepatuhan dan tata kelola koperasi",
    "2.17.04": "Meningkatnya koperasi simpan pinjam yang sehat",
    "2.17.05": "Meningkatnya kapasitas SDM koperasi",
    "2.17.06": "Meningkatnya kesempatan usaha koperasi",
}


def _plan(region_code: str, year: int, entries, *, with_points: bool):
    from decimal import Decimal

    from naikkelas.planning import nomenclature, plans
    from naikkelas.planning.models import Plan, PlanBudget, PlanKind, PlanTarget

    plan, _created = Plan.objects.get_or_create(
        region_id=region_code, kind=PlanKind.RENJA, first_year=year, defaults={"last_year": year,
                                                                               "title": f"Renja {year}"}
    )  # fmt: skip
    for entry in entries:
        code, bidang, targets, pagu = entry[:4]
        node = plans._node(plan, nomenclature.entry(code), bidang, SASARAN.get(code[:7]))
        for position, (indicator, name, unit, baseline, goal) in enumerate(targets):
            known = BY_CODE.get(indicator)
            PlanTarget.objects.update_or_create(
                node=node, name=known.name if known else name,
                defaults={"indicator_code": indicator, "unit": known.unit if known else unit, "position": position,
                          "baseline": Decimal(str(baseline)), "targets": {str(year): str(goal)}},
            )  # fmt: skip
        PlanBudget.objects.update_or_create(node=node, year=year, defaults={"pagu": pagu})
        if with_points:
            for number in entry[4]:
                for point in PokokPikiran.objects.filter(region_id=region_code, number=number):
                    point.nodes.add(node)
    return plan


def _spending(plan, today: date) -> None:
    """Spending so far: a fifth of the budget for each quarter already over on the demo's day."""
    from naikkelas.planning.models import PlanBudget

    ends = [date(plan.first_year, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
    for budget in PlanBudget.objects.filter(node__plan=plan):
        for n, end in enumerate(ends, start=1):
            setattr(budget, f"q{n}", budget.pagu * 2 // 10 if end < today else 0)
        budget.save()
    # A program's budget is its kegiatan's total (and a kegiatan's its sub-kegiatan's), as the Renja adds up.
    for level in ("kegiatan", "program"):
        for node in plan.nodes.filter(level=level):
            below = PlanBudget.objects.filter(node__parent=node, year=plan.first_year)
            if below.exists():
                PlanBudget.objects.update_or_create(node=node, year=plan.first_year, defaults={
                    "pagu": sum(b.pagu for b in below), **{q: sum(getattr(b, q) for b in below) for q in ("q1", "q2", "q3", "q4")}
                })  # fmt: skip


@transaction.atomic
def demo_plans(*, today: date) -> int:
    """This year's Renja of the Pesawaran office (from its own figures) and of the Banten office (answering the
    DPRD's six points); idempotent."""
    made = 0
    if Region.objects.filter(code="18.09").exists():
        _spending(_plan("18.09", today.year, PESAWARAN_RENJA, with_points=False), today)
        made += 1
    if Region.objects.filter(code="36").exists():
        _spending(_plan("36", today.year, BANTEN_RENJA, with_points=True), today)
        made += 1
    return made
