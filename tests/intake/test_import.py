"""Importing an office's list: messy cells, places by name, one owner for two businesses, idempotent, atomic."""

import json

import pytest
from django.core.management import call_command

from naikkelas.accounts.models import User
from naikkelas.intake.models import ImportBatch, RecordSource
from naikkelas.intake.services import import_businesses
from naikkelas.registry.models import Business, BusinessTally, Person, StatusChange
from tests.intake.files import ROWS, office_workbook


@pytest.fixture
def workbook(tmp_path):
    rows = [
        *ROWS,
        # the same person (same NIK) with a second business
        [3, "Kue Bu Siti", "Siti Rahayu", "1809015708850001", "", "Dusun II", "Bagelan", "Gedong Tataan",
         "750rb", "1", "Kue"],
        # a row repeated by mistake
        ROWS[1],
        # bad values: broken NIK, unknown village
        [5, "Warung X", "Ratna", "1.80902E+15", "", "", "Antah Berantah", "Gedong Tataan", "abc", "", ""],
    ]  # fmt: skip
    return office_workbook(tmp_path / "umkm.xlsx", rows=rows)


def test_it_imports_an_office_workbook_as_it_is(personas, workbook):
    report = import_businesses(actor=personas["admin_pesawaran"], path=workbook)
    assert (report.sheet, report.header_row, report.rows) == ("Data UMKM", 4, 5)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    siti = Business.objects.get(name="Keripik Pisang Bu Siti")
    assert siti.owner.nik_masked == "1809xxxxxxxx0001"
    assert siti.annual_revenue == 18_000_000  # Rp 1.500.000 a month, stored per year
    assert siti.employees == 3 and siti.phone == "+6281234567890"  # phone had lost its leading 0
    assert siti.village_id == "18.09.01.2007"
    assert Business.objects.get(name="Kopi Robusta Pak Budi").village.name == "Sukadadi"
    assert Business.objects.get(name="Kue Bu Siti").owner == siti.owner  # one person, two businesses
    assert Person.objects.count() == 2
    warnings = {(w["row"], w["reason"]) for w in report.warnings}
    assert any(row == 8 and "Bagelen" in reason for row, reason in warnings)  # typo read as Bagelen
    assert any(row == 9 and "baris 7" in reason for row, reason in warnings)  # repeated row counted once
    rejected = {(r["row"], r["column"]) for r in report.rejected}
    assert rejected == {(10, "NIK"), (10, "DESA/KEL"), (10, "OMZET PER BULAN (Rp)")}
    assert all(r["reason"] for r in report.rejected)
    assert RecordSource.objects.filter(business=siti).values_list("file", "sheet", "row").get() == (
        "umkm.xlsx",
        "Data UMKM",
        6,
    )


def test_it_changes_nothing_when_the_same_file_comes_again(personas, workbook):
    import_businesses(actor=personas["admin_pesawaran"], path=workbook)
    history = StatusChange.objects.count()
    again = import_businesses(actor=personas["admin_pesawaran"], path=workbook)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Business.objects.count() == 3 and StatusChange.objects.count() == history


def test_it_updates_what_a_newer_file_changed_with_history(personas, tmp_path, workbook):
    import_businesses(actor=personas["admin_pesawaran"], path=workbook)
    newer_rows = [list(ROWS[0]), list(ROWS[1])]
    newer_rows[0][8] = "Rp 2.000.000"
    newer = office_workbook(tmp_path / "umkm-2025.xlsx", rows=newer_rows)
    report = import_businesses(actor=personas["admin_pesawaran"], path=newer)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    siti = Business.objects.get(name="Keripik Pisang Bu Siti")
    assert siti.annual_revenue == 24_000_000
    assert siti.sources.count() == 2  # both files are kept as sources


def test_it_writes_nothing_on_a_dry_run(personas, workbook):
    report = import_businesses(actor=personas["admin_pesawaran"], path=workbook, dry_run=True)
    assert report.created == 3
    assert Business.objects.count() == 0 and Person.objects.count() == 0


def test_it_writes_nothing_when_the_machinery_fails_midway(personas, workbook, monkeypatch):
    from naikkelas.intake import rows, writers

    calls = {"n": 0}
    real = writers.BulkTable.insert

    def failing(self, rows):
        calls["n"] += 1
        if (
            calls["n"] == 6
        ):  # the second chunk, after the first chunk's persons, businesses, statuses, sources
            raise RuntimeError("disk full")
        return real(self, rows)

    monkeypatch.setattr(rows, "CHUNK", 1)
    monkeypatch.setattr(writers.BulkTable, "insert", failing)
    with pytest.raises(RuntimeError):
        import_businesses(actor=personas["admin_pesawaran"], path=workbook)
    assert calls["n"] == 6
    assert Business.objects.count() == 0 and Person.objects.count() == 0
    assert not ImportBatch.objects.exists() and not BusinessTally.objects.exists()


def test_it_reports_places_outside_the_regency(personas, tmp_path):
    rows = [[1, "Warung Natar", "Ahmad", "", "", "", "Hajimena", "Natar", "", "", ""]]
    report = import_businesses(
        actor=personas["admin_pesawaran"], path=office_workbook(tmp_path / "x.xlsx", rows)
    )
    assert report.created == 0
    assert "Lampung Selatan" in report.rejected[0]["reason"]


def test_it_runs_from_the_command_and_writes_the_report(personas, workbook, tmp_path, capsys):
    report_path = tmp_path / "laporan.json"
    call_command("import", str(workbook), "--user", "admin.pesawaran", "--report", str(report_path))
    report = json.loads(report_path.read_text())
    assert set(report) == {
        "file",
        "sheet",
        "header_row",
        "rows",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "warnings",
        "rejected_total",
        "warnings_total",
        "rejected_rows",
    }
    assert report["created"] == 3 and report["rejected"][0]["row"] == 10
    assert len(report["rejected"]) == report["rejected_total"] == 3 and len(report["warnings"]) == 2
    assert "3 baru" in capsys.readouterr().out


def test_it_exits_2_for_a_file_it_cannot_read(personas, tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(SystemExit) as exc:
        call_command("import", str(path), "--user", "admin.pesawaran")
    assert exc.value.code == 2


def test_it_imports_as_the_system_account_with_a_region(db, workbook):
    report = import_businesses(actor=_system(), path=workbook, region_code="18.09")
    assert report.created == 3


def test_it_refuses_a_regency_outside_the_users_scope(personas, workbook):
    from naikkelas.intake.services import ImportRefused

    with pytest.raises(ImportRefused):
        import_businesses(actor=personas["admin_lamsel"], path=workbook, region_code="18.09")


def _system() -> User:
    from naikkelas.accounts.services import system_user

    return system_user()


def test_it_shows_the_sources_on_the_page_and_in_the_api(personas, workbook, api_client_for):
    from django.test import Client

    import_businesses(actor=personas["admin_pesawaran"], path=workbook)
    siti = Business.objects.get(name="Keripik Pisang Bu Siti")
    body = api_client_for(personas["admin_pesawaran"]).get(f"/api/v1/businesses/{siti.pk}").json()
    assert body["sources"] == [{"file": "umkm.xlsx", "sheet": "Data UMKM", "row": 6}]
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    page = client.get(f"/usaha/{siti.pk}/").content.decode()
    assert "umkm.xlsx · Data UMKM · baris 6" in page


def test_it_reads_an_ods_file_from_libreoffice(personas, tmp_path):
    from tests.intake.files import ods_file

    path = ods_file(
        tmp_path / "umkm.ods",
        [
            ["Daftar UMKM"],
            ["Nama UMKM", "Pemilik", "Desa", "Kec"],
            ["Tenun Tapis Bu Ani", "Ani", "Bagelen", "Gedong Tataan"],
        ],
    )
    report = import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert (report.header_row, report.created) == (2, 1)
    assert Business.objects.get().name == "Tenun Tapis Bu Ani"


def test_it_follows_a_given_mapping_for_unusual_headers(personas, tmp_path):
    path = tmp_path / "lain.csv"
    path.write_text("Nama Usaha;Kolom A;Lokasi\nKopi Luwak;Budi;Bagelen\n", encoding="utf-8")
    mapping = {"Nama Usaha": "name", "B": "owner_name", "Lokasi": "village"}
    report = import_businesses(actor=personas["admin_pesawaran"], path=path, mapping=mapping)
    assert report.created == 1, report.rejected
    business = Business.objects.get()
    assert (business.owner.name, business.village.name) == ("Budi", "Bagelen")


def test_it_warns_of_rows_that_are_probably_businesses_already_known(personas, tmp_path):
    """Another list spells a registered business differently (no NIK, so no exact match): the row is imported
    and the report names the probable existing record; a second spelling inside the same file names its row."""
    import_businesses(actor=personas["admin_pesawaran"], path=office_workbook(tmp_path / "sensus.xlsx"))
    siti = Business.objects.get(name="Keripik Pisang Bu Siti")
    rows = [
        [1, "UD Kripik Pisang Ibu Siti", "Ibu Siti", "", "081234567890", "", "Bagelen", "Gedong Tataan", "", "", ""],
        [2, "Bengkel Motor Jaya", "Joko", "", "081299990000", "", "Bagelen", "Gedong Tataan", "", "", ""],
        [3, "Bengkel Motor Jaya Abadi", "Joko", "", "", "", "Bagelen", "Gedong Tataan", "", "", ""],
    ]  # fmt: skip
    report = import_businesses(
        actor=personas["admin_pesawaran"], path=office_workbook(tmp_path / "bank.xlsx", rows)
    )
    assert report.created == 3  # warned, not refused: the officer decides in the review queue
    reasons = {w["row"]: w["reason"] for w in report.warnings}
    assert f"#{siti.pk} Keripik Pisang Bu Siti" in reasons[6] and "mungkin sudah terdaftar" in reasons[6]
    assert 7 not in reasons  # a new business
    assert "baris 7" in reasons[8]
