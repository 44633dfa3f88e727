"""Reading an office's spreadsheet as it is: finding the data sheet, the header row and the data block.

Offices' files have title rows above the header, a row of column numbers under it, blank rows, totals ("JUMLAH")
and a signature block at the bottom, and a recap on another sheet. The reader finds the header by the column
names it knows (intake.columns), and keeps each data row with the row number Excel shows.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from naikkelas.intake.columns import match_header

TOO_BIG = _("The file is larger than the limit of %(mb)d MB.")
ZIP_BOMB = _("The workbook unpacks to far more than a spreadsheet can hold; it was not opened.")
PASSWORD = _("The workbook is protected with a password; save it without a password and upload it again.")
CORRUPT = _("The file cannot be read as a spreadsheet (damaged or not an Excel/ODS/CSV file).")
UNKNOWN_TYPE = _("Unknown file type %(ext)s: use .xlsx, .xls, .ods or .csv.")
NO_HEADER = _("No header row with known column names (such as NAMA USAHA, NIK, ALAMAT) was found.")
NO_SHEET = _("The workbook has no sheet named %(sheet)s.")
EMPTY_SHEET = _("The sheet is empty.")
ENCODING = _("The CSV file's text encoding could not be recognised; save it as UTF-8.")

HEADER_SCAN_ROWS = 40
MAX_UNPACK_RATIO = 100  # a spreadsheet compresses 5–20×; 100× and more is a bomb
TOTAL_WORDS = re.compile(r"^\s*(jumlah|total|sub ?total|grand total)\b", re.I)
SIGNATURE_WORDS = re.compile(
    r"\b(mengetahui|kepala dinas|kepala bidang|nip[\s.:]|dibuat oleh|tertanda)\b", re.I
)


class ReadError(Exception):
    """The file cannot be read at all; the message is for the person who uploaded it."""


@dataclass
class Table:
    file: str
    sheet: str
    header_row: int  # as Excel numbers it (1-based)
    headers: list[str]
    mapping: dict[int, str]  # column index → field name
    rows: list[tuple[int, list]] = field(default_factory=list)  # (Excel row number, cells)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row number, why)


def _check_size(path: Path) -> None:
    limit = getattr(settings, "INTAKE_MAX_MB", 50)
    if path.stat().st_size > limit * 1024 * 1024:
        raise ReadError(str(TOO_BIG) % {"mb": limit})
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
        if (
            unpacked > max(path.stat().st_size * MAX_UNPACK_RATIO, 10 * 1024 * 1024)
            or unpacked > limit * 1024 * 1024 * 20
        ):
            raise ReadError(str(ZIP_BOMB))


def _csv_rows(path: Path) -> dict[str, list[list]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined; such a file is in some other encoding
        raise ReadError(str(ENCODING))
    sample = text[:20000]
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    return {path.stem: [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]}


def _workbook_rows(path: Path, sheet: str | None) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise ReadError(str(PASSWORD)) from None
    except Exception as exc:  # calamine raises several types for damaged files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ReadError(str(PASSWORD)) from None
        raise ReadError(str(CORRUPT)) from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise ReadError(str(NO_SHEET) % {"sheet": sheet})
    try:
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in ([sheet] if sheet else names)
        }
    except Exception:
        raise ReadError(str(CORRUPT)) from None


def _clean_cell(cell):
    return cell.replace("\x00", "") if isinstance(cell, str) else cell


def _is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _find_header(
    rows: list[list], extra: dict[str, str] | None = None, kind: str = "businesses"
) -> tuple[int, dict[int, str]] | None:
    best = None
    needed = 1 if extra else 2  # a person's mapping may name a single header
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping = match_header(row, extra, kind)
        if len(mapping) >= needed and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
    return best


def _is_column_numbers(row: list) -> bool:
    """The row of 1, 2, 3 … (or (1), (2) …) that many office forms put under the header."""
    values = [str(c).strip().strip("()").removesuffix(".0") for c in row if not _is_blank(c)]
    return (
        len(values) >= 2
        and all(v.isdigit() for v in values)
        and [int(v) for v in values] == list(range(int(values[0]), int(values[0]) + len(values)))
    )


def read_table(
    path: Path | str,
    *,
    sheet: str | None = None,
    file_label: str | None = None,
    extra: dict[str, str] | None = None,
    kind: str = "businesses",
) -> Table:
    """`extra`: header names (normalised) → field, from a mapping the person gave."""
    path = Path(path)
    if not path.exists():
        raise ReadError(str(CORRUPT))
    ext = path.suffix.lower()
    if ext not in (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"):
        raise ReadError(str(UNKNOWN_TYPE) % {"ext": ext or "?"})
    _check_size(path)
    sheets = _csv_rows(path) if ext in (".csv", ".txt") else _workbook_rows(path, sheet)
    found = {name: _find_header(rows, extra, kind) for name, rows in sheets.items()}
    candidates = {name: f for name, f in found.items() if f is not None}
    if not candidates:
        if all(not any(not _is_blank(c) for row in rows for c in row) for rows in sheets.values()):
            raise ReadError(str(EMPTY_SHEET))
        raise ReadError(str(NO_HEADER))
    # The data sheet is the one whose header names the most known columns; ties go to the first sheet.
    name = max(candidates, key=lambda n: (len(candidates[n][1]), -list(sheets).index(n)))
    header_index, mapping = candidates[name]
    rows = sheets[name]
    table = Table(
        file=file_label or path.name,
        sheet=name,
        header_row=header_index + 1,
        headers=[str(c or "").strip() for c in rows[header_index]],
        mapping=mapping,
    )
    data_started = False
    for index in range(header_index + 1, len(rows)):
        row, excel_row = rows[index], index + 1
        # NUL characters (seen in files exported from old systems) are dropped: no database stores them.
        cells = [_clean_cell(row[i]) if i < len(row) else None for i in range(len(table.headers))]
        if all(_is_blank(c) for c in cells):
            continue
        first_text = " ".join(str(c) for c in cells if not _is_blank(c))
        if not data_started and _is_column_numbers(cells):
            table.skipped.append((excel_row, "column numbers"))
            continue
        if TOTAL_WORDS.search(first_text):
            table.skipped.append((excel_row, "totals"))
            continue
        if data_started and SIGNATURE_WORDS.search(first_text):
            table.skipped.append((excel_row, "signature block"))
            break  # everything below a signature block is the signature block
        data_started = True
        table.rows.append((excel_row, cells))
    return table
