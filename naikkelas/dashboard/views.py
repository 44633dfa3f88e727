"""The funnel dashboard: a region's registered → operating → modern as of a day, its child regions to drill
into, the quarterly trend, a map, and the same table as XLSX."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q, scope_for, scoped
from naikkelas.core.audit import export_record
from naikkelas.core.exports import xlsx_response
from naikkelas.core.money import percent
from naikkelas.dashboard import selectors
from naikkelas.regions.models import Level
from naikkelas.registry.constants import SizeClass
from naikkelas.registry.models import Business
from naikkelas.registry.selectors import business_sectors

MAP_POINTS = 3000
MAP_MAX_BUSINESSES = 10_000


def _rate(part: int, whole: int) -> str:
    return percent(part, whole)


def _filters(request: HttpRequest) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("region", "as_of", "sector", "size_class")}


@login_required
def funnel_page(request: HttpRequest) -> HttpResponse:
    wanted = _filters(request)
    scope = scope_for(request.user)
    errors = []
    try:
        f = selectors.funnel_for(user=request.user, **wanted)
    except ValidationError as err:
        errors = [m for ms in err.message_dict.values() for m in ms]
        f = selectors.funnel_for(user=request.user, region=wanted["region"])
        wanted["as_of"] = wanted["size_class"] = ""
    trend = selectors.funnel_trend_for(
        user=request.user, region=wanted["region"], as_of=f.as_of, sector=f.sector, size_class=f.size_class
    )
    rows = [
        {
            "region": r,
            "counts": c,
            "operating_rate": _rate(c.operating, c.registered),
            "modern_rate": _rate(c.modern, c.operating),
        }  # fmt: skip
        for r, c in f.children
    ]
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
    context = {
        "funnel": f,
        "filters": wanted,
        "errors": errors,
        "rows": rows,
        "total_operating_rate": _rate(f.total.operating, f.total.registered),
        "total_modern_rate": _rate(f.total.modern, f.total.operating),
        "chart": chart,
        "trend": trend,
        # The regions above this one that the user may open (a regency admin's crumbs start at the regency).
        "ancestors": [a for a in f.region.ancestors()[:-1] if scope.covers_region(a.code)]
        if f.region
        else [],
        "sectors": business_sectors(user=request.user),
        "size_classes": SizeClass.choices,
        "today": timezone.localdate(),
        "map_tiles": settings.MAP_TILES,
        # Points only where there are few enough to draw: a regency of a province-sized database has tens of
        # thousands (and reading them all took 100 ms of a 190 ms page at 1,000,000 businesses).
        "points": _points(request.user, f)
        if f.region and f.region.level >= Level.REGENCY and f.total.registered <= MAP_MAX_BUSINESSES
        else [],
    }
    return render(request, "dashboard/funnel.html", context)


def _points(user, f) -> list[dict]:
    """Businesses with coordinates in the region, for the map (today's status; at most MAP_POINTS)."""
    qs = scoped(Business.objects.filter(region_q("village__code", [f.region.code])), user)
    if f.sector:
        qs = qs.filter(sector=f.sector)
    if f.size_class:
        qs = qs.filter(size_class=f.size_class)
    qs = qs.filter(latitude__isnull=False, longitude__isnull=False)
    return [
        {"id": pk, "name": name, "lat": float(lat), "lon": float(lon), "stage": status, "last": ""}
        for pk, name, lat, lon, status in qs.order_by().values_list(
            "pk", "name", "latitude", "longitude", "status"
        )[:MAP_POINTS]
    ]


@login_required
def funnel_export(request: HttpRequest) -> HttpResponse:
    wanted = _filters(request)
    f = selectors.funnel_for(user=request.user, **wanted)
    export_record(
        actor=request.user, export="funnel", region_code=f.region.code if f.region else "", filters=wanted
    )
    header = [
        _("Code"), _("Region"), _("Registered"), _("Operating"), _("Modern"),
        _("Operating / registered (%)"), _("Modern / operating (%)"),
    ]  # fmt: skip

    def pct(part, whole):
        return round(100 * part / whole, 1) if whole else None

    rows = [
        [
            r.code,
            r.name,
            c.registered,
            c.operating,
            c.modern,
            pct(c.operating, c.registered),
            pct(c.modern, c.operating),
        ]
        for r, c in f.children
    ]
    t = f.total
    rows.append(
        [
            f.region.code if f.region else "",
            _("Total") + (f" {f.region.name}" if f.region else ""),
            t.registered,
            t.operating,
            t.modern,
            pct(t.operating, t.registered),
            pct(t.modern, t.operating),
        ]
    )
    rows.append([])
    rows.append(
        [
            _("As of"),
            f.as_of.isoformat(),
            _("Sector"),
            f.sector or _("all"),
            _("Size class"),
            f.size_class or _("all"),
        ]
    )
    name = f"corong-{f.region.code if f.region else 'indonesia'}-{f.as_of.isoformat()}.xlsx"
    return xlsx_response(name, header, rows)


@login_required
def home_page(request: HttpRequest) -> HttpResponse:
    """Beranda: the person's day, by role (dashboard.home)."""
    from naikkelas.dashboard.home import home_for

    if not permissions.can(request.user, "have_home"):
        return redirect("catalog:home")
    return render(request, "dashboard/home.html", {"home": home_for(request.user)})
