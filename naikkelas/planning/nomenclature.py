"""The national nomenclature of urusan 2.17 (Koperasi, Usaha Kecil dan Menengah) that plans are laid out on:
program (2.17.07) → kegiatan (2.17.07.2.01: the digit after the program is 1 for a province's, 2 for a regency's
or city's) → sub-kegiatan (2.17.07.2.01.0015).

Shipped as data (`data/nomenklatur-2.17.csv`), from Kepmendagri 050-5889/2021 as published local plans use it:
"dilihat" marks a code and name seen in a published plan (a regency office's Renstra 2026–2030, a province's
list of kegiatan), "pola" one that follows the same pattern and that an office should check against the
Kepmendagri it works under. The nomenclature is updated by decree: an office adds codes of its own in a CSV of the
same shape named by the setting NAIKKELAS_NOMENCLATURE_EXTRA, without a new release.
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PROGRAM, ACTIVITY, SUB_ACTIVITY = "program", "kegiatan", "sub_kegiatan"
_SHAPES = {
    PROGRAM: re.compile(r"^2\.17\.\d{2}$"),
    ACTIVITY: re.compile(r"^2\.17\.\d{2}\.[12]\.\d{2}$"),
    SUB_ACTIVITY: re.compile(r"^2\.17\.\d{2}\.[12]\.\d{2}\.\d{4}$"),
}
SHIPPED = Path(__file__).parent / "data" / "nomenklatur-2.17.csv"


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    source: str  # dilihat, pola, or the office's file

    @property
    def level(self) -> str:
        return level_of(self.code)

    @property
    def parent(self) -> str:
        return parent_of(self.code)


def level_of(code: str) -> str:
    for level, shape in _SHAPES.items():
        if shape.match(code):
            return level
    return ""


def parent_of(code: str) -> str:
    """2.17.07.2.01.0015 → 2.17.07.2.01 → 2.17.07 → ""."""
    level = level_of(code)
    if level == SUB_ACTIVITY:
        return code.rsplit(".", 1)[0]
    if level == ACTIVITY:
        return ".".join(code.split(".")[:3])
    return ""


def tier_of(code: str) -> int | None:
    """1 for a province's kegiatan and sub-kegiatan, 2 for a regency's or city's; None for a program."""
    parts = code.split(".")
    return int(parts[3]) if len(parts) > 3 else None


def _read(path: Path, source: str | None = None) -> dict[str, Entry]:
    entries = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = (row.get("kode") or "").strip()
            if level_of(code):
                entries[code] = Entry(code, (row.get("nama") or "").strip(), source or row.get("sumber", ""))
    return entries


@functools.cache
def _all(extra: str) -> dict[str, Entry]:
    entries = _read(SHIPPED)
    if extra:
        entries.update(_read(Path(extra), source=Path(extra).name))
    return entries


def entries() -> dict[str, Entry]:
    return _all(getattr(settings, "NAIKKELAS_NOMENCLATURE_EXTRA", "") or "")


def entry(code: str) -> Entry | None:
    return entries().get(normalise(code))


def normalise(code: object) -> str:
    """As offices type a code: spaces, a trailing dot, "2.17.7" for "2.17.07" (two-digit parts padded)."""
    text = re.sub(r"\s+", "", str(code or "")).strip(".")
    parts = text.split(".")
    if len(parts) < 3 or not all(p.isdigit() for p in parts):
        return text
    widths = [1, 2, 2, 1, 2, 4]
    return ".".join(p.zfill(w) if len(p) < w else p for p, w in zip(parts, widths, strict=False))
