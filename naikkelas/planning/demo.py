"""Demo planning: the six points DPRD Banten's Komisi II gave the Dinas Koperasi dan UMKM at its Forum Renja (the
report the project started from), each linked to the indicators that answer it, for the provincial office
(admin.banten). Dated relative to the demo's day."""

from datetime import date

from django.db import transaction

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
