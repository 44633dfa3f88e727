"""Nothing is cut off on a 360-px phone: every menu page of each persona, and the pages that used to be wider
(the scorecard list, the cost calculator, the promotion figures), fit the screen, and no form control outside a
scrollable table is narrower than 120 px."""

import pytest

from naikkelas.accounts.constants import Role
from naikkelas.lifecycle.models import Instrument
from naikkelas.regions.models import Region
from tests.conftest import first_village, make_business, make_user
from tests.e2e.conftest import misfit

pytestmark = pytest.mark.e2e


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
        found = misfit(page)
        if found:
            wide.append((path, *found))
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


def test_the_map_draws_the_coast_without_the_internet(phone_page, live_server):
    """No tile server: the worklist's map shows the land of Lampung (naikkelas's own copy of Natural Earth's
    coasts) under the businesses, and the phone asks nothing of any other server."""
    from decimal import Decimal

    village = first_village("18.09.01")
    officer = make_user("petugas", Role.FIELD_OFFICER, districts=[village.parent])
    make_business(
        "Keripik Pisang Bu Siti", village, latitude=Decimal("-5.4208"), longitude=Decimal("105.1741")
    )
    asked = []
    phone_page.on("request", lambda request: asked.append(request.url))
    phone_page.goto(f"{live_server.url}/masuk/")
    phone_page.fill("input[name=username]", officer.username)
    phone_page.fill("input[name=password]", "rahasia-123")
    phone_page.click("main button[type=submit]")
    phone_page.goto(f"{live_server.url}/kunjungan/")
    phone_page.wait_for_selector("#map[data-basemap-drawn]")
    assert any(url.endswith("indonesia-land.geojson") for url in asked)
    assert [url for url in asked if not url.startswith(live_server.url)] == []
    # The point is drawn on land: the map's canvas shows the land colour around the middle, not only the sea's.
    land = phone_page.evaluate(
        "() => { let n = 0; for (const c of document.querySelectorAll('#map canvas')) {"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " for (let i = 0; i < d.length; i += 4) { if (d[i] === 244 && d[i+1] === 247 && d[i+2] === 244) n++; } }"
        " return n; }"
    )
    assert land > 1000
    # The business is drawn over it (its point, in the colour of its stage), and so is the grid.
    drawn = phone_page.evaluate(
        "() => { let n = 0; for (const c of document.querySelectorAll('#map .leaflet-overlay-pane canvas')) {"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " for (let i = 0; i < d.length; i += 4) { if (d[i+3] > 0) n++; } } return n; }"
    )
    assert drawn > 20
