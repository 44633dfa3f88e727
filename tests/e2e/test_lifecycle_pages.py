"""A field officer records visits on a 360-px phone, also without a connection; an admin drills the funnel
from the regency to a village and downloads it."""

from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from naikkelas.accounts.constants import Role
from naikkelas.lifecycle import services
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.regions.models import Region
from naikkelas.registry import followers
from naikkelas.registry.models import Business
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import PHONE
from tests.e2e.test_browser import log_in, open_menu_item

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(browser, e2e_regions):
    context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield context, page
    context.close()


def test_it_lets_an_officer_record_visits_on_a_phone_also_offline(phone, live_server):
    context, page = phone
    make_user("petugas.gedongtataan", Role.FIELD_OFFICER, districts=[Region.objects.get(code="18.09.01")])
    first = make_business("Keripik Pisang Bu Siti", first_village("18.09.01"))
    second = make_business("Tahu Bu Ani", first_village("18.09.01"))

    log_in(page, live_server, "petugas.gedongtataan")
    open_menu_item(page, "Kunjungan")
    page.wait_for_selector("#worklist")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click(f"#worklist tr:has-text('{first.name}') a:has-text('Kunjungi')")
    page.check("input[name=outcome][value=operating]")
    page.fill("textarea[name=notes]", "Produksi jalan, kemasan baru")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("button:has-text('Simpan kunjungan')")
    page.wait_for_url(f"**/usaha/{first.pk}/")
    page.wait_for_selector("#last-verified")
    assert "Beroperasi" in page.inner_text("#last-verified")
    assert page.inner_text("#status") == "Beroperasi"

    # In a place without signal: the form is open, the connection drops, the visit waits on the phone.
    page.goto(f"{live_server.url}/usaha/{second.pk}/kunjungan/")
    context.set_offline(True)
    page.check("input[name=outcome][value=temporarily_closed]")
    page.fill("textarea[name=notes]", "Tutup, pemilik ke kota")
    page.click("button:has-text('Simpan kunjungan')")
    page.wait_for_selector("#queue-status:has-text('Kunjungan menunggu dikirim: 1')")
    assert "Tidak ada sinyal" in page.inner_text("#queue-status")
    assert not VerificationVisit.objects.filter(business=second).exists()
    context.set_offline(False)  # back in range: the page sends what waited
    page.wait_for_selector("#queue-status:has-text('terkirim')")
    visit = VerificationVisit.objects.get(business=second)
    assert visit.outcome == "temporarily_closed" and visit.client_id is not None
    page.reload()  # nothing left to send twice
    page.wait_for_load_state("networkidle")
    assert VerificationVisit.objects.filter(business=second).count() == 1
    assert page.evaluate("localStorage.getItem('naikkelas-visits')") == "[]"


def test_it_lets_an_admin_drill_the_funnel_down_to_a_village_and_export_it(page, live_server, tmp_path):
    admin = make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    village = first_village("18.09.01")
    made = [make_business(f"Usaha {n}", village) for n in range(3)] + [
        make_business("Kopi Robusta Pak Budi", first_village("18.09.02"))
    ]
    Business.objects.update(registered_on=date(2025, 1, 1))
    followers.businesses_changed([b.pk for b in made])
    today = date.today().isoformat()
    for b in made[:2]:
        services.visit_record(actor=admin, business=b, data={"date": today, "outcome": "operating"})

    log_in(page, live_server, "admin.pesawaran")
    open_menu_item(page, "Corong")
    page.wait_for_selector("#children")
    assert page.inner_text("#total-registered") == "4" and page.inner_text("#total-operating") == "2"
    page.click("#children a:has-text('Gedong Tataan')")
    page.wait_for_url("**region=18.09.01**")
    assert page.inner_text("#total-registered") == "3"
    page.click(f"#children a:has-text('{village.name}')")
    page.wait_for_url(f"**region={village.code}**")
    assert village.name in page.inner_text("#crumbs")
    assert page.inner_text("#total-operating") == "2"
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "corong.xlsx"
    download.value.save_as(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    total = next(r for r in rows if r and r[0] == village.code)
    assert total[2:5] == [3, 2, 0]
