"""Ranking suppliers for an opportunity: word fit (stemmed Indonesian), documents valid on the delivery day,
capacity, distance on the region tree, scorecard level; only suppliers of the opportunity's region."""

from datetime import date
from decimal import Decimal

import pytest

from naikkelas.catalog.models import Category, Product
from naikkelas.lifecycle.models import Assessment, Instrument
from naikkelas.opportunities import matching, words
from naikkelas.performance.models import Kpi, MonthlyReport, ReportValue
from naikkelas.registry.models import Cooperative, LegalDocument
from tests.conftest import make_business

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("wanted", "offered", "share"),
    [
        ("keripik pisang", "Keripik Pisang Coklat", 1.0),
        ("keripik pisang", "kripik pisangnya rasa balado", 1.0),  # spelling and suffix
        ("Sayuran segar", "Sayur Organik Bu Dewi", 1.0),  # "segar" says nothing; sayuran → sayur
        ("minyak goreng", "Pisang Goreng Keju", 0.25),  # without the head word ("minyak") half counts
        ("keripik pisang", "Kopi Robusta", 0.0),
    ],
)
def test_words_meet_as_people_write_them(wanted, offered, share):
    assert words.overlap(words.terms(wanted), words.terms(offered), words.head(wanted)) == share


def test_distance_on_the_region_tree():
    assert matching.distance_score("18.09.01.2001", "18.09.01.2001") == 1.0
    assert matching.distance_score("18.09.01.2002", "18.09.01.2001") == 0.8
    assert matching.distance_score("18.09.02.2001", "18.09.01.2001") == 0.5
    assert matching.distance_score("18.01.02.2001", "18.09.01.2001") == 0.2
    assert matching.distance_score("36.01.01.2001", "18.09.01.2001") == 0.0


def _report(business, month, volume):
    kpi = Kpi.objects.get(key="volume_produksi")
    report = MonthlyReport.objects.create(business=business, month=month, source="owner")
    ReportValue.objects.create(report=report, kpi=kpi, value=Decimal(volume))


def test_ranked_with_reasons_and_gaps(hotel, villages, businesses, cooperatives):
    gedong, other = villages["gedong"], villages["pesawaran_other"]
    # Best: makes the product, holds a PIRT valid on the delivery day, produces enough, level 4, in the village.
    best = make_business("UD Sinar", gedong, "Rina", nib="1111111111111", employees=4)
    Product.objects.create(business=best, name="Keripik Pisang Coklat", price=15_000, unit="pack",
                           category=Category.objects.order_by("pk").first())  # fmt: skip
    LegalDocument.objects.create(business=best, kind="pirt", number="P-1", issued_on=date(2025, 1, 1),
                                 expires_on=date(2030, 1, 1))  # fmt: skip
    for month in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)):
        _report(best, month, 250)
    Assessment.objects.create(business=best, instrument=Instrument.objects.order_by("pk").first(),
                              assessed_on=date(2026, 10, 1), score=80, level=4)  # fmt: skip
    # Its PIRT expires before the first delivery (30 Dec): a gap.
    expired = make_business("Kripik Pisang Barokah", other, "Dedi", employees=6)
    LegalDocument.objects.create(business=expired, kind="pirt", number="P-2", issued_on=date(2021, 1, 1),
                                 expires_on=date(2026, 12, 20))  # fmt: skip
    # Same words, outside the opportunity's region (Lampung Selatan): never listed.
    make_business("Keripik Pisang Kalianda", villages["lamsel"], "Ahmad")
    # A cooperative by its name.
    coop = Cooperative.objects.create(name="Koperasi Produsen Keripik Pisang Maju", type="produsen",
                                      village=other)  # fmt: skip
    ranked = matching.rank(hotel)
    keys = [m.key for m in ranked]
    assert keys[0] == f"business:{best.pk}"
    assert f"business:{businesses['gedong'].pk}" in keys  # "Keripik Pisang Bu Siti", no PIRT
    assert f"cooperative:{coop.pk}" in keys
    assert f"business:{businesses['lamsel'].pk}" not in keys
    assert all(m.village_code.startswith("18.09.") for m in ranked)
    top = ranked[0]
    assert top.parts == {"fit": 40, "documents": 25, "capacity": 15, "distance": 10, "level": 8}
    assert top.score == 98
    assert "Membuat Keripik Pisang Coklat" in top.reasons and top.gaps == []
    worse = next(m for m in ranked if m.pk == expired.pk and m.kind == "business")
    assert "Tidak ada PIRT yang berlaku pada hari pengiriman" in worse.gaps
    assert worse.parts["documents"] == 0 and worse.parts["capacity"] == 9  # 6 employees: 0.6 of 15
    assert worse.score < top.score
    scores = [m.score for m in ranked]
    assert scores == sorted(scores, reverse=True)


def test_a_document_valid_on_the_delivery_day_counts(hotel, villages):
    business = make_business("Keripik Pisang Mekar", villages["gedong"], "Mega")
    document = LegalDocument.objects.create(business=business, kind="pirt", number="P-3",
                                            issued_on=date(2026, 12, 29))  # fmt: skip
    match = next(m for m in matching.rank(hotel) if m.pk == business.pk)
    assert match.parts["documents"] == 25  # issued the day before the first delivery
    document.issued_on = date(2026, 12, 31)
    document.save()
    match = next(m for m in matching.rank(hotel) if m.pk == business.pk)
    assert match.parts["documents"] == 0


def test_kbli_finds_a_business_whose_name_says_nothing(hotel, villages):
    hotel.kbli = "10794"
    hotel.save()
    business = make_business("UD Sumber Rejeki", villages["gedong"], "Tuti", kbli="10794")
    match = next(m for m in matching.rank(hotel) if m.pk == business.pk)
    assert match.parts["fit"] == 40 and "Kode KBLI sama 10794" in match.reasons


def test_closed_businesses_and_dissolved_cooperatives_are_not_ranked(hotel, villages):
    closed = make_business("Keripik Pisang Tutup", villages["gedong"], "Tono", status="closed")
    gone = Cooperative.objects.create(name="Koperasi Keripik Pisang Lama", type="produsen",
                                      village=villages["gedong"], status="dibubarkan")  # fmt: skip
    keys = {m.key for m in matching.rank(hotel)}
    assert f"business:{closed.pk}" not in keys and f"cooperative:{gone.pk}" not in keys
