"""Demo opportunities in Kabupaten Pesawaran, dated from the demo's day: a hotel wanting 200 kg of keripik pisang a
month with PIRT, the regency's school-meal programme wanting eggs and vegetables, a Koperasi Merah Putih gerai
sembako sourcing rice and cooking oil (one of them already closed with a deal, so the office's figures show one);
idempotent: nothing is added when the office already has opportunities."""

from datetime import date, timedelta

from django.db import transaction

from naikkelas.accounts.models import User
from naikkelas.opportunities import services
from naikkelas.opportunities.models import Opportunity
from naikkelas.regions.models import Level, Region

BUYERS = [
    # (buyer, kind, [(title, quantity, unit, frequency, documents, price_max, budget, channel, quality)])
    ("Hotel Teluk Pesawaran", "horeka", [
        ("Keripik pisang", 200, "kg", "bulanan", ["pirt"], 60_000, None, "offtake",
         "Renyah, tanpa pengawet, kemasan 250 g berlabel, kedaluwarsa paling cepat 3 bulan setelah dikirim."),
    ]),
    ("Program Makan Bergizi Sekolah Kabupaten Pesawaran", "opd", [
        ("Telur ayam", 500, "kg", "mingguan", ["nib"], 30_000, None, "ekatalog", "Telur segar, utuh, bersih."),
        ("Sayur segar", 300, "kg", "mingguan", ["nib"], 15_000, None, "ekatalog", "Sayur daun dan buah, dipanen pagi."),
    ]),
    ("Gerai Sembako Koperasi Desa Merah Putih", "unit_koperasi", [
        ("Beras", 2000, "kg", "bulanan", ["nib"], 14_000, None, "kemitraan", "Beras medium, kadar air ≤ 14%."),
        ("Minyak goreng", 500, "liter", "bulanan", ["nib", "halal"], 18_000, 9_000_000, "bela", ""),
    ]),
]  # fmt: skip


@transaction.atomic
def demo_opportunities(*, today: date) -> int:
    admin = User.objects.filter(username="admin.pesawaran").first()
    if admin is None or Opportunity.objects.filter(region_id="18.09").exists():
        return 0
    village = (
        Region.objects.filter(code__startswith="18.09.01.", level=Level.VILLAGE).order_by("code").first()
    )
    made = []
    for name, kind, wants in BUYERS:
        buyer = services.buyer_create(actor=admin, data={"name": name, "kind": kind, "region": "18.09"})
        for title, quantity, unit, frequency, documents, price_max, budget, channel, quality in wants:
            made.append(services.opportunity_create(actor=admin, buyer=buyer, today=today, data={
                "title": title, "quantity": quantity, "unit": unit, "frequency": frequency, "documents": documents,
                "price_max": price_max, "budget": budget, "channel": channel, "quality": quality,
                "region": "18.09", "delivery_village": village.code,
                "deadline": today + timedelta(days=14), "delivery_on": today + timedelta(days=30),
            }))  # fmt: skip
    # The demo cooperative offered the gerai sembako its members' rice (its manager phoned, the office typed the
    # offer in) and the office recorded the deal: one the office's figures count.
    manager = User.objects.filter(username="koperasi").first()
    cooperative = (
        manager.managed_cooperatives.filter(village__code__startswith="18.09.").first() if manager else None
    )
    if cooperative is not None:
        rice = next(o for o in made if o.title == "Beras")
        offer = services.offer_make(actor=admin, opportunity=rice, supplier=cooperative, today=today, data={
            "price": 13_500, "quantity": 2000, "available_on": today + timedelta(days=30),
            "note": "Beras anggota, digiling di gudang koperasi."})  # fmt: skip
        services.outcome_record(actor=admin, opportunity=rice, today=today, data={
            "outcome": "deal", "deal_value": 27_000_000, "winning_offer": offer.pk})  # fmt: skip
    _coffee_partnership(admin, today)
    return len(made)


def _coffee_partnership(admin, today: date) -> None:
    """A producers' cooperative and two coffee businesses supplying a roaster (a supply-chain partnership),
    with three months of sales typed by the office."""
    from naikkelas.opportunities import partnerships
    from naikkelas.registry.models import Business, Cooperative

    cooperative = (
        Cooperative.objects.filter(village__code__startswith="18.09.", type="produsen").order_by("pk").first()
        or Cooperative.objects.filter(village__code__startswith="18.09.").order_by("pk").first()
    )
    coffee = list(Business.objects.filter(village__code__startswith="18.09.", sector="Kopi dan kakao")
                  .order_by("pk").values_list("pk", flat=True)[:2])  # fmt: skip
    if cooperative is None:
        return
    started = (today.replace(day=1) - timedelta(days=85)).replace(day=1)
    partnership = partnerships.partnership_create(actor=admin, data={
        "partner": "Roastery Way Ratai", "partner_kind": "perusahaan", "pattern": "rantai_pasok", "region": "18.09",
        "cooperatives": [cooperative.pk], "businesses": coffee, "starts_on": started,
        "ends_on": date(started.year + 1, started.month, 1) - timedelta(days=1), "contract_value": 120_000_000,
        "note": "Biji kopi robusta petik merah, 1 ton per bulan."})  # fmt: skip
    month = started
    for amount in (8_500_000, 9_200_000, 10_100_000):
        partnerships.partnership_sale_record(actor=admin, partnership=partnership, month=month, amount=amount)
        month = (month + timedelta(days=32)).replace(day=1)
