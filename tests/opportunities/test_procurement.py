"""The share of procurement: the realisation read as exported, packages matched by NIB or by name within the
office's region, bad rows answered by row and column with nothing kept."""

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from naikkelas.opportunities import procurement
from naikkelas.opportunities.models import ProcurementImport, ProcurementPackage

pytestmark = pytest.mark.django_db
HEADER = ["No", "Nama Paket", "Satuan Kerja", "Nilai Kontrak", "Nama Penyedia", "NIB Penyedia"]


def _workbook(path, rows, header=HEADER):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["REALISASI PENGADAAN KABUPATEN PESAWARAN TAHUN 2026"])
    sheet.write_row(2, 0, header)
    for n, row in enumerate(rows, start=3):
        sheet.write_row(n, 0, row)
    book.close()
    return path


def _run(actor, path, **changes):
    args = {"actor": actor, "region": "18.09", "year": "2026", "kind": "realisasi", "path": path,
            "file_label": path.name, **changes}  # fmt: skip
    with translation.override("id"):
        return procurement.procurement_import(**args)


def test_the_share_that_went_to_the_registry(personas, businesses, cooperatives, tmp_path):
    path = _workbook(tmp_path / "realisasi.xlsx", [
        [1, "Makanan rapat", "Sekretariat Daerah", "Rp 12.000.000", "Toko Lain", "1234567890123"],  # by NIB
        [2, "Snack sekolah", "Dinas Pendidikan", 8_000_000, "CV Keripik Pisang Bu Siti", ""],  # by name
        [3, "Kopi tamu", "Dinas Pariwisata", "5.000.000", "UD Kopi Robusta Pak Budi", ""],  # by name
        [4, "Jasa simpan pinjam", "Bagian Umum", 3_000_000, "KSP Gedong", ""],  # a cooperative by name
        [5, "Laptop", "Diskominfo", 52_000_000, "PT Teknologi Nusantara", "9999999999999"],
        [6, "Warung makan", "Dinas Sosial", 4_000_000, "Warung Makan Seruit", ""],  # Lampung Selatan: not here
        ["", "JUMLAH", "", 84_000_000, "", ""],
    ])  # fmt: skip
    result = _run(personas["admin_pesawaran"], path)
    assert result.problems == []
    source = result.source
    assert (source.packages, source.total_value, source.matched_value) == (6, 84_000_000, 28_000_000)
    assert source.share == 33.33
    matched = {
        p.row: (p.matched_by, p.business_id or p.cooperative_id) for p in ProcurementPackage.objects.all()
    }
    assert matched[4] == ("nib", businesses["gedong"].pk)
    assert matched[5] == ("nama", businesses["gedong"].pk)
    assert matched[6] == ("nama", businesses["pesawaran_other"].pk)
    assert matched[7] == ("nama", cooperatives["gedong"].pk)
    assert matched[8] == ("", None) and matched[9] == ("", None)
    assert procurement.latest_share("18.09", 2026) == source


def test_bad_rows_and_unknown_columns_keep_nothing(personas, tmp_path):
    admin = personas["admin_pesawaran"]
    bad = _workbook(tmp_path / "salah.xlsx", [[1, "Makanan rapat", "Setda", "dua belas juta", "Toko", ""]])
    result = _run(admin, bad)
    assert result.source is None
    assert result.problems == [{"row": 4, "column": "D (Nilai)", "value": "dua belas juta",
                                "reason": "bukan jumlah Rupiah"}]  # fmt: skip
    odd = _workbook(tmp_path / "kolom.xlsx", [[1, "x", "y"]], header=["No", "Barang", "Harga Satuan?"])
    with pytest.raises(ValidationError) as err:
        _run(admin, odd)
    assert "Nama paket, Nilai" in err.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as err:
        _run(admin, odd, year="tahun ini")
    assert "year" in err.value.message_dict
    with pytest.raises(ValidationError) as err:  # another regency: named as outside the area
        _run(personas["admin_lamsel"], bad)
    assert "di luar wilayah" in err.value.messages[0]
    with pytest.raises(PermissionDenied):
        _run(personas["owner"], bad)
    assert ProcurementImport.objects.count() == 0 and ProcurementPackage.objects.count() == 0
