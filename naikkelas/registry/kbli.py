"""KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia, Peraturan BPS No. 2 Tahun 2020): codes checked and named.

No package on PyPI or npm ships the KBLI table (searched: kbli, kbli2020, kbli-2020, pykbli, indonesia-kbli and
others), so naikkelas ships BPS's two upper levels as data (`data/kbli-2020.csv`: the 21 kategori A–U and the 88
golongan pokok, titles as Peraturan BPS 2/2020 gives them). A five-digit code is checked against its golongan pokok
(the first two digits) and named by it. An office that has BPS's full table (1,790 five-digit kelompok) names it
with the setting NAIKKELAS_KBLI_EXTRA (a CSV with the columns kode,judul): from then on a five-digit code must be in
it, and it is named by its own title.
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SHIPPED = Path(__file__).parent / "data" / "kbli-2020.csv"
UNKNOWN_DIVISION = _("KBLI %(code)s is not a KBLI 2020 code: there is no golongan pokok %(division)s")
UNKNOWN_CODE = _("KBLI %(code)s is not in the KBLI 2020 table")
NOT_A_CODE = _("KBLI %(code)s: a KBLI 2020 code has five digits")


@dataclass(frozen=True)
class Kbli:
    code: str
    title: str  # its own, or its golongan pokok's when the full table is not loaded
    division: str  # "10"
    division_title: str
    category: str  # "C"
    category_title: str
    exact: bool  # named by its own title (the full table has it)


def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {
            (row.get("kode") or "").strip(): (row.get("judul") or "").strip()
            for row in csv.DictReader(f)
            if (row.get("kode") or "").strip()
        }


@functools.cache
def _table(extra: str) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """(titles by code, category of each golongan pokok, golongan pokok the extra table details)."""
    titles = _read(SHIPPED)
    detailed: set[str] = set()
    if extra:
        more = {code: title for code, title in _read(Path(extra)).items() if re.fullmatch(r"\d{5}", code)}
        titles.update(more)
        detailed = {code[:2] for code in more}
    category_of, current = {}, ""
    for code in _read(SHIPPED):
        if re.fullmatch(r"[A-U]", code):
            current = code
        elif re.fullmatch(r"\d\d", code):
            category_of[code] = current
    return titles, category_of, detailed


def _tables():
    return _table(getattr(settings, "NAIKKELAS_KBLI_EXTRA", "") or "")


def look_up(code: object) -> tuple[Kbli | None, str]:
    """A five-digit code → (its entry, "") or (None, why not, in the active language)."""
    text = re.sub(r"[\s.]", "", str(code or ""))
    if not re.fullmatch(r"\d{5}", text):
        return None, str(NOT_A_CODE % {"code": text or "—"})
    titles, category_of, detailed = _tables()
    division = text[:2]
    if division not in category_of:
        return None, str(UNKNOWN_DIVISION % {"code": text, "division": division})
    if division in detailed and text not in titles:
        return None, str(UNKNOWN_CODE % {"code": text})
    category = category_of[division]
    return Kbli(
        code=text,
        title=titles.get(text, titles[division]),
        division=division,
        division_title=titles[division],
        category=category,
        category_title=titles[category],
        exact=text in titles,
    ), ""


def title(code: object) -> str:
    """The name a page or an export shows beside a code ("" for an unknown one)."""
    found, _why = look_up(code)
    return found.title if found else ""


def sector_for(code: object) -> str:
    """The sector proposed for a business with this code: its golongan pokok's title."""
    found, _why = look_up(code)
    return found.division_title if found else ""
