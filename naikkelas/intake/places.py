"""Village and district names as typed in office lists, resolved to Kemendagri codes inside one regency.

Tolerates case, prefixes (Desa, Ds., Kel., Pekon, Kec. …) and small typos; a name that matches nothing, or more
than one place, is reported and never guessed; a place of another regency is reported as such.
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
        self.by_code = {r.code: r for r in regions}
        self._cache: dict[tuple[str, str], Resolution] = {}

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

    def village(self, name: object, district: object = None) -> Resolution:
        cache_key = (normalise(name), normalise(district))
        if cache_key not in self._cache:
            self._cache[cache_key] = self._village(name, district)
        return self._cache[cache_key]

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
            places = ", ".join(f"{r.name} – {self.by_code[r.parent_id].name}" for r in found)
            return Resolution(None, error=str(VILLAGE_AMBIGUOUS) % {"places": places})
        return Resolution(None, error=str(VILLAGE_MISSING) % {"regency": self.regency.name})
