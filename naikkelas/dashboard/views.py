"""The funnel dashboard: a region's registered → operating → modern as of a day, its child regions to drill
into, the quarterly trend, a map, and the same table as XLSX."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from naikkelas.accounts import permissions
from naikkelas.core.audit import export_record
from naikkelas.core.exports import xlsx_response
from naikkelas.dashboard import selectors
from naikkelas.dashboard.home import home_for
from naikkelas.registry.constants import SizeClass
from naikkelas.registry.selectors import business_sectors


def _filters(request: HttpRequest) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("region", "as_of", "sector", "size_class")}


@login_required
def funnel_page(request: HttpRequest) -> HttpResponse:
    wanted = _filters(request)
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
    return render(request, "dashboard/funnel.html", {
        "funnel": f, "filters": wanted, "errors": errors, "trend": trend, **selectors.funnel_figures(f, trend),
        "ancestors": selectors.crumbs(user=request.user, region=f.region),
        "sectors": business_sectors(user=request.user), "size_classes": SizeClass.choices,
        "today": timezone.localdate(), "map_tiles": settings.MAP_TILES,
        "points": selectors.map_points(user=request.user, funnel_now=f),
    })  # fmt: skip


@login_required
def funnel_export(request: HttpRequest) -> HttpResponse:
    wanted = _filters(request)
    f = selectors.funnel_for(user=request.user, **wanted)
    export_record(
        actor=request.user, export="funnel", region_code=f.region.code if f.region else "", filters=wanted
    )
    header, rows = selectors.funnel_table(f)
    name = f"corong-{f.region.code if f.region else 'indonesia'}-{f.as_of.isoformat()}.xlsx"
    return xlsx_response(name, header, rows)


@login_required
def home_page(request: HttpRequest) -> HttpResponse:
    """Beranda: the person's day, by role (dashboard.home)."""

    if not permissions.can(request.user, "have_home"):
        return redirect("catalog:home")
    return render(request, "dashboard/home.html", {"home": home_for(request.user)})
