"""A buyer on a 360-px phone searches the catalogue, opens a product and gets a WhatsApp link with the order
filled in; the owner withdraws her consent to her number on the catalogue, and the page shows it no more; an owner builds the fried-banana scenario in the calculator and saves it to a product."""

import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from naikkelas.accounts.constants import Role
from naikkelas.catalog import services
from naikkelas.catalog.models import Scenario
from naikkelas.privacy.services import consent_give
from naikkelas.regions.models import Region
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import PHONE
from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (230, 180, 60)).save(out, "JPEG")
    return SimpleUploadedFile("keripik.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_buyer_finds_a_product_and_orders_it_on_whatsapp(browser, e2e_regions, live_server):
    officer = make_user(
        "petugas.gedongtataan", Role.FIELD_OFFICER, districts=[Region.objects.get(code="18.09.01")]
    )
    business = make_business("Keripik Pisang Bu Siti", first_village("18.09.01"), phone="+6281234567890")
    owner = make_user("pemilik", Role.BUSINESS_OWNER)
    business.owner.user = owner
    business.owner.save()
    # The officer records the consent form the owner signed: her number may be on the catalogue.
    consent_give(actor=officer, person=business.owner, purpose="catalogue_contact", how="formulir")
    for name, price in (
        ("Keripik Pisang Cokelat", "15.000"),
        ("Keripik Pisang Original", "12.000"),
        ("Kopi Robusta", "35.000"),
    ):
        product = services.product_save(
            actor=officer,
            business=business,
            photos=[_photo()],
            data={"name": name, "category": "camilan", "price": price},
        )
        services.product_curate(actor=officer, product=product, status="tayang")

    context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True)
    p = context.new_page()
    p.set_default_timeout(15_000)
    p.goto(f"{live_server.url}/katalog/")
    assert p.locator("#latest .card").count() == 3
    p.fill("input[name=q]", "pisang cokelat")
    p.press("input[name=q]", "Enter")
    p.wait_for_selector("#results")
    assert p.locator("#results .card").count() == 1
    p.click("#results .card a")
    p.wait_for_selector("#product")
    assert "Keripik Pisang Cokelat" in p.inner_text("h1")
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The browser picks WebP where it can (wait until it has chosen: the image may still be loading).
    p.wait_for_function(
        "() => (img => img.complete && img.currentSrc !== '')(document.querySelector('#product img'))"
    )
    assert p.evaluate("document.querySelector('#product img').currentSrc").endswith(".webp")
    product_url = p.url
    with p.expect_request(lambda r: "wa.me" in r.url) as request:
        p.click("#order")
    target = urlparse(request.value.url)
    assert target.netloc == "wa.me" and target.path == "/6281234567890"
    text = parse_qs(target.query)["text"][0]
    assert "Keripik Pisang Cokelat" in text and "Rp 15.000" in text and "/katalog/produk/" in text

    # The owner, on her phone, withdraws that consent from "Data saya": the product page loses her number at once.
    mine = context.new_page()
    log_in(mine, live_server, "pemilik")
    mine.goto(f"{live_server.url}/dasbor/beranda/")
    mine.click("#my-data-link")
    mine.wait_for_selector("#consent-catalogue_contact")
    assert mine.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mine.once("dialog", lambda dialog: dialog.accept())
    mine.click("#consent-catalogue_contact button[type=submit]")
    mine.wait_for_selector(".messages:has-text('Persetujuan ditarik')")
    assert "tidak diberikan" in mine.inner_text("#consent-catalogue_contact")
    p.goto(product_url)
    p.wait_for_selector("#product")
    assert p.locator("#order").count() == 0 and "6281234567890" not in p.content()
    context.close()


def test_an_owner_builds_the_fried_banana_scenario(browser, e2e_regions, live_server):
    owner = make_user("pemilik", Role.BUSINESS_OWNER)
    business = make_business("Pisang Goreng Bu Siti", first_village("18.09.01"))
    business.owner.user = owner
    business.owner.save()
    product = services.product_save(
        actor=owner,
        business=business,
        data={"name": "Pisang Goreng Cokelat Keju", "category": "makanan", "price": "5000"},
    )
    context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True)
    p = context.new_page()
    p.set_default_timeout(15_000)
    log_in(p, live_server, "pemilik")
    p.goto(f"{live_server.url}/usaha/{business.pk}/kalkulator/")
    frying = [
        ("Pisang kepok", "50", "300"),
        ("Tepung terigu (kg)", "0,5", "12.000"),
        ("Minyak goreng (liter)", "0,5", "16.000"),
    ]
    sides = {
        "a": ("Pisang goreng biasa", frying + [("Plastik", "50", "50")], "1.000"),
        "b": ("Pisang goreng cokelat keju", frying + [("Meses cokelat (kg)", "0,25", "40.000"),
                                                      ("Keju parut", "1", "20.000"), ("Kotak", "50", "1.000")], "5.000"),
    }  # fmt: skip
    for side, (name, lines, price) in sides.items():
        p.fill(f"input[name={side}-name]", name)
        for n, (item, qty, unit_price) in enumerate(lines, start=1):
            p.fill(f"input[name={side}-line_name_{n}]", item)
            p.fill(f"input[name={side}-line_qty_{n}]", qty)
            p.fill(f"input[name={side}-line_price_{n}]", unit_price)
        p.fill(f"input[name={side}-labour]", "10.000")
        p.fill(f"input[name={side}-overhead]", "6.000")
        p.fill(f"input[name={side}-yield_units]", "50")
        p.fill(f"input[name={side}-price]", price)
        p.fill(f"input[name={side}-units_per_month]", "1000")
    p.click("#compute")
    p.wait_for_selector("#comparison")
    assert p.inner_text("#result-a .unit-cost").replace("\xa0", " ") == "Rp 950"
    assert p.inner_text("#result-b .unit-cost").replace("\xa0", " ") == "Rp 2.500"
    assert p.inner_text("#result-b .margin") == "50,0 %" or p.inner_text("#result-b .margin") == "50.0 %"
    assert p.inner_text("#added-unit").replace("\xa0", " ") == "Rp 2.450"
    assert p.inner_text("#added-month").replace("\xa0", " ") == "Rp 2.450.000"
    p.select_option("select[name=b-product]", str(product.pk))
    p.click("#scenario-b button[name=save]")
    p.wait_for_selector("#saved")
    saved = Scenario.objects.get()
    assert saved.product == product and saved.name == "Pisang goreng cokelat keju"
    context.close()
