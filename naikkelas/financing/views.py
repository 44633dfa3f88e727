"""Capital-access pages: programmes, applying (owner or field officer), the review desk, repayments and the
revolving-fund portfolio."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts.selectors import record_history
from naikkelas.core import validation
from naikkelas.core.exports import xlsx_response
from naikkelas.financing import rules, selectors, services
from naikkelas.financing.models import (
    ApplicationStatus,
    ProgrammeKind,
    ReferralStatus,
    ScheduleMethod,
)
from naikkelas.registry.constants import BusinessStatus, DocumentKind, SizeClass
from naikkelas.registry.selectors import business_get_for_user, business_list


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "financing/programme_list.html",
        {
            "programmes": selectors.programmes_for(user=request.user),
            "today": today,
            "applications": selectors.applications_for(user=request.user)[:50],
            "is_admin": services.is_admin(request.user),
            "business": request.GET.get("business", "") if request.GET.get("business", "").isdigit() else "",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not services.is_admin(request.user):
        raise PermissionDenied(str(services.NOT_ADMIN))
    errors: dict = {}
    if request.method == "POST":
        try:
            programme = services.programme_create(actor=request.user, data=request.POST)
        except ValidationError as err:
            errors = err.message_dict
        else:
            return redirect("financing:programme", pk=programme.pk)
    return render(
        request,
        "financing/programme_form.html",
        {
            "errors": errors,
            "data": request.POST,
            "kinds": ProgrammeKind.choices,
            "methods": ScheduleMethod.choices,
            "sizes": SizeClass.choices,
            "statuses": BusinessStatus.choices,
            "documents": DocumentKind.choices,
            "criteria": [(k, label, default) for k, (label, default) in rules.CRITERIA.items()],
            "default_region": request.user.region_id or "",
        },
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    applications = selectors.applications_for(user=request.user, programme=programme).order_by(
        "-score", "submitted_at"
    )
    rows = selectors.portfolio(user=request.user, on=timezone.localdate(), programme=programme)
    return render(
        request,
        "financing/programme_detail.html",
        {
            "programme": programme,
            "applications": applications,
            "portfolio": selectors.portfolio_total(rows) if rows else None,
            "used_percent": round(programme.committed * 100 / programme.budget) if programme.budget else 0,
            "criteria": [
                (label, programme.weights.get(k, default)) for k, (label, default) in rules.CRITERIA.items()
            ],
        },
    )


def _businesses_to_choose(user):
    if services.can_review(user):
        return None  # too many to list: the officer types the business number shown on its page
    return list(business_list(user=user)[:50])


@require_http_methods(["GET", "POST"])
@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    errors: dict = {}
    if request.method == "POST":
        try:
            business = business_get_for_user(user=request.user, pk=int(request.POST.get("business") or 0))
        except (ValueError, OverflowError, Http404):  # not a number, or not theirs: say so in the form
            business = None
        if business is None:
            errors = {"business": [_("Business: choose one of your businesses (its number is on its page).")]}
        else:
            try:
                application = services.application_submit(
                    actor=request.user,
                    programme=programme,
                    business=business,
                    amount=request.POST.get("amount_requested"),
                    purpose=request.POST.get("purpose", ""),
                    files=request.FILES.getlist("documents"),
                )
            except ValidationError as err:
                errors = err.message_dict
            else:
                messages.success(request, _("Application sent."))
                return redirect("financing:application", pk=application.pk)
    return render(
        request,
        "financing/application_form.html",
        {
            "programme": programme,
            "errors": errors,
            "data": request.POST or request.GET,
            "businesses": _businesses_to_choose(request.user),
        },
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return _detail_page(request, application)


@require_POST
@login_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One URL per step (verify, approve, reject, disburse, payment, referral, documents): the same service as
    the API's POST /capital/applications/{id}/{step}."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    try:
        services.application_step(actor=request.user, application=application, step=step, data=request.POST,
                                  files=request.FILES.getlist("documents"))  # fmt: skip
    except ValidationError as err:
        return _detail_page(request, application, err.message_dict)
    messages.success(request, services.STEP_DONE[step])
    return redirect("financing:application", pk=application.pk)


def _detail_page(request: HttpRequest, application, errors: dict | None = None) -> HttpResponse:
    state = services.loan_state(application) if application.installments.exists() else None
    lines = list(application.installments.all())
    return render(request, "financing/application_detail.html", {
        "application": application, "errors": errors or {}, "data": request.POST, "state": state,
        "lines": list(zip(lines, state.settled, strict=True)) if state else [],
        "payments": application.payments.all(), "attachments": application.attachments.all(),
        "disbursement": getattr(application, "disbursement", None),
        "referral": getattr(application, "referral", None), "history": record_history(obj=application),
        "S": ApplicationStatus, "K": ProgrammeKind, "referral_statuses": ReferralStatus.choices,
        "today": timezone.localdate().isoformat(), "can_review": services.can_review(request.user),
        "is_admin": services.is_admin(request.user), "score_rows": _score_rows(application),
    })  # fmt: skip


def _score_rows(application):
    values = application.score_details.get("values", {})
    weights = application.score_details.get("weights", {})
    return [
        (label, round(values.get(k, 0) * 100), weights.get(k, ""))
        for k, (label, _d) in rules.CRITERIA.items()
    ]


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    try:
        on = validation.parse_date(request.GET.get("as_of")) or timezone.localdate()
    except ValueError:
        on = timezone.localdate()
    by = request.GET.get("by") or "programme"
    rows = selectors.portfolio(user=request.user, on=on, by=by)
    total = selectors.portfolio_total(rows)
    if request.GET.get("format") == "xlsx":
        header = [
            _("Name"),
            _("Loans"),
            _("Disbursed (Rp)"),
            _("Outstanding (Rp)"),
            _("Arrears (Rp)"),
            _("Loans more than 30 days late"),
            "PAR 30 (%)",
        ]
        data = [
            [
                r.name,
                r.portfolio.loans,
                r.portfolio.disbursed,
                r.portfolio.outstanding,
                r.portfolio.arrears,
                r.portfolio.loans_at_risk,
                r.portfolio.par30,
            ]
            for r in rows
        ]
        return xlsx_response(f"portofolio-{on:%Y%m%d}.xlsx", header, data)
    return render(request, "financing/portfolio.html", {"rows": rows, "total": total, "on": on, "by": by})


@login_required
def application_document(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    """An application's document (ID cards, permits: personal data), only to those who may see the application."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(application.attachments, pk=document)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.title)
