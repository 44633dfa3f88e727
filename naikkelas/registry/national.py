"""The registry in the national layouts, for an office to send its cleaned data back up: businesses in the
SIDT-KUMKM export's 49 columns (the same headers the import recognises, intake/columns.py) and cooperatives in the
columns of the ministry's ODS recap. Both read plain tuples from the database, so a province's list streams.

Personal data as everywhere else: the NIK column carries the masked NIK (a reveal is audited, one person at a
time); gender and birth date are given only for an owner without a NIK, since beside a masked NIK they are its
hidden digits. Region codes are Kemendagri's, undotted as the ministry's files write them."""

from collections.abc import Callable, Iterator
from datetime import date

from django.db.models import QuerySet

from naikkelas.intake.columns import SIDT_HEADERS
from naikkelas.regions import codes as region_codes
from naikkelas.regions.models import Region
from naikkelas.registry import kbli
from naikkelas.registry.constants import (
    CooperativeLevel,
    CooperativeStatus,
    CooperativeType,
    LegalForm,
    SizeClass,
)

SIDT_COLUMNS = [h.lower().replace(" ", "_") for h in SIDT_HEADERS]
_BUSINESS_VALUES = (
    "pk", "external_ref", "registered_on", "owner__nik_masked", "owner__name", "owner__gender", "owner__birth_date",
    "owner__has_disability", "owner__education", "owner__phone", "owner__email", "nib", "name", "main_activity",
    "main_product", "kbli", "legal_form", "size_class", "founding_capital", "founded", "annual_revenue", "assets",
    "address", "village_id", "village__name", "phone", "latitude", "longitude", "workers_paid_men",
    "workers_paid_women", "workers_unpaid_men", "workers_unpaid_women", "employees",
)  # fmt: skip
EDUCATION_WORDS = {"tidak_sekolah": "Tidak sekolah", "sd": "SD", "smp": "SMP", "sma": "SMA/SMK", "diploma": "D1-D3",
                   "s1": "D4/S1", "s2": "S2", "s3": "S3"}  # fmt: skip


def _region_names() -> Callable[[str], str]:
    """A region's name by its code, each looked up once in one export."""
    known: dict[str, str] = {}

    def name(code: str) -> str:
        if code not in known:
            known[code] = Region.objects.filter(code=code).values_list("name", flat=True).first() or ""
        return known[code]

    return name


def _digits(code: str) -> str:
    return code.replace(".", "")


def _yes_no(value) -> str:
    return "" if value is None else ("Ya" if value else "Tidak")


def sidt_rows(businesses: QuerySet) -> Iterator[tuple]:
    """The businesses (already scoped by the caller) as rows of SIDT_COLUMNS."""
    legal = dict(LegalForm.choices)
    size = dict(SizeClass.choices)
    region_name = _region_names()
    for row in businesses.values_list(*_BUSINESS_VALUES).iterator(chunk_size=5000):
        v = dict(zip(_BUSINESS_VALUES, row, strict=True))
        village = v["village_id"]
        district, regency, province = (region_codes.cut(village, level) for level in (3, 2, 1))
        found, _why = kbli.look_up(v["kbli"]) if v["kbli"] else (None, "")
        no_nik = not v["owner__nik_masked"]
        values = {
            "id_responden": v["external_ref"] or v["pk"],
            "tanggal_pendataan": v["registered_on"],
            "nik": v["owner__nik_masked"],
            "nama_pemilik": v["owner__name"],
            "jenis_kelamin": v["owner__gender"] if no_nik else "",
            "tanggal_lahir": v["owner__birth_date"] if no_nik else None,
            "disabilitas": _yes_no(v["owner__has_disability"]),
            "pendidikan_terakhir": EDUCATION_WORDS.get(v["owner__education"], ""),
            "hp": v["owner__phone"],
            "email": v["owner__email"],
            "nib": v["nib"],
            "nama_usaha": v["name"],
            "kegiatan_utama": v["main_activity"],
            "produk_utama": v["main_product"],
            "kategori_kbli": found.category if found else "",
            "kode_kbli": v["kbli"],
            "status_badan_usaha": str(legal.get(v["legal_form"], "")),
            "skala_usaha": str(size.get(v["size_class"], "")),
            "modal_awal": v["founding_capital"],
            "bulan_mulai_usaha": v["founded"].month if v["founded"] else None,
            "tahun_mulai_usaha": v["founded"].year if v["founded"] else None,
            "omzet_setahun": v["annual_revenue"],
            "aset": v["assets"],
            "alamat_usaha": v["address"],
            "kode_provinsi": _digits(province),
            "nama_provinsi": region_name(province),
            "kode_kabupaten": _digits(regency),
            "nama_kabupaten": region_name(regency),
            "kode_kecamatan": _digits(district),
            "nama_kecamatan": region_name(district),
            "kode_desa": _digits(village),
            "nama_desa": v["village__name"],
            "telp_usaha": v["phone"],
            "latitude": v["latitude"],
            "longitude": v["longitude"],
            "tk_dibayar_laki": v["workers_paid_men"],
            "tk_dibayar_perempuan": v["workers_paid_women"],
            "tk_tidak_dibayar_laki": v["workers_unpaid_men"],
            "tk_tidak_dibayar_perempuan": v["workers_unpaid_women"],
            "jumlah_tk": v["employees"],
        }
        yield tuple(values.get(c) for c in SIDT_COLUMNS)


ODS_COLUMNS = [
    "nik_koperasi", "nama_koperasi", "nomor_badan_hukum", "tanggal_badan_hukum", "jenis_koperasi",
    "kelompok_koperasi", "status", "alamat", "kode_provinsi", "nama_provinsi", "kode_kabupaten", "nama_kabupaten",
    "kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "jumlah_anggota", "nama_ketua", "tahun_buku",
    "rat", "tanggal_rat", "modal_sendiri", "modal_luar", "volume_usaha", "shu", "total_aset",
]  # fmt: skip
_COOP_VALUES = ("pk", "nik_koperasi", "name", "legal_entity_number", "legal_entity_date", "type", "level", "status",
                "address", "village_id", "village__name", "members", "chair_name")  # fmt: skip


def ods_rows(cooperatives: QuerySet, as_of: date) -> Iterator[tuple]:
    """The cooperatives (already scoped) as rows of ODS_COLUMNS, with the RAT and the books of the last closed
    book year (the year before `as_of`), as the ministry's recap counts them (planning.reports.ministry_recap)."""
    from naikkelas.supervision.models import AnnualMeeting, FinancialReport

    book_year = as_of.year - 1
    kinds, levels, states = dict(CooperativeType.choices), dict(CooperativeLevel.choices), dict(
        CooperativeStatus.choices)  # fmt: skip
    region_name = _region_names()
    rows = list(cooperatives.values_list(*_COOP_VALUES))
    ids = [row[0] for row in rows]
    meetings = dict(
        AnnualMeeting.objects.filter(
            cooperative_id__in=ids, book_year=book_year, held_on__lte=as_of
        ).values_list("cooperative_id", "held_on")
    )
    books = {
        r["cooperative_id"]: r
        for r in FinancialReport.objects.filter(cooperative_id__in=ids, year=book_year).values(
            "cooperative_id", "equity", "total_assets", "gross_participation", "non_member_revenue", "shu"
        )
    }
    for row in rows:
        v = dict(zip(_COOP_VALUES, row, strict=True))
        village = v["village_id"]
        district, regency, province = (region_codes.cut(village, level) for level in (3, 2, 1))
        r = books.get(v["pk"]) or {}
        equity, assets = r.get("equity"), r.get("total_assets")
        volume = None if not r else (r.get("gross_participation") or 0) + (r.get("non_member_revenue") or 0)
        values = {
            "nik_koperasi": v["nik_koperasi"],
            "nama_koperasi": v["name"],
            "nomor_badan_hukum": v["legal_entity_number"],
            "tanggal_badan_hukum": v["legal_entity_date"],
            "jenis_koperasi": str(kinds.get(v["type"], "")),
            "kelompok_koperasi": str(levels.get(v["level"], "")),
            "status": str(states.get(v["status"], "")),
            "alamat": v["address"],
            "kode_provinsi": _digits(province),
            "nama_provinsi": region_name(province),
            "kode_kabupaten": _digits(regency),
            "nama_kabupaten": region_name(regency),
            "kode_kecamatan": _digits(district),
            "nama_kecamatan": region_name(district),
            "kode_desa": _digits(village),
            "nama_desa": v["village__name"],
            "jumlah_anggota": v["members"],
            "nama_ketua": v["chair_name"],
            "tahun_buku": book_year,
            "rat": "Ya" if v["pk"] in meetings else "Tidak",
            "tanggal_rat": meetings.get(v["pk"]),
            "modal_sendiri": equity,
            "modal_luar": max(assets - equity, 0) if assets is not None and equity is not None else None,
            "volume_usaha": volume,
            "shu": r.get("shu"),
            "total_aset": assets,
        }
        yield tuple(values[c] for c in ODS_COLUMNS)
