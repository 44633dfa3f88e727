"""Reading an office's spreadsheet as it is: finding the data sheet, the header row and the data block.

Offices' files have title rows above the header, a row of column numbers under it, blank rows, totals ("JUMLAH")
and a signature block at the bottom, and a recap on another sheet. The reader finds the header by the column
names it knows (intake.columns), and keeps each data row with the row number Excel shows.
"""

import codecs
import csv
import io
import itertools
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
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
NOT_A_FILE = _("This is not an ordinary file (a device, a pipe or a folder); upload the spreadsheet itself.")
CELL_TOO_LONG = _(
    "Row %(row)d holds a cell longer than %(n)s characters, more than a spreadsheet cell takes."
)
TOO_MANY_CELLS = _(
    "Sheet %(sheet)s reaches cell %(cell)s: %(cells)s cells, more than the %(max)s naikkelas reads. Delete the "
    "empty rows and columns at its end (or the stray value far away) and upload it again."
)
TOO_MANY_ROWS = _(
    "The sheet has more than %(max)s rows of data; split the file and import the parts one by one."
)
TOO_MANY_COLUMNS = _(
    "Row %(row)d has more than %(max)s columns, more than naikkelas reads: delete the empty columns at its end "
    "(or check that the file is a list of businesses) and upload it again."
)
REPEATED_ROW = _(
    "A row of this ODS file is repeated %(n)s times with a value in it; delete the repeated rows and upload it again."
)

HEADER_SCAN_ROWS = 40
MAX_CELL_CHARS = 32_767  # what Excel itself allows in a cell
MAX_UNPACK_RATIO = 100  # a spreadsheet compresses 5–20×; 100× and more is a bomb
TOTAL_WORDS = re.compile(r"^\s*(jumlah|total|sub ?total|grand total)\b", re.I)
# Every signature word holds one of these: a cheap test before the expression (a million rows go by).
SIGNATURE_STEMS = ("mengetahui", "kepala", "nip", "dibuat", "tertanda")


def _may_sign(text: str) -> bool:
    low = text.lower()
    return any(stem in low for stem in SIGNATURE_STEMS)


SIGNATURE_WORDS = re.compile(
    r"\b(mengetahui|kepala dinas|kepala bidang|nip[\s.:]|dibuat oleh|tertanda)\b", re.I
)


class ReadError(Exception):
    """The file cannot be read at all; the message is for the person who uploaded it."""


def _n(value: int) -> str:
    """A count as the reader's language writes it (32.767 in Indonesian)."""
    return number_format(value, force_grouping=True)


@dataclass
class Table:
    file: str
    sheet: str
    header_row: int  # as Excel numbers it (1-based)
    headers: list[str]
    mapping: dict[int, str]  # column index → field name
    rows: Iterable[tuple[int, list]] = field(default_factory=list)  # (Excel row number, cells)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row number, why)
    sheets: list[str] = field(default_factory=list)  # every sheet of the file, for choosing another
    fraction: Callable[[], float] = lambda: 0.0  # how far through the file reading has got, 0 to 1


def _check_size(path: Path) -> None:
    """Before anything reads it: an ordinary file (a pipe or a link to a device would block or never end), within
    the size limit, and, for a workbook, a zip that unpacks to a sane size and declares sane sheet dimensions."""
    try:
        info = path.stat()
    except OSError:
        raise ReadError(str(CORRUPT)) from None
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(str(NOT_A_FILE))
    limit = getattr(settings, "INTAKE_MAX_MB", 50)
    if info.st_size > limit * 1024 * 1024:
        raise ReadError(str(TOO_BIG) % {"mb": limit})
    try:
        if not zipfile.is_zipfile(path):
            return
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(item.file_size for item in zf.infolist())
            if (
                unpacked > max(info.st_size * MAX_UNPACK_RATIO, 10 * 1024 * 1024)
                or unpacked > limit * 1024 * 1024 * 20
            ):
                raise ReadError(str(ZIP_BOMB))
            _check_dimensions(zf)
            _check_repeats(zf)
    except ReadError:
        raise
    except Exception:  # noqa: BLE001 - a damaged zip raises many kinds (BadZipFile, NotImplementedError, …)
        raise ReadError(str(CORRUPT)) from None


_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _check_dimensions(zf: zipfile.ZipFile) -> None:
    """An .xlsx sheet's far corner, read from its XML before the reader allocates the sheet: one stray cell at
    XFD1048576 would make a 6 KB file ask for half a terabyte."""
    limit = getattr(settings, "INTAKE_MAX_CELLS", 20_000_000)
    for item in zf.infolist():
        if not (item.filename.startswith("xl/worksheets/") and item.filename.endswith(".xml")):
            continue
        rows = cols = 0
        with zf.open(item) as f:
            tail = b""
            while block := f.read(1 << 20):
                chunk = tail + block
                for match in itertools.chain(_DIMENSION.finditer(chunk), _CELL_REF.finditer(chunk)):
                    cols = max(cols, _column_number(match.group(1)))
                    rows = max(rows, int(match.group(2)))
                tail = chunk[-64:]
        if rows * cols > limit:
            name = item.filename.rsplit("/", 1)[-1].removesuffix(".xml")
            corner = f"{_column_letters(cols)}{rows}"
            raise ReadError(
                str(TOO_MANY_CELLS)
                % {"sheet": name, "cell": corner, "cells": _n(rows * cols), "max": _n(limit)}
            )


_REPEATED_ROW = re.compile(rb'<table:table-row[^>]{0,400}?number-rows-repeated="([0-9]{1,12})"')
MAX_REPEATED_ROWS = 10_000


def _check_repeats(zf: zipfile.ZipFile) -> None:
    """An .ods row that says "repeat me a million times" and holds a value: 800 bytes that read as a million rows.
    (LibreOffice repeats empty rows at a sheet's end that way too; those hold no value and pass.)"""
    if "content.xml" not in zf.namelist():
        return
    with zf.open("content.xml") as f:
        tail = b""
        while block := f.read(1 << 20):
            chunk = tail + block
            for match in _REPEATED_ROW.finditer(chunk):
                if int(match.group(1)) <= MAX_REPEATED_ROWS:
                    continue
                row = chunk[match.end() : match.end() + 4000].split(b"</table:table-row>", 1)[0]
                if b"office:value-type" in row or b"<text:p" in row:
                    raise ReadError(str(REPEATED_ROW) % {"n": _n(int(match.group(1)))})
            tail = chunk[-4096:]


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Sheet:
    """The first rows of a sheet (to find the header in), the rest still unread, and how far reading has got."""

    head: list[list]
    rest: Iterator[list]
    fraction: Callable[[], float] = lambda: 0.0


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252, else refused."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ReadError(str(ENCODING))  # cp1252 leaves five bytes undefined; such a file is in another encoding


def _csv_width_check(path: Path, delimiter: str) -> None:
    """Before the CSV is parsed: no line holds more than INTAKE_MAX_COLUMNS delimiters (the csv module builds a
    whole row before naikkelas sees it, and 50 MB of commas on one line is fifty million cells). Counts every
    delimiter, quoted or not: an upper bound, read in blocks, linear in the file."""
    limit = settings.INTAKE_MAX_COLUMNS
    mark = delimiter.encode()
    line, count = 1, 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            parts = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
            for i, part in enumerate(parts):
                if i:
                    line, count = line + 1, 0
                count += part.count(mark)
                if count >= limit:
                    raise ReadError(str(TOO_MANY_COLUMNS) % {"row": line, "max": _n(limit)})


def _csv_sheets(path: Path, name: str = "") -> dict[str, Sheet]:
    """A CSV's one sheet, named after the file as its owner named it (an upload is stored under another name)."""
    encoding = _csv_encoding(path)
    size = max(path.stat().st_size, 1)
    with path.open(encoding=encoding, newline="") as f:
        sample = f.read(20000)
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    _csv_width_check(path, delimiter)
    raw = path.open("rb")
    # Text mode with newline="" gives the csv module every line ending: \r\n, \n and a lone \r (old Mac and
    # Excel exports); utf-8-sig drops a byte-order mark.
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    rows = _csv_rows(csv.reader(text, delimiter=delimiter), text)
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    return {
        (name or path.stem)[:120]: Sheet(
            head, rows, lambda: min(raw.tell() / size, 1.0) if not raw.closed else 1.0
        )
    }


def _csv_rows(reader, text) -> Iterator[list]:
    """The CSV's rows; a cell over the limit (or a broken quote running to the end) ends the reading with the
    row number."""
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise ReadError(
                    str(CELL_TOO_LONG) % {"row": reader.line_num, "n": _n(MAX_CELL_CHARS)}
                ) from None
            yield row
    finally:
        text.close()


def _workbook_sheets(path: Path, sheet: str | None) -> tuple[dict[str, Sheet], list[str]]:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise ReadError(str(PASSWORD)) from None
    except BaseException as exc:  # noqa: BLE001 - calamine raises several types for damaged files, and panics
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ReadError(str(PASSWORD)) from None
        raise ReadError(str(CORRUPT)) from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise ReadError(str(NO_SHEET) % {"sheet": sheet})
    sheets = {}
    limit = getattr(settings, "INTAKE_MAX_CELLS", 20_000_000)
    try:
        # The header is looked for in the first INTAKE_MAX_SHEETS sheets; any other can still be chosen by name.
        for name in [sheet] if sheet else names[: settings.INTAKE_MAX_SHEETS]:
            data = workbook.get_sheet_by_name(name)
            if data.total_height * data.total_width > limit:
                raise ReadError(
                    str(TOO_MANY_CELLS)
                    % {
                        "sheet": name,
                        "cell": f"{_column_letters(data.total_width)}{data.total_height}",
                        "cells": _n(data.total_height * data.total_width),
                        "max": _n(limit),
                    }
                )
            if data.total_width > settings.INTAKE_MAX_COLUMNS:
                raise ReadError(str(TOO_MANY_COLUMNS) % {"row": 1, "max": _n(settings.INTAKE_MAX_COLUMNS)})
            if (
                data.total_height > settings.INTAKE_MAX_ROWS + HEADER_SCAN_ROWS + 1000
            ):  # room for titles, totals
                raise ReadError(str(TOO_MANY_ROWS) % {"max": _n(settings.INTAKE_MAX_ROWS)})
            rows = data.iter_rows()
            head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
            height = max(data.total_height, 1)
            position = [len(head)]
            sheets[name] = Sheet(head, _counted(rows, position), lambda p=position, h=height: p[0] / h)
    except ReadError:
        raise
    except BaseException as exc:  # noqa: BLE001 - the Rust reader panics on some damaged files (PanicException)
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        raise ReadError(str(CORRUPT)) from None
    return sheets, list(names)


def _counted(rows: Iterator[list], position: list[int]) -> Iterator[list]:
    try:
        for row in rows:
            position[0] += 1
            yield row
    except BaseException as exc:  # noqa: BLE001 - as above, while the rows are read
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError | GeneratorExit):
            raise
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
    stream: bool = False,
) -> Table:
    """`extra`: header names (normalised) → field, from a mapping the person gave.

    With stream=True the data rows are read while they are consumed (`table.rows` is an iterator, and
    `table.fraction()` tells how far through the file it is); otherwise they are a list."""
    path = Path(path)
    if not path.exists():
        raise ReadError(str(CORRUPT))
    ext = path.suffix.lower()
    if ext not in (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"):
        raise ReadError(str(UNKNOWN_TYPE) % {"ext": ext or "?"})
    _check_size(path)
    if ext in (".csv", ".txt"):
        sheets = _csv_sheets(path, Path(file_label).stem if file_label else "")
        names = list(sheets)
    else:
        sheets, names = _workbook_sheets(path, sheet)
    found = {name: _find_header(s.head, extra, kind) for name, s in sheets.items()}
    candidates = {name: f for name, f in found.items() if f is not None}
    if not candidates:
        if all(not any(not _is_blank(c) for row in s.head for c in row) for s in sheets.values()):
            raise ReadError(str(EMPTY_SHEET))
        raise ReadError(str(NO_HEADER))
    # The data sheet is the one whose header names the most known columns; ties go to the first sheet.
    name = max(candidates, key=lambda n: (len(candidates[n][1]), -list(sheets).index(n)))
    header_index, mapping = candidates[name]
    chosen = sheets[name]
    table = Table(
        file=(file_label or path.name)[:255],
        sheet=name,
        header_row=header_index + 1,
        headers=[str(c or "").strip() for c in chosen.head[header_index]],
        mapping=mapping,
        sheets=names,
        fraction=chosen.fraction,
    )
    below = itertools.chain(chosen.head[header_index + 1 :], chosen.rest)
    rows = _data_rows(table, below, first_row=header_index + 2)
    table.rows = rows if stream else list(rows)
    return table


def _data_rows(table: Table, rows: Iterable[list], first_row: int) -> Iterator[tuple[int, list]]:
    width = len(table.headers)
    data_started = False
    left = settings.INTAKE_MAX_ROWS
    for excel_row, row in enumerate(rows, start=first_row):
        cells = row[:width] if type(row) is list else [*row[:width], *[None] * (width - len(row))]
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
        try:  # a CSV's full line: all text, checked by the joined text (a million lines go by)
            first_text = " ".join(cells)
        except TypeError:  # numbers, dates or missing cells
            # NUL characters (seen in files exported from old systems) are dropped: no database stores them.
            cells = [_clean_cell(c) for c in cells]
            too_long = any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells)
            first_text = " ".join(str(c) for c in cells if not _is_blank(c))
        else:
            if "\x00" in first_text:
                cells = [_clean_cell(c) for c in cells]
                first_text = first_text.replace("\x00", "")
            too_long = bool(cells) and max(map(len, cells)) > MAX_CELL_CHARS
        if too_long:
            raise ReadError(str(CELL_TOO_LONG) % {"row": excel_row, "n": _n(MAX_CELL_CHARS)})
        if not first_text.strip():  # blank cells only (blank cells add only spaces to the text)
            continue
        if not data_started and _is_column_numbers(cells):
            table.skipped.append((excel_row, "column numbers"))
            continue
        if TOTAL_WORDS.search(first_text):
            table.skipped.append((excel_row, "totals"))
            continue
        if data_started and _may_sign(first_text) and SIGNATURE_WORDS.search(first_text):
            table.skipped.append((excel_row, "signature block"))
            return  # everything below a signature block is the signature block
        data_started = True
        left -= 1
        if left < 0:  # a CSV tells its length only when read; the import so far rolls back
            raise ReadError(str(TOO_MANY_ROWS) % {"max": _n(settings.INTAKE_MAX_ROWS)})
        yield excel_row, cells


# Public names for other readers of office forms (the Renja table): Excel's column letters, the column-number row.
column_letters = _column_letters
is_column_numbers = _is_column_numbers


def sheet_rows(path: Path | str, *, max_rows: int) -> list[list]:
    """The rows of the file's first sheet (or of a CSV), for a small form-shaped table such as a Renja, after the
    same checks as read_table (type, size, zip bomb, sheet dimensions). More than max_rows rows: ReadError."""
    path = Path(path)
    if not path.exists():
        raise ReadError(str(CORRUPT))
    ext = path.suffix.lower()
    if ext not in (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"):
        raise ReadError(str(UNKNOWN_TYPE) % {"ext": ext or "?"})
    _check_size(path)
    sheets = _csv_sheets(path) if ext in (".csv", ".txt") else _workbook_sheets(path, None)[0]
    first = next(iter(sheets.values()), None)
    if first is None:
        raise ReadError(str(EMPTY_SHEET))
    try:
        rows = list(itertools.islice(itertools.chain(first.head, first.rest), max_rows + 1))
    except ReadError:
        raise
    except BaseException as exc:  # noqa: BLE001 - the Rust reader panics on some damaged files
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        raise ReadError(str(CORRUPT)) from None
    if len(rows) > max_rows:
        raise ReadError(str(TOO_MANY_ROWS) % {"max": _n(max_rows)})
    return [[_clean_cell(c) for c in row] for row in rows]
