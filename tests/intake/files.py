"""Spreadsheets made the way office lists look, written by the tests themselves."""

from pathlib import Path

import xlsxwriter

TITLE = ["DAFTAR UMKM BINAAN DINAS KOPERASI DAN UMKM", "KABUPATEN PESAWARAN TAHUN 2024"]
HEADER = ["NO", "NAMA USAHA", "NAMA PEMILIK", "NIK", "NO. HP/WA", "ALAMAT", "DESA/KEL", "KEC.",
          "OMZET PER BULAN (Rp)", "TENAGA KERJA", "JENIS USAHA"]  # fmt: skip
ROWS = [
    [1, "Keripik Pisang Bu Siti", "Siti Rahayu", 1809015708850001, 81234567890, "Dusun II RT 01/RW 02",
     "Bagelen", "GEDONG TATAAN", "Rp 1.500.000,-", "3 orang", "Makanan olahan"],
    [2, "Kopi Robusta Pak Budi", "Budi Santoso", "1809 0112 0390 0002", "0813-1111-2222", "Jl. Raya No. 5",
     "Ds. Sukadadi", "Kec. Gedong Tataan", "1,5 jt", 2, "Kopi"],
]  # fmt: skip


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
