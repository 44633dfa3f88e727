"""Hostile and broken import files, generated from a seed: the fuzzing suite (tests/intake/test_fuzz.py) and the
long run (benchmarks/fuzz_import.py) feed them to the import, which must answer each in Indonesian, in bounded
time and memory, and never write anything from a refused file.

Each generator takes a random.Random and a folder and returns the path of one file; `CLASSES` names them all.
"""

import codecs
import io
import os
import random
import zipfile
from pathlib import Path

import xlsxwriter

HEADER = [
    "NO",
    "NAMA USAHA",
    "NAMA PEMILIK",
    "NIK",
    "NO. HP",
    "DESA/KEL",
    "KEC.",
    "OMZET PER BULAN (Rp)",
    "TENAGA KERJA",
    "JENIS USAHA",
]
GOOD = [
    1,
    "Keripik Pisang Bu Siti",
    "Siti Rahayu",
    "1809015708850001",
    "081234567890",
    "Bagelen",
    "Gedong Tataan",
    "1.500.000",
    "3",
    "Makanan olahan",
]

NASTY_VALUES = [
    float("inf"), float("-inf"), float("nan"), 1e300, -1e300, 2**63, 10**30, "9" * 30, "1" * 400, "¹²³", "٣", "Ⅻ",
    "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+62 812", "-", "NA",
    "tidak ada", "\u200b", "\u200b\u200b", "\u202e\u202d", "\x00", "\x07\x1b", " " * 5000, "1" + " " * 30000 + "x",
    "0812" + "3" * 32760, "a" * 32767, "Rp " + "1." * 5000, "81234567890.0", "1,5 jt" * 400, "2024-13-45",
    "31/02/2024", "0000-00-00", True, False, 0, -1, 1.5, "ẞ" * 100, "😀" * 50, "Ω≈ç√∫", "' OR 1=1 --",
    "<script>alert(1)</script>", "../../etc/passwd", "\r\n\r\n", "\t\t", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦",
]  # fmt: skip


def _row(rng: random.Random) -> list:
    row = list(GOOD)
    for _ in range(rng.randint(1, 4)):
        row[rng.randrange(1, len(row))] = rng.choice(NASTY_VALUES)
    return row


def _xlsx(path: Path, rows: list[list], *, header=HEADER, sheet="Data") -> Path:
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "nan_inf_to_errors": True}
    )
    ws = workbook.add_worksheet(sheet)
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value[:32767])
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int) and abs(value) >= 2**53:
                ws.write_string(r, c, str(value))
            elif value is None:
                continue
            else:
                ws.write_number(r, c, value)
    workbook.close()
    return path


def nasty_cells(rng, folder: Path) -> Path:
    return _xlsx(folder / f"sel-{rng.randrange(10**6)}.xlsx", [_row(rng) for _ in range(rng.randint(1, 12))])


def far_cell(rng, folder: Path) -> Path:
    path = folder / f"jauh-{rng.randrange(10**6)}.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet("Data")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, GOOD)
    ws.write_string(rng.choice([1048575, 500000, 200000]), rng.choice([16383, 5000, 1000]), "x")
    workbook.close()
    return path


def _cut(rng, data: bytes) -> bytes:
    """The file as a broken download leaves it: cut short anywhere."""
    return data[: rng.randint(0, max(1, len(data) - 1))]


def _flip(rng, data: bytes) -> bytes:
    """The file as a bad disk or a bad copy leaves it: up to 40 bytes changed."""
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


def truncated(rng, folder: Path) -> Path:
    data = nasty_cells(rng, folder).read_bytes()
    cut = folder / f"potong-{rng.randrange(10**6)}{rng.choice(['.xlsx', '.xls', '.ods'])}"
    cut.write_bytes(_cut(rng, data))
    return cut


def flipped(rng, folder: Path) -> Path:
    data = _flip(rng, nasty_cells(rng, folder).read_bytes())
    path = folder / f"rusak-{rng.randrange(10**6)}{rng.choice(['.xlsx', '.xls', '.ods'])}"
    path.write_bytes(data)
    return path


def zip_trick(rng, folder: Path) -> Path:
    path = folder / f"zip-{rng.randrange(10**6)}.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        kind = rng.choice(["bomb", "empty", "junk", "nested"])
        if kind == "bomb":
            zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
        elif kind == "junk":
            zf.writestr("[Content_Types].xml", os.urandom(rng.randint(1, 2000)))
        elif kind == "nested":
            zf.writestr("inner.xlsx", nasty_cells(rng, folder).read_bytes())
    path.write_bytes(buffer.getvalue())
    return path


def csv_text(rng, folder: Path) -> Path:
    ending = rng.choice(["\r\n", "\n", "\r", "\n\r"])
    delimiter = rng.choice([",", ";", "\t"])
    rows = [HEADER, *[_row(rng) for _ in range(rng.randint(1, 10))]]
    lines = []
    for row in rows:
        cells = []
        for value in row:
            text = str(value).replace('"', '""')
            cells.append(f'"{text}"' if rng.random() < 0.3 else text)
        lines.append(delimiter.join(cells))
    text = ending.join(lines)
    if rng.random() < 0.2:
        text += '"' + "x" * rng.choice(
            [10, 140_000]
        )  # an unclosed quote, or a field over csv's default limit
    encoding = rng.choice(
        [
            "utf-8",
            "utf-8-sig",
            "utf-16",
            "utf-16-le",
            "cp1252",
            "latin-1",
            "shift_jis",
            "gb18030",
            "koi8-r",
            "mac-roman",
            "utf-32",
            "cp437",
            "big5",
            "euc-kr",
            "iso-8859-7",
            "cp1251",
            "cp850",
            "utf-7",
        ]
    )
    path = folder / f"csv-{rng.randrange(10**6)}.csv"
    path.write_bytes(codecs.encode(text, encoding, errors="replace"))
    return path


def random_bytes(rng, folder: Path) -> Path:
    path = folder / f"acak-{rng.randrange(10**6)}{rng.choice(['.xlsx', '.xls', '.ods', '.csv', '.txt'])}"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randint(0, 5000))))
    return path


def odd_header(rng, folder: Path) -> Path:
    header = rng.choice([
        ["NO", "NIK", "DESA/KEL", "KEC."],  # no name column at all
        ["NAMA USAHA"] * 3 + ["DESA/KEL"],
        [""] * 8,
        ["\u200b", "NAMA USAHA", "DESA/KEL"],
    ])  # fmt: skip
    rows = [[rng.choice(NASTY_VALUES) for _ in header] for _ in range(rng.randint(0, 5))]
    return _xlsx(folder / f"kepala-{rng.randrange(10**6)}.xlsx", rows, header=header)


def long_name(rng, folder: Path) -> Path:
    stem = "daftar-umkm-" + "x" * rng.randint(150, 235)
    return _xlsx(folder / f"{stem}.xlsx", [_row(rng)])


def special_file(rng, folder: Path) -> Path:
    """A pipe, or a link to a device, named like a spreadsheet."""
    path = folder / f"khusus-{rng.randrange(10**6)}{rng.choice(['.csv', '.xlsx'])}"
    if rng.random() < 0.5 and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


def repeated_ods(rng, folder: Path) -> Path:
    """A few hundred bytes of ODS whose one row repeats itself hundreds of thousands of times, with a value."""
    repeat = rng.choice([20_000, 300_000, 1_048_000])
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Data"><table:table-row>'
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
            for h in ("NAMA USAHA", "DESA/KEL")
        )
        + f'</table:table-row><table:table-row table:number-rows-repeated="{repeat}">'
        '<table:table-cell table:number-columns-repeated="2" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    path = folder / f"ulang-{rng.randrange(10**6)}.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    return path


def legacy_xls(rng, folder: Path) -> Path:
    """A real Excel 97–2003 (BIFF) workbook with nasty cells, left whole, cut short or with bytes flipped."""
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Data")
    for r, row in enumerate([HEADER, *[_row(rng) for _ in range(rng.randint(1, 12))]]):
        for c, value in enumerate(row):
            if isinstance(value, float) and (value != value or abs(value) == float("inf")):
                value = str(value)
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
                value = str(value)
            if isinstance(value, str):
                value = value[:32767]
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    damage = rng.choice(["whole", "cut", "flipped"])
    data = buffer.getvalue()
    if damage == "cut":
        data = _cut(rng, data)
    elif damage == "flipped":
        data = _flip(rng, data)
    path = folder / f"lama-{damage}-{rng.randrange(10**6)}.xls"
    path.write_bytes(data)
    return path


def wide_csv(rng, folder: Path) -> Path:
    """A CSV with one line of thousands of delimiters (a whole file of commas would be fifty million cells)."""
    delimiter = rng.choice([",", ";"])
    lines = [
        delimiter.join(HEADER),
        delimiter.join(str(v) for v in GOOD),
        delimiter * rng.choice([1_500, 20_000, 400_000]),
    ]
    path = folder / f"lebar-{rng.randrange(10**6)}.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def many_sheets(rng, folder: Path) -> Path:
    """A workbook of 60 to 200 sheets, the list on one of them (found, or chosen by name, or not at all)."""
    path = folder / f"lembar-{rng.randrange(10**6)}.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    count = rng.randint(60, 200)
    data_at = rng.choice([0, count // 2, count - 1])
    for n in range(count):
        sheet = workbook.add_worksheet(f"S{n}")
        if n == data_at:
            sheet.write_row(0, 0, HEADER)
            sheet.write_row(1, 0, GOOD)
        else:
            sheet.write(0, 0, "catatan")
    workbook.close()
    return path


def many_rejects(rng, folder: Path) -> Path:
    """Hundreds to thousands of rows, most of them refused (villages no regency has, bad NIKs): the problem log."""
    lines = [",".join(HEADER)]
    for i in range(rng.randint(300, 1500)):
        village = "Bagelen" if rng.random() < 0.1 else f"Kampung Entah {i}"
        nik = rng.choice(["", "12345", "1809015708850001", "9" * 16])
        lines.append(
            f"{i},Warung {i},Pemilik {i},{nik},,{village},Gedong Tataan,{rng.randrange(10**7)},1,Warung"
        )
    path = folder / f"tolak-{rng.randrange(10**6)}.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


CLASSES = {
    "nasty_cells": nasty_cells, "far_cell": far_cell, "truncated": truncated, "flipped": flipped,
    "zip_trick": zip_trick, "csv_text": csv_text, "random_bytes": random_bytes, "odd_header": odd_header,
    "long_name": long_name, "special_file": special_file, "repeated_ods": repeated_ods, "legacy_xls": legacy_xls,
    "wide_csv": wide_csv, "many_sheets": many_sheets, "many_rejects": many_rejects,
}  # fmt: skip


def generate(seed: int, folder: Path) -> tuple[str, Path]:
    """One hostile file: (its class, its path)."""
    rng = random.Random(seed)
    name = rng.choice(sorted(CLASSES))
    return name, CLASSES[name](rng, folder)
