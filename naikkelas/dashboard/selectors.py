"""Reads for the dashboards: which region a user may look at, and the funnel there."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q, scope_for, scoped
from naikkelas.core import validation
from naikkelas.core.money import percent
from naikkelas.lifecycle import funnel
from naikkelas.regions.models import CODE_PATTERN, Level, Region
from naikkelas.registry.constants import SizeClass
from naikkelas.registry.models import Business

CANNOT_SEE_DASHBOARD = gettext_lazy("The dashboard is for office admins and field officers.")
AS_OF_INVALID = gettext_lazy("as_of: use a date as YYYY-MM-DD.")
AS_OF_FUTURE = gettext_lazy("as_of: cannot be in the future.")
SIZE_INVALID = gettext_lazy("size_class: choose mikro, kecil, menengah or besar.")


can_see_dashboard = permissions.rule("see_dashboard")


def region_asked(*, user, code: str = "") -> tuple[str, Region | None]:
    """The region a page is asked for (`?region=`) when it exists and the user's area covers it, else the user's
    own: (its code, the region; "" and None for the whole country). Unlike dashboard_region, never a 404: a page
    that drills down falls back to where the user stands."""
    home = user.region_id or ""
    code = (code or "").strip() or home
    if code != home and not (permissions.covers(user, code) and Region.objects.filter(code=code).exists()):
        code = home
    return code, Region.objects.filter(code=code).first() if code else None


def dashboard_region(*, user, code: str = "") -> Region | None:
    """The region asked for if the user may look at it (404 if not), or the user's own when none is asked
    (None: the whole country, for a national admin)."""
    if not can_see_dashboard(user):
        raise PermissionDenied(str(CANNOT_SEE_DASHBOARD))
    scope = scope_for(user)
    code = (code or "").strip()
    if not code:
        if scope.everything:
            return None
        code = sorted(scope.region_codes)[0] if scope.region_codes else ""
    if not code or not CODE_PATTERN.match(code) or not scope.covers_region(code):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def parse_as_of(value) -> date:
    if not value:
        return timezone.localdate()
    try:
        day = validation.parse_date(value)
    except ValueError:
        raise ValidationError({"as_of": [str(AS_OF_INVALID)]}) from None
    if day > timezone.localdate():
        raise ValidationError({"as_of": [str(AS_OF_FUTURE)]})
    return day


def funnel_for(
    *, user, region: str = "", as_of=None, sector: str = "", size_class: str = ""
) -> funnel.Funnel:
    where = dashboard_region(user=user, code=region)
    day = parse_as_of(as_of)
    if size_class and size_class not in SizeClass.values:
        raise ValidationError({"size_class": [str(SIZE_INVALID)]})
    return funnel.funnel_counts(region=where, as_of=day, sector=(sector or "").strip(), size_class=size_class)


def funnel_trend_for(*, user, region: str = "", as_of=None, sector: str = "", size_class: str = ""):
    where = dashboard_region(user=user, code=region)
    return funnel.funnel_trend(
        region=where, until=parse_as_of(as_of), sector=(sector or "").strip(), size_class=size_class
    )


# --- what the funnel page and its export show --------------------------------------------------------------------

MAP_POINTS = 3000
MAP_MAX_BUSINESSES = 10_000


def funnel_figures(f, trend) -> dict:
    """The child regions' rows with their rates, the totals' rates, and the chart's series."""
    rows = [{"region": r, "counts": c, "operating_rate": percent(c.operating, c.registered),
             "modern_rate": percent(c.modern, c.operating)} for r, c in f.children]  # fmt: skip
    chart = {
        "labels": [r.name for r, _c in f.children],
        "registered": [c.registered for _r, c in f.children],
        "operating": [c.operating for _r, c in f.children],
        "modern": [c.modern for _r, c in f.children],
        "trend_labels": [d.isoformat() for d, _c in trend],
        "trend_registered": [c.registered for _d, c in trend],
        "trend_operating": [c.operating for _d, c in trend],
        "trend_modern": [c.modern for _d, c in trend],
        "names": {"registered": _("Registered"), "operating": _("Operating"), "modern": _("Modern")},
    }
    return {"rows": rows, "chart": chart, "total_operating_rate": percent(f.total.operating, f.total.registered),
            "total_modern_rate": percent(f.total.modern, f.total.operating)}  # fmt: skip


def crumbs(*, user, region) -> list:
    """The regions above this one that the user may open (a regency admin's crumbs start at the regency)."""
    if region is None:
        return []
    scope = scope_for(user)
    return [a for a in region.ancestors()[:-1] if scope.covers_region(a.code)]


def map_points(*, user, funnel_now) -> list[dict]:
    """Businesses with coordinates in the region, for the map (today's status; at most MAP_POINTS), only where
    there are few enough to draw: a regency of a province-sized database has tens of thousands (and reading them
    all took 100 ms of a 190 ms page at 1,000,000 businesses)."""
    f = funnel_now
    if not (f.region and f.region.level >= Level.REGENCY and f.total.registered <= MAP_MAX_BUSINESSES):
        return []
    qs = scoped(
        Business.objects.filter(region_q("village__code", [f.region.code]), owner__restricted_at=None), user
    )
    if f.sector:
        qs = qs.filter(sector=f.sector)
    if f.size_class:
        qs = qs.filter(size_class=f.size_class)
    points = qs.filter(latitude__isnull=False, longitude__isnull=False).order_by()
    return [{"id": pk, "name": name, "lat": float(lat), "lon": float(lon), "stage": status, "last": ""}
            for pk, name, lat, lon, status in points.values_list(
                "pk", "name", "latitude", "longitude", "status")[:MAP_POINTS]]  # fmt: skip


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def funnel_table(f) -> tuple[list, list]:
    """The funnel as an export: a row per child region, the total, and the filters it was taken with."""
    header = [_("Code"), _("Region"), _("Registered"), _("Operating"), _("Modern"),
              _("Operating / registered (%)"), _("Modern / operating (%)")]  # fmt: skip
    rows = [[r.code, r.name, c.registered, c.operating, c.modern, _pct(c.operating, c.registered),
             _pct(c.modern, c.operating)] for r, c in f.children]  # fmt: skip
    t = f.total
    rows.append([f.region.code if f.region else "", _("Total") + (f" {f.region.name}" if f.region else ""),
                 t.registered, t.operating, t.modern, _pct(t.operating, t.registered), _pct(t.modern, t.operating)])  # fmt: skip
    rows.append([])
    rows.append([_("As of"), f.as_of.isoformat(), _("Sector"), f.sector or _("all"), _("Size class"),
                 f.size_class or _("all")])  # fmt: skip
    return header, rows
