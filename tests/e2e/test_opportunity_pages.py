"""An office admin brings a hotel's order to the regency's businesses: posts the demand, sees the suppliers ranked
with their gaps, invites three by WhatsApp link; a cooperative's manager opens it on a 360-px phone and makes an
offer; the admin records the deal and its value shows in the office's figures."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from naikkelas.accounts.constants import Role
from naikkelas.privacy.models import Consent
from naikkelas.regions.models import Region
from naikkelas.registry.models import Cooperative, LegalDocument
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import misfit
from tests.e2e.test_browser import log_in, open_menu_item

pytestmark = pytest.mark.e2e


def test_a_hotels_order_reaches_the_businesses_and_ends_in_a_deal(page, phone_page, live_server):
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    manager = make_user("koperasi", Role.COOPERATIVE_MANAGER)
    gedong, other = first_village("18.09.01"), first_village("18.09.02")
    for n, (name, village) in enumerate([("Keripik Pisang Bu Siti", gedong), ("Kripik Pisang Barokah", other),
                                         ("Keripik Pisang Coklat Mekar", gedong), ("Keripik Pisang Sejahtera", other)]):  # fmt: skip
        business = make_business(name, village, f"Pemilik {n}", phone=f"+62812345600{n:02d}")
        Consent.objects.create(person=business.owner, purpose="whatsapp_contact", given_at=timezone.now())
        if n == 2:
            LegalDocument.objects.create(
                business=business, kind="pirt", number="PIRT-1", issued_on=date(2025, 1, 1)
            )
    make_business("Kopi Robusta Pak Budi", gedong, "Budi", phone="+6281234569999")  # no fit: not listed
    coop = Cooperative.objects.create(name="Koperasi Produsen Keripik Gedong", type="produsen", village=gedong,
                                      phone="+6281234567000")  # fmt: skip
    coop.managers.add(manager)
    today = timezone.localdate()

    # The admin posts the hotel's demand (a new buyer on the way).
    log_in(page, live_server, "admin.pesawaran")
    page.set_viewport_size({"width": 1366, "height": 800})
    open_menu_item(page, "Permintaan pembeli")
    page.click("a:has-text('Peluang baru')")
    page.fill("input[name=buyer_name]", "Hotel Teluk Pesawaran")
    page.select_option("select[name=buyer_kind]", "horeka")
    page.fill("input[name=title]", "Keripik pisang")
    page.fill("input[name=quantity]", "200")
    page.fill("input[name=unit]", "kg")
    page.select_option("select[name=frequency]", "bulanan")
    page.check("input[name=documents][value=pirt]")
    page.fill("input[name=delivery_village]", gedong.code)
    page.fill("input[name=deadline]", str(today))  # past the day it cannot be; today it may
    page.fill("input[name=delivery_on]", str(today + timedelta(days=30)))
    page.fill("input[name=price_max]", "60.000")
    page.click("#opportunity-form button[type=submit]")
    page.wait_for_selector("#ranked")
    rows = page.locator("#ranked tbody tr[data-supplier]")
    assert rows.count() == 5  # four businesses and the cooperative; the coffee business does not fit
    assert "Kopi" not in page.inner_text("#ranked")
    best = page.inner_text("#ranked tbody tr[data-supplier]:first-child")
    assert "Keripik Pisang Coklat Mekar" in best  # the only one holding a PIRT
    assert "Tidak ada PIRT" in page.inner_text("#ranked tbody tr[data-supplier]:nth-child(2) .gaps")

    # Three invitations by WhatsApp link.
    for _ in range(3):
        page.locator("#ranked tbody tr[data-supplier]").filter(
            has=page.locator("button[value=whatsapp]")).first.locator("button[value=whatsapp]").click()  # fmt: skip
        page.wait_for_selector("#whatsapp-link")
        href = page.get_attribute("#whatsapp-link a", "href")
        assert href.startswith("https://wa.me/628") and "peluang" in href
    assert page.locator("#ranked .badge:has-text('diundang')").count() == 3
    public_url = page.get_attribute("a:has-text('Halaman publik')", "href")

    # The cooperative's manager, on a phone, opens it and makes an offer.
    log_in(phone_page, live_server, "koperasi")
    phone_page.goto(f"{live_server.url}/peluang/")
    phone_page.click("#for-me a:has-text('Keripik pisang')")
    assert phone_page.url.endswith(public_url)
    phone_page.fill("input[name=price]", "55.000")
    phone_page.fill("input[name=quantity]", "200")
    phone_page.fill("input[name=available_on]", str(today + timedelta(days=30)))
    assert misfit(phone_page) is None
    phone_page.click("#offer-form button[type=submit]")
    phone_page.wait_for_selector("#my-offer")
    assert "Rp 55.000" in phone_page.inner_text("#my-offer")
    assert misfit(phone_page) is None

    # The admin records the deal; its value shows in the office's figures.
    page.reload()
    assert "Koperasi Produsen Keripik Gedong" in page.inner_text("#offers")
    page.select_option("select[name=outcome]", "deal")
    page.select_option("select[name=winning_offer]", index=1)
    page.fill("input[name=deal_value]", "11.000.000")
    page.click("#outcome-form button[type=submit]")
    page.wait_for_selector("#outcome")
    assert "Rp 11.000.000" in page.inner_text("#outcome")
    page.goto(f"{live_server.url}/peluang/kelola/")
    assert page.inner_text("#deal-value").strip() == "Rp 11.000.000"
