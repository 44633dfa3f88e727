"""Messy office rows for the import benchmark: what offices type, the way they type it.

Title rows, a column-number row, NIKs as numbers, spaced groups or with an apostrophe, phones that lost their 0,
money as "Rp 1.500.000,-", "1,5 jt" or "750rb", villages with "Desa"/"Ds." in front, in capitals or with a letter
wrong, owners with two businesses, rows typed twice, about 1 % bad rows, a JUMLAH row and a signature block.
"""

import csv
import random
from collections.abc import Iterator
from pathlib import Path

TITLE = ["DAFTAR UMKM BINAAN DINAS KOPERASI DAN UMKM", "KABUPATEN PESAWARAN"]
HEADER = [
    "NO",
    "NAMA USAHA",
    "NAMA PEMILIK",
    "NIK",
    "NO. HP/WA",
    "ALAMAT",
    "DESA/KEL",
    "KEC.",
    "JENIS USAHA",
    "KBLI",
    "OMZET PER BULAN",
    "ASET",
    "TENAGA KERJA",
    "NIB",
    "TAHUN BERDIRI",
]
WORDS = [
    "Keripik",
    "Kopi",
    "Warung",
    "Toko",
    "Bengkel",
    "Kue",
    "Tenun",
    "Ikan Asin",
    "Jamur",
    "Sambal",
    "Gula Aren",
    "Emping",
    "Batik",
    "Madu",
    "Tahu",
    "Tempe",
    "Laundry",
    "Kerupuk",
    "Dodol",
    "Bakso",
]
FIRST = [
    "Siti",
    "Budi",
    "Ahmad",
    "Rahayu",
    "Slamet",
    "Dewi",
    "Agus",
    "Ratna",
    "Joko",
    "Wati",
    "Nur",
    "Eko",
    "Sri",
    "Hendra",
    "Yuni",
    "Rudi",
    "Lestari",
    "Bambang",
    "Indah",
    "Wahyu",
]
LAST = ["Santoso", "Rahayu", "Saputra", "Wijaya", "Lestari", "Hidayat", "Pratama", "Sari", "Nugroho", "Utami"]
SECTORS = [
    ("Makanan olahan", "10794"),
    ("Warung makan", "56102"),
    ("Kerajinan", "32909"),
    ("Perdagangan eceran", "47111"),
    ("Jasa", "96011"),
    ("Pertanian", "01135"),
]


def _nik(rng: random.Random, regency: str, district: str, i: int) -> str:
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    return f"{regency}{district}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{i % 10000:04d}"


def _messy_nik(rng: random.Random, nik: str):
    pick = rng.random()
    if pick < 0.4:
        return nik
    if pick < 0.6:
        return f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
    if pick < 0.7:
        return "'" + nik
    if pick < 0.8:
        return ""
    return int(nik)


def _messy_phone(rng: random.Random) -> str:
    rest = f"{rng.randint(10_000_000, 99_999_999)}"
    pick = rng.random()
    if pick < 0.35:
        return f"08{rng.choice('1235')}{rest}"
    if pick < 0.55:
        return f"8{rng.choice('1235')}{rest}"  # lost its leading zero
    if pick < 0.7:
        return f"08{rng.choice('1235')}-{rest[:4]}-{rest[4:]}"
    if pick < 0.85:
        return f"+62 8{rng.choice('1235')}{rest}"
    return ""


def _messy_money(rng: random.Random, amount_thousands: int) -> str:
    pick = rng.random()
    rupiah = amount_thousands * 1000
    if pick < 0.3:
        return f"Rp {rupiah:,.0f},-".replace(",", ".").replace(".-", ",-")
    if pick < 0.5:
        return f"{rupiah / 1_000_000:.1f} jt".replace(".", ",")
    if pick < 0.65:
        return f"{amount_thousands}rb"
    if pick < 0.9:
        return str(rupiah)
    return ""


def rows(n: int, places: list[tuple[str, str, str]], seed: int = 3) -> Iterator[list]:
    """n data rows; places are (district code 2 digits, district name, village name) of one regency."""
    rng = random.Random(seed)
    owners: list[tuple[str, str]] = []
    previous: list | None = None
    for i in range(n):
        if previous is not None and rng.random() < 0.01:
            yield [i + 1, *previous[1:]]  # the same business typed twice
            continue
        district_code, district, village, *_code = rng.choice(places)
        if owners and rng.random() < 0.05:
            owner, nik = rng.choice(owners)  # a second business of the same person
        else:
            owner = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            nik = _nik(rng, "1809", district_code, i)
            if len(owners) < 50_000:
                owners.append((owner, nik))
        village_text = rng.choice([village, village.upper(), f"Desa {village}", f"Ds. {village}", village])
        if rng.random() < 0.02 and len(village) > 5:  # a letter wrong
            k = rng.randint(2, len(village) - 2)
            village_text = village[:k] + ("a" if village[k] != "a" else "e") + village[k + 1 :]
        sector, kbli = rng.choice(SECTORS)
        row = [
            i + 1,
            f"{rng.choice(WORDS)} {owner.split()[0]} {i}",
            owner,
            _messy_nik(rng, nik),
            _messy_phone(rng),
            f"Dusun {rng.randint(1, 9)} RT {rng.randint(1, 20):02d}/RW {rng.randint(1, 9):02d}",
            village_text,
            rng.choice([district, district.upper(), f"Kec. {district}"]),
            sector,
            kbli,
            _messy_money(rng, rng.randint(500, 40_000)),
            _messy_money(rng, rng.randint(1_000, 400_000)),
            rng.choice(["1", "2 orang", "3 org", "", "5", "tiga"]),
            "" if rng.random() < 0.7 else f"{rng.randint(10**12, 10**13 - 1)}",
            rng.choice(["2015", "2019", "12/03/2020", "", "2021"]),
        ]
        if rng.random() < 0.01:  # about 1 % bad: a village nobody knows, or a NIK that is no NIK
            row[rng.choice([3, 6])] = rng.choice(["Kampung Entah", "12345"])
        previous = row
        yield row


def write_csv(path: Path, n: int, places, seed: int = 3) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, delimiter=";")
        for line in TITLE:
            out.writerow([line])
        out.writerow([])
        out.writerow(HEADER)
        out.writerow(list(range(1, len(HEADER) + 1)))
        out.writerows(rows(n, places, seed))
        out.writerow(["", "JUMLAH", "", "", "", "", "", "", "", "", "", "", ""])
        out.writerow([])
        out.writerow(["", "", "", "", "", "", "", "Mengetahui,"])
        out.writerow(["", "", "", "", "", "", "", "Kepala Dinas Koperasi dan UMKM"])
    return path


def write_xlsx(path: Path, n: int, places, seed: int = 3) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Data UMKM")
    r = 0
    for line in TITLE:
        sheet.write(r, 0, line)
        r += 1
    r += 1
    sheet.write_row(r, 0, HEADER)
    sheet.write_row(r + 1, 0, list(range(1, len(HEADER) + 1)))
    r += 2
    for row in rows(n, places, seed):
        sheet.write_row(r, 0, row)
        r += 1
    sheet.write_row(r + 1, 0, ["", "JUMLAH"])
    sheet.write(r + 3, 7, "Mengetahui,")
    workbook.add_worksheet("Rekap").write_row(0, 0, ["KECAMATAN", "JUMLAH UMKM"])
    workbook.close()
    return path


def sidt_rows(n: int, places, seed: int = 5) -> Iterator[list]:
    """n rows in the SIDT-KUMKM export's layout (intake/columns.py SIDT_HEADERS), messy as real exports are: NIKs
    missing or as numbers, phones in every format, village codes dotted or undotted (and a few of another
    regency), answers as words or letters, a few KBLI codes that map to nothing."""
    from naikkelas.intake.columns import SIDT_HEADERS

    columns = [h.lower().replace(" ", "_") for h in SIDT_HEADERS]
    rng = random.Random(seed)
    for i in range(n):
        district_code, district, village, code = rng.choice(places)
        owner = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        nik = _nik(rng, "1809", district_code, i)
        sector, kbli = rng.choice(SECTORS)
        values = {
            "id_responden": f"SIDT-{i:07d}",
            "nik": "" if rng.random() < 0.3 else _messy_nik(rng, nik),
            "nama_pemilik": owner.upper() if rng.random() < 0.5 else owner,
            "jenis_kelamin": rng.choice(["L", "P", "Laki-laki", "Perempuan"]),
            "tanggal_lahir": rng.choice(
                ["", f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-19{rng.randint(60, 99)}"]
            ),
            "disabilitas": rng.choice(["Tidak", "Tidak", "Tidak", "Ya", ""]),
            "pendidikan_terakhir": rng.choice(["SD", "SMP", "SMA/SMK", "D3", "S1", ""]),
            "hp": _messy_phone(rng),
            "nama_usaha": f"{rng.choice(WORDS)} {owner.split()[0]} {i}",
            "kegiatan_utama": sector,
            "produk_utama": sector,
            "kode_kbli": kbli if rng.random() > 0.05 else "34567",
            "status_badan_usaha": rng.choice(["Perorangan", "Tidak berbadan usaha", "CV", ""]),
            "modal_awal": _messy_money(rng, rng.randint(500, 20_000)),
            "bulan_mulai_usaha": rng.randint(1, 12),
            "tahun_mulai_usaha": rng.choice(["2015", "2019", "2021", ""]),
            "omzet_setahun": _messy_money(rng, rng.randint(1_000, 400_000)),
            "aset": _messy_money(rng, rng.randint(1_000, 400_000)),
            "alamat_usaha": f"Dusun {rng.randint(1, 9)}",
            "rt_usaha": f"{rng.randint(1, 20):03d}",
            "rw_usaha": f"{rng.randint(1, 9):03d}",
            "kode_kabupaten": "1809",
            "nama_kecamatan": district.upper(),
            "kode_desa": code if rng.random() < 0.3 else code.replace(".", ""),
            "nama_desa": village.upper(),
            "latitude": f"-5.{rng.randint(100000, 999999)}",
            "longitude": f"105.{rng.randint(100000, 999999)}",
            "tk_dibayar_laki": rng.randint(0, 3),
            "tk_dibayar_perempuan": rng.randint(0, 3),
            "tk_tidak_dibayar_perempuan": rng.randint(0, 2),
            "tk_disabilitas_perempuan": rng.choice([0, 0, 0, 1]),
            "jumlah_tk": rng.randint(1, 8),
        }
        if rng.random() < 0.01:  # about 1 % another regency's village
            values["kode_desa"] = "1801012001"
        yield [values.get(c, "") for c in columns]


def write_sidt_csv(path: Path, n: int, places, seed: int = 5) -> Path:
    from naikkelas.intake.columns import SIDT_HEADERS

    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([h.lower().replace(" ", "_") for h in SIDT_HEADERS])
        out.writerows(sidt_rows(n, places, seed))
    return path
