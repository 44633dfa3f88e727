"""Finding the data in a spreadsheet as offices make them, and refusing files that cannot be read."""

import zipfile

import pytest

from naikkelas.intake.columns import field_for
from naikkelas.intake.reader import (
    CORRUPT,
    EMPTY_SHEET,
    ENCODING,
    NO_HEADER,
    TOO_BIG,
    ZIP_BOMB,
    ReadError,
    read_table,
)
from tests.intake.files import office_workbook


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("NAMA USAHA", "name"),
        ("Nama UMKM", "name"),
        ("NAMA PELAKU USAHA", "name"),
        ("NAMA PEMILIK", "owner_name"),
        ("NIK", "owner_nik"),
        ("NO. HP/WA", "phone"),
        ("ALAMAT", "address"),
        ("DESA/KEL", "village"),
        ("KEC.", "district"),
        ("OMZET PER BULAN (Rp)", "revenue_month"),
        ("Omzet per Tahun", "revenue_year"),
        ("ASET", "assets"),
        ("TENAGA KERJA", "employees"),
        ("NIB", "nib"),
        ("JENIS USAHA", "sector"),
        ("KBLI", "kbli"),
        ("NO", None),
        ("KETERANGAN", None),
    ],
)
def test_it_knows_the_header_names_offices_use(header, field):
    assert field_for(header) == field


def test_it_finds_header_and_data_below_titles_and_above_totals_and_signatures(tmp_path):
    table = read_table(office_workbook(tmp_path / "umkm.xlsx"))
    assert table.sheet == "Data UMKM"  # not the recap sheet
    assert table.header_row == 4  # as Excel shows it
    assert [n for n, _cells in table.rows] == [6, 7]  # the column-number row (5) is skipped
    assert table.mapping[1] == "name" and table.mapping[8] == "revenue_month"
    assert table.rows[0][1][1] == "Keripik Pisang Bu Siti"
    reasons = [why for _n, why in table.skipped]
    assert reasons == ["column numbers", "totals", "signature block"]


def test_it_reads_the_named_sheet_when_asked(tmp_path):
    with pytest.raises(ReadError):
        read_table(office_workbook(tmp_path / "umkm.xlsx"), sheet="Tidak Ada")


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ",", False), ("utf-8", ";", True), ("cp1252", ";", False), ("utf-8", "\t", False)],
)
def test_it_reads_csv_in_the_encodings_and_separators_offices_save(tmp_path, encoding, delimiter, bom):
    lines = [
        "DAFTAR UMKM",
        "",
        delimiter.join(["No", "Nama Usaha", "Nama Pemilik", "Desa"]),
        delimiter.join(["1", "Kopi – Bu Siti", "Siti", "Bagelen"]),
    ]
    data = "\r\n".join(lines).encode(encoding)
    path = tmp_path / "umkm.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    table = read_table(path)
    assert table.header_row == 3
    assert table.rows == [(4, ["1", "Kopi – Bu Siti", "Siti", "Bagelen"])]


def test_it_refuses_a_csv_in_an_unknown_encoding(tmp_path):
    path = tmp_path / "umkm.csv"
    path.write_bytes(b"Nama Usaha;Desa\n" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) + b";x\n")
    with pytest.raises(ReadError) as exc:
        read_table(path)
    assert str(exc.value) == str(ENCODING)


def test_it_refuses_a_damaged_workbook(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook" * 10)
    with pytest.raises(ReadError) as exc:
        read_table(path)
    assert str(exc.value) == str(CORRUPT)


def test_it_refuses_a_zip_bomb_before_unpacking(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    with pytest.raises(ReadError) as exc:
        read_table(path)
    assert str(exc.value) == str(ZIP_BOMB)


def test_it_refuses_a_file_over_the_size_limit(tmp_path, settings):
    settings.INTAKE_MAX_MB = 1
    path = tmp_path / "besar.csv"
    path.write_bytes(b"Nama Usaha,Desa\n" + b"Kopi,Bagelen\n" * 100_000)
    with pytest.raises(ReadError) as exc:
        read_table(path)
    assert str(exc.value) == str(TOO_BIG) % {"mb": 1}


def test_it_says_so_for_an_empty_sheet_and_for_a_sheet_without_known_columns(tmp_path):
    import xlsxwriter

    empty = tmp_path / "kosong.xlsx"
    xlsxwriter.Workbook(str(empty)).close()
    with pytest.raises(ReadError) as exc:
        read_table(empty)
    assert str(exc.value) == str(EMPTY_SHEET)
    other = tmp_path / "lain.csv"
    other.write_text("Tanggal,Keterangan\n1,abc\n")
    with pytest.raises(ReadError) as exc:
        read_table(other)
    assert str(exc.value) == str(NO_HEADER)


def test_it_drops_nul_characters_from_cells(tmp_path):
    path = tmp_path / "umkm.csv"
    path.write_bytes(b"Nama Usaha,Desa\nKopi\x00 Luwak,Bagelen\n")
    assert read_table(path).rows == [(2, ["Kopi Luwak", "Bagelen"])]


def test_it_explains_a_password_protected_workbook(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    from naikkelas.intake.reader import PASSWORD

    plain = office_workbook(tmp_path / "biasa.xlsx")
    locked = tmp_path / "terkunci.xlsx"
    with plain.open("rb") as source, locked.open("wb") as out:
        OOXMLFile(source).encrypt("rahasia", out)
    with pytest.raises(ReadError) as exc:
        read_table(locked)
    assert str(exc.value) == str(PASSWORD)


def test_a_csv_line_wider_than_the_column_limit_is_refused_before_parsing(tmp_path, settings):
    settings.INTAKE_MAX_COLUMNS = 50
    path = tmp_path / "lebar.csv"
    path.write_text("NAMA USAHA;DESA\r\nWarung;Bagelen\r" + ";" * 60 + "\r\n", encoding="utf-8")
    with pytest.raises(ReadError) as exc:
        read_table(path)
    assert str(exc.value).startswith("Baris 3 memiliki lebih dari 50 kolom")
    path.write_text("NAMA USAHA;DESA\nWarung;Bagelen\n" + ";" * 48 + "\n", encoding="utf-8")
    assert len(read_table(path).rows) == 1  # 49 columns pass


def test_a_sheet_wider_than_the_column_limit_is_refused(tmp_path, settings):
    import xlsxwriter

    settings.INTAKE_MAX_COLUMNS = 20
    path = tmp_path / "lebar.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, ["NAMA USAHA", "DESA"])
    sheet.write(1, 25, "nyasar")
    workbook.close()
    with pytest.raises(ReadError) as exc:
        read_table(path)
    assert "lebih dari 20 kolom" in str(exc.value)


def test_a_file_with_more_data_rows_than_the_limit_is_refused_and_nothing_is_written(
    personas, tmp_path, settings
):
    from naikkelas.intake.services import import_businesses
    from naikkelas.registry.models import Business

    settings.INTAKE_MAX_ROWS = 2
    path = tmp_path / "panjang.csv"
    path.write_text(
        "NAMA USAHA,NAMA PEMILIK,DESA,KECAMATAN\n"
        + "".join(f"Warung {i},Ani {i},Bagelen,Gedong Tataan\n" for i in range(3)),
        encoding="utf-8",
    )
    with pytest.raises(ReadError) as exc:
        import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert "lebih dari 2 baris data" in str(exc.value)
    assert not Business.objects.exists()
    settings.INTAKE_MAX_ROWS = 3
    assert import_businesses(actor=personas["admin_pesawaran"], path=path).created == 3


def test_only_the_first_sheets_are_searched_for_the_header_but_any_can_be_named(tmp_path, settings):
    import xlsxwriter

    settings.INTAKE_MAX_SHEETS = 2
    path = tmp_path / "banyak.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    for n in range(3):
        workbook.add_worksheet(f"Catatan {n}").write(0, 0, "catatan")
    workbook.add_worksheet("Data").write_row(0, 0, ["NAMA USAHA", "DESA", "KECAMATAN"])
    workbook.get_worksheet_by_name("Data").write_row(1, 0, ["Warung", "Bagelen", "Gedong Tataan"])
    workbook.close()
    with pytest.raises(ReadError) as exc:
        read_table(path)
    assert str(exc.value) == str(NO_HEADER)
    table = read_table(path, sheet="Data")
    assert table.sheets[-1] == "Data" and len(table.rows) == 1
