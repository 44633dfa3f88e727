"""Pages: list with search, filters and pages; detail; forms with Indonesian errors; language switch."""

import pytest
from django.test import Client
from django.urls import reverse

from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.registry.models import Business
from tests.conftest import VALID_NIK_WOMAN, make_business


@pytest.fixture
def admin_client(personas):
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    return client


def test_it_searches_and_filters_the_list(admin_client, businesses):
    page = admin_client.get(reverse("business_list"), {"q": "kopi"}).content.decode()
    assert "Kopi Robusta Pak Budi" in page and "Keripik Pisang" not in page
    page = admin_client.get(reverse("business_list"), {"region": "18.09.01"}).content.decode()
    assert "Keripik Pisang Bu Siti" in page and "Kopi Robusta" not in page
    assert "Gedong Tataan" in page  # the breadcrumb names the chosen district


def test_it_offers_the_districts_of_the_admins_regency(admin_client, businesses):
    page = admin_client.get(reverse("business_list")).content.decode()
    assert 'value="18.09.01"' in page and "Negeri Katon" in page
    assert 'value="18.01' not in page


def test_it_renders_only_the_results_for_htmx(admin_client, businesses):
    response = admin_client.get(reverse("business_list"), {"q": "kopi"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results">')
    assert "<html" not in body


def test_it_pages_the_list_and_keeps_the_filters(admin_client, villages):
    for i in range(30):
        make_business(f"Warung {i:02d}", villages["gedong"])
    first = admin_client.get(reverse("business_list"), {"q": "warung"}).content.decode()
    assert "Warung 00" in first and "Warung 29" not in first
    assert "q=warung&amp;page=2" in first
    second = admin_client.get(reverse("business_list"), {"q": "warung", "page": 2}).content.decode()
    assert "Warung 29" in second and "Warung 00" not in second


def test_it_shows_the_detail_with_masked_nik_history_and_documents(admin_client, personas, villages):
    admin_client.post(
        reverse("business_create"),
        {
            "name": "Keripik Bu Siti",
            "owner_name": "Siti",
            "owner_nik": VALID_NIK_WOMAN,
            "village": villages["gedong"].code,
        },
    )
    business = Business.objects.get()
    page = admin_client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert "1809xxxxxxxx0001" in page
    assert VALID_NIK_WOMAN not in page
    assert "Riwayat status" in page
    assert "<strong>Terdaftar</strong>" in page


def test_it_reveals_the_nik_on_request_and_logs_the_view(admin_client, personas, villages):
    admin_client.post(
        reverse("business_create"),
        {
            "name": "Keripik Bu Siti",
            "owner_name": "Siti",
            "owner_nik": VALID_NIK_WOMAN,
            "village": villages["gedong"].code,
        },
    )
    business = Business.objects.get()
    response = admin_client.post(reverse("business_reveal_nik", args=[business.pk]), HTTP_HX_REQUEST="true")
    assert VALID_NIK_WOMAN in response.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.VIEW_NIK).count() == 1


def test_it_hides_the_reveal_button_from_an_owner(personas, businesses):
    client = Client()
    client.force_login(personas["owner"])
    business = businesses["gedong"]
    business.owner.set_nik(VALID_NIK_WOMAN)
    business.owner.save()
    page = client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert "1809xxxxxxxx0001" in page and "Tampilkan (dicatat)" not in page
    assert client.post(reverse("business_reveal_nik", args=[business.pk])).status_code == 403


def test_it_creates_a_business_from_the_form(admin_client, villages):
    response = admin_client.post(
        reverse("business_create"),
        {
            "name": "Kopi Robusta Pak Slamet",
            "owner_name": "Slamet",
            "village": villages["gedong"].code,
            "annual_revenue": "Rp 120.000.000",
            "phone": "0812 3456 7890",
            "founded": "2018-06-01",
        },
    )
    business = Business.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "business_detail", args=[business.pk]
    )
    assert business.annual_revenue == 120_000_000 and business.phone == "+6281234567890"


def test_it_shows_indonesian_errors_next_to_each_field_and_keeps_what_was_typed(admin_client, villages):
    response = admin_client.post(
        reverse("business_create"),
        {
            "name": "Kopi Robusta",
            "owner_name": "Slamet",
            "owner_nik": "123",
            "nib": "99",
            "village": villages["lamsel"].code,
            "assets": "-1",
            "phone": "12",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Perbaiki kesalahan di bawah; belum ada yang disimpan." in page
    for message in [
        "NIK Pemilik: NIK harus tepat 16 digit.",
        "NIB harus tepat 13 digit.",
        "Aset tidak boleh negatif.",
        "di luar wilayah kerja Anda",
        "Telepon usaha: Nomor telepon bukan nomor Indonesia yang valid",
    ]:
        assert message in page, message
    assert 'value="Kopi Robusta"' in page
    assert Business.objects.count() == 0


def test_it_edits_a_business_and_shows_the_change_in_its_history(admin_client, businesses):
    business = businesses["gedong"]
    response = admin_client.post(
        reverse("business_edit", args=[business.pk]),
        {
            "name": business.name,
            "owner_name": business.owner.name,
            "village": business.village_id,
            "annual_revenue": "3.000.000.000",
            "status": "operating",
            "note": "Diverifikasi",
        },
    )
    assert response.status_code == 302
    page = admin_client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert "Diverifikasi" in page
    assert "Kecil" in page  # 3 miliar a year is a small business
    assert "Omzet tahunan (Rp)" in page and "annual_revenue" not in page  # the field by its label


def test_it_refuses_the_create_page_to_an_owner(personas):
    client = Client()
    client.force_login(personas["owner"])
    assert client.get(reverse("business_create")).status_code == 403


def test_it_adds_a_document_from_the_detail_page(admin_client, businesses):
    business = businesses["gedong"]
    admin_client.post(
        reverse("business_document_add", args=[business.pk]),
        {"kind": "halal", "number": "ID18110000123", "issued_on": "2024-02-01"},
    )
    page = admin_client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert "ID18110000123" in page
    admin_client.post(reverse("business_document_add", args=[business.pk]), {"kind": "nib", "number": "12"})
    page = admin_client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert "NIB harus tepat 13 digit." in page


def test_it_creates_and_edits_a_cooperative_from_the_forms(admin_client, villages):
    from naikkelas.registry.models import Cooperative

    admin_client.post(
        reverse("cooperative_create"),
        {
            "name": "KSP Tani Makmur",
            "type": "simpan_pinjam",
            "members": "50",
            "village": villages["gedong"].code,
        },
    )
    coop = Cooperative.objects.get()
    response = admin_client.post(
        reverse("cooperative_edit", args=[coop.pk]),
        {"name": "KSP Tani Makmur", "type": "simpan_pinjam", "members": "-4", "village": coop.village_id},
    )
    assert "Anggota tidak boleh negatif." in response.content.decode()
    admin_client.post(
        reverse("cooperative_edit", args=[coop.pk]),
        {"name": "KSP Tani Makmur", "type": "simpan_pinjam", "members": "75", "village": coop.village_id},
    )
    coop.refresh_from_db()
    assert coop.members == 75


def test_it_switches_to_english_and_back(admin_client, businesses):
    assert "Usaha (UMKM)" in admin_client.get(reverse("business_list")).content.decode()
    admin_client.post(reverse("set_language"), {"language": "en", "next": "/usaha/"})
    page = admin_client.get(reverse("business_list")).content.decode()
    assert "Businesses (UMKM)" in page and "Bahasa Indonesia" in page
    admin_client.post(reverse("set_language"), {"language": "id", "next": "/usaha/"})
    assert "Usaha (UMKM)" in admin_client.get(reverse("business_list")).content.decode()


def test_it_neutralises_formulas_in_exports(admin_client, villages):
    make_business('=HYPERLINK("http://x")', villages["gedong"], owner_name="+62 Budi")
    text = b"".join(admin_client.get(reverse("business_export")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+62 Budi" in text


def test_it_logs_in_with_the_login_page(personas):
    client = Client()
    response = client.post(reverse("login"), {"username": "admin.pesawaran", "password": "rahasia-123"})
    assert response.status_code == 302
    bad = Client().post(reverse("login"), {"username": "admin.pesawaran", "password": "salah"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def test_it_speaks_indonesian_to_an_english_browser_until_english_is_chosen(admin_client, businesses):
    page = admin_client.get(reverse("business_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Usaha (UMKM)" in page


def test_it_exports_the_filtered_list_as_xlsx_with_formulas_neutralised(admin_client, villages, tmp_path):
    from python_calamine import CalamineWorkbook

    make_business('=HYPERLINK("http://x")', villages["gedong"], owner_name="@Budi")
    make_business("Kopi Robusta", villages["pesawaran_other"])
    response = admin_client.get(reverse("business_export_xlsx"), {"region": "18.09.01"})
    assert response["Content-Disposition"].endswith('usaha.xlsx"')
    path = tmp_path / "usaha.xlsx"
    path.write_bytes(response.getvalue())
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["id", "nama_usaha", "nama_pemilik"]
    assert [r[1] for r in rows[1:]] == ['\'=HYPERLINK("http://x")']  # only the district asked for
    assert rows[1][2] == "'@Budi"
