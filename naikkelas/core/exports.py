"""Streaming CSV exports that a spreadsheet cannot turn into formulas."""

import csv
import tempfile
from collections.abc import Iterable

from django.http import FileResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell starting like a formula gets a leading apostrophe (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM so that Excel opens UTF-8 correctly
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _writable_number(value) -> bool:
    """A number an XLSX cell holds: finite, and within Excel's range (others are written as text)."""
    return value == value and abs(value) < 1e308 and not (isinstance(value, int) and abs(value) >= 2**53)


def xlsx_response(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> FileResponse:
    """An XLSX of the rows, every text cell written as text (never a formula) and neutralised as in CSV.

    Written row by row to a temporary file (xlsxwriter's constant_memory mode) and sent from it, so a sheet of a
    million rows costs disk, not memory."""
    import xlsxwriter

    out = tempfile.TemporaryFile(prefix="naikkelas-export-")  # noqa: SIM115 - FileResponse closes it
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("Data")
    bold = workbook.add_format({"bold": True})
    for col, name in enumerate(header):
        sheet.write_string(0, col, str(name), bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = safe_cell(value)
            if isinstance(value, bool) or value is None:
                sheet.write_string(r, col, "" if value is None else str(value))
            elif isinstance(value, int | float) and _writable_number(value):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    workbook.close()
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
