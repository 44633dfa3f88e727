"""The office's indicators page: a region and a day, every indicator with its formula and the counts behind it;
office admins add indicators of their own there (a ratio of two shipped counts)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scoped
from naikkelas.core.audit import export_record
from naikkelas.core.exports import workbook_response
from naikkelas.core.pdf import pdf_from_html
from naikkelas.core.uploads import upload_on_disk
from naikkelas.dashboard.selectors import crumbs
from naikkelas.intake import quality
from naikkelas.planning import nomenclature, plans, renja, reports, selectors, services
from naikkelas.planning.counts import COUNTS, FILTERS
from naikkelas.planning.exports import report_sheets
from naikkelas.planning.models import (
    CustomIndicator,
    ManualValue,
    Plan,
    PlanKind,
    PlanNode,
    PlanTarget,
    PokokPikiran,
)


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
    # The data behind the figures, as it stands today (intake/quality.py): per region below, and per source.
    regions, sources = quality.for_area(request.user, code, timezone.localdate())
    quality_header, quality_rows = quality.table([*regions, *sources])
    return workbook_response(f"indikator-{code or 'indonesia'}-{day.isoformat()}.xlsx", [
        (str(_("Indicators")), header, rows), (str(_("Data quality (today)")), quality_header, quality_rows)])  # fmt: skip


@login_required
def pokok_pikiran(request: HttpRequest) -> HttpResponse:
    """For each point the DPRD gave the office: what was planned for it (plan entries, targets, budget) and what
    was achieved (its indicators, the entries' realisation and spending), as of a day."""
    region, as_of = request.GET.get("wilayah", ""), request.GET.get("per", "")
    errors = []
    try:
        made = reports.report(user=request.user, region=region, as_of=as_of)
    except ValidationError as err:
        errors = _errors(err)
        made = reports.report(user=request.user, region=region)
    nodes = []
    if permissions.can(request.user, "edit_settings"):
        points = {p.point.region_id for p in made.points}
        nodes = scoped(
            PlanNode.objects.filter(plan__region_id__in=points).select_related("plan"), request.user
        )
    return render(request, "planning/pokok_pikiran.html", {
        "region": made.region, "as_of": made.as_of, "report": made, "errors": errors, "nodes": nodes,
        "crumbs": crumbs(user=request.user, region=made.region),
    })  # fmt: skip


# ---- Plans (Renstra, Renja) ------------------------------------------------------------------------------------


def _errors(err: ValidationError) -> list[str]:
    return (
        [m for ms in err.message_dict.values() for m in ms] if hasattr(err, "message_dict") else err.messages
    )


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans of the region asked for (and of the offices around it), and a new plan's form for an admin."""
    where, _day, _r = selectors.indicator_values(
        user=request.user, region=request.GET.get("wilayah", ""), compute=False
    )
    own = scoped(Plan.objects.select_related("region"), request.user)
    found = selectors.around(own, where) if where is not None else own
    return render(request, "planning/plans.html", {
        "region": where, "plans": found.order_by("-first_year", "kind"), "crumbs": crumbs(user=request.user, region=where),
        "kinds": PlanKind.choices, "form": {}, "form_errors": [],
    })  # fmt: skip


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    try:
        plan = plans.plan_create(actor=request.user, data=request.POST)
    except ValidationError as err:
        where, _day, _r = selectors.indicator_values(
            user=request.user, region=request.POST.get("region", ""), compute=False
        )
        return render(request, "planning/plans.html", {
            "region": where, "plans": scoped(Plan.objects.all(), request.user).filter(region=where),
            "crumbs": crumbs(user=request.user, region=where), "kinds": PlanKind.choices, "form": request.POST,
            "form_errors": _errors(err),
        }, status=422)  # fmt: skip
    messages.success(request, _("%(plan)s created.") % {"plan": plan.get_kind_display()})
    return redirect("planning:plan", pk=plan.pk)


def _plan_page(
    request: HttpRequest, plan: Plan, *, form_errors: list | None = None, status: int = 200
) -> HttpResponse:
    year = request.GET.get("tahun", "")
    year = (
        int(year)
        if year.isdigit() and int(year) in plan.years
        else min(max(timezone.localdate().year, plan.first_year), plan.last_year)
    )
    as_of = min(timezone.localdate(), date(year, 12, 31))
    readings = reports.Readings(plan.region)
    rows = reports.plan_lines(plan, year, as_of, readings)
    pagu, spent = reports.budget_total(rows)
    tier = "1" if plan.region.level == 1 else "2"
    choices = [
        e for e in nomenclature.entries().values() if nomenclature.tier_of(e.code) in (None, int(tier))
    ]
    return render(request, "planning/plan.html", {
        "plan": plan, "year": year, "as_of": as_of, "rows": rows, "pagu": pagu, "spent": spent,
        "codes": sorted(choices, key=lambda e: e.code), "library": list(readings.known.values()),
        "form_errors": form_errors or [], "crumbs": crumbs(user=request.user, region=plan.region),
    }, status=status)  # fmt: skip


def _plan_for(request: HttpRequest, pk: int) -> Plan:
    permissions.require_rule(request.user, "see_dashboard", selectors.CANNOT_SEE)
    return get_object_or_404(scoped(Plan.objects.select_related("region"), request.user), pk=pk)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _plan_for(request, pk))


def _plan_write(request: HttpRequest, plan: Plan, write, done: str) -> HttpResponse:
    try:
        write()
    except ValidationError as err:
        return _plan_page(request, plan, form_errors=_errors(err), status=422)
    messages.success(request, done)
    return redirect(
        f"/rencana/rencana/{plan.pk}/?tahun={request.POST.get('year') or request.GET.get('tahun', '')}"
    )


@login_required
@require_POST
def plan_node_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    return _plan_write(request, plan, lambda: plans.plan_node_add(actor=request.user, plan=plan, data=request.POST),
                       _("Entry added."))  # fmt: skip


def _node_for(request: HttpRequest, pk: int) -> PlanNode:
    permissions.require_rule(request.user, "see_dashboard", selectors.CANNOT_SEE)
    return get_object_or_404(scoped(PlanNode.objects.select_related("plan__region"), request.user), pk=pk)


@login_required
@require_POST
def plan_target_add(request: HttpRequest, pk: int) -> HttpResponse:
    node = _node_for(request, pk)
    return _plan_write(request, node.plan, lambda: plans.plan_target_save(actor=request.user, node=node, data=request.POST),
                       _("Indicator saved."))  # fmt: skip


@login_required
@require_POST
def plan_target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an indicator of an entry: its targets, the realisation typed for an output indicator, the year's
    explanation (for the LKjIP)."""
    permissions.require_rule(request.user, "see_dashboard", selectors.CANNOT_SEE)
    target = get_object_or_404(
        scoped(PlanTarget.objects.select_related("node__plan__region"), request.user), pk=pk
    )
    return _plan_write(request, target.node.plan,
                       lambda: plans.plan_target_save(actor=request.user, node=target.node, data=request.POST, target=target),
                       _("Indicator saved."))  # fmt: skip


@login_required
@require_POST
def plan_budget_save(request: HttpRequest, pk: int) -> HttpResponse:
    node = _node_for(request, pk)
    return _plan_write(request, node.plan, lambda: plans.plan_budget_save(actor=request.user, node=node, data=request.POST),
                       _("Budget saved."))  # fmt: skip


@login_required
@require_POST
def plan_node_delete(request: HttpRequest, pk: int) -> HttpResponse:
    node = _node_for(request, pk)
    plans.plan_node_delete(actor=request.user, node=node)
    messages.success(request, _("Entry %(code)s deleted.") % {"code": node.code})
    return redirect("planning:plan", pk=node.plan_id)


@login_required
@require_POST
def renja_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The Renja table as the office types it: every row checked first, nothing written when any is refused."""
    plan = _plan_for(request, pk)
    upload = request.FILES.get("file")
    year = int(request.POST["year"]) if request.POST.get("year", "").isdigit() else plan.first_year
    if upload is None:
        return _plan_page(request, plan, form_errors=[_("Choose the Renja file (XLSX).")], status=422)
    try:
        with upload_on_disk(upload) as path:
            result = renja.renja_import(
                actor=request.user, plan=plan, year=year, path=path, file_label=upload.name
            )
    except ValidationError as err:
        return _plan_page(request, plan, form_errors=_errors(err), status=422)
    if result.problems:
        problems = [_("Row %(row)s, column %(column)s: %(reason)s") % p for p in result.problems[:200]]
        return _plan_page(request, plan, form_errors=[_("Nothing was saved.")] + problems, status=422)
    messages.success(request, _("Renja read: %(nodes)s entries, %(targets)s indicators.")
                     % {"nodes": result.nodes, "targets": result.targets})  # fmt: skip
    return redirect(f"/rencana/rencana/{plan.pk}/?tahun={year}")


@login_required
def renja_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    year = (
        int(request.GET["tahun"])
        if request.GET.get("tahun", "").isdigit() and int(request.GET["tahun"]) in plan.years
        else plan.first_year
    )
    export_record(
        actor=request.user, export="renja", obj=plan, region_code=plan.region_id, filters={"tahun": year}
    )
    response = HttpResponse(renja.renja_workbook(plan, year),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{plan.kind}-{plan.region_id}-{year}.xlsx"'
    return response


@login_required
@require_POST
def pokok_pikiran_link(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_rule(request.user, "see_dashboard", selectors.CANNOT_SEE)
    point = get_object_or_404(scoped(PokokPikiran.objects.all(), request.user), pk=pk)
    try:
        plans.pokok_pikiran_link(actor=request.user, point=point, node_ids=request.POST.getlist("nodes"))
    except ValidationError as err:
        for m in _errors(err):
            messages.error(request, m)
    else:
        messages.success(request, _("Plan entries linked."))
    return redirect(f"/rencana/pokok-pikiran/?wilayah={point.region_id}#point-{point.pk}")


# ---- Reports and the head of office's dashboard --------------------------------------------------------------

REPORTS = {
    "lkjip": (gettext_lazy("Performance report (LKjIP)"), "planning/report_lkjip.html"),
    "lkpj": (gettext_lazy("LKPJ material for the DPRD"), "planning/report_lkpj.html"),
    "rekap": (gettext_lazy("Recap for the ministry"), "planning/report_recap.html"),
}


def _report(request: HttpRequest, kind: str) -> tuple[reports.Report, dict]:
    if kind not in REPORTS:
        raise Http404
    try:
        made = reports.report(user=request.user, region=request.GET.get("wilayah", ""), as_of=request.GET.get("per", ""),
                              last_year=kind == "lkjip")  # fmt: skip
        errors = []
    except ValidationError as err:
        made = reports.report(
            user=request.user, region=request.GET.get("wilayah", ""), last_year=kind == "lkjip"
        )
        errors = _errors(err)
    context = {"report": made, "region": made.region, "as_of": made.as_of, "title": REPORTS[kind][0], "kind": kind,
               "errors": errors, "crumbs": crumbs(user=request.user, region=made.region)}  # fmt: skip
    if kind == "rekap":
        context["cooperatives"], context["umkm"] = reports.ministry_recap(made.region, made.as_of)
    return made, context


@login_required
def report_page(request: HttpRequest, kind: str) -> HttpResponse:
    _made, context = _report(request, kind)
    return render(request, "planning/report.html", {**context, "body": REPORTS[kind][1], "pdf": False})


@login_required
def report_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    made, context = _report(request, kind)
    code = made.region.code if made.region else ""
    export_record(
        actor=request.user, export=kind, region_code=code, filters={"wilayah": code, "per": str(made.as_of)}
    )
    html = render_to_string(
        "planning/report_pdf.html", {**context, "body": REPORTS[kind][1], "pdf": True}, request=request
    )
    response = HttpResponse(
        pdf_from_html(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-{code or "indonesia"}-{made.as_of}.pdf"'
    return response


@login_required
def report_xlsx(request: HttpRequest, kind: str) -> HttpResponse:
    made, context = _report(request, kind)
    code = made.region.code if made.region else ""
    export_record(
        actor=request.user, export=kind, region_code=code, filters={"wilayah": code, "per": str(made.as_of)}
    )
    return workbook_response(
        f"{kind}-{code or 'indonesia'}-{made.as_of}.xlsx", report_sheets(kind, made, context)
    )


@login_required
def lkpj_pdf(request: HttpRequest) -> HttpResponse:
    """The LKPJ material's old address (bookmarks, the indicators page): the report's PDF."""
    return report_pdf(request, "lkpj")


@login_required
def head_dashboard(request: HttpRequest) -> HttpResponse:
    """For the head of office: this year's plan indicators against targets with lights and the quarterly trend,
    the regions below to drill into, and the DPRD's points at a glance."""
    try:
        made = reports.report(
            user=request.user, region=request.GET.get("wilayah", ""), as_of=request.GET.get("per", "")
        )
        errors = []
    except ValidationError as err:
        made = reports.report(user=request.user, region=request.GET.get("wilayah", ""))
        errors = _errors(err)
    office, plan, plan_region = made.region, made.plan, made.plan_region
    readings = made.computed
    lines = made.lines
    watched = [line for line in lines if line.indicator]
    quarters = [
        date(made.year, m, d)
        for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))
        if date(made.year, m, d) <= made.as_of
    ]
    trend = {
        line.target.pk: [(q, readings.value(line.indicator.code, q)) for q in quarters] for line in watched
    }
    children = []
    if office is not None and watched:
        for child in office.children.order_by("code"):
            if not permissions.covers(request.user, child.code):
                continue
            theirs = reports.Readings(child)
            children.append(
                (child, [(line, theirs.value(line.indicator.code, made.as_of)) for line in watched])
            )
    return render(request, "planning/head_dashboard.html", {
        "report": made, "region": office, "as_of": made.as_of, "plan": plan, "plan_region": plan_region,
        "lines": lines, "trend": trend, "quarters": quarters, "children": children, "watched": watched,
        "errors": errors, "crumbs": crumbs(user=request.user, region=office),
        "lights": {c: sum(1 for line in lines if line.light == c) for c in (reports.GREEN, reports.YELLOW, reports.RED)},
    })  # fmt: skip
