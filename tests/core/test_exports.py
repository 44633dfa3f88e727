"""The XLSX export writer: what a spreadsheet reads back is what was written, nothing becomes a formula, and
what XML cannot hold is dropped, not a broken file."""

import io
import zipfile
from datetime import date

from python_calamine import CalamineWorkbook

from naikkelas.core.exports import MAX_CELL_CHARS, _column_letters, xlsx_response


def _read(response) -> list[list]:
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(), data


def test_cells_come_back_as_written_and_never_as_formulas():
    rows = [
        [
            1,
            '=HYPERLINK("x")',
            "a\x00b & <c>",
            " spasi ",
            2**60,
            1.5,
            None,
            True,
            date(2020, 1, 2),
            "x" * 40000,
        ],
        [2, "Keripik", "", "", 0, -3.25, None, False, None, "akhir"],
    ]
    header = ["id", "nama", "c", "d", "e", "f", "g", "h", "i", "j"]
    sheet, data = _read(xlsx_response("t.xlsx", header, rows))
    assert sheet[0] == header
    first = sheet[1]
    assert (
        first[0] == 1 and first[1] == '\'=HYPERLINK("x")' and first[2] == "ab & <c>" and first[3] == " spasi "
    )
    assert first[4] == str(2**60)  # beyond a spreadsheet's exact integers: text, every digit kept
    assert first[5] == 1.5 and first[6] == "" and first[7] == "True" and first[8] == "2020-01-02"
    assert len(first[9]) == MAX_CELL_CHARS
    assert sheet[2][0] == 2 and sheet[2][5] == -3.25 and sheet[2][9] == "akhir"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert (
        "xl/styles.xml" in archive.namelist()
        and "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    )


def test_column_names_run_past_z():
    letters = _column_letters(703)
    assert letters[:3] == ["A", "B", "C"] and letters[25:28] == ["Z", "AA", "AB"] and letters[702] == "AAA"


def test_a_row_wider_than_the_header_keeps_every_value():
    sheet, _data = _read(xlsx_response("t.xlsx", ["a"], [[1, 2, 3]]))
    assert sheet[1] == [1, 2, 3]
