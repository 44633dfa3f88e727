"""The import page: upload, see what was read, correct the mapping, check, import, download rejects, undo."""

import io
import time

import pytest
from django.core.cache import cache
from python_calamine import CalamineWorkbook

from naikkelas.core.models import AuditLog
from naikkelas.intake import tasks
from naikkelas.intake.models import ImportBatch, ImportUpload, RecordSource
from naikkelas.registry.models import Business, BusinessTally, Person
from naikkelas.registry.tallies import tally_rebuild
from tests.intake.files import BAD_ROW, ROWS, office_workbook


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas["admin_pesawaran"])
    return client


def _upload(client, path, **extra):
    with path.open("rb") as f:
        return client.post("/impor/", {"file": f, "kind": "businesses", **extra})


def _tallies() -> dict:
    return {
        (t.village_id, t.status, t.size_class, t.sector): t.count
        for t in BusinessTally.objects.all()
        if t.count
    }


def test_upload_shows_the_detected_sheet_header_mapping_and_first_rows(admin_client, tmp_path):
    response = _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx", [*ROWS, BAD_ROW]))
    upload = ImportUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/{upload.pk}/"
    page = admin_client.get(f"/impor/{upload.pk}/").content.decode()
    assert "Data UMKM" in page and "Rekap" in page  # the data sheet chosen, the other offered
    assert "Header ditemukan di baris 4" in page
    assert 'name="col_B"' in page and '<option value="name" selected>' in page
    assert "Keripik Pisang Bu Siti" in page and "Kopi Robusta Pak Budi" in page
    assert Business.objects.count() == 0  # reading writes nothing


def test_check_then_import_then_undo(admin_client, tmp_path):
    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx", [*ROWS, BAD_ROW]))
    upload = ImportUpload.objects.get()
    admin_client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    upload.refresh_from_db()
    assert upload.status == "checked"
    assert (upload.check_report["created"], len(upload.check_report["rejected"])) == (2, 1)
    assert Business.objects.count() == 0  # checking is a dry run
    page = admin_client.get(f"/impor/{upload.pk}/").content.decode()
    assert "tidak ada desa/kelurahan dengan nama itu" in page and "ditolak.xlsx" in page

    rejected = admin_client.get(f"/impor/{upload.pk}/ditolak.xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(rejected.getvalue())).get_sheet_by_index(0).to_python()
    assert sheet[0][:2] == ["NO", "NAMA USAHA"] and sheet[0][-2:] == ["ALASAN DITOLAK", "BARIS DI BERKAS"]
    assert len(sheet) == 2 and sheet[1][1] == "Warung Kosong" and "Kampung" not in sheet[1][-2]
    assert "DESA/KEL" in sheet[1][-2] and sheet[1][-1] == 8

    admin_client.post(f"/impor/{upload.pk}/jalankan/")
    upload.refresh_from_db()
    assert upload.status == "done" and upload.batch is not None
    assert Business.objects.count() == 2 and Person.objects.count() == 2
    assert _tallies() == (tally_rebuild() and _tallies())  # counts kept by the bulk writer equal a recount

    response = admin_client.post(f"/impor/{upload.pk}/batalkan/")
    assert response.status_code == 302  # the undo ran as a background task (at once in tests)
    upload.refresh_from_db()
    assert upload.status == "done" and upload.error == "" and upload.check_report["undo"] == {
        "deleted": 2, "restored": 0}  # fmt: skip
    page = admin_client.get(f"/impor/{upload.pk}/").content.decode()
    assert 'id="undone"' in page and "Impor dibatalkan: 2 data dihapus" in page
    assert 'id="undo-import"' not in page  # nothing left to undo
    assert Business.objects.count() == 0 and Person.objects.count() == 0
    assert not RecordSource.objects.exists() and _tallies() == {}
    upload.batch.refresh_from_db()
    assert upload.batch.undone_at is not None
    assert AuditLog.objects.filter(object_type="intake.importbatch", action="delete").exists()


def test_undo_restores_what_a_newer_file_updated(admin_client, personas, tmp_path):
    from naikkelas.intake.services import import_businesses, undo_batch

    admin = personas["admin_pesawaran"]
    import_businesses(actor=admin, path=office_workbook(tmp_path / "v1.xlsx"))
    newer = [list(r) for r in ROWS]
    newer[0][8] = "Rp 300.000.000"  # Siti's revenue went up: 3.6 billion a year, a small business now
    report = import_businesses(actor=admin, path=office_workbook(tmp_path / "v2.xlsx", newer))
    assert report.updated == 1
    siti = Business.objects.get(name="Keripik Pisang Bu Siti")
    assert (siti.annual_revenue, siti.size_class) == (3_600_000_000, "kecil")
    assert _tallies() == (tally_rebuild() and _tallies())  # the update moved Siti between tally rows
    undo_batch(actor=admin, batch=ImportBatch.objects.get(pk=report.batch_id))
    siti.refresh_from_db()
    assert (siti.annual_revenue, siti.size_class) == (18_000_000, "mikro") and Business.objects.count() == 2
    assert _tallies() == (tally_rebuild() and _tallies())


def test_undo_is_refused_when_a_record_was_edited_after_the_import(admin_client, personas, tmp_path):
    from django.core.exceptions import ValidationError

    from naikkelas.intake.services import import_businesses, undo_batch
    from naikkelas.registry.services import business_update

    admin = personas["admin_pesawaran"]
    report = import_businesses(actor=admin, path=office_workbook(tmp_path / "v1.xlsx"))
    business_update(actor=admin, business=Business.objects.first(), data={"employees": 9})
    with pytest.raises(ValidationError, match="diubah setelahnya"):
        undo_batch(actor=admin, batch=ImportBatch.objects.get(pk=report.batch_id))
    assert Business.objects.count() == 2


def test_an_undo_refused_through_the_page_says_why_and_the_import_stands(admin_client, personas, tmp_path):
    from naikkelas.registry.services import business_update

    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx"))
    upload = ImportUpload.objects.get()
    admin_client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    admin_client.post(f"/impor/{upload.pk}/jalankan/")
    business_update(
        actor=personas["admin_pesawaran"], business=Business.objects.first(), data={"employees": 9}
    )
    admin_client.post(f"/impor/{upload.pk}/batalkan/")
    upload.refresh_from_db()
    assert upload.status == "done" and "Impor tidak dibatalkan" in upload.error
    assert "diubah setelahnya" in upload.error
    assert Business.objects.count() == 2 and upload.batch.undone_at is None
    page = admin_client.get(f"/impor/{upload.pk}/").content.decode()
    assert "diubah setelahnya" in page and 'id="undo-import"' in page  # it can be tried again


def test_undo_is_scoped_and_reports_its_progress(client, personas, tmp_path):
    from naikkelas.intake.services import undo_batch

    client.force_login(personas["admin_pesawaran"])
    _upload(client, office_workbook(tmp_path / "umkm.xlsx"))
    upload = ImportUpload.objects.get()
    client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    client.post(f"/impor/{upload.pk}/jalankan/")
    client.force_login(personas["admin_lamsel"])  # another regency's office: not its upload
    assert client.post(f"/impor/{upload.pk}/batalkan/").status_code == 404
    upload.refresh_from_db()
    assert upload.status == "done" and Business.objects.count() == 2

    heard = []
    undo_batch(
        actor=personas["admin_pesawaran"],
        batch=upload.batch,
        progress=lambda done, fraction: heard.append((done, fraction)),
    )
    assert heard and heard[-1] == (2, 1.0) and [f for _d, f in heard] == sorted(f for _d, f in heard)


def test_an_undo_whose_worker_died_leaves_the_import_standing(admin_client, tmp_path, settings):
    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx"))
    upload = ImportUpload.objects.get()
    admin_client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    admin_client.post(f"/impor/{upload.pk}/jalankan/")
    ImportUpload.objects.filter(pk=upload.pk).update(status="undoing", task_id="")
    running = admin_client.get(f"/impor/{upload.pk}/progres/", HTTP_HX_REQUEST="true").content.decode()
    assert "Membatalkan impor" in running and "<progress" in running
    # Nothing heard from the worker for longer than the stall limit: it died (its transaction rolled back).
    cache.set(tasks.progress_key(upload.pk), {"rows": 0, "fraction": 0.0, "at": time.time() - 3600})
    settings.INTAKE_STALL_MINUTES = 10
    over = admin_client.get(f"/impor/{upload.pk}/progres/", HTTP_HX_REQUEST="true")
    assert over.status_code == 204
    upload.refresh_from_db()
    assert upload.status == "done" and "tidak ada yang dibatalkan" in upload.error
    assert Business.objects.count() == 2


def test_a_column_can_be_remapped_or_left_out(admin_client, tmp_path):
    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx"))
    upload = ImportUpload.objects.get()
    # Column J (TENAGA KERJA) left out, column K (JENIS USAHA) read as the sector.
    admin_client.post(
        f"/impor/{upload.pk}/periksa/",
        {"sheet": "Data UMKM", "col_J": "", "col_K": "sector", "col_B": "name", "col_G": "village"},
    )
    admin_client.post(f"/impor/{upload.pk}/jalankan/")
    siti = Business.objects.get(name="Keripik Pisang Bu Siti")
    assert siti.employees is None and siti.sector == "Makanan olahan"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("daftar.pdf", b"%PDF-1.4", "Jenis berkas .pdf tidak dikenal"),
        ("rusak.xlsx", b"PK\x03\x04 not really a workbook", "tidak dapat dibaca"),
        ("kosong.csv", b"", "kosong"),
    ],
)
def test_a_bad_file_gets_an_indonesian_error_and_nothing_is_kept(
    admin_client, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    response = _upload(admin_client, path)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_a_file_over_the_limit_is_refused(admin_client, tmp_path, settings):
    settings.INTAKE_MAX_MB = 0
    response = _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx"))
    assert response.status_code == 400 and "lebih besar dari batas" in response.content.decode()


def test_uploads_are_scoped(client, personas, tmp_path):
    client.force_login(personas["admin_pesawaran"])
    _upload(client, office_workbook(tmp_path / "umkm.xlsx"))
    upload = ImportUpload.objects.get()
    client.force_login(personas["admin_lamsel"])
    assert client.get(f"/impor/{upload.pk}/").status_code == 404
    assert client.post(f"/impor/{upload.pk}/jalankan/").status_code == 404
    client.force_login(personas["owner"])
    assert client.get("/impor/").status_code == 403
    client.force_login(personas["admin_lampung"])
    assert client.get(f"/impor/{upload.pk}/").status_code == 200


def test_the_progress_bar_reloads_the_page_when_the_work_is_over(admin_client, tmp_path):
    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx"))
    upload = ImportUpload.objects.get()
    upload.status = "checking"
    upload.save()
    running = admin_client.get(f"/impor/{upload.pk}/progres/", HTTP_HX_REQUEST="true")
    assert running.status_code == 200 and b"<progress" in running.content
    assert b"progress-rate" not in running.content  # nothing measured yet: no pace, no time left
    # A quarter of a million-row file read in 100 s: 2,500 rows a second, about 5 minutes left.
    now = time.time()
    cache.set(
        tasks.progress_key(upload.pk), {"rows": 250_000, "fraction": 0.25, "at": now, "started": now - 100}
    )
    measured = tasks.progress_of(upload.pk, now=now)
    assert (measured["rate"], measured["left"]) == (2500, 300)
    page = admin_client.get(f"/impor/{upload.pk}/progres/", HTTP_HX_REQUEST="true").content.decode()
    assert "250.000 baris" in page and "baris per detik" in page and "menit lagi" in page
    upload.status = "checked"
    upload.save()
    over = admin_client.get(f"/impor/{upload.pk}/progres/", HTTP_HX_REQUEST="true")
    assert over.status_code == 204 and over["HX-Refresh"] == "true"


def _bad_rows(n: int, start: int = 10) -> list[list]:
    """Rows whose village no regency has (rejected), the even ones with a NIK to be masked in the lists."""
    return [
        [
            i,
            f"Warung Entah {i}",
            "Tuti",
            1809015708850100 + i if i % 2 == 0 else "",
            "",
            "",
            f"Kampung Entah {i}",
            "Gedong Tataan",
            "500rb",
            1,
            "Warung",
        ]
        for i in range(start, start + n)
    ]


def test_the_page_keeps_the_first_problems_and_every_problem_can_be_downloaded(
    admin_client, tmp_path, settings
):
    settings.INTAKE_REPORT_PROBLEMS = 3
    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx", [*ROWS, *_bad_rows(40)]))
    upload = ImportUpload.objects.get()
    admin_client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    upload.refresh_from_db()
    report = upload.check_report
    assert len(report["rejected"]) == 3 and report["rejected_total"] == 40 and report["created"] == 2
    page = admin_client.get(f"/impor/{upload.pk}/").content.decode()
    assert "masalah.xlsx" in page and "40 masalah" in page

    listing = admin_client.get(f"/impor/{upload.pk}/masalah.xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(listing.getvalue())).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["JENIS", "BARIS", "KOLOM", "NILAI", "ALASAN"]
    assert len(sheet) == 41 and {row[0] for row in sheet[1:]} == {"ditolak"}
    assert [row[3] for row in sheet[1:]] == [f"Kampung Entah {i}" for i in range(10, 50)]  # every one, by row
    assert "1809015708850110" not in str(sheet)  # values as on the page: NIKs masked

    rejected = admin_client.get(f"/impor/{upload.pk}/ditolak.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(rejected.getvalue())).get_sheet_by_index(0).to_python()
    assert [row[1] for row in rows[1:]] == [f"Warung Entah {i}" for i in range(10, 50)]
    assert all("DESA/KEL" in row[-2] for row in rows[1:])
    exports = AuditLog.objects.filter(action="export", object_type="intake.importupload")
    assert sorted(e.after["export"] for e in exports) == ["problems", "rejected_rows"]
    assert {e.after["rows"] for e in exports} == {40}

    admin_client.post(f"/impor/{upload.pk}/jalankan/")  # the file goes once imported; the problem list stays
    upload.refresh_from_db()
    assert upload.status == "done" and not upload.file and upload.problems
    again = admin_client.get(f"/impor/{upload.pk}/masalah.xlsx")
    assert (
        len(CalamineWorkbook.from_filelike(io.BytesIO(again.getvalue())).get_sheet_by_index(0).to_python())
        == 41
    )


def test_the_problem_list_is_scoped(client, personas, admin_client, tmp_path):
    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx", [*ROWS, BAD_ROW]))
    upload = ImportUpload.objects.get()
    admin_client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    client.force_login(personas["admin_lamsel"])
    assert client.get(f"/impor/{upload.pk}/masalah.xlsx").status_code == 404


def test_counts_blame_and_numbers_are_as_the_file_shows_them(admin_client, tmp_path):
    two_problems = [
        20,
        "Warung Dua Masalah",
        "Tuti",
        "12345",
        "",
        "",
        "Kampung Entah",
        "Gedong Tataan",
        "",
        1,
        "",
    ]
    bad_district = [21, "Warung Kecamatan", "Ani", "", "", "", "Bagelen", "Kecamatan Entah", "", 1, ""]
    _upload(admin_client, office_workbook(tmp_path / "umkm.xlsx", [*ROWS, two_problems, bad_district]))
    upload = ImportUpload.objects.get()
    page = admin_client.get(f"/impor/{upload.pk}/").content.decode()
    assert "<td>1</td>" in page and "1,0" not in page  # the NO column as typed, not as a decimal
    admin_client.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    upload.refresh_from_db()
    report = upload.check_report
    assert (report["rejected_rows"], report["rejected_total"]) == (2, 3)
    blamed = {(p["row"], p["column"]) for p in report["rejected"]}
    assert blamed == {(8, "NIK"), (8, "DESA/KEL"), (9, "KEC.")}  # the district's cell, not the village's
    assert next(p["value"] for p in report["rejected"] if p["row"] == 9) == "Kecamatan Entah"
    page = admin_client.get(f"/impor/{upload.pk}/").content.decode()
    assert '<h3 id="n-rejected">2</h3>' in page
    rejected = admin_client.get(f"/impor/{upload.pk}/ditolak.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(rejected.getvalue())).get_sheet_by_index(0).to_python()
    assert len(rows) - 1 == report["rejected_rows"]  # the summary and the file agree


def test_a_csv_uploaded_twice_is_one_source_under_its_own_name(admin_client, tmp_path):
    """An uploaded CSV is stored under another name: its sheet is still the file's own name, so the same file
    uploaded again finds its rows already recorded (unchanged, no second source)."""
    from tests.intake.sidt import sidt_csv

    path = sidt_csv(tmp_path / "sidt-pesawaran.csv")
    for _ in range(2):
        _upload(admin_client, path)
        upload = ImportUpload.objects.order_by("-pk").first()
        admin_client.post(f"/impor/{upload.pk}/periksa/")
        admin_client.post(f"/impor/{upload.pk}/jalankan/")
        upload.refresh_from_db()
        assert upload.status == "done", upload.error
    assert upload.check_report["sheet"] == "sidt-pesawaran" and upload.check_report["unchanged"] == 3
    assert set(RecordSource.objects.values_list("sheet", flat=True)) == {"sidt-pesawaran"}
    assert RecordSource.objects.count() == Business.objects.count() == 3
