"""Pages for owners and their field officers: a business's KPIs month by month, its books, and the officer's
list of businesses that missed a report or whose revenue keeps falling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts import permissions
from naikkelas.core.exports import xlsx_response
from naikkelas.core.money import digits
from naikkelas.core.uploads import upload_on_disk
from naikkelas.dashboard.selectors import dashboard_region
from naikkelas.performance import books as cash_book
from naikkelas.performance import library, selectors, services, sops
from naikkelas.performance.constants import COGS_CATEGORIES as COGS
from naikkelas.performance.constants import SALE_CATEGORIES, Category, EntryKind
from naikkelas.performance.imports import report_import
from naikkelas.performance.models import Kpi, SopTemplate
from naikkelas.registry.selectors import business_get_for_user


def _month(request: HttpRequest):
    try:
        return services.parse_month(request.GET.get("bulan") or timezone.localdate())
    except ValidationError:
        return timezone.localdate().replace(day=1)


_source_for = services.source_for


@require_http_methods(["GET", "POST"])
@login_required
def kpi_month(request: HttpRequest, pk: int) -> HttpResponse:
    business = business_get_for_user(user=request.user, pk=pk)
    month = _month(request)
    errors: dict = {}
    if request.method == "POST":
        values = {k[4:]: v for k, v in request.POST.items() if k.startswith("kpi-")}
        try:
            month = services.parse_month(request.POST.get("month"))
            services.report_save(actor=request.user, business=business, month=month, values=values,
                                 source=_source_for(request.user))  # fmt: skip
        except ValidationError as err:
            errors = err.message_dict
        except PermissionDenied as err:
            errors = {"": [str(err)]}
        else:
            messages.success(request, _("Figures for %(month)s saved.") % {"month": month.strftime("%m/%Y")})
            return redirect(f"{request.path}?bulan={month:%Y-%m}")
    return _kpi_page(request, business, month, errors)


@require_POST
@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    business = business_get_for_user(user=request.user, pk=pk)
    form = request.POST
    try:
        services.target_set(actor=request.user, business=business, kpi_key=form.get("kpi", ""),
                            start=form.get("start"), end=form.get("end"), value=form.get("value"))  # fmt: skip
    except ValidationError as err:
        return _kpi_page(request, business, _month(request), err.message_dict)
    messages.success(request, _("Target saved."))
    return redirect("performance:kpi_month", pk=business.pk)


def _kpi_page(request: HttpRequest, business, month, errors: dict) -> HttpResponse:
    lines = selectors.month_table(business=business, month=month)
    trend = selectors.series(business=business, kpi_key="omzet", until=month)
    return render(
        request,
        "performance/kpi_month.html",
        {
            "business": business,
            "month": month,
            "lines": lines,
            "errors": errors,
            "data": request.POST,
            "previous": selectors.add_months(month, -1),
            "next": selectors.add_months(month, 1) if month < timezone.localdate().replace(day=1) else None,
            "trend": {
                "labels": [m.strftime("%m/%Y") for m, _v in trend],
                "values": [float(v) if v is not None else None for _m, v in trend],
            },  # fmt: skip
            "can_write": services.can_write(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def books(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's cash book: add a sale or an expense in a few taps; the month's totals below."""
    business = business_get_for_user(user=request.user, pk=pk)
    month = _month(request)
    errors: dict = {}
    if request.method == "POST":
        try:
            entry = cash_book.entry_add(actor=request.user, business=business, data=request.POST)
        except ValidationError as err:
            errors = err.message_dict
        except PermissionDenied as err:
            errors = {"": [str(err)]}
        else:
            messages.success(
                request,
                _("Saved: %(kind)s Rp %(amount)s.")
                % {"kind": entry.get_kind_display(), "amount": digits(entry.amount)},
            )
            return redirect(f"{request.path}?bulan={entry.day:%Y-%m}")
    return render(
        request,
        "performance/books.html",
        {
            "business": business,
            "month": month,
            "entries": selectors.entries_for_business(user=request.user, business=business, month=month),
            "totals": cash_book.books_month(business, month),
            "errors": errors,
            "data": request.POST,
            "today": timezone.localdate(),
            "sale_categories": [(c.value, c.label) for c in Category if c in SALE_CATEGORIES],
            "expense_categories": [(c.value, c.label) for c in Category if c not in SALE_CATEGORIES],
            "kinds": EntryKind.choices,
            "previous": selectors.add_months(month, -1),
            "next": selectors.add_months(month, 1) if month < timezone.localdate().replace(day=1) else None,
        },
    )


@require_POST
@login_required
def entry_delete(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    business = business_get_for_user(user=request.user, pk=pk)
    entry = selectors.entry_get_for_user(user=request.user, business=business, pk=entry_pk)
    month = entry.day
    cash_book.entry_delete(actor=request.user, entry=entry)
    messages.success(request, _("Entry deleted."))
    return redirect(f"/usaha/{business.pk}/buku/?bulan={month:%Y-%m}")


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    permissions.require_rule(
        request.user, "see_dashboard", _("This list is for field officers and office admins.")
    )
    return render(request, "performance/watchlist.html", {"flags": selectors.flags(user=request.user)})


def statement_context(business, month) -> dict:
    totals = cash_book.books_month(business, month)
    lines = cash_book.books_by_category(business, month)
    cogs_labels = {str(c.label) for c in COGS}
    return {
        "business": business,
        "month": month,
        "totals": totals,
        "lines": lines,
        "cogs_labels": cogs_labels,
        "gross": totals["sales"] - totals["cogs"],
        "days": selectors.entries_for_business_days(business=business, month=month),
        "printed": timezone.localtime(),
    }


@login_required
def statement_pdf(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    """The month's one-page statement (income statement and cash summary) from the books, as PDF."""
    from weasyprint import HTML

    business = business_get_for_user(user=request.user, pk=pk)
    try:
        when = services.parse_month(month)
    except ValidationError as err:
        return HttpResponse(
            " ".join(err.message_dict["month"]), status=400, content_type="text/plain; charset=utf-8"
        )
    html = render_to_string("performance/statement.html", statement_context(business, when), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-{business.pk}-{when:%Y-%m}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def business_sops(request: HttpRequest, pk: int) -> HttpResponse:
    """The SOP library as one business sees it: what it has adopted, and what it could adopt."""
    business = business_get_for_user(user=request.user, pk=pk)
    errors: dict = {}
    if request.method == "POST":
        template = get_object_or_404(SopTemplate, pk=request.POST.get("template") or 0)
        try:
            sops.sop_adopt(
                actor=request.user,
                business=business,
                template=template,
                adopted_on=request.POST.get("adopted_on"),
                evidence=request.FILES.get("evidence"),
            )
        except ValidationError as err:
            errors = err.message_dict
        except PermissionDenied as err:
            errors = {"": [str(err)]}
        else:
            messages.success(request, _("SOP adopted: %(title)s.") % {"title": template.title})
            return redirect("performance:business_sops", pk=business.pk)
    adopted = list(selectors.sop_adoptions(user=request.user, business=business))
    adopted_keys = {a.template.key for a in adopted}
    library = [t for t in selectors.sop_library(sector=business.sector) if t.key not in adopted_keys]
    return render(
        request,
        "performance/business_sops.html",
        {
            "business": business,
            "adopted": adopted,
            "library": library,
            "errors": errors,
            "today": timezone.localdate(),
            "can_write": services.can_write(request.user),
        },
    )


@login_required
def sop_library(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "performance/sop_library.html",
        {"library": selectors.sop_library(), "can_edit": permissions.can(request.user, "edit_settings")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def sop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(SopTemplate, pk=pk, published=True)
    errors: dict = {}
    if request.method == "POST":
        try:
            new = sops.sop_new_version(actor=request.user, source=template, data=request.POST)
        except ValidationError as err:
            errors = err.message_dict
        else:
            messages.success(request, _("Version %(v)s published.") % {"v": new.version})
            return redirect("performance:sop", pk=new.pk)
    versions = SopTemplate.objects.filter(key=template.key).order_by("-version")
    return render(
        request,
        "performance/sop_detail.html",
        {
            "sop": template,
            "versions": versions,
            "errors": errors,
            "data": request.POST,
            "can_edit": permissions.can(request.user, "edit_settings"),
        },
    )


@login_required
def sop_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The SOP printed on one sheet, to hang where the work is done."""
    from weasyprint import HTML

    template = get_object_or_404(SopTemplate, pk=pk, published=True)
    html = render_to_string(
        "performance/sop_print.html", {"sop": template, "printed": timezone.localtime()}, request=request
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sop-{template.key}-v{template.version}.pdf"'
    return response


BY_CHOICES = [("region", _lazy("Region")), ("sector", _lazy("Sector")), ("size_class", _lazy("Size class"))]


def _overview(request: HttpRequest):
    permissions.require_rule(
        request.user, "see_dashboard", _("This list is for field officers and office admins.")
    )

    region = dashboard_region(user=request.user, code=request.GET.get("region", ""))
    kpi = selectors.kpi_or_default(request.GET.get("kpi"))
    month = (
        _month(request)
        if request.GET.get("bulan")
        else selectors.add_months(timezone.localdate().replace(day=1), -1)
    )
    by = request.GET.get("by") if request.GET.get("by") in dict(BY_CHOICES) else "region"
    overall, parts, values = selectors.kpi_overview(
        user=request.user, kpi=kpi, month=month, region=region, by=by
    )
    return region, kpi, month, by, overall, parts, values


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The office's view of a KPI across its businesses: medians and quartiles by region, sector or size."""
    region, kpi, month, by, overall, parts, values = _overview(request)
    bins = selectors.histogram(values)
    return render(
        request,
        "performance/overview.html",
        {
            "region": region,
            "kpi": kpi,
            "month": month,
            "by": by,
            "overall": overall,
            "parts": parts,
            "bins": bins,
            "kpis": Kpi.objects.filter(active=True),
            "by_choices": BY_CHOICES,
        },
    )


@login_required
def overview_xlsx(request: HttpRequest) -> HttpResponse:
    region, kpi, month, by, overall, parts, _values = _overview(request)
    header = [
        _("Group"),
        _("Code"),
        _("Businesses"),
        _("Median"),
        _("25th percentile"),
        _("75th percentile"),
        _("Lowest"),
        _("Highest"),
    ]

    def row(s):
        return [
            s.label or _("All"),
            s.code,
            s.n,
            *(float(x) if x is not None else None for x in (s.median, s.p25, s.p75, s.low, s.high)),
        ]

    rows = [row(s) for s in parts] + [
        row(overall),
        [],
        [kpi.name, kpi.unit, month.strftime("%Y-%m"), region.code if region else ""],
    ]
    return xlsx_response(f"kpi-{kpi.key}-{month:%Y-%m}.xlsx", header, rows)


@require_http_methods(["GET", "POST"])
@login_required
def report_upload(request: HttpRequest) -> HttpResponse:
    """Monthly reports from an XLSX or CSV (one row per business and month); all rows or none."""

    permissions.require_rule(
        request.user, "see_dashboard", _("This list is for field officers and office admins.")
    )
    result, errors = None, []
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        with upload_on_disk(upload) as path:
            try:
                result = report_import(actor=request.user, path=path, file_label=upload.name)
            except ValidationError as err:
                errors = [m for ms in err.message_dict.values() for m in ms]
        if result and not result.problems:
            messages.success(request, _("%(n)s monthly reports imported.") % {"n": result.saved})
    return render(
        request,
        "performance/report_upload.html",
        {"result": result, "errors": errors, "kpis": Kpi.objects.filter(active=True, formula="")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def kpi_library(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The KPI library: admins add KPIs and change them (name, unit, direction, formula, limits, in use)."""
    permissions.require_rule(request.user, "edit_settings", library.CANNOT_EDIT_KPI)
    kpi = get_object_or_404(Kpi, pk=pk) if pk else None
    errors: dict = {}
    if request.method == "POST":
        data = request.POST.dict()
        data["active"] = request.POST.get("active") == "on"
        try:
            saved = library.kpi_save(actor=request.user, kpi=kpi, data=data)
        except ValidationError as err:
            errors = err.message_dict
        else:
            messages.success(request, _("KPI %(name)s saved.") % {"name": saved.name})
            return redirect("performance:kpis")
    return render(
        request,
        "performance/kpi_library.html",
        {"kpis": Kpi.objects.all(), "kpi": kpi, "errors": errors, "data": request.POST or None},
    )
