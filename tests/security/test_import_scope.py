"""Imports obey scope: a field officer of Gedong Tataan (18.09.01) imports lists whose rows match records of
another district or a person of another regency. Those rows are refused row by row ("di luar wilayah Anda"),
nothing of the other office's records changes or moves, and warnings never name them. By service, command and
web page."""

import pytest
import xlsxwriter
from django.core.management import call_command
from django.utils import translation

from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.intake.models import ImportUpload
from naikkelas.intake.services import import_businesses, import_cooperatives
from naikkelas.registry import services
from naikkelas.registry.models import Business, Cooperative, Person

OTHER_NIK = "1809025708850003"  # a person served in Negeri Katon (18.09.02), not the officer's district
LAMSEL_NIK = "1801041203900002"


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def others(personas, villages):
    """Records the officer may not touch: a business and a cooperative in 18.09.02, a person in Lampung Selatan."""
    business = services.business_create(
        actor=personas["admin_pesawaran"],
        data={
            "name": "Kopi Robusta Pak Budi",
            "owner_name": "Budi Santoso",
            "owner_nik": OTHER_NIK,
            "village": villages["pesawaran_other"].code,
            "annual_revenue": "50.000.000",
        },
    )
    coop = services.cooperative_create(
        actor=personas["admin_pesawaran"],
        data={
            "name": "KSP Sejahtera",
            "nik_koperasi": "1809020000000009",
            "type": "simpan_pinjam",
            "chair_name": "Pak Lama",
            "village": villages["pesawaran_other"].code,
        },
    )
    lamsel = services.business_create(
        actor=personas["admin_lamsel"],
        data={
            "name": "Warung Seruit",
            "owner_name": "Ahmad Hidayat",
            "owner_nik": LAMSEL_NIK,
            "village": villages["lamsel"].code,
        },
    )
    return {"business": business, "coop": coop, "lamsel": lamsel}


def _workbook(path, header, rows):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    workbook.close()
    return path


BUSINESS_HEADER = ["NO", "NAMA USAHA", "NAMA PEMILIK", "NIK", "DESA/KEL", "KEC.", "OMZET PER BULAN (Rp)"]


@pytest.fixture
def business_file(tmp_path):
    return _workbook(tmp_path / "umkm.xlsx", BUSINESS_HEADER, [
        # another district's business, placed in the officer's village: must not move it
        [1, "Kopi Robusta Pak Budi", "Budi Santoso", OTHER_NIK, "Bagelen", "Gedong Tataan", "9 jt"],
        # a new business with the NIK of a person of another regency: must not attach to them
        [2, "Usaha Baru", "Siapa Saja", LAMSEL_NIK, "Bagelen", "Gedong Tataan", "1 jt"],
        # an ordinary new business of the officer's district
        [3, "Keripik Pisang Bu Siti", "Siti Rahayu", "1809015708850001", "Bagelen", "Gedong Tataan", "2 jt"],
        # spelled like the other district's business: the warning must not name it
        [4, "Kopi Robusta Pak Budi.", "Budi S", "", "Bagelen", "Gedong Tataan", "1 jt"],
    ])  # fmt: skip


@pytest.fixture
def coop_file(tmp_path):
    return _workbook(
        tmp_path / "koperasi.xlsx",
        ["NO", "NAMA KOPERASI", "NIK", "JENIS KOPERASI", "KETUA", "DESA", "KEC."],
        [
            [
                1,
                "KSP Sejahtera Baru",
                "1809020000000009",
                "Simpan Pinjam",
                "Penyerang",
                "Bagelen",
                "Gedong Tataan",
            ]
        ],
    )


def _unchanged(others):
    business, coop = others["business"], others["coop"]
    business.refresh_from_db()
    coop.refresh_from_db()
    assert business.village_id.startswith("18.09.02.") and business.annual_revenue == 50_000_000
    assert (
        coop.chair_name == "Pak Lama"
        and coop.name == "KSP Sejahtera"
        and coop.village_id.startswith("18.09.02.")
    )
    lamsel_owner = others["lamsel"].owner
    assert list(lamsel_owner.businesses.values_list("name", flat=True)) == ["Warung Seruit"]


def _check_business_report(report, others):
    reasons = {r["row"]: r["reason"] for r in report.rejected}
    assert "di luar wilayah Anda" in reasons[2]
    assert "wilayah lain" in reasons[3] and "Ahmad" not in reasons[3]
    assert report.created == 2  # Bu Siti's business, and row 4 (a new spelling inside the district)
    for warning in report.warnings:
        assert (
            f"#{others['business'].pk} " not in warning["reason"]
        )  # never names the other district's record
    _unchanged(others)
    assert not Business.objects.filter(name="Usaha Baru").exists()
    refused = AuditLog.objects.filter(action=AuditAction.REFUSED, object_id=str(others["lamsel"].owner_id))
    assert refused.exists() and {e.region_code for e in refused} == {others["lamsel"].village_id}


def test_a_business_import_never_touches_records_outside_the_officers_district(
    personas, others, business_file
):
    report = import_businesses(actor=personas["petugas"], path=business_file)
    _check_business_report(report, others)


def test_the_import_command_with_a_user_obeys_the_same_scope(
    personas, others, business_file, coop_file, capsys
):
    call_command("import", str(business_file), "--user", "petugas.gedongtataan")
    call_command("import", str(coop_file), "--kind", "cooperatives", "--user", "petugas.gedongtataan")
    out = capsys.readouterr().out
    assert "di luar wilayah Anda" in out or "ditolak" in out
    _unchanged(others)
    assert not Cooperative.objects.filter(chair_name="Penyerang").exists()


def test_a_cooperative_import_never_changes_another_districts_cooperative(personas, others, coop_file):
    report = import_cooperatives(actor=personas["petugas"], path=coop_file)
    assert report.created == report.updated == 0
    assert "di luar wilayah Anda" in report.rejected[0]["reason"]
    _unchanged(others)
    # The regency admin, whose area holds it, updates it from the same file.
    report = import_cooperatives(actor=personas["admin_pesawaran"], path=coop_file)
    assert report.updated == 1
    others["coop"].refresh_from_db()
    assert others["coop"].chair_name == "Penyerang"


def test_the_web_import_of_an_officer_obeys_scope(client, personas, others, business_file):
    client.force_login(personas["petugas"])
    with business_file.open("rb") as f:
        client.post("/impor/", {"file": f, "kind": "businesses"})
    upload = ImportUpload.objects.get()
    client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data"})
    client.post(f"/impor/{upload.pk}/jalankan/")
    upload.refresh_from_db()
    assert upload.status == "done", upload.error if hasattr(upload, "error") else upload.status
    page = client.get(f"/impor/{upload.pk}/").content.decode()
    assert "di luar wilayah Anda" in page
    _unchanged(others)
    assert Person.objects.filter(name="Siti Rahayu").count() == 1
