"""Personal data in the browser (UU 27/2022): a business owner on a 360-px phone downloads their data as JSON and
gets their businesses, visits and cash book and nothing of anyone else; an owner asks for a correction and an
officer of the office that serves her corrects it and answers within the 3×24-hour clock."""

import json
from pathlib import Path

import pytest
from django.utils import timezone

from naikkelas.accounts.constants import Role
from naikkelas.lifecycle import services as lifecycle
from naikkelas.performance import books
from naikkelas.privacy.models import DataRequest
from naikkelas.regions.models import Region
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import PHONE
from tests.e2e.test_browser import log_in, open_menu_item

pytestmark = pytest.mark.e2e


def _world():
    officer = make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    owner = make_user("pemilik", Role.BUSINESS_OWNER)
    mine = make_business(
        "Keripik Pisang Bu Siti", first_village("18.09.01"), "Siti Rahayu", phone="+6281234567890"
    )
    mine.owner.user, mine.owner.phone = owner, "+6281234567890"
    mine.owner.save()
    other = make_business(
        "Kopi Robusta Pak Budi", first_village("18.09.02"), "Budi Santoso", phone="+6281399990000"
    )
    for business in (mine, other):
        lifecycle.visit_record(actor=officer, business=business,
                               data={"date": str(timezone.localdate()), "outcome": "operating", "notes": f"Kunjungan {business.name}"})  # fmt: skip
    for amount in ("150.000", "275.000"):
        books.entry_add(
            actor=officer, business=mine, data={"kind": "sale", "category": "jual_tunai", "amount": amount}
        )
    books.entry_add(
        actor=officer, business=other, data={"kind": "sale", "category": "jual_tunai", "amount": "999.000"}
    )
    return officer, owner, mine, other


def test_an_owner_on_a_phone_downloads_their_data_and_nothing_of_others(browser, e2e_regions, live_server):
    _officer, _owner, mine, _other = _world()
    context = browser.new_context(
        locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "pemilik")
    page.goto(f"{live_server.url}/dasbor/beranda/")
    page.click("#my-data-link")
    page.wait_for_selector("#my-kinds")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_download() as download:
        page.click("#copy-json")
    copy = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    text = json.dumps(copy, ensure_ascii=False)
    context.close()
    records = copy["records"]
    assert [b["name"] for b in records["registry.Business"]] == ["Keripik Pisang Bu Siti"]
    assert [v["notes"] for v in records["lifecycle.VerificationVisit"]] == [
        "Kunjungan Keripik Pisang Bu Siti"
    ]
    assert sorted(e["amount"] for e in records["performance.Entry"]) == [150_000, 275_000]
    for stranger in ("Kopi Robusta", "Budi Santoso", "6281399990000", "999000", "admin.pesawaran"):
        assert stranger not in text, stranger  # no other person's data, no officer's name
    assert copy["person"] == mine.owner_id


def test_an_officer_corrects_an_owners_phone_within_the_clock(browser, e2e_regions, live_server):
    _officer, _owner, mine, _other = _world()
    phone = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, live_server, "pemilik")
    phone.goto(f"{live_server.url}/privasi/data-saya/")
    phone.select_option("#request-form select[name=kind]", "correction")
    phone.fill("#request-form textarea[name=details]", "Nomor HP saya sekarang 0812-7777-8888")
    phone.click("#send-request")
    phone.wait_for_selector(".messages:has-text('diterima')")

    desk = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 800}).new_page()
    desk.set_default_timeout(15_000)
    log_in(desk, live_server, "admin.pesawaran")
    desk.goto(f"{live_server.url}/dasbor/beranda/")
    assert "1 permintaan tentang data pribadi untuk dijawab" in " ".join(
        desk.inner_text("#home-tasks").split()
    )
    open_menu_item(desk, "Permintaan tentang data pribadi")
    desk.wait_for_selector("text=Memperbaiki data saya")
    assert "jam" in desk.inner_text("main") and "terlambat" not in desk.inner_text("main")  # the clock runs
    desk.click("a:has-text('Memperbaiki data saya')")
    desk.wait_for_selector("#clock")
    assert "0812-7777-8888" in desk.inner_text("blockquote")
    request_url = desk.url
    desk.click("#person-records a:has-text('Keripik Pisang Bu Siti')")
    desk.fill("input[name=owner_phone]", "0812-7777-8888")
    desk.click("main form button[type=submit]:has-text('Simpan')")
    desk.wait_for_url(f"{live_server.url}/usaha/{mine.pk}/")
    desk.goto(request_url)
    desk.fill("#decide textarea[name=decision]", "Nomor HP sudah diganti menjadi 0812-7777-8888.")
    desk.click("#answer-done")
    desk.wait_for_selector(".messages:has-text('Jawaban dicatat')")

    mine.owner.refresh_from_db()
    request = DataRequest.objects.get()
    assert mine.owner.phone == "+6281277778888"
    assert request.status == "done" and request.decided_at <= request.due_at  # answered within 3×24 hours
    phone.goto(f"{live_server.url}/privasi/data-saya/")
    assert "Nomor HP sudah diganti" in phone.inner_text("#my-requests")
