"""Spreadsheets made the way office lists look, written by the tests themselves."""

from pathlib import Path

import xlsxwriter

TITLE = ["DAFTAR UMKM BINAAN DINAS KOPERASI DAN UMKM", "KABUPATEN PESAWARAN TAHUN 2024"]
HEADER = [
    "NO",
    "NAMA USAHA",
    "NAMA PEMILIK",
    "NIK",
    "NO. HP/WA",
    "ALAMAT",
    "DESA/KEL",
    "KEC.",
    "OMZET PER BULAN (Rp)",
    "TENAGA KERJA",
    "JENIS USAHA",
]
ROWS = [
    [1, "Keripik Pisang Bu Siti", "Siti Rahayu", 1809015708850001, 81234567890, "Dusun II RT 01/RW 02",
     "Bagelen", "GEDONG TATAAN", "Rp 1.500.000,-", "3 orang", "Makanan olahan"],
    [2, "Kopi Robusta Pak Budi", "Budi Santoso", "1809 0112 0390 0002", "0813-1111-2222", "Jl. Raya No. 5",
     "Ds. Sukadadi", "Kec. Gedong Tataan", "1,5 jt", 2, "Kopi"],
]  # fmt: skip


# A row whose village no regency has: rejected, with the reason.
BAD_ROW = [3, "Warung Kosong", "Tuti", "", "", "", "Kampung Entah", "Gedong Tataan", "500rb", 1, "Warung"]


def office_workbook(path: Path, rows=ROWS) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data UMKM")
    r = 0
    for line in TITLE:
        sheet.write(r, 0, line)
        r += 1
    r += 1  # a blank row under the title
    sheet.write_row(r, 0, HEADER)
    sheet.write_row(r + 1, 0, list(range(1, len(HEADER) + 1)))  # the column-number row
    r += 2
    for row in rows:
        sheet.write_row(r, 0, row)
        r += 1
    r += 1
    sheet.write_row(r, 0, ["", "JUMLAH", "", "", "", "", "", "", "Rp 3.000.000", 5])
    sheet.write(r + 3, 7, "Mengetahui,")
    sheet.write(r + 4, 7, "Kepala Dinas Koperasi dan UMKM")
    sheet.write(r + 8, 7, "NIP. 19700101 199503 1 001")
    recap = workbook.add_worksheet("Rekap")
    recap.write_row(0, 0, ["KECAMATAN", "JUMLAH UMKM"])
    recap.write_row(1, 0, ["Gedong Tataan", 2])
    workbook.close()
    return path


def ods_file(path: Path, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet (the format LibreOffice saves), written without LibreOffice."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value):
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Lembar1">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path
