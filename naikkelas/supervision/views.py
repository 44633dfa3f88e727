"""Supervision pages: a cooperative's RAT, reports, rating and visits; the RAT compliance lists; the supervision
dashboard by region; the XLSX import of financial reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scoped
from naikkelas.core.exports import xlsx_response
from naikkelas.core.uploads import upload_on_disk
from naikkelas.registry.selectors import cooperative_get_for_user
from naikkelas.supervision import health, rat, selectors, services
from naikkelas.supervision.imports import TEMPLATE_HEADER, reports_import
from naikkelas.supervision.models import REPORT_ITEMS, FollowUp, HealthCategory, HealthRating, Severity


def _require_supervisor(user) -> None:
    permissions.require_rule(user, "supervise", services.NOT_SUPERVISOR)


@login_required
def cooperative_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    return _cooperative_page(request, cooperative_get_for_user(user=request.user, pk=pk))


def _cooperative_page(request: HttpRequest, cooperative, errors: dict | None = None) -> HttpResponse:
    errors = errors or {}
    today = timezone.localdate()
    meetings = {m.book_year: m for m in cooperative.meetings.all()}
    held = {year: m.held_on for year, m in meetings.items()}
    years = range(today.year - 1, today.year - 6, -1)
    standings = [
        rat.standing(cooperative.level, y, held)
        for y in years
        if rat.existed_in(cooperative.legal_entity_date, y)
    ]
    reports = list(cooperative.reports.all())
    method = health.methods()[health.DEFAULT_METHOD]
    return render(
        request,
        "supervision/cooperative.html",
        {
            "cooperative": cooperative,
            "meetings_by_year": meetings,
            "standings": standings,
            "today": today,
            "reports": reports,
            "ratings": cooperative.ratings.select_related("report")[:10],
            "visits": cooperative.supervision_visits.prefetch_related("findings__actions"),
            "items": [(name, label, en) for name, label, en in REPORT_ITEMS],
            "errors": errors,
            "data": request.POST,
            "management_parts": method.management_parts,
            "severities": Severity.choices,
            "methods": [(m.code, m.name) for m in health.methods().values()],
            "can_supervise": services.can_supervise(request.user),
            "last_year": today.year - 1,
            "can_report": services.may_report(request.user, cooperative),
        },
    )


def _record(form: str, write, done):
    """A POST view for one form of the cooperative page: the write, then back to the page (with the form's
    errors under it when refused)."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        cooperative = cooperative_get_for_user(user=request.user, pk=pk)
        try:
            result = write(request, cooperative)
        except ValidationError as err:
            return _cooperative_page(
                request, cooperative, {form: [m for ms in err.message_dict.values() for m in ms]}
            )
        messages.success(request, done(result) if callable(done) else done)
        return redirect("supervision:cooperative", pk=cooperative.pk)

    return view


def _meeting(request, cooperative):
    return services.meeting_record(actor=request.user, cooperative=cooperative, data=request.POST,
                                   files=request.FILES)  # fmt: skip


def _report(request, cooperative):
    return services.report_save(actor=request.user, cooperative=cooperative, year=request.POST.get("year"),
                                data=request.POST, source=_("entered on the page"))  # fmt: skip


def _rating(request, cooperative):
    post = request.POST
    report = get_object_or_404(cooperative.reports, pk=post.get("report") or 0)
    method = health.methods()[health.DEFAULT_METHOD]
    management = {key: post.get(f"management_{key}") for key, _n, _q in method.management_parts}
    return services.rating_make(actor=request.user, report=report, management=management,
                                method_code=post.get("method") or health.DEFAULT_METHOD)  # fmt: skip


def _visit(request, cooperative):
    post = request.POST
    findings = [{"text": post.get(f"finding_{i}", ""), "severity": post.get(f"severity_{i}", ""),
                 "action": post.get(f"action_{i}", ""), "owner": post.get(f"owner_{i}", ""),
                 "due_on": post.get(f"due_{i}", "")} for i in range(1, 4)]  # fmt: skip
    return services.visit_record(actor=request.user, cooperative=cooperative, visited_on=post.get("visited_on"),
                                 summary=post.get("summary", ""), findings=findings)  # fmt: skip


def _done(request, cooperative):
    follow_up = get_object_or_404(scoped(FollowUp.objects.all(), request.user), pk=request.POST.get("follow_up") or 0,
                                  finding__visit__cooperative=cooperative)  # fmt: skip
    return services.follow_up_done(actor=request.user, follow_up=follow_up, done_on=request.POST.get("done_on"),
                                   note=request.POST.get("note", ""))  # fmt: skip


def _rated(rating) -> str:
    return _("Health rating: %(score)s, %(category)s.") % {
        "score": number_format(rating.score, 2), "category": rating.get_category_display()}  # fmt: skip


# One URL per form of the cooperative page.
meeting_create = _record("meeting", _meeting, gettext_lazy("RAT recorded."))
report_create = _record("report", _report, gettext_lazy("Financial report saved."))
rating_create = _record("rating", _rating, _rated)
visit_create = _record("visit", _visit, gettext_lazy("Supervision visit recorded."))
follow_up_close = _record("visit", _done, gettext_lazy("Follow-up marked done."))


@login_required
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(
        scoped(HealthRating.objects.select_related("report", "cooperative"), request.user), pk=pk
    )
    return render(
        request, "supervision/rating.html", {"rating": rating, "method": health.methods().get(rating.method)}
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request.user)
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    year = max(1991, min(year, today.year))
    result = selectors.compliance(user=request.user, year=year, today=today)
    if request.GET.get("format") == "xlsx":
        header = [
            _("Cooperative"),
            _("Village"),
            _("Level"),
            _("Book year"),
            _("Due"),
            _("Held on"),
            _("Missing two years"),
        ]
        twice = {c.pk for c, _a, _b in result.missing_two_years}
        rows = [
            [
                c.name,
                c.village.name,
                c.get_level_display(),
                s.book_year,
                s.due_on,
                s.held_on,
                _("yes") if c.pk in twice else "",
            ]
            for c, s in result.late
        ]
        return xlsx_response(f"rat-terlambat-{year}.xlsx", header, rows)
    return render(
        request,
        "supervision/compliance.html",
        {"result": result, "today": today, "years": range(today.year, today.year - 5, -1)},
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request.user)
    today = timezone.localdate()
    rows, total = selectors.dashboard(user=request.user, today=today, region=request.GET.get("region", ""))
    categories = [
        c
        for c in HealthCategory.choices
        if c[0] in ("sehat", "cukup_sehat", "pengawasan", "pengawasan_khusus")
    ]
    return render(
        request,
        "supervision/dashboard.html",
        {
            "rows": [(r, [r.ratings.get(c, 0) for c, _l in categories]) for r in rows],
            "total": total,
            "total_ratings": [total.ratings.get(c, 0) for c, _l in categories],
            "categories": categories,
            "today": today,
            "last_year": today.year - 1,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def reports_upload(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request.user)
    if request.GET.get("template"):
        return xlsx_response("laporan-keuangan-koperasi.xlsx", TEMPLATE_HEADER, [])
    result, errors = None, []
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        with upload_on_disk(upload) as path:
            try:
                result = reports_import(actor=request.user, path=path, file_label=upload.name)
            except ValidationError as err:
                errors = [m for ms in err.message_dict.values() for m in ms]
        if result and not result.problems:
            messages.success(request, _("%(n)s financial reports imported.") % {"n": result.saved})
    return render(
        request,
        "supervision/reports_upload.html",
        {"result": result, "errors": errors, "items": REPORT_ITEMS},
    )


@login_required
def meeting_file(request: HttpRequest, pk: int, meeting: int, kind: str) -> HttpResponse:
    """A RAT's minutes or attendance list, to those who may see the cooperative."""
    cooperative = cooperative_get_for_user(user=request.user, pk=pk)
    record = get_object_or_404(cooperative.meetings, pk=meeting)
    upload = getattr(record, kind) if kind in ("minutes", "attendance") else None
    if not upload:
        raise Http404
    return FileResponse(upload.open("rb"), as_attachment=True, filename=upload.name.rsplit("/", 1)[-1])
