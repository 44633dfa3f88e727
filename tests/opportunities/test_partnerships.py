"""Partnerships: who takes part (inside the region and the actor's area), sales typed and from the cash book, the
office's view per year."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from naikkelas.opportunities import partnerships
from naikkelas.opportunities.models import Partnership
from naikkelas.performance import books

pytestmark = pytest.mark.django_db


def _data(**changes) -> dict:
    data = {"partner": "Roastery Way Ratai", "partner_kind": "perusahaan", "pattern": "rantai_pasok", "region": "18.09",
            "starts_on": "2026-03-01", "ends_on": "2027-02-28", "contract_value": "Rp 120.000.000"}  # fmt: skip
    return {**data, **changes}


def test_a_partnership_with_sales_typed_and_tagged_in_the_cash_book(personas, businesses, cooperatives):
    admin = personas["admin_pesawaran"]
    with translation.override("id"):
        for changes, field in (({}, "members"), ({"ends_on": "2026-01-01", "businesses": [businesses["gedong"].pk]},
                               "ends_on"), ({"pattern": "", "businesses": [businesses["gedong"].pk]}, "pattern")):  # fmt: skip
            with pytest.raises(ValidationError) as err:
                partnerships.partnership_create(actor=admin, data=_data(**changes))
            assert field in err.value.message_dict
        with pytest.raises(PermissionDenied):  # a Lampung Selatan business in a Pesawaran partnership
            partnerships.partnership_create(actor=admin, data=_data(businesses=[businesses["lamsel"].pk]))
        with pytest.raises(
            ValidationError
        ) as err:  # the national admin may see it, but it is not in the region
            partnerships.partnership_create(
                actor=personas["national"], data=_data(businesses=[businesses["lamsel"].pk])
            )
        assert "Warung Makan Seruit" in err.value.messages[0]
    assert Partnership.objects.count() == 0
    made = partnerships.partnership_create(actor=admin, data=_data(
        businesses=[businesses["gedong"].pk], cooperatives=[cooperatives["gedong"].pk]))  # fmt: skip
    assert made.contract_value == 120_000_000
    partnerships.partnership_sale_record(actor=admin, partnership=made, month="2026-03", amount="8.500.000")
    partnerships.partnership_sale_record(
        actor=admin, partnership=made, month="Maret 2026", amount="9.000.000"
    )
    owner = personas["owner"]
    for day, note, amount in (("2026-04-03", "Setor kopi ke roastery way ratai", "1.000.000"),
                              ("2026-04-20", "Jual di pasar", "700.000")):  # fmt: skip
        books.entry_add(actor=owner, business=businesses["gedong"],
                        data={"day": day, "kind": "sale", "category": "jual_tunai", "amount": amount, "note": note})  # fmt: skip
    assert partnerships.monthly_sales(made) == {
        date(2026, 3, 1): {"typed": 9_000_000, "cash_book": 0},  # typed again: replaced
        date(2026, 4, 1): {"typed": 0, "cash_book": 1_000_000},  # only the sale naming the partner
    }
    with pytest.raises(PermissionDenied):
        partnerships.partnership_sale_record(actor=personas["admin_lamsel"], partnership=made, month="2026-05",
                                             amount="1")  # fmt: skip
    rows = {r.year: r for r in partnerships.summary("18.09", [2025, 2026, 2027])}
    assert (rows[2026].started, rows[2026].contract_value, rows[2026].active, rows[2026].sales) == (
        1, 120_000_000, 1, 9_000_000)  # fmt: skip
    assert (rows[2025].active, rows[2027].active, rows[2027].started) == (0, 1, 0)
    assert partnerships.summary("18.01", [2026])[0].started == 0


def test_the_audit_log_reads_a_sale_entry():
    """A partnership's "sales" is a reverse relation too: the audit page describes the key as written."""
    from naikkelas.core.describe import changes

    assert changes("opportunities.partnership", None, {"month": "2026-03-01", "sales": 8_500_000}) == [
        ("Month", "–", "2026-03-01"), ("Sales", "–", "8.500.000")]  # fmt: skip


def test_the_view_by_region_below(personas, businesses, cooperatives, villages):
    """Pesawaran's districts: the one where the partners lie counts the partnership (and its value) once even with
    two members there; the others count none; a province's view has the regency."""
    made = partnerships.partnership_create(actor=personas["admin_pesawaran"], data=_data(
        businesses=[businesses["gedong"].pk], cooperatives=[cooperatives["gedong"].pk]))  # fmt: skip
    district = villages["gedong"].code[:8]
    rows = {r.region.code: r for r in partnerships.by_region("18.09", 2026)}
    assert len(rows) > 1 and (rows[district].started, rows[district].contract_value, rows[district].active) == (
        1, 120_000_000, 1)  # fmt: skip
    assert sum(r.started for r in rows.values()) == 1
    assert {r.region.code: r.active for r in partnerships.by_region("18.09", 2025)}[district] == 0
    assert {r.region.code: r.started for r in partnerships.by_region("18", 2026)}["18.09"] == 1
    made.status = "batal"
    made.save()
    assert {r.region.code: r.started for r in partnerships.by_region("18", 2026)}["18.09"] == 0


@time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False)
def test_the_page_drills_down_within_the_users_area(personas, businesses, cooperatives, villages, client):
    partnerships.partnership_create(actor=personas["admin_pesawaran"], data=_data(
        businesses=[businesses["gedong"].pk]))  # fmt: skip
    district = villages["gedong"].code[:8]
    client.force_login(personas["admin_lampung"])
    page = client.get("/peluang/kemitraan/?year=2026").content.decode()
    assert 'id="partnership-regions"' in page and "?year=2026&amp;region=18.09" in page
    page = client.get("/peluang/kemitraan/?year=2026&region=18.09").content.decode()
    assert f"region={district}" in page and "Rp 120.000.000" in page
    client.force_login(personas["admin_lamsel"])  # Pesawaran is outside: the page shows one's own regency
    page = client.get("/peluang/kemitraan/?year=2026&region=18.09").content.decode()
    assert f"region={district}" not in page and "region=18.01." in page
