"""Supervision pages: a cooperative's RAT, reports, rating and visits; the RAT compliance lists; the supervision
dashboard by region; the XLSX import of financial reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

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


@require_http_methods(["GET", "POST"])
@login_required
def cooperative_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = cooperative_get_for_user(user=request.user, pk=pk)
    errors: dict = {}
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            _act(request, cooperative, action)
        except ValidationError as err:
            errors = {action: [m for ms in err.message_dict.values() for m in ms]}
        else:
            return redirect("supervision:cooperative", pk=cooperative.pk)
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


def _act(request, cooperative, action: str) -> None:
    post, user = request.POST, request.user
    if action == "meeting":
        services.meeting_record(actor=user, cooperative=cooperative, data=post, files=request.FILES)
        messages.success(request, _("RAT recorded."))
    elif action == "report":
        services.report_save(
            actor=user,
            cooperative=cooperative,
            year=post.get("year"),
            data=post,
            source=_("entered on the page"),
        )
        messages.success(request, _("Financial report saved."))
    elif action == "rating":
        report = get_object_or_404(cooperative.reports, pk=post.get("report") or 0)
        management = {
            key: post.get(f"management_{key}")
            for key, _n, _q in health.methods()[health.DEFAULT_METHOD].management_parts
        }
        rating = services.rating_make(
            actor=user,
            report=report,
            management=management,
            method_code=post.get("method") or health.DEFAULT_METHOD,
        )
        messages.success(
            request,
            _("Health rating: %(score)s, %(category)s.")
            % {"score": number_format(rating.score, 2), "category": rating.get_category_display()},
        )
    elif action == "visit":
        findings = [
            {
                "text": post.get(f"finding_{i}", ""),
                "severity": post.get(f"severity_{i}", ""),
                "action": post.get(f"action_{i}", ""),
                "owner": post.get(f"owner_{i}", ""),
                "due_on": post.get(f"due_{i}", ""),
            }
            for i in range(1, 4)
        ]
        services.visit_record(
            actor=user,
            cooperative=cooperative,
            visited_on=post.get("visited_on"),
            summary=post.get("summary", ""),
            findings=findings,
        )
        messages.success(request, _("Supervision visit recorded."))
    elif action == "done":
        follow_up = get_object_or_404(
            scoped(FollowUp.objects.all(), user),
            pk=post.get("follow_up") or 0,
            finding__visit__cooperative=cooperative,
        )
        services.follow_up_done(
            actor=user, follow_up=follow_up, done_on=post.get("done_on"), note=post.get("note", "")
        )
        messages.success(request, _("Follow-up marked done."))
    else:
        raise PermissionDenied


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
