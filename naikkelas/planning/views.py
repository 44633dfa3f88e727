"""The office's indicators page: a region and a day, every indicator with its formula and the counts behind it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from naikkelas.dashboard.selectors import crumbs
from naikkelas.planning import selectors


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    region, as_of = request.GET.get("wilayah", ""), request.GET.get("per", "")
    errors = []
    try:
        where, day, readings = selectors.indicator_values(user=request.user, region=region, as_of=as_of)
    except ValidationError as err:
        errors = [m for ms in err.message_dict.values() for m in ms]
        where, day, readings = selectors.indicator_values(user=request.user, region=region)
    children = where.children.order_by("code") if where is not None else []
    return render(request, "planning/indicators.html", {
        "region": where, "as_of": day, "readings": readings, "errors": errors,
        "crumbs": crumbs(user=request.user, region=where), "children": children,
    })  # fmt: skip
