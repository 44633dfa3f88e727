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
