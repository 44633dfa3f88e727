"""The office's pages of the opportunities app answer, in scope, with what they promise: readiness with its next
step and the dossier (XLSX rows, a PDF), ready suppliers, the procurement upload, partnerships, events."""

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from naikkelas.catalog.models import Category, Product
from naikkelas.opportunities.models import Partnership
from tests.opportunities.test_procurement import _workbook

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_readiness_and_dossier(personas, businesses):
    business = businesses["gedong"]
    Product.objects.create(business=business, name="Keripik Pisang Coklat", price=15_000, unit="pack 250 g",
                           description="Renyah.", category=Category.objects.order_by("pk").first())  # fmt: skip
    admin = _client(personas["admin_pesawaran"])
    page = admin.get(f"/usaha/{business.pk}/pengadaan/").content.decode()
    assert "Langkah berikutnya" in page and "PIRT" in page
    admin.post(f"/usaha/{business.pk}/pengadaan/", {"npwp": "1"})
    assert "checked" in admin.get(f"/usaha/{business.pk}/pengadaan/").content.decode()
    data = admin.get(f"/usaha/{business.pk}/pengadaan/dossier.xlsx").getvalue()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Produk").to_python()
    assert rows[0][0] == "Nama produk" and rows[1][0] == "Keripik Pisang Coklat" and rows[1][2] == 15000
    assert admin.get(f"/usaha/{business.pk}/pengadaan/dossier.pdf").getvalue().startswith(b"%PDF")
    assert _client(personas["admin_lamsel"]).get(f"/usaha/{business.pk}/pengadaan/").status_code == 404
    assert admin.get("/peluang/pemasok-siap/").status_code == 200


def test_procurement_upload_from_the_page(personas, businesses, tmp_path):
    admin = _client(personas["admin_pesawaran"])
    path = _workbook(tmp_path / "realisasi.xlsx", [[1, "Snack rapat", "Setda", 10_000_000, "Keripik Pisang Bu Siti", ""],
                                                   [2, "Laptop", "Diskominfo", 30_000_000, "PT Besar", ""]])  # fmt: skip
    with open(path, "rb") as f:
        answer = admin.post(
            "/peluang/pengadaan/", {"file": f, "kind": "realisasi", "year": "2026", "region": "18.09"}
        )
    assert answer.status_code == 302
    page = admin.get(answer["Location"]).content.decode()
    assert "25 %" in page and "Keripik Pisang Bu Siti" in page
    bad = _workbook(tmp_path / "salah.xlsx", [[1, "Snack", "Setda", "sepuluh juta", "X", ""]])
    with open(bad, "rb") as f:
        answer = admin.post(
            "/peluang/pengadaan/", {"file": f, "kind": "realisasi", "year": "2026", "region": "18.09"}
        )
    assert answer.status_code == 422 and "Baris 4, kolom D (Nilai)" in answer.content.decode()


def test_partnership_and_event_pages(personas, businesses, cooperatives):
    admin = _client(personas["admin_pesawaran"])
    answer = admin.post("/peluang/kemitraan/", {"partner": "Roastery Way Ratai", "partner_kind": "perusahaan",
                                                "pattern": "rantai_pasok", "region": "18.09", "starts_on": "2026-03-01",
                                                "cooperatives": f"{cooperatives['gedong'].pk}", "businesses": ""})  # fmt: skip
    assert answer.status_code == 302
    partnership = Partnership.objects.get()
    admin.post(f"/peluang/kemitraan/{partnership.pk}/", {"month": "2026-03", "amount": "8.500.000"})
    assert "Rp 8.500.000" in admin.get(f"/peluang/kemitraan/{partnership.pk}/").content.decode()
    answer = admin.post("/peluang/temu-bisnis/", {"title": "Temu Bisnis", "place": "Aula", "held_on": "2099-01-10",
                                                  "region": "18.09"})  # fmt: skip
    assert answer.status_code == 302
    owner = _client(personas["owner"])
    owner.post(answer["Location"], {"action": "register", "supplier": f"business:{businesses['gedong'].pk}"})
    page = admin.get(answer["Location"]).content.decode()
    assert "Keripik Pisang Bu Siti" in page and 'id="event-summary"' in page
    public = Client()
    page = public.get(answer["Location"]).content.decode()  # the public page: no summary, a guest's form
    assert 'id="event-summary"' not in page and 'id="event-guest"' in page
    village = businesses["gedong"].village_id
    bad = public.post(answer["Location"], {"action": "guest", "business": "Kopi Mak Ijah", "name": "Ijah",
                                           "phone": "", "village": village})  # fmt: skip
    assert bad.status_code == 200 and "Kopi Mak Ijah" in bad.content.decode()  # kept, with the message
    assert public.post(answer["Location"], {"action": "guest", "business": "Kopi Mak Ijah", "name": "Ijah",
                                            "phone": "081234567890", "village": village}).status_code == 302  # fmt: skip
    assert "Kopi Mak Ijah (tamu" in admin.get(answer["Location"]).content.decode()
