"""The column names offices use, mapped to naikkelas fields.

Headers are compared after normalising: upper case, punctuation and the words NO/NOMOR dropped, spaces folded.
"""

import re

from django.utils.translation import gettext_lazy as _

# field → header names as they appear in office lists (normalised form, see normalise()).
ALIASES: dict[str, list[str]] = {
    "name": ["NAMA USAHA", "NAMA UMKM", "NAMA PELAKU USAHA", "NAMA UKM", "NAMA UNIT USAHA", "NAMA PERUSAHAAN",
             "NAMA TOKO", "USAHA", "NAMA IKM", "NAMA BADAN USAHA"],
    "owner_name": ["NAMA PEMILIK", "PEMILIK", "NAMA PEMILIK USAHA", "NAMA LENGKAP", "NAMA PENANGGUNG JAWAB",
                   "PENANGGUNG JAWAB", "NAMA"],
    "owner_nik": ["NIK", "NIK PEMILIK", "KTP", "NIK KTP", "NOMOR INDUK KEPENDUDUKAN"],
    "phone": ["HP", "HP WA", "TELP", "TELEPON", "TELEPON HP", "WA", "WHATSAPP", "KONTAK", "TELP HP", "HANDPHONE"],
    "address": ["ALAMAT", "ALAMAT USAHA", "ALAMAT LENGKAP", "JALAN"],
    "village": ["DESA", "DESA KEL", "KELURAHAN", "DESA KELURAHAN", "KEL DESA", "KEL", "DS", "NAMA DESA",
                "NAMA DESA KELURAHAN", "NAMA KELURAHAN"],
    "district": ["KEC", "KECAMATAN", "NAMA KECAMATAN"],
    # Codes beat names (intake/places.py): Kemendagri's, dotted or not, and BPS's, which number villages otherwise.
    "village_code": ["KODE DESA", "KODE DESA KEL", "KODE DESA KELURAHAN", "KODE KEL DESA", "KODE KELURAHAN",
                     "KD DESA", "KDDESA", "KODE WILAYAH", "KODE WILAYAH DESA", "KODE DESA KEMENDAGRI",
                     "KODE KEMENDAGRI", "KODE WILAYAH KEMENDAGRI", "ID DESA", "KODE DAGRI", "KODE DESA DAGRI"],
    "village_bps": ["KODE DESA BPS", "KODE BPS", "KODE WILAYAH BPS", "KODE DESA KEL BPS", "KDDESA BPS",
                    "ID DESA BPS", "IDDESA"],
    "district_code": ["KODE KEC", "KODE KECAMATAN", "KD KEC", "KDKEC", "KODE KECAMATAN KEMENDAGRI"],
    "revenue_month": ["OMZET PER BULAN", "OMZET BULAN", "OMSET PER BULAN", "OMSET BULAN", "OMZET RP BULAN",
                      "PENJUALAN PER BULAN", "OMZET PERBULAN", "OMSET PERBULAN"],
    "revenue_year": ["OMZET PER TAHUN", "OMZET TAHUN", "OMSET PER TAHUN", "OMSET TAHUN", "OMZET", "OMSET",
                     "OMZET TAHUNAN", "PENJUALAN PER TAHUN", "OMZET PERTAHUN", "OMSET PERTAHUN"],
    "assets": ["ASET", "ASSET", "MODAL", "MODAL USAHA", "NILAI ASET", "ASET RP", "KEKAYAAN BERSIH"],
    "employees": ["TENAGA KERJA", "TK", "JUMLAH TENAGA KERJA", "JUMLAH TK", "KARYAWAN", "JUMLAH KARYAWAN",
                  "PEKERJA"],
    "nib": ["NIB", "NOMOR INDUK BERUSAHA"],
    "sector": ["JENIS USAHA", "BIDANG USAHA", "SEKTOR", "SEKTOR USAHA", "JENIS PRODUK", "PRODUK", "KOMODITI"],
    "kbli": ["KBLI", "KODE KBLI"],
    "founded": ["TAHUN BERDIRI", "TANGGAL BERDIRI", "MULAI USAHA", "TGL BERDIRI", "BERDIRI SEJAK",
                "TAHUN MULAI USAHA", "TAHUN MULAI"],
    # The SIDT-KUMKM export's columns (SIDT_HEADERS below), and their spellings in other lists.
    "founded_month": ["BULAN MULAI USAHA", "BULAN MULAI"],
    "owner_gender": ["JENIS KELAMIN", "JENIS KELAMIN PEMILIK", "JK", "L P"],
    "owner_birth_date": ["TANGGAL LAHIR", "TGL LAHIR", "TANGGAL LAHIR PEMILIK"],
    "owner_education": ["PENDIDIKAN", "PENDIDIKAN TERAKHIR", "PENDIDIKAN PEMILIK"],
    "owner_disability": ["DISABILITAS", "DISABILITAS PEMILIK", "PENYANDANG DISABILITAS", "DIFABEL"],
    "main_activity": ["KEGIATAN UTAMA", "KEGIATAN USAHA UTAMA", "URAIAN KEGIATAN USAHA"],
    "main_product": ["PRODUK UTAMA", "PRODUK BARANG JASA UTAMA", "PRODUK JASA UTAMA"],
    "legal_form": ["STATUS BADAN USAHA", "BADAN USAHA", "BENTUK BADAN USAHA", "BENTUK USAHA"],
    "founding_capital": ["MODAL AWAL", "MODAL AWAL USAHA", "MODAL PENDIRIAN"],
    "latitude": ["LATITUDE", "LAT", "LINTANG"],
    "longitude": ["LONGITUDE", "LON", "LNG", "LONG", "BUJUR"],
    "rt": ["RT", "RT USAHA"],
    "rw": ["RW", "RW USAHA"],
    "workers_paid_men": ["TK DIBAYAR LAKI", "TK DIBAYAR LAKI LAKI", "TENAGA KERJA DIBAYAR LAKI LAKI"],
    "workers_paid_women": ["TK DIBAYAR PEREMPUAN", "TENAGA KERJA DIBAYAR PEREMPUAN"],
    "workers_unpaid_men": ["TK TIDAK DIBAYAR LAKI", "TK TIDAK DIBAYAR LAKI LAKI",
                           "TENAGA KERJA TIDAK DIBAYAR LAKI LAKI"],
    "workers_unpaid_women": ["TK TIDAK DIBAYAR PEREMPUAN", "TENAGA KERJA TIDAK DIBAYAR PEREMPUAN"],
    "workers_disabled_men": ["TK DISABILITAS LAKI", "TK DISABILITAS LAKI LAKI"],
    "workers_disabled_women": ["TK DISABILITAS PEREMPUAN"],
    "workers_disabled": ["TK DISABILITAS", "TENAGA KERJA DISABILITAS", "JUMLAH TK DISABILITAS"],
}  # fmt: skip

# The SIDT-KUMKM export as it comes (49 columns, normalised): a file whose header has most of them is read as one,
# and the report names those it lacks. Columns naikkelas does not keep (the home address, the BPS category letter,
# the survey's own scale, the photo link, the survey ids) are read past.
SIDT_HEADERS = [
    "ID RESPONDEN", "TANGGAL PENDATAAN", "NIK", "NAMA PEMILIK", "JENIS KELAMIN", "TANGGAL LAHIR", "DISABILITAS",
    "PENDIDIKAN TERAKHIR", "HP", "EMAIL", "ALAMAT PEMILIK", "RT PEMILIK", "RW PEMILIK", "KODE DESA PEMILIK",
    "NIB", "NAMA USAHA", "KEGIATAN UTAMA", "PRODUK UTAMA", "KATEGORI KBLI", "KODE KBLI", "STATUS BADAN USAHA",
    "SKALA USAHA", "MODAL AWAL", "BULAN MULAI USAHA", "TAHUN MULAI USAHA", "OMZET SETAHUN", "ASET",
    "ALAMAT USAHA", "RT USAHA", "RW USAHA", "KODE PROVINSI", "NAMA PROVINSI", "KODE KABUPATEN", "NAMA KABUPATEN",
    "KODE KECAMATAN", "NAMA KECAMATAN", "KODE DESA", "NAMA DESA", "TELP USAHA", "FOTO USAHA", "LATITUDE",
    "LONGITUDE", "TK DIBAYAR LAKI", "TK DIBAYAR PEREMPUAN", "TK TIDAK DIBAYAR LAKI", "TK TIDAK DIBAYAR PEREMPUAN",
    "TK DISABILITAS LAKI", "TK DISABILITAS PEREMPUAN", "JUMLAH TK",
]  # fmt: skip
SIDT_MIN = 30  # of the 49 headers, for a file to be read as the SIDT layout

# In a cooperative list "NIK" is the Nomor Induk Koperasi, not a person's NIK.
COOPERATIVE_ALIASES: dict[str, list[str]] = {
    "name": ["NAMA KOPERASI", "KOPERASI", "NAMA"],
    "legal_entity_number": ["BADAN HUKUM", "BH", "NOMOR BADAN HUKUM", "BADAN HUKUM KOPERASI"],
    "legal_entity_date": ["TANGGAL BADAN HUKUM", "TGL BADAN HUKUM", "TANGGAL BH", "TGL BH"],
    "nik_koperasi": ["NIK", "NIK KOPERASI", "INDUK KOPERASI"],
    "type": ["JENIS KOPERASI", "JENIS", "BIDANG USAHA", "JENIS USAHA"],
    "members": ["JUMLAH ANGGOTA", "ANGGOTA", "JML ANGGOTA"],
    "chair_name": ["KETUA", "NAMA KETUA"],
    "status": ["STATUS", "STATUS KOPERASI", "KEAKTIFAN"],
    "address": ALIASES["address"],
    "village": ALIASES["village"],
    "district": ALIASES["district"],
    "village_code": ALIASES["village_code"],
    "village_bps": ALIASES["village_bps"],
    "district_code": ALIASES["district_code"],
    "phone": ALIASES["phone"],
}

IGNORED_WORDS = {"NO", "NOMOR", "NMR"}
_LOOKUPS = {
    "businesses": {alias: field for field, aliases in ALIASES.items() for alias in aliases},
    "cooperatives": {alias: field for field, aliases in COOPERATIVE_ALIASES.items() for alias in aliases},
}


def sidt_missing(headers) -> list[str] | None:
    """None when the header is not the SIDT layout; else the SIDT columns it lacks (normalised)."""
    present = {normalise(h) for h in headers}
    found = [h for h in SIDT_HEADERS if h in present]
    return [h for h in SIDT_HEADERS if h not in present] if len(found) >= SIDT_MIN else None


def normalise(header: object) -> str:
    text = re.sub(r"[^A-Z0-9]+", " ", str(header or "").upper())
    words = [w for w in text.split() if w not in IGNORED_WORDS or text.strip() in IGNORED_WORDS]
    return " ".join(words)


def field_for(header: object, kind: str = "businesses") -> str | None:
    key = normalise(header)
    if key in _LOOKUPS[kind]:
        return _LOOKUPS[kind][key]
    if kind != "businesses":
        return None
    if key.startswith(("OMZET", "OMSET")) and ("BULAN" in key or "BLN" in key):
        return "revenue_month"
    if key.startswith(("OMZET", "OMSET")):
        return "revenue_year"
    return None


def match_header(row: list, extra: dict[str, str] | None = None, kind: str = "businesses") -> dict[int, str]:
    """Column index → field for the cells of a row that name a known column; each field once, leftmost first.

    `extra` adds header names (normalised) of a mapping the person gave for this file.
    """
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    for index, cell in enumerate(row):
        field = (extra or {}).get(normalise(cell)) or field_for(cell, kind)
        if field and field not in seen:
            mapping[index] = field
            seen.add(field)
    return mapping


# What each field is called on the mapping page, in the order it is offered.
FIELD_LABELS: dict[str, dict[str, object]] = {
    "businesses": {
        "name": _("Business name"), "owner_name": _("Owner name"), "owner_nik": _("Owner NIK"),
        "phone": _("Phone / WhatsApp"), "address": _("Address"), "village": _("Village"),
        "district": _("District"), "village_code": _("Village code (Kemendagri)"),
        "village_bps": _("Village code (BPS)"), "district_code": _("District code"),
        "sector": _("Sector"), "kbli": _("KBLI code"),
        "revenue_month": _("Revenue per month"), "revenue_year": _("Revenue per year"), "assets": _("Assets"),
        "employees": _("Employees"), "nib": _("NIB"), "founded": _("Founded"),
        # The SIDT-KUMKM export's (every field an import reads must be here, or the page's choice drops it).
        "founded_month": _("Month started"), "owner_gender": _("Owner's gender"),
        "owner_birth_date": _("Owner's birth date"), "owner_education": _("Owner's education"),
        "owner_disability": _("Owner with a disability"), "main_activity": _("Main activity"),
        "main_product": _("Main product"), "legal_form": _("Legal form"), "founding_capital": _("Founding capital"),
        "latitude": _("Latitude"), "longitude": _("Longitude"), "rt": "RT", "rw": "RW",
        "workers_paid_men": _("Paid workers, men"), "workers_paid_women": _("Paid workers, women"),
        "workers_unpaid_men": _("Unpaid workers, men"), "workers_unpaid_women": _("Unpaid workers, women"),
        "workers_disabled_men": _("Workers with a disability, men"),
        "workers_disabled_women": _("Workers with a disability, women"),
        "workers_disabled": _("Workers with a disability"),
    },
    "cooperatives": {
        "name": _("Cooperative name"), "legal_entity_number": _("Legal entity number"),
        "legal_entity_date": _("Legal entity date"), "nik_koperasi": _("Nomor Induk Koperasi"),
        "type": _("Cooperative type"), "members": _("Members"), "chair_name": _("Chair"), "status": _("Status"),
        "address": _("Address"), "village": _("Village"), "district": _("District"),
        "village_code": _("Village code (Kemendagri)"), "village_bps": _("Village code (BPS)"),
        "district_code": _("District code"), "phone": _("Phone"),
    },
}  # fmt: skip
