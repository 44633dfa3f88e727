"""Importing an office's list of cooperatives: "NIK" there is the Nomor Induk Koperasi."""

import pytest
import xlsxwriter
from django.core.management import call_command

from naikkelas.intake.services import import_cooperatives
from naikkelas.registry.models import Cooperative


@pytest.fixture
def coop_file(tmp_path):
    path = tmp_path / "koperasi.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Koperasi")
    sheet.write(0, 0, "DATA KOPERASI AKTIF KABUPATEN PESAWARAN")
    sheet.write_row(
        2,
        0,
        [
            "NO",
            "NAMA KOPERASI",
            "NO. BADAN HUKUM",
            "TGL BADAN HUKUM",
            "NIK",
            "JENIS KOPERASI",
            "JUMLAH ANGGOTA",
            "KETUA",
            "DESA",
            "KEC.",
            "STATUS",
        ],
    )
    rows = [
        [1, "KSP Maju Bersama", "123/BH/IV/2010", "12-04-2010", 1809010000000001, "Simpan Pinjam", "120 orang",
         "Ahmad", "Bagelen", "Gedong Tataan", "Aktif"],
        [2, "KUD Tani Makmur", "45/BH/XII/1998", "1 Desember 1998", "", "KUD", 300, "Slamet", "Sukadadi",
         "Gedong Tataan", "Tidak Aktif"],
        [3, "Koperasi Arisan", "", "", "12", "Arisan", "", "", "Bagelen", "", "Aktif"],
    ]  # fmt: skip
    for r, row in enumerate(rows, start=3):
        sheet.write_row(r, 0, row)
    workbook.close()
    return path


def test_it_imports_cooperatives_reading_nik_as_nomor_induk_koperasi(personas, coop_file):
    report = import_cooperatives(actor=personas["admin_pesawaran"], path=coop_file)
    assert (report.header_row, report.created) == (3, 2)
    ksp = Cooperative.objects.get(name="KSP Maju Bersama")
    assert (ksp.nik_koperasi, ksp.type, ksp.members, ksp.status) == (
        "1809010000000001",
        "simpan_pinjam",
        120,
        "aktif",
    )
    assert str(ksp.legal_entity_date) == "2010-04-12"
    kud = Cooperative.objects.get(name="KUD Tani Makmur")
    assert (kud.type, kud.status, kud.village.name) == ("konsumen", "tidak_aktif", "Sukadadi")
    assert {r["column"] for r in report.rejected if r["row"] == 6} == {"NIK", "JENIS KOPERASI"}
    assert ksp.sources.get().row == 4


def test_it_reimports_cooperatives_without_change_and_updates_a_newer_list(personas, coop_file):
    import_cooperatives(actor=personas["admin_pesawaran"], path=coop_file)
    again = import_cooperatives(actor=personas["admin_pesawaran"], path=coop_file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_it_runs_cooperatives_from_the_command(personas, coop_file, capsys):
    call_command("import", str(coop_file), "--kind", "cooperatives", "--user", "admin.pesawaran")
    assert "2 baru" in capsys.readouterr().out


def test_a_cooperative_import_can_be_undone(personas, coop_file):
    from naikkelas.intake.models import ImportBatch
    from naikkelas.intake.services import undo_batch

    admin = personas["admin_pesawaran"]
    report = import_cooperatives(actor=admin, path=coop_file)
    assert Cooperative.objects.count() == 2
    summary = undo_batch(actor=admin, batch=ImportBatch.objects.get(pk=report.batch_id))
    assert summary == {"deleted": 2, "restored": 0} and not Cooperative.objects.exists()
