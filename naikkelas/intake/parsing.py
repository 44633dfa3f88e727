"""Cooperative values as offices type them into spreadsheets; every other kind of value is read by
core.validation (money, dates, NIK, phone, counts …)."""

import re

from django.utils.translation import gettext_lazy as _

from naikkelas.core.validation import ParseError, _blank, _short

COOPERATIVE_TYPES = [
    (re.compile(r"simpan|pinjam|ksp|usp|kredit|kopdit|syariah|ksps|bmt"), "simpan_pinjam"),
    (re.compile(r"produ[sk]en|produksi"), "produsen"),
    (re.compile(r"konsumen|serba usaha|ksu|kud|unit desa"), "konsumen"),
    (re.compile(r"pemasaran"), "pemasaran"),
    (re.compile(r"jasa"), "jasa"),
]
NOT_COOPERATIVE_TYPE = _("not a cooperative type (simpan pinjam, produsen, konsumen, pemasaran, jasa)")
NOT_COOPERATIVE_STATUS = _("not a cooperative status (aktif, tidak aktif, dibubarkan)")
NOT_NIK_KOPERASI = _("Nomor Induk Koperasi must be 16 digits")


def parse_cooperative_type(value) -> str | None:
    """'KSP', 'Koperasi Simpan Pinjam', 'Produsen' … → the type's code. A serba usaha (KSU/KUD) counts as konsumen."""
    if _blank(value):
        return None
    text = _short(value).lower()
    for pattern, code in COOPERATIVE_TYPES:
        if pattern.search(text):
            return code
    raise ParseError(NOT_COOPERATIVE_TYPE)


def parse_cooperative_status(value) -> str | None:
    if _blank(value):
        return None
    text = re.sub(r"[^a-z]+", " ", _short(value).lower()).strip()
    if text in ("aktif", "active", "a"):
        return "aktif"
    if text in ("tidak aktif", "non aktif", "nonaktif", "pasif", "tidak aktif lagi", "ta"):
        return "tidak_aktif"
    if text in ("bubar", "dibubarkan", "sudah bubar"):
        return "dibubarkan"
    raise ParseError(NOT_COOPERATIVE_STATUS)


def parse_nik_koperasi(value) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError(NOT_NIK_KOPERASI)
        value = f"{value:.0f}"
    digits = re.sub(r"[\s.\-']", "", _short(value))
    if not re.fullmatch(r"\d{16}", digits):
        raise ParseError(NOT_NIK_KOPERASI)
    return digits


# The SIDT-KUMKM survey's answers, as its export writes them (codes or words).
NOT_GENDER = _("not a gender: L/Laki-laki or P/Perempuan")
NOT_EDUCATION = _("not a schooling level: Tidak sekolah, SD, SMP, SMA/SMK, D1–D3, D4/S1, S2 or S3")
NOT_LEGAL_FORM = _("not a legal form: Perorangan, PT Perorangan, CV, Firma, PT, Koperasi, Yayasan or Lainnya")
NOT_YES_NO = _("not yes or no (Ya/Tidak, 1/0)")

GENDERS = {"l": "L", "laki laki": "L", "laki": "L", "pria": "L", "1": "L", "p": "P", "perempuan": "P",
           "wanita": "P", "2": "P"}  # fmt: skip
EDUCATION = [
    (re.compile(r"^(tidak|belum) (sekolah|tamat sd|pernah sekolah)|^tidak tamat"), "tidak_sekolah"),
    (re.compile(r"^(sd|mi|sekolah dasar)\b"), "sd"),
    (re.compile(r"^(smp|sltp|mts)\b"), "smp"),
    (re.compile(r"^(sma|smk|slta|ma|stm|smea)\b"), "sma"),
    (re.compile(r"^(d ?[123]|diploma)\b"), "diploma"),
    (re.compile(r"^(d ?4|s ?1|sarjana)\b"), "s1"),
    (re.compile(r"^(s ?2|magister|master)\b"), "s2"),
    (re.compile(r"^(s ?3|doktor)\b"), "s3"),
]
LEGAL_FORMS = [
    (re.compile(r"^pt perorangan|^perseroan perorangan"), "pt_perorangan"),
    (re.compile(r"^(perorangan|tidak berbadan|belum berbadan|tanpa badan|usaha perseorangan|perseorangan|ud)\b"),
     "perorangan"),
    (re.compile(r"^(cv|persekutuan komanditer)\b"), "cv"),
    (re.compile(r"^(firma|fa)\b"), "firma"),
    (re.compile(r"^(pt|perseroan terbatas)\b"), "pt"),
    (re.compile(r"^(koperasi|kop)\b"), "koperasi"),
    (re.compile(r"^yayasan\b"), "yayasan"),
    (re.compile(r"^(lainnya|lain lain|lain)\b"), "lainnya"),
]  # fmt: skip


def _words(value) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _short(value).lower().removesuffix(".0")).strip()


def parse_gender(value) -> str | None:
    if _blank(value):
        return None
    found = GENDERS.get(_words(value))
    if found is None:
        raise ParseError(NOT_GENDER)
    return found


def _by_patterns(value, patterns, error) -> str | None:
    if _blank(value):
        return None
    text = _words(value)
    for pattern, code in patterns:
        if pattern.search(text):
            return code
    raise ParseError(error)


def parse_education(value) -> str | None:
    return _by_patterns(value, EDUCATION, NOT_EDUCATION)


def parse_legal_form(value) -> str | None:
    return _by_patterns(value, LEGAL_FORMS, NOT_LEGAL_FORM)


def parse_yes_no(value) -> bool | None:
    """The survey's disability question: "Ya"/"1", or the kind of disability named, is yes; "Tidak"/"0" no."""
    if _blank(value):
        return None
    text = _words(value)
    if text in ("tidak", "tidak ada", "bukan", "no", "n", "0", "t", "non disabilitas", "bukan disabilitas"):
        return False
    if text in ("ya", "y", "yes", "1", "ada") or re.search(r"disabilitas|tuna|difabel|cacat", text):
        return True
    raise ParseError(NOT_YES_NO)
