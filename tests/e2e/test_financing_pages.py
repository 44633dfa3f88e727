"""An owner applies for a revolving fund on a phone; a field officer verifies; the admin approves within the
budget and disburses; the officer records the first installment; the owner sees the schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from naikkelas.accounts.constants import Role
from naikkelas.financing import services
from naikkelas.financing.models import Application, Programme
from naikkelas.regions.models import Region
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import PHONE
from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


def _context(browser, phone=False):
    context = browser.new_context(locale="id-ID", **({"viewport": PHONE, "is_mobile": True} if phone else {}))
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_an_application_goes_from_the_owners_phone_to_disbursement_and_repayment(
    browser, e2e_regions, live_server
):
    admin = make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    make_user("petugas.gedongtataan", Role.FIELD_OFFICER, districts=[Region.objects.get(code="18.09.01")])
    owner = make_user("pemilik", Role.BUSINESS_OWNER)
    business = make_business("Keripik Pisang Bu Siti", first_village("18.09.01"))
    business.owner.user = owner
    business.owner.save()
    today = timezone.localdate()
    programme = services.programme_create(
        actor=admin,
        data={
            "name": "Dana Bergulir Pesawaran 2026",
            "kind": "bergulir",
            "region": "18.09",
            "budget": "50.000.000",
            "opens_on": (today - timedelta(days=5)).isoformat(),
            "closes_on": (today + timedelta(days=60)).isoformat(),
            "rate_percent": "6",
            "term_months": "10",
            "method": "flat",
        },
    )

    p = _context(browser, phone=True)
    log_in(p, live_server, "pemilik")
    p.goto(f"{live_server.url}/modal/")
    p.click(f"text={programme.name}")
    p.click("#apply")
    p.select_option("select[name=business]", str(business.pk))
    p.fill("input[name=amount_requested]", "Rp 5.000.000")
    p.fill("textarea[name=purpose]", "Wajan besar dan kemasan standing pouch")
    p.set_input_files(
        "input[name=documents]",
        files=[{"name": "nib.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 NIB"}],
    )
    p.click("#application-form button[type=submit]")
    p.wait_for_selector("#eligibility")
    assert p.inner_text("#status") == "Diajukan"
    assert "Memenuhi syarat" in p.inner_text("#eligibility")
    assert "nib.pdf" in p.inner_text("#attachments")
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    application_url = p.url

    officer = _context(browser)
    log_in(officer, live_server, "petugas.gedongtataan")
    officer.goto(application_url)
    assert officer.locator("#approve-form").count() == 0  # officers verify, admins decide
    officer.fill("#verify-form input[name=note]", "Usaha berjalan, alat dicek")
    officer.click("#verify-form button[type=submit]")
    officer.wait_for_selector("text=Pengajuan diverifikasi.")
    assert officer.inner_text("#status") == "Diverifikasi"

    desk = _context(browser)
    log_in(desk, live_server, "admin.pesawaran")
    desk.goto(application_url)
    desk.fill("#approve-form input[name=amount_approved]", "4.000.000")
    desk.click("#approve-form button[type=submit]")
    desk.wait_for_selector("text=Pengajuan disetujui.")
    assert Programme.objects.get(pk=programme.pk).committed == 4_000_000
    desk.fill("#disburse-form input[name=reference]", "TRF-2026-001")
    desk.click("#disburse-form button[type=submit]")
    desk.wait_for_selector("#schedule")
    assert desk.locator("#schedule tbody tr").count() == 10
    assert "Rp 4.000.000" in desk.inner_text("#disbursement") or "Rp4.000.000" in desk.inner_text(
        "#disbursement"
    )

    officer.goto(application_url)
    officer.fill("#payment-form input[name=amount]", "420.000")  # 400.000 principal + 20.000 service
    officer.click("#payment-form button[type=submit]")
    officer.wait_for_selector("text=Angsuran dicatat.")

    p.reload()
    assert p.inner_text("#status") == "Dicairkan"
    assert "420.000" in p.inner_text("#payments")
    assert p.locator("#payment-form").count() == 0  # the owner reads, the office records
    history = p.inner_text("#history")
    assert "petugas.gedongtataan" in history and "admin.pesawaran" in history
    assert Application.objects.get().payments.count() == 1
