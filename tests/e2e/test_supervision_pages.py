"""A supervisor enters a savings-and-loan cooperative's year, rates it, and reads every aspect behind the
rating; the cooperative's manager reads the same rating."""

import pytest

from naikkelas.accounts.constants import Role
from naikkelas.regions.models import Region
from naikkelas.registry.models import Cooperative
from tests.conftest import first_village, make_user
from tests.e2e.test_browser import log_in
from tests.supervision.test_health import MANAGEMENT, REPORT

pytestmark = pytest.mark.e2e


def test_a_supervisor_rates_a_cooperative_from_its_report(page, live_server, browser):
    make_user("petugas.gedongtataan", Role.FIELD_OFFICER, districts=[Region.objects.get(code="18.09.01")])
    manager = make_user("koperasi", Role.COOPERATIVE_MANAGER)
    coop = Cooperative.objects.create(
        name="KSP Sejahtera Gedong Tataan", type="simpan_pinjam", village=first_village("18.09.01")
    )
    coop.managers.add(manager)

    log_in(page, live_server, "petugas.gedongtataan")
    page.goto(f"{live_server.url}/koperasi/{coop.pk}/")
    page.click("#supervision-link")
    page.click("text=Catat RAT")
    page.fill("#meeting-form input[name=book_year]", "2025")
    page.fill("#meeting-form input[name=held_on]", "2026-03-20")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("text=RAT dicatat.")
    assert "tepat waktu" in page.inner_text("#rat")

    page.click("text=Isi laporan satu tahun")
    page.fill("#report-form input[name=year]", "2025")
    for name, value in REPORT.items():
        page.fill(f"#report-form input[name={name}]", f"{value:,}".replace(",", "."))
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=Laporan keuangan disimpan.")

    page.click("text=Nilai satu tahun (metode KSP/USP 2016)")
    for key, value in MANAGEMENT.items():
        page.fill(f"#rating-form input[name=management_{key}]", str(value))
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("text=Penilaian kesehatan: 89,65, Sehat.")
    page.click("#ratings a")
    page.wait_for_selector("#rating-category")
    assert page.inner_text("#rating-category") == "Sehat"
    assert page.locator("table.aspect").count() == 7
    liquidity = page.inner_text("table[data-aspect=likuiditas]")
    assert (
        "Kas dan bank terhadap kewajiban lancar" in liquidity
        and "12.00" in liquidity
        and "10.00" in liquidity
    )

    reader = browser.new_context(locale="id-ID").new_page()
    reader.set_default_timeout(15_000)
    reader.goto(f"{live_server.url}/masuk/")
    reader.fill("input[name=username]", "koperasi")
    reader.fill("input[name=password]", "rahasia-123")
    reader.click("button[type=submit]:has-text('Masuk')")
    reader.wait_for_url(f"{live_server.url}/dasbor/beranda/")
    reader.goto(f"{live_server.url}/koperasi/{coop.pk}/pengawasan/")
    assert "89,65" in reader.inner_text("#ratings")
    assert reader.locator("#rating-form").count() == 0  # managers report; the office rates
