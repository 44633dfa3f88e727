"""Nothing is cut off on a 360-px phone: every menu page of each persona, and the pages that used to be wider
(the scorecard list, the cost calculator, the promotion figures), fit the screen, and no form control outside a
scrollable table is narrower than 120 px."""

import pytest

from naikkelas.accounts.constants import Role
from naikkelas.lifecycle.models import Instrument
from naikkelas.regions.models import Region
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e
NARROW = (
    "() => [...document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    "main select, main textarea')].filter(e => e.offsetParent && e.getBoundingClientRect().width < 120 "
    "&& !e.closest('.table-wrap, .overflow-auto')).map(e => (e.name || e.id) + ':' "
    "+ Math.round(e.getBoundingClientRect().width))"
)


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "rahasia-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dasbor/beranda/")


def _fits(page, live_server, paths) -> list:
    wide = []
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        narrow = page.evaluate(NARROW)
        if width > PHONE["width"] or narrow:
            wide.append((path, width, narrow[:4]))
    return wide


def test_every_menu_page_fits_a_phone(phone_page, live_server):
    phone = phone_page
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    owner = make_user("+6281234567892", Role.BUSINESS_OWNER)
    business = make_business("Pisang Goreng Bu Rina", first_village("18.09.01"), owner_name="Rina")
    business.owner.user = owner
    business.owner.save()
    asked = []
    phone.on("request", lambda request: asked.append(request.url))
    _log_in(phone, live_server, "admin.pesawaran")
    links = phone.eval_on_selector_all("#menu a", "as => as.map(a => a.getAttribute('href'))")
    assert len(links) > 10
    instrument = Instrument.objects.order_by("pk").first()
    extra = ["/katalog/kelola/angka/", f"/kartu-skor/{instrument.pk}/"]
    assert _fits(phone, live_server, [*links, *extra]) == []
    phone.context.clear_cookies()
    _log_in(phone, live_server, "0812-3456-7892")
    links = phone.eval_on_selector_all("#menu a", "as => as.map(a => a.getAttribute('href'))")
    calculator = f"/usaha/{business.pk}/kalkulator/?contoh=pisang"
    assert (
        _fits(phone, live_server, [*links, "/dasbor/beranda/", f"/usaha/{business.pk}/buku/", calculator])
        == []
    )
