"""An unchanged row comes again: known by its digest and not read again, as long as its record has not changed
since; every other case (a record edited since, a row that drew a warning, an undone import, other columns, a
record outside the importer's area) is read again as a first import would."""

import pytest
from django.utils import timezone, translation

from naikkelas.intake import services as intake
from naikkelas.intake.models import RecordSource
from naikkelas.lifecycle.funnel import funnel_counts, funnel_rebuild
from naikkelas.regions.models import Region
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business, BusinessTally
from naikkelas.registry.search import business_search_q
from naikkelas.registry.tallies import tally_rebuild
from tests.intake.files import ROWS, office_workbook
from tests.intake.sidt import sidt_csv


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def parsed(monkeypatch):
    """How many rows the import parsed (the real parser runs; only counted)."""
    calls = []
    real = intake._parse_cells

    def counting(table, cells, excel_row, *args):
        calls.append(excel_row)
        return real(table, cells, excel_row, *args)

    monkeypatch.setattr(intake, "_parse_cells", counting)
    return calls


def _clean_rows(villages):
    other = villages["pesawaran_other"]
    return [
        [1, "Kopi Robusta Pak Budi", "Budi Santoso", "1809 0112 0390 0002", "0813-1111-2222", "Jl. Raya No. 5",
         "Sukadadi", "Gedong Tataan", "1,5 jt", 2, "Kopi"],
        [2, "Keripik Pisang Bu Siti", "Siti Rahayu", 1809015708850001, 81234567890, "Dusun II",
         "Bagelen", "Gedong Tataan", "Rp 1.500.000,-", "3 orang", "Makanan olahan"],
        [3, "Tenun Bu Ani", "Ani Lestari", "", "0812-2222-3333", "Dusun I",
         other.name, other.parent.name, "2 jt", 1, "Kerajinan"],
    ]  # fmt: skip


@pytest.fixture
def clean(tmp_path, villages):
    return office_workbook(tmp_path / "umkm.xlsx", rows=_clean_rows(villages))


def test_an_unchanged_file_is_not_read_again(personas, clean, parsed):
    first = intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    assert (first.created, len(first.warnings), len(first.rejected)) == (3, 0, 0)
    assert RecordSource.objects.exclude(digest="").count() == 3
    parsed.clear()
    again = intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    assert (again.created, again.updated, again.unchanged, again.rows) == (0, 0, 3, 3)
    assert parsed == []


def test_a_record_changed_since_is_read_again_and_set_back(personas, clean, parsed):
    intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    budi = Business.objects.get(name="Kopi Robusta Pak Budi")
    registry.business_update(
        actor=personas["admin_pesawaran"], business=budi, data={"annual_revenue": "99000000"}
    )
    parsed.clear()
    again = intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    assert (again.updated, again.unchanged) == (1, 2)
    assert parsed == [6]  # Budi's row (title, blank row, header and the column numbers come first)
    budi.refresh_from_db()
    assert budi.annual_revenue == 18_000_000  # the file's Rp 1,5 jt a month
    # Read again, the row is known once more: a third import reads nothing.
    parsed.clear()
    third = intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    assert (third.updated, third.unchanged, parsed) == (0, 3, [])


def test_a_row_that_drew_a_warning_is_warned_again(personas, tmp_path, parsed):
    typo = [3, "Kue Bu Siti", "Siti Rahayu", "1809015708850001", "", "Dusun II", "Bagelan", "Gedong Tataan",
            "750rb", "1", "Kue"]  # fmt: skip
    rows = [
        *ROWS,
        typo,
        ROWS[1],
    ]  # "Bagelan" is read as Bagelen with a warning; the last row repeats the second
    path = office_workbook(tmp_path / "umkm.xlsx", rows=rows)
    first = intake.import_businesses(actor=personas["admin_pesawaran"], path=path)
    parsed.clear()
    again = intake.import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert [(w["row"], w["reason"]) for w in again.warnings] == [
        (w["row"], w["reason"]) for w in first.warnings
    ]
    assert len(first.warnings) == 2 and again.unchanged == 3
    assert parsed == [8, 9]  # the warned row and the repeated one; the clean rows are known


def test_an_undone_import_leaves_nothing_to_go_by(personas, clean):
    first = intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    intake.undo_batch(
        actor=personas["admin_pesawaran"], batch=intake.ImportBatch.objects.get(pk=first.batch_id)
    )
    again = intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    assert (again.created, again.unchanged) == (3, 0)


def test_other_columns_read_the_same_cells_again(personas, clean, parsed):
    intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    parsed.clear()
    yearly = intake.import_businesses(
        actor=personas["admin_pesawaran"], path=clean, mapping={"OMZET PER BULAN (Rp)": "revenue_year"}
    )
    assert (yearly.updated, len(parsed)) == (3, 3)
    assert Business.objects.get(name="Kopi Robusta Pak Budi").annual_revenue == 1_500_000


def test_a_known_row_outside_the_importers_area_is_still_refused(personas, clean):
    intake.import_businesses(actor=personas["admin_pesawaran"], path=clean)
    ani = Business.objects.get(name="Tenun Bu Ani")
    before = (ani.annual_revenue, ani.updated_at)
    officer = intake.import_businesses(actor=personas["petugas"], path=clean)  # Gedong Tataan's officer
    assert officer.unchanged == 2
    assert [(r["row"], "di luar wilayah kerja Anda" in r["reason"]) for r in officer.rejected] == [(8, True)]
    ani.refresh_from_db()
    assert (ani.annual_revenue, ani.updated_at) == before


def test_a_row_warned_as_probably_known_is_known_the_next_time(personas, tmp_path, parsed):
    """ "Probably already registered" is said once: the next time, the row matches the record it made."""
    intake.import_businesses(
        actor=personas["admin_pesawaran"], path=office_workbook(tmp_path / "sensus.xlsx")
    )
    rows = [[1, "UD Kripik Pisang Ibu Siti", "Ibu Siti", "", "081234567890", "", "Bagelen", "Gedong Tataan",
             "", "", ""]]  # fmt: skip
    bank = office_workbook(tmp_path / "bank.xlsx", rows)
    first = intake.import_businesses(actor=personas["admin_pesawaran"], path=bank)
    assert first.created == 1 and "mungkin sudah terdaftar" in first.warnings.head[0]["reason"]
    parsed.clear()
    again = intake.import_businesses(actor=personas["admin_pesawaran"], path=bank)
    assert (again.unchanged, len(again.warnings), parsed) == (1, 0, [])


def _figures(region) -> tuple:
    tallies = {
        (t.village_id, t.status, t.size_class, t.sector): t.count
        for t in BusinessTally.objects.filter(count__gt=0)
    }
    total = funnel_counts(region=region, as_of=timezone.localdate()).total
    return tallies, (total.registered, total.operating, total.modern)


def test_what_the_import_says_is_done_is_searchable_counted_and_undoable(personas, tmp_path):
    """A SIDT export, imported and then imported again unchanged: found by the search, in the tallies and the
    funnel as a recount gives them, and taken back whole by undo."""
    regency = Region.objects.get(code="18.09")
    path = sidt_csv(tmp_path / "sidt.csv")
    first = intake.import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert first.created == 3
    assert Business.objects.filter(business_search_q("keripik pisang")).get().name == "KERIPIK PISANG BU SITI"
    kept = _figures(regency)
    assert kept[1][0] == 3
    tally_rebuild(), funnel_rebuild()
    assert _figures(regency) == kept  # the import's counts are a recount's
    again = intake.import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert (again.unchanged, _figures(regency)) == (3, kept)
    intake.undo_batch(
        actor=personas["admin_pesawaran"], batch=intake.ImportBatch.objects.get(pk=first.batch_id)
    )
    assert not Business.objects.exists()
    assert _figures(regency) == ({}, (0, 0, 0))
