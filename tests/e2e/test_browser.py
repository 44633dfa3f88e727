"""A regency admin edits a business; a field officer meets a wall outside their district; 360 px phones."""

from pathlib import Path

import pytest

from naikkelas.accounts.constants import Role
from naikkelas.regions.models import Region
from tests.conftest import first_village, make_business, make_user

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "rahasia-123")
    page.click("button[type=submit]:has-text('Masuk')")
    page.wait_for_url(f"{live_server.url}/dasbor/beranda/")  # a login lands on the person's Beranda
    page.goto(f"{live_server.url}/usaha/")


def open_menu_item(page, text: str) -> None:
    """Open the menu (one button on every screen) and follow one of its items."""
    page.click("#menu > summary")
    page.click(f"#menu a:has-text('{text}')")


def test_it_lets_a_regency_admin_find_edit_and_see_the_change_in_history(page, live_server):
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    make_business("Keripik Pisang Bu Siti", first_village("18.09.01"), annual_revenue=150_000_000)
    make_business("Kopi Robusta Pak Budi", first_village("18.09.02"))

    log_in(page, live_server, "admin.pesawaran")
    page.click("summary:has-text('Saring lainnya')")
    page.select_option("select[name=region]", "18.09.01")  # drill down: district, then its villages
    page.wait_for_url("**region=18.09.01**")
    assert "Gedong Tataan" in page.inner_text("nav.crumbs")
    assert "Kopi Robusta" not in page.inner_text("#results")
    assert page.locator("select[name=region] option").count() > 10  # the district's villages
    page.goto(f"{live_server.url}/usaha/")
    page.fill("input[name=q]", "keripik")
    page.wait_for_function("() => !document.querySelector('#results').innerText.includes('Kopi Robusta')")
    page.click("text=Keripik Pisang Bu Siti")
    page.click("a[role=button]:has-text('Ubah')")
    page.fill("input[name=annual_revenue]", "3.000.000.000")
    page.select_option("select[name=status]", "operating")
    page.fill("input[name=note]", "Kunjungan verifikasi Juni")
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=Perubahan tersimpan.")
    assert page.inner_text("#size-class") == "Kecil"
    history = page.inner_text("#history")
    assert "Terdaftar → Beroperasi" in history and "Kunjungan verifikasi Juni" in history
    assert "Omzet tahunan (Rp): 150.000.000 → 3.000.000.000" in page.inner_text(
        "#changes"
    )  # the field by its label


def test_it_shows_a_field_officer_not_found_outside_their_district(page, live_server):
    make_user("petugas.gedongtataan", Role.FIELD_OFFICER, districts=[Region.objects.get(code="18.09.01")])
    mine = make_business("Keripik Pisang Bu Siti", first_village("18.09.01"))
    other = make_business("Kopi Robusta Pak Budi", first_village("18.09.02"))

    log_in(page, live_server, "petugas.gedongtataan")
    assert "Kopi Robusta" not in page.inner_text("#results")
    response = page.goto(f"{live_server.url}/usaha/{other.pk}/")
    assert response.status == 404
    assert "Tidak ditemukan" in page.inner_text("main")
    assert page.goto(f"{live_server.url}/usaha/{mine.pk}/").status == 200


def test_it_fits_the_list_on_a_360_px_phone(browser, e2e_regions, live_server):
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    for i in range(30):
        make_business(f"Usaha Contoh Dengan Nama Yang Cukup Panjang {i:02d}", first_village("18.09.01"))
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
    )
    page = context.new_page()
    log_in(page, live_server, "admin.pesawaran")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling of the page
    search = page.locator("input[name=q]").bounding_box()
    assert search["x"] >= 0 and search["x"] + search["width"] <= 360
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "business_list_360_top.png"))
    cell = page.locator("#results tbody tr").first.bounding_box()
    assert cell["x"] + cell["width"] <= 360  # rows are cards, not a table wider than the phone
    assert page.locator("text=Berikutnya").is_visible()
    page.click("text=Berikutnya")
    page.wait_for_selector("text=Halaman 2 dari 2")
    page.screenshot(path=str(SHOTS / "business_list_360_page2.png"), full_page=False)
    context.close()
