"""The menu by role: every link each persona sees opens (200), each sees only what it can use, and the front
page is the public catalogue for anyone not logged in."""

import pytest
from django.test import Client
from django.urls import reverse

from naikkelas.dashboard.menu import menu_for

PERSONAS = [
    "national",
    "admin_lampung",
    "admin_pesawaran",
    "admin_lamsel",
    "petugas",
    "owner",
    "coop_manager",
    "outsider",
    "dpo",
]


def _links(user) -> dict[str, str]:
    return {str(text): url for _group, links in menu_for(user) for text, url in links}


@pytest.mark.parametrize("who", PERSONAS)
def test_every_menu_link_a_persona_sees_opens(personas, businesses, cooperatives, who):
    user = personas[who] if who != "dpo" else _dpo()
    client = Client()
    client.force_login(user)
    links = _links(user)
    assert links, who
    page = client.get(next(iter(links.values()))).content.decode()  # the menu is in every page's header
    for text, url in links.items():
        assert f'href="{url}"' in page, (who, text)
        response = client.get(url)
        assert response.status_code == 200, (who, text, url, response.status_code)


def test_each_role_sees_what_it_can_use(personas):
    owner, manager, officer = (_links(personas[k]) for k in ("owner", "coop_manager", "petugas"))
    assert "Usaha" in owner and "Koperasi" not in owner and "Impor" not in owner
    assert "Koperasi" in manager and "Usaha" not in manager and "Program modal" not in manager
    assert {"Kunjungan", "Pelatihan", "Pengawasan"} <= set(officer) and "Kartu skor" not in officer
    assert "Log audit" in _links(personas["admin_pesawaran"]) and "Log audit" not in officer


def test_the_front_page_is_the_public_catalogue_with_a_login_link(db):
    response = Client().get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="login-link"' in page and 'href="/masuk/"' in page
    assert 'id="menu"' not in page


def test_no_template_comment_leaks_into_a_page(personas):
    """Django's {# #} comments are one line only: one spread over two lines was printed on the businesses page."""
    from pathlib import Path

    import naikkelas

    broken = [
        str(path)
        for path in Path(naikkelas.__file__).parent.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "{#" in line and "#}" not in line
    ]
    assert broken == []
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    assert "#}" not in client.get("/usaha/").content.decode()


def test_each_role_has_a_home_page_with_its_day(personas, businesses, cooperatives):
    from naikkelas.intake.models import ImportUpload

    ImportUpload.objects.create(
        actor=personas["admin_pesawaran"],
        file="x.xlsx",
        original_name="x.xlsx",
        region_code="18.09",
        status="checked",
    )
    from django.utils import timezone

    from naikkelas.training import services as training
    from naikkelas.training.models import Programme

    def cohort(region: str, name: str, days: int, audience: str = "umkm"):
        programme = Programme.objects.filter(audience=audience).order_by("pk").first()
        starts = (timezone.localdate() + timezone.timedelta(days=days)).isoformat()
        return training.cohort_create(
            actor=personas["national"],
            programme=programme,
            data={"region": region, "starts_on": starts, "capacity": "20", "budget": "0", "name": name},
        )

    near = cohort("18.09", "Dekat", 7)  # the owner's regency: open to them
    cohort("18.01", "Jauh", 7)  # another regency
    cohort("18.09", "Lalu", -30)  # began a month ago
    pages = {}
    for who in ("admin_pesawaran", "petugas", "owner", "coop_manager"):
        client = Client()
        client.force_login(personas[who])
        assert client.get("/").url == "/dasbor/beranda/"
        response = client.get("/dasbor/beranda/")
        assert response.status_code == 200, who
        pages[who] = response.content.decode()
    admin = pages["admin_pesawaran"]
    assert 'id="home-funnel"' in admin and 'id="home-tasks"' in admin
    assert "<strong>1</strong> impor" in admin  # the checked import waiting
    assert "Keripik Pisang Bu Siti" in admin and "Warung Makan Seruit" not in admin  # visits in scope only
    officer = pages["petugas"]
    assert 'id="home-visits"' in officer and "data pribadi untuk dijawab" in officer  # the clock of requests
    assert "menunggu keputusan" not in officer  # but no admin's decisions
    owner = pages["owner"]
    assert (
        "Keripik Pisang Bu Siti" in owner and 'id="home-visits"' not in owner and "Kopi Robusta" not in owner
    )
    assert f'href="/daftar/{near.registration_token}/"' in owner
    assert owner.count('href="/daftar/') == 1  # not the other regency's, not the one that began
    assert 'id="home-cooperatives"' in pages["coop_manager"]
    outsider = Client()
    outsider.force_login(personas["outsider"])
    assert outsider.get("/dasbor/beranda/").url == "/katalog/"


def test_error_pages_speak_indonesian(personas, rf):
    from django.views.defaults import server_error

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["petugas"])
    missing = client.get("/usaha/999999/")
    assert missing.status_code == 404 and "Tidak ditemukan" in missing.content.decode()
    refused = client.get("/pelatihan/program/baru/")  # a field officer edits no programme
    assert refused.status_code == 403 and "Not allowed" not in refused.content.decode()
    expired = client.post("/impor/", {"kind": "businesses"})  # no CSRF token: a form left open too long
    assert expired.status_code == 403 and "Formulir sudah kedaluwarsa" in expired.content.decode()
    broken = server_error(rf.get("/"))
    assert broken.status_code == 500 and "Terjadi kesalahan di naikkelas" in broken.content.decode()


def test_the_audit_log_and_history_speak_in_words(personas, businesses):
    from naikkelas.registry import services

    business = businesses["gedong"]
    admin = personas["admin_pesawaran"]
    services.business_update(actor=admin, business=business, data={"status": "operating", "employees": 4})
    client = Client()
    client.force_login(admin)
    log = (
        client.get(reverse("audit_log")).content.decode().split("<table", 1)[1]
    )  # the entries, not the filters
    assert "Status: Terdaftar → Beroperasi" in log
    assert "registry.business" not in log and "registered →" not in log
    assert "Usaha: Keripik Pisang Bu Siti" in log
    page = client.get(f"/usaha/{business.pk}/").content.decode()
    assert "Status: Terdaftar → Beroperasi" in page and "status: registered" not in page
    # An export reads as which list, with which filters; amounts as Indonesians write them.
    client.get("/usaha/ekspor.csv", {"status": "operating"})
    services.business_update(actor=admin, business=business, data={"annual_revenue": "390660600"})
    log = client.get(reverse("audit_log")).content.decode().split("<table", 1)[1]
    assert "Daftar: Usaha" in log and "Saringan: status: operating" in log
    assert "Export:" not in log and "businesses" not in log
    assert "→ 390.660.600" in log


def test_the_audit_log_filters_by_who_what_when_and_where(personas, businesses):
    import re

    from naikkelas.core.models import AuditLog
    from naikkelas.registry import services

    admin, officer = personas["admin_pesawaran"], personas["petugas"]
    services.business_update(actor=admin, business=businesses["gedong"], data={"employees": 4})
    services.business_update(actor=officer, business=businesses["gedong"], data={"employees": 5})
    AuditLog.objects.filter(actor=officer).update(at="2026-03-02T09:00:00+07:00")
    client = Client()
    client.force_login(admin)

    def rows(**query) -> int:
        page = client.get(reverse("audit_log"), query).content.decode()
        return len(re.findall(r"<tr>\s*<td>", page))

    everything = rows()
    assert everything >= 2
    assert rows(siapa=officer.get_full_name() or officer.username) == 1
    assert rows(type="registry.business", aksi="update") == 2
    assert rows(aksi="view_nik") == 0
    assert rows(dari="2026-03-01", sampai="2026-03-03") == 1
    assert rows(wilayah="18.09.01") == everything and rows(wilayah="18.09.02") == 0
    assert rows(wilayah="36") == 0  # outside the admin's area: nothing
    answer = client.get(reverse("audit_log"), {"dari": "kemarin"}).content.decode()
    assert 'role="alert">Dari: ' in answer  # a bad date is named, not a traceback


def test_no_page_loads_anything_from_outside(personas, businesses, cooperatives, settings):
    """Scripts, styles, images and fonts come from naikkelas itself; map tiles only when an office sets them."""
    import re

    resource = re.compile(
        r"""<(?:script|img|link|iframe|source)\b[^>]*?\b(?:src|href)=["']((?:https?:)?//[^"']+)"""
    )
    for who in ("admin_pesawaran", "petugas", "owner", "coop_manager"):
        client = Client()
        client.force_login(personas[who])
        for _text, url in _links(personas[who]).items():
            page = client.get(url).content.decode()
            assert resource.findall(page) == [], (who, url)
            assert "tile.openstreetmap.org" not in page, (who, url)
    anonymous = Client().get("/katalog/").content.decode()
    assert resource.findall(anonymous) == []


def _dpo():
    from naikkelas.accounts.constants import Role
    from naikkelas.regions.models import Region
    from tests.conftest import make_user

    return make_user("dpo.pesawaran", Role.DATA_PROTECTION_OFFICER, Region.objects.get(code="18.09"))


def test_the_dpo_oversees_personal_data_and_reads_no_record(personas, businesses):
    """UU 27/2022 Pasal 53: the data protection officer sees the requests, the register, the impact assessments and
    the breaches of the area, answers none of them and opens no business, list or copy."""
    from naikkelas.privacy import services as privacy

    dpo = _dpo()
    links = _links(dpo)
    assert {"Permintaan tentang data pribadi", "Kegagalan pelindungan data pribadi", "Catatan kegiatan pemrosesan data",
            "Penilaian dampak (DPIA)"} <= set(links)  # fmt: skip
    assert "Usaha" not in links and "Pesan kepada warga" not in links and "Log audit" not in links
    request = privacy.request_file(
        actor=personas["admin_pesawaran"], person=businesses["gedong"].owner, kind="access"
    )
    client = Client()
    client.force_login(dpo)
    page = client.get(f"/privasi/permintaan/{request.pk}/").content.decode()
    assert 'id="clock"' in page and 'id="decide"' not in page and 'id="person-copy"' not in page
    assert (
        client.post(f"/privasi/permintaan/{request.pk}/", {"done": "1", "decision": "ok"}).status_code == 403
    )
    assert client.get(f"/usaha/{businesses['gedong'].pk}/").status_code in (403, 404)
    assert client.post(f"/privasi/orang/{request.person_id}/salinan.json").status_code in (403, 404)
    lamsel = privacy.request_file(
        actor=personas["admin_lamsel"], person=businesses["lamsel"].owner, kind="access"
    )
    assert client.get(f"/privasi/permintaan/{lamsel.pk}/").status_code == 404  # another regency's
