"""A big file is read and parsed in a second process while the first checks and writes: the same report and the
same records as one process gives; a file that turns unreadable midway, or a reader that dies, leaves nothing
written and an Indonesian message."""

import os

import pytest
from django.utils import translation

from naikkelas.intake import services as intake
from naikkelas.intake.models import ImportBatch
from naikkelas.intake.reader import ReadError
from naikkelas.registry.models import Business, Person
from tests.intake.sidt import ROWS, sidt_csv, sidt_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def _file(tmp_path, n=40):
    """The SIDT rows, and more: shops in Bagelen with and without a NIK, some repeated, some unreadable."""
    more = [
        sidt_row(nama_usaha=f"WARUNG NOMOR {i}", nama_pemilik=f"PEMILIK {i}", kode_desa="1809012007",
                 nik=f"18090157088{50000 + i:05d}" if i % 2 else "", omzet_setahun="12 jt" if i % 3 else "abc",
                 hp=f"0812{i:08d}", pendidikan_terakhir="SMP" if i % 5 else "Taman kanak")
        for i in range(n)
    ]  # fmt: skip
    return sidt_csv(tmp_path / "sidt.csv", [*ROWS, *more, more[3], more[4]])


def _outcome(report) -> tuple:
    records = sorted(
        Business.objects.values_list(
            "name", "annual_revenue", "village_id", "owner__nik_masked", "owner__education"
        )
    )
    problems = [(p["row"], p["column"], p["reason"]) for p in report.rejected]
    warnings = [(w["row"], w["column"], w["reason"]) for w in report.warnings]
    return (report.rows, report.created, report.updated, report.unchanged), problems, warnings, records


def test_a_second_process_reads_the_file_to_the_same_end(personas, tmp_path, settings):
    path = _file(tmp_path)
    settings.INTAKE_PARALLEL_MB = 0  # one process
    alone = intake.import_businesses(actor=personas["admin_pesawaran"], path=path)
    one = _outcome(alone)
    intake.undo_batch(actor=personas["admin_pesawaran"], batch=ImportBatch.objects.get(pk=alone.batch_id))
    settings.INTAKE_PARALLEL_MB = 0.000_001  # every file is "big"
    two = _outcome(intake.import_businesses(actor=personas["admin_pesawaran"], path=path))
    assert one[0][1] > 20 and one[1] and one[2]  # the file gives records, problems and warnings
    assert two == one
    again = intake.import_businesses(actor=personas["admin_pesawaran"], path=path)  # known by digest, beside
    assert (again.created, again.updated, again.unchanged) == (0, 0, one[0][1])


def test_a_file_unreadable_midway_writes_nothing(personas, tmp_path, settings):
    settings.INTAKE_PARALLEL_MB = 0.000_001
    rows = [
        sidt_row(nama_usaha=f"WARUNG {i}", nama_pemilik="A", kode_desa="1809012007") for i in range(12_000)
    ]
    rows[11_000] = sidt_row(nama_usaha="X" * 40_000, nama_pemilik="A", kode_desa="1809012007")
    with pytest.raises(ReadError, match="Baris 11002 berisi sel lebih dari 32.767 karakter"):
        intake.import_businesses(
            actor=personas["admin_pesawaran"], path=sidt_csv(tmp_path / "long.csv", rows)
        )
    assert not Business.objects.exists() and not Person.objects.exists() and not ImportBatch.objects.exists()


def test_a_reader_that_dies_writes_nothing(personas, tmp_path, settings, monkeypatch):
    settings.INTAKE_PARALLEL_MB = 0.000_001
    real = intake._parse_cells
    parent = os.getpid()

    def dying(table, cells, excel_row, *args):
        if excel_row == 7000 and os.getpid() != parent:
            os._exit(9)  # killed: no word, no exception
        return real(table, cells, excel_row, *args)

    monkeypatch.setattr(intake, "_parse_cells", dying)
    rows = [
        sidt_row(nama_usaha=f"WARUNG {i}", nama_pemilik="A", kode_desa="1809012007") for i in range(8_000)
    ]
    with pytest.raises(ReadError, match="tidak dapat dibaca|rusak"):
        intake.import_businesses(
            actor=personas["admin_pesawaran"], path=sidt_csv(tmp_path / "sidt.csv", rows)
        )
    assert not Business.objects.exists() and not ImportBatch.objects.exists()
