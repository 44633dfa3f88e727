"""The office's indicators page: a region and a day, every indicator with its formula and the counts behind it;
office admins add indicators of their own there (a ratio of two shipped counts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scoped
from naikkelas.core.audit import export_record
from naikkelas.core.exports import xlsx_response
from naikkelas.core.pdf import pdf_from_html
from naikkelas.dashboard.selectors import crumbs
from naikkelas.planning import selectors, services
from naikkelas.planning.counts import COUNTS, FILTERS
from naikkelas.planning.models import CustomIndicator, ManualValue


def _page(request: HttpRequest, *, form_errors: dict | None = None, status: int = 200) -> HttpResponse:
    region, as_of = request.GET.get("wilayah", ""), request.GET.get("per", "")
    errors = []
    try:
        where, day, readings = selectors.indicator_values(user=request.user, region=region, as_of=as_of)
    except ValidationError as err:
        errors = [m for ms in err.message_dict.values() for m in ms]
        where, day, readings = selectors.indicator_values(user=request.user, region=region)
    return render(request, "planning/indicators.html", {
        "region": where, "as_of": day, "readings": readings, "errors": errors,
        "crumbs": crumbs(user=request.user, region=where),
        "children": where.children.order_by("code") if where is not None else [],
        "counts": COUNTS.values(), "filters": FILTERS, "form_errors": form_errors or {}, "form": request.POST,
        "own": scoped(selectors.around(CustomIndicator.objects.all(), where), request.user),  # may delete
    }, status=status)  # fmt: skip


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _side(post, side: str) -> dict:
    return {key: post.get(f"{side}_{key}", "") for key in FILTERS}


@login_required
@require_POST
def indicator_create(request: HttpRequest) -> HttpResponse:
    data = {
        "region": request.POST.get("region", ""), "code": request.POST.get("code", ""),
        "name": request.POST.get("name", ""), "numerator": request.POST.get("numerator", ""),
        "manual": request.POST.get("manual", ""), "unit": request.POST.get("unit", ""),
        "denominator": request.POST.get("denominator", ""),
        "numerator_filters": _side(request.POST, "numerator"), "denominator_filters": _side(request.POST, "denominator"),
    }  # fmt: skip
    try:
        indicator = services.custom_indicator_create(actor=request.user, data=data)
    except ValidationError as err:
        return _page(request, form_errors=err.message_dict, status=422)
    messages.success(request, _("Indicator %(code)s added.") % {"code": indicator.code})
    return redirect(f"{request.path.rsplit('baru/', 1)[0]}?wilayah={indicator.region_id}")


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(scoped(CustomIndicator.objects.all(), request.user), pk=pk)
    services.custom_indicator_delete(actor=request.user, indicator=indicator)
    messages.success(request, _("Indicator %(code)s deleted.") % {"code": indicator.code})
    return redirect(f"/rencana/indikator/?wilayah={indicator.region_id}")


@login_required
@require_POST
def manual_value_record(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(scoped(CustomIndicator.objects.all(), request.user), pk=pk)
    try:
        record = services.manual_value_record(
            actor=request.user, indicator=indicator, data=request.POST, evidence=request.FILES.get("evidence")
        )
    except ValidationError as err:
        return _page(request, form_errors=err.message_dict, status=422)
    messages.success(
        request, _("%(code)s %(year)s recorded.") % {"code": indicator.code, "year": record.year}
    )
    return redirect(f"/rencana/indikator/?wilayah={indicator.region_id}")


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A typed value's evidence file, for staff who may see the indicator's region."""
    permissions.require_rule(request.user, "see_dashboard", selectors.CANNOT_SEE)
    record = get_object_or_404(scoped(ManualValue.objects.select_related("indicator"), request.user), pk=pk)
    return FileResponse(
        record.evidence.open("rb"), as_attachment=True, filename=record.evidence.name.rsplit("/", 1)[-1]
    )


@login_required
def indicators_export(request: HttpRequest) -> HttpResponse:
    """The indicator table as XLSX, as the page shows it (for the LKjIP and the Renja's tables)."""
    region, as_of = request.GET.get("wilayah", ""), request.GET.get("per", "")
    where, day, readings = selectors.indicator_values(user=request.user, region=region, as_of=as_of)
    code = where.code if where else ""
    export_record(
        actor=request.user, export="indicators", region_code=code, filters={"wilayah": code, "per": str(day)}
    )
    header, rows = selectors.indicator_table(where, day, readings)
    return xlsx_response(f"indikator-{code or 'indonesia'}-{day.isoformat()}.xlsx", header, rows)


@login_required
def pokok_pikiran(request: HttpRequest) -> HttpResponse:
    """For each point the DPRD gave the office: the indicators that answer it, as of a day."""
    region, as_of = request.GET.get("wilayah", ""), request.GET.get("per", "")
    errors = []
    try:
        where, day, answers = selectors.pokok_pikiran_for(user=request.user, region=region, as_of=as_of)
    except ValidationError as err:
        errors = [m for ms in err.message_dict.values() for m in ms]
        where, day, answers = selectors.pokok_pikiran_for(user=request.user, region=region)
    return render(request, "planning/pokok_pikiran.html", {
        "region": where, "as_of": day, "answers": answers, "errors": errors,
        "crumbs": crumbs(user=request.user, region=where),
    })  # fmt: skip


@login_required
def lkpj_pdf(request: HttpRequest) -> HttpResponse:
    """Bahan LKPJ for the DPRD as PDF: the indicators, one section per point of the DPRD, the data's coverage."""
    material = selectors.lkpj_material(
        user=request.user, region=request.GET.get("wilayah", ""), as_of=request.GET.get("per", "")
    )
    code = material["region"].code if material["region"] else ""
    export_record(
        actor=request.user,
        export="lkpj",
        region_code=code,
        filters={"wilayah": code, "per": str(material["as_of"])},
    )
    html = render_to_string("planning/lkpj.html", material, request=request)
    response = HttpResponse(
        pdf_from_html(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bahan-lkpj-{code or "indonesia"}-{material["as_of"]}.pdf"'
    )
    return response
