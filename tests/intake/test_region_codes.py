"""A ministry-style list with village codes instead of names: Kemendagri codes dotted and undotted, a district's
code with the village's name, BPS codes read through the names; bad and outside codes refused by row and column;
the same for a cooperative list."""

import csv

import pytest
from django.utils import translation

from naikkelas.intake.services import import_businesses, import_cooperatives
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Cooperative

pytestmark = pytest.mark.django_db


def _csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_kode_desa_column_imports_what_names_alone_could_not(personas, tmp_path):
    lamsel = Region.objects.filter(code__startswith="18.01.", level=4).order_by("code").first()
    path = _csv(tmp_path / "sidt.csv", ["nama_usaha", "nama_pemilik", "kode_desa", "desa"], [
        ["Keripik Bu Ani", "Ani", "1809012007", ""],  # undotted, no name: read by code
        ["Kopi Pak Budi", "Budi", "18.09.01.2005", "Bagelen"],  # the code beats the name
        ["Tempe Bu Cici", "Cici", "1809012007.0", ""],  # as a spreadsheet number
        ["Warung Dedi", "Dedi", lamsel.code.replace(".", ""), ""],  # another regency
        ["Bakso Eka", "Eka", "18x09", ""],  # not a code
        ["Jamu Fani", "Fani", "1809010007", "Bagelen"],  # BPS numbering: through the name, said so
    ])  # fmt: skip
    with translation.override("id"):
        report = import_businesses(actor=personas["admin_pesawaran"], path=path)
    by_name = dict(Business.objects.values_list("name", "village_id"))
    assert by_name == {"Keripik Bu Ani": "18.09.01.2007", "Kopi Pak Budi": "18.09.01.2005",
                       "Tempe Bu Cici": "18.09.01.2007", "Jamu Fani": "18.09.01.2007"}  # fmt: skip
    rejected = {r["row"]: r for r in report.rejected}
    assert set(rejected) == {5, 6}
    assert rejected[5]["column"] == "kode_desa" and "Lampung Selatan" in rejected[5]["reason"]
    assert "18x09" in rejected[6]["reason"] and "kode wilayah" in rejected[6]["reason"]
    assert any(w["row"] == 7 and "BPS" in w["reason"] for w in report.warnings)


def test_a_district_code_and_a_bps_column(personas, tmp_path):
    path = _csv(tmp_path / "bps.csv", ["Nama Usaha", "Pemilik", "Kode Kecamatan", "Desa", "Kode Desa BPS"], [
        ["Keripik Bu Ani", "Ani", "180901", "Bagelen", ""],  # the district's code narrows the name
        ["Kopi Pak Budi", "Budi", "", "Sukadadi", "1809012007"],  # a BPS column: the name decides
        ["Tempe Bu Cici", "Cici", "", "", "1809010005"],  # a BPS code without a name: refused, saying why
    ])  # fmt: skip
    with translation.override("id"):
        report = import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert dict(Business.objects.values_list("name", "village_id")) == {
        "Keripik Bu Ani": "18.09.01.2007", "Kopi Pak Budi": "18.09.01.2005"}  # fmt: skip
    assert [(r["row"], r["column"]) for r in report.rejected] == [(4, "Kode Desa BPS")]
    assert "nama desa" in report.rejected[0]["reason"]


def test_a_cooperative_list_with_codes(personas, tmp_path):
    path = _csv(tmp_path / "koperasi.csv", ["Nama Koperasi", "Kode Desa", "Jenis Koperasi"], [
        ["KSP Maju Bersama", "1809012007", "Simpan Pinjam"],
        ["Koperasi Salah", "99.99.99.9999", "Konsumen"],
    ])  # fmt: skip
    with translation.override("id"):
        report = import_cooperatives(actor=personas["admin_pesawaran"], path=path)
    assert list(Cooperative.objects.values_list("name", "village_id")) == [
        ("KSP Maju Bersama", "18.09.01.2007")
    ]
    assert [(r["row"], r["column"]) for r in report.rejected] == [(3, "Kode Desa")]
