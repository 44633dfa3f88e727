"""The ministry's SIDT-KUMKM export imported as it comes: recognised by its headers, its extra fields kept on the
business and the owner and shown on the page, in the API and the export; a file lacking some of its columns says
which."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from naikkelas.intake.services import import_businesses
from naikkelas.registry.models import Business
from tests.intake.sidt import HEADERS, ROWS, sidt_csv, sidt_row

pytestmark = pytest.mark.django_db


def _import(personas, path):
    with translation.override("id"):
        return import_businesses(actor=personas["admin_pesawaran"], path=path)


def test_it_imports_the_sidt_layout_without_a_mapping(personas, tmp_path, api_client_for):
    report = _import(personas, sidt_csv(tmp_path / "sidt.csv"))
    assert report.created == 3, (report.rejected, report.warnings)
    assert "SIDT-KUMKM" in report.warnings[0]["reason"] and "setiap kolom" in report.warnings[0]["reason"]
    siti = Business.objects.select_related("owner").get(name="KERIPIK PISANG BU SITI")
    assert (siti.village_id, siti.kbli, siti.sector, siti.legal_form) == (
        "18.09.01.2007", "10794", "Industri Makanan", "perorangan")  # fmt: skip
    assert (siti.main_product, siti.founding_capital, siti.founded) == (
        "Keripik pisang coklat", 2_000_000, date(2019, 3, 1))  # fmt: skip
    assert (siti.workers_paid_men, siti.workers_paid_women, siti.workers_unpaid_women, siti.workers_disabled) == (
        1, 2, 1, 1)  # fmt: skip
    assert (siti.latitude, siti.longitude) == (Decimal("-5.387100"), Decimal("105.091200"))
    assert siti.address == "Jl. Raya Bagelen RT 001 RW 002" and siti.employees == 4
    assert (siti.owner.education, siti.owner.has_disability, siti.owner.gender) == ("sma", False, "P")
    fauzi = Business.objects.select_related("owner").get(name="BENGKEL FAUZI")
    assert fauzi.village_id == "18.09.01.2005" and fauzi.legal_form == "cv"  # a BPS code, through the names
    assert (fauzi.owner.gender, fauzi.owner.birth_date, fauzi.owner.has_disability) == (
        "L",
        date(1979, 2, 1),
        True,
    )
    assert Business.objects.get(name="JAHIT RINA").kbli == ""  # unknown code reported, row kept
    rejected = {r["row"]: r["column"] for r in report.rejected}
    assert rejected == {5: "nama_desa"}  # no place at all (its "Doktor" is read as S3)
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    page = client.get(f"/usaha/{fauzi.pk}/").content.decode()
    assert "SD" in page and 'id="legal-form">CV' in page and "Jasa servis" in page
    api = api_client_for(personas["admin_pesawaran"]).get(f"/api/v1/businesses/{siti.pk}").json()
    assert (api["workers_paid_women"], api["owner_education"], api["main_product"]) == (
        2, "sma", "Keripik pisang coklat")  # fmt: skip
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get("/usaha/ekspor.csv").streaming_content).decode()))
    )
    exported = next(r for r in rows if r["nama_usaha"] == "KERIPIK PISANG BU SITI")
    assert (exported["tk_dibayar_perempuan"], exported["pendidikan_pemilik"], exported["judul_kbli"]) == (
        "2", "sma", "Industri Makanan")  # fmt: skip


def test_a_sidt_file_lacking_columns_says_which(personas, tmp_path):
    keep = [h for h in HEADERS if h not in ("pendidikan_terakhir", "modal_awal")]
    rows = [[value for h, value in zip(HEADERS, row, strict=True) if h in keep] for row in ROWS[:1]]
    report = _import(personas, sidt_csv(tmp_path / "sidt.csv", rows, keep))
    assert report.created == 1
    assert (
        "PENDIDIKAN TERAKHIR" in report.warnings[0]["reason"] and "MODAL AWAL" in report.warnings[0]["reason"]
    )


def test_every_field_an_import_reads_is_offered_on_the_page():
    """A field without a label on the page's column choice would be read by the command and dropped by the page."""
    from naikkelas.intake.columns import ALIASES, COOPERATIVE_ALIASES, FIELD_LABELS

    assert set(ALIASES) - set(FIELD_LABELS["businesses"]) == set()
    assert set(COOPERATIVE_ALIASES) - set(FIELD_LABELS["cooperatives"]) == set()


def test_the_sidt_layout_through_the_page(personas, tmp_path):
    """Upload, preview (every SIDT column chosen as read), check, import: the extra fields arrive."""
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    with open(sidt_csv(tmp_path / "sidt.csv"), "rb") as f:
        answer = client.post("/impor/", {"file": f, "kind": "businesses", "region": "18.09"})
    upload = answer["Location"]
    page = client.get(upload).content.decode()
    chosen = {}
    for name, options in re.findall(r'<select name="(col_[A-Z]+)"[^>]*>(.*?)</select>', page, re.S):
        picked = re.search(r'<option value="([a-z_]*)"\s+selected', options)
        chosen[name] = picked.group(1) if picked else ""
    assert chosen["col_E"] == "owner_gender" and chosen["col_AR"] == "workers_paid_women", chosen
    client.post(f"{upload}periksa/", chosen)
    client.post(f"{upload}jalankan/")
    siti = Business.objects.select_related("owner").get(name="KERIPIK PISANG BU SITI")
    assert (siti.owner.education, siti.legal_form, siti.workers_paid_women) == ("sma", "perorangan", 2)


def test_a_side_answer_that_cannot_be_read_is_reported_and_the_row_kept(personas, tmp_path):
    row = sidt_row(nama_usaha="WARUNG SARI", nama_pemilik="SARI", kode_desa="1809012007", latitude="lima",
                   pendidikan_terakhir="Pesantren", tk_dibayar_laki="banyak")  # fmt: skip
    report = _import(personas, sidt_csv(tmp_path / "sidt.csv", [row]))
    sari = Business.objects.get(name="WARUNG SARI")
    assert (sari.latitude, sari.workers_paid_men, sari.owner.education) == (None, None, "")
    dropped = {w["column"]: w["reason"] for w in report.warnings if "tanpa" in w["reason"]}
    assert set(dropped) == {"latitude", "pendidikan_terakhir", "tk_dibayar_laki"}, report.warnings
