"""Villages and districts as office lists and national data give them, resolved to Kemendagri codes inside one
regency: by name, and by code in any form offices meet.

Names: tolerates case, prefixes (Desa, Ds., Kel., Pekon, Kec. …) and small typos; a name that matches nothing, or
more than one place, is reported and never guessed; a place of another regency is reported as such.

Codes (a code column beats a name column): Kemendagri codes dotted (18.09.01.2003) or undotted (1809012003, also as
an Excel number), of a village or of a district (18.09.01 / 180901). BPS codes (the SIDT survey's) are also ten
digits for a village but number districts and villages differently (18 09 010 003), and no crosswalk between the
two can be had as a package (PyPI and npm searched): a BPS code is checked for its province and regency and the
village is then found through the names in the row, and the report says so.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from naikkelas.regions import codes
from naikkelas.regions.models import Level, Region

PREFIXES = re.compile(
    r"^(desa|ds|kelurahan|kel|pekon|kampung|kampong|tiyuh|nagari|gampong|dusun|kecamatan|kec|distrik)\b\.?\s*"
)
CUTOFF = 0.84  # "Bagelan" for "Bagelen" passes, "Sukajadi" for "Sukadadi" does not

VILLAGE_MISSING = _("no village of that name in %(regency)s")
VILLAGE_AMBIGUOUS = _("more than one village of that name (%(places)s); fill in the district")
DISTRICT_MISSING = _("no district of that name in %(regency)s")
OUTSIDE = _("%(name)s lies outside %(regency)s (%(place)s)")
READ_AS = _("read as %(name)s")
CODE_BAD = _("%(code)s is not a region code (a Kemendagri code such as 18.09.01.2003 or 1809012003)")
CODE_UNKNOWN = _("region code %(code)s is not in the Kemendagri region tree")
CODE_NOT_VILLAGE = _("%(code)s is the code of %(name)s, not of a village; give the village's code or name")
BPS_BY_NAME = _("BPS code %(code)s read through the village's name: %(name)s")
BPS_NEEDS_NAME = _(
    "BPS code %(code)s: BPS and Kemendagri number villages differently; fill in the village's name"
)
BPS_OUTSIDE = _("BPS code %(code)s lies outside %(regency)s")


def code_digits(raw: object) -> str:
    """A code cell as typed: its digits and dots (an Excel number 1809012003.0 loses its ".0")."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return re.sub(r"\s+", "", str(raw or "")).removesuffix(".0")


def kemendagri_code(raw: object) -> str | None:
    """18.09.01.2003, 1809012003, 18.09.01, 180901 → the dotted Kemendagri code; None when it cannot be one."""
    text = code_digits(raw)
    if re.fullmatch(r"\d\d(\.\d\d(\.\d\d(\.\d{4})?)?)?", text):
        return text
    if re.fullmatch(r"\d{10}", text):
        return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    if re.fullmatch(r"\d{6}|\d{4}", text):
        return ".".join(text[i : i + 2] for i in range(0, len(text), 2))
    return None


def normalise(name: object) -> str:
    text = re.sub(r"[^a-z0-9 ]+", " ", str(name or "").lower())
    text = re.sub(r"\s+", " ", text).strip()
    return PREFIXES.sub("", text).strip()


@dataclass
class Resolution:
    region: Region | None
    error: str = ""
    warning: str = ""
    field: str = "village"  # the cell the error or warning is about: "village", or "district" (KECAMATAN)


class PlaceResolver:
    """Loaded once per import: the regency's districts and villages, by normalised name."""

    def __init__(self, regency: Region):
        self.regency = regency
        regions = list(
            Region.objects.filter(
                code__startswith=regency.code + ".", level__in=[Level.DISTRICT, Level.VILLAGE]
            )
        )
        self.districts: dict[str, list[Region]] = {}
        self.villages: dict[str, list[Region]] = {}
        for region in regions:
            target = self.districts if region.level == Level.DISTRICT else self.villages
            target.setdefault(normalise(region.name), []).append(region)
        self.by_code_index = {r.code: r for r in regions}
        self._cache: dict[tuple[str, str], Resolution] = {}
        self._typed: dict[tuple, Resolution] = {}  # the cells as typed → their resolution

    def _fuzzy(self, key: str, names) -> list[str]:
        return difflib.get_close_matches(key, list(names), n=2, cutoff=CUTOFF)

    def district(self, name: object) -> Resolution:
        key = normalise(name)
        if not key:
            return Resolution(None)
        if len(self.districts.get(key, [])) == 1:
            return Resolution(self.districts[key][0])
        close = self._fuzzy(key, self.districts)
        if len(close) == 1 or (close and difflib.SequenceMatcher(None, key, close[0]).ratio() > 0.92):
            region = self.districts[close[0]][0]
            return Resolution(region, warning=str(READ_AS) % {"name": region.name})
        elsewhere = Region.objects.filter(level=Level.DISTRICT, name__iexact=str(name).strip()).first() or (
            Region.objects.filter(level=Level.DISTRICT, name__iexact=key)
            .exclude(code__startswith=self.regency.code + ".")
            .first()
        )
        if elsewhere is not None and not codes.code_within(elsewhere.code, self.regency.code):
            return Resolution(
                None,
                error=str(OUTSIDE)
                % {"name": elsewhere.name, "regency": self.regency.name, "place": elsewhere.parent.name},
            )
        return Resolution(None, error=str(DISTRICT_MISSING) % {"regency": self.regency.name})

    def by_code(
        self, code: object, name: object = None, district: object = None, *, bps: bool = False
    ) -> Resolution:
        """The village a code names (a Kemendagri code, or a BPS code read through the row's names). A district's
        code narrows the names instead."""
        typed = (
            "typed code",
            type(code),
            code,
            name,
            district,
            bps,
        )  # as the cells are: most rows repeat them
        found = self._typed.get(typed)
        if found is None:
            cache_key = ("code", code_digits(code), normalise(name), normalise(district), bps)
            if cache_key not in self._cache:
                self._cache[cache_key] = self._by_code(code, name, district, bps)
            found = self._remember(typed, self._cache[cache_key])
        return found

    def _by_code(self, raw: object, name: object, district: object, bps: bool) -> Resolution:
        typed = code_digits(raw)
        code = None if bps else kemendagri_code(raw)
        if code is None and not re.fullmatch(r"\d{10}", typed):
            return Resolution(None, error=str(CODE_BAD) % {"code": typed})
        if code is not None:
            found = self.by_code_index.get(code)
            if found is None and not code.startswith(self.regency.code + "."):
                elsewhere = Region.objects.filter(code=code).first()
                if elsewhere is not None:
                    home = Region.objects.filter(code=codes.regency_of(code)).first() or elsewhere
                    return Resolution(None, error=str(OUTSIDE) % {
                        "name": elsewhere.name, "regency": self.regency.name, "place": home.name})  # fmt: skip
            if found is not None and found.level == Level.VILLAGE:
                return Resolution(found)
            if found is not None:  # a district's code: the names say which of its villages
                if not normalise(name):
                    return Resolution(None, error=str(CODE_NOT_VILLAGE) % {"code": code, "name": found.name})
                return self.village(name, found.name)
            if len(typed) != 10 or "." in typed:
                return Resolution(None, error=str(CODE_UNKNOWN) % {"code": code})
        # Ten digits that are no Kemendagri village: a BPS code (PP RR DDD VVV), read through the names.
        if typed[:4] != self.regency.code.replace(".", ""):
            return Resolution(None, error=str(BPS_OUTSIDE) % {"code": typed, "regency": self.regency.name})
        if not normalise(name):
            return Resolution(None, error=str(BPS_NEEDS_NAME) % {"code": typed})
        found = self.village(name, district)
        if found.region is None:
            return found
        return Resolution(found.region, warning=str(BPS_BY_NAME) % {"code": typed, "name": found.region.name})

    def village(self, name: object, district: object = None) -> Resolution:
        typed = ("typed", type(name), name, type(district), district)
        found = self._typed.get(typed)
        if found is None:
            cache_key = (normalise(name), normalise(district))
            if cache_key not in self._cache:
                self._cache[cache_key] = self._village(name, district)
            found = self._remember(typed, self._cache[cache_key])
        return found

    def _remember(self, typed: tuple, found: Resolution) -> Resolution:
        if len(self._typed) > 100_000:  # bounded: a file of a million different spellings
            self._typed.clear()
        self._typed[typed] = found
        return found

    def _village(self, name: object, district_name: object) -> Resolution:
        key = normalise(name)
        district = self.district(district_name) if normalise(district_name) else Resolution(None)
        if district.error:
            return Resolution(None, error=district.error, field="district")
        within = district.region.code + "." if district.region else self.regency.code + "."
        candidates = {k: [r for r in rs if r.code.startswith(within)] for k, rs in self.villages.items()}
        candidates = {k: rs for k, rs in candidates.items() if rs}
        found = candidates.get(key, [])
        warning, field = district.warning, "district" if district.warning else "village"
        if not found:
            close = self._fuzzy(key, candidates)
            if close:
                found = candidates[close[0]]
                if (
                    len(close) > 1
                    and difflib.SequenceMatcher(None, key, close[1]).ratio()
                    >= difflib.SequenceMatcher(None, key, close[0]).ratio()
                ):
                    found = candidates[close[0]] + candidates[close[1]]
                elif len(found) == 1:
                    warning, field = str(READ_AS) % {"name": found[0].name}, "village"
        if len(found) == 1:
            return Resolution(found[0], warning=warning, field=field)
        if len(found) > 1:
            places = ", ".join(f"{r.name} – {self.by_code_index[r.parent_id].name}" for r in found)
            return Resolution(None, error=str(VILLAGE_AMBIGUOUS) % {"places": places})
        return Resolution(None, error=str(VILLAGE_MISSING) % {"regency": self.regency.name})
