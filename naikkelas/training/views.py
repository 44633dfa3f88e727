"""Training pages: cohorts for the coordinator (invite, check in, certify), public self-registration, the
participant's own page (QR code, tests, certificate) and the public certificate check."""

import io
import zipfile

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts import permissions
from naikkelas.core import throttle
from naikkelas.core.pdf import pdf_from_html
from naikkelas.lifecycle.models import Question
from naikkelas.performance import services as performance
from naikkelas.performance.models import Kpi
from naikkelas.performance.selectors import kpi_or_default
from naikkelas.training import impact, selectors, services
from naikkelas.training.models import Audience, Programme, RegistrationStatus, TestKind


def _require(user) -> None:
    permissions.require_rule(user, "manage_training", services.CANNOT_MANAGE)


def _qr_svg(data: str, scale: int = 5) -> str:
    return segno.make(data, error="m").svg_data_uri(scale=scale)


@require_http_methods(["GET", "POST"])
@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    errors: dict = {}
    if request.method == "POST":
        programme = get_object_or_404(Programme, pk=request.POST.get("programme") or 0)
        try:
            cohort = services.cohort_create(actor=request.user, programme=programme, data=request.POST)
        except ValidationError as err:
            errors = err.message_dict
        else:
            return redirect("training:cohort", pk=cohort.pk)
    return render(
        request,
        "training/cohort_list.html",
        {
            "cohorts": selectors.cohorts_for(user=request.user),
            "programmes": Programme.objects.filter(active=True),
            "errors": errors,
            "data": request.POST,
            "default_region": request.user.region_id or "",
            "can_edit_catalogue": services.can_edit_catalogue(request.user),
        },
    )


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    return _cohort_page(request, selectors.cohort_get_for_user(user=request.user, pk=pk))


def _register_url(request: HttpRequest, cohort) -> str:
    return request.build_absolute_uri(reverse("training:register", args=[cohort.registration_token]))


@require_POST
@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    try:
        services.session_add(actor=request.user, cohort=cohort, title=request.POST.get("title", ""),
                             starts_at=request.POST.get("starts_at", ""), venue=request.POST.get("venue", ""),
                             online_link=request.POST.get("online_link", ""))  # fmt: skip
    except ValidationError as err:
        return _cohort_page(request, cohort, err.message_dict)
    return redirect("training:cohort", pk=cohort.pk)


@require_POST
@login_required
def invite_email(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the invitation to the best-matching candidates (those with an e-mail address)."""
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    ranked = [c.business for c in selectors.candidates(user=request.user, cohort=cohort, limit=50)]
    sent = services.invite_by_email(actor=request.user, cohort=cohort, businesses=ranked,
                                    register_url=_register_url(request, cohort))  # fmt: skip
    messages.success(request, _("%(n)s invitations sent by e-mail.") % {"n": sent})
    return redirect("training:cohort", pk=cohort.pk)


def _cohort_page(request: HttpRequest, cohort, errors: dict | None = None) -> HttpResponse:
    errors = errors or {}
    register_url = _register_url(request, cohort)
    candidates = selectors.candidates(user=request.user, cohort=cohort, limit=50)
    invitations = [(c, selectors.whatsapp_invitation(cohort, c.business, register_url)) for c in candidates]
    done = services.completions(cohort)
    registrations = [(r, done[r.pk]) for r in cohort.registrations.select_related("person", "business")]
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "sessions": cohort.sessions.all(),
            "registrations": registrations,
            "invitations": invitations,
            "register_url": register_url,
            "errors": errors,
            "register_qr": _qr_svg(register_url, 4),
        },
    )


TOO_MANY_REGISTRATIONS = gettext_lazy(
    "Too many registrations were sent just now (from this network or to this cohort). Please try again in a few "
    "minutes, or ask the field officer to register you."
)


def _registration_allowed(request, cohort) -> bool:
    return throttle.registration_allowed(
        request, visitor_key="register-ip", place_key=f"register-cohort:{cohort.pk}"
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, token: str) -> HttpResponse:
    """The public registration page of a cohort (no login): name and WhatsApp number."""
    cohort = get_object_or_404(services.Cohort.objects.select_related("programme"), registration_token=token)
    errors: dict = {}
    if request.method == "POST" and not _registration_allowed(request, cohort):
        errors = {"__all__": [str(TOO_MANY_REGISTRATIONS)]}
        return render(
            request,
            "training/register.html",
            {"cohort": cohort, "errors": errors, "data": request.POST},
            status=429,
        )
    if request.method == "POST":
        try:
            # Only what the form asks: a business id from the public would register someone else's owner.
            data = {"name": request.POST.get("name", ""), "phone": request.POST.get("phone", "")}
            registration = services.register(cohort=cohort, data=data)
        except ValidationError as err:
            errors = err.message_dict
        else:
            return redirect("training:participant", token=registration.token)
    return render(
        request, "training/register.html", {"cohort": cohort, "errors": errors, "data": request.POST}
    )


def participant(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own page (its link is their key): their code as a QR for check-in, their tests and
    their certificate."""
    registration = selectors.registration_by_token(token)
    certificate = getattr(registration, "certificate", None)
    return render(
        request,
        "training/participant.html",
        {
            "registration": registration,
            "code_qr": _qr_svg(registration.code, 8),
            "completion": services.completion(registration),
            "certificate": certificate,
            "tests": {t.kind: t for t in registration.tests.all()},
            "waitlisted": registration.status == RegistrationStatus.WAITLISTED,
        },
    )


@require_http_methods(["GET", "POST"])
def participant_test(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    registration = selectors.registration_by_token(token)
    if kind not in TestKind.values:
        raise PermissionDenied
    errors: dict = {}
    if request.method == "POST":
        answers = {k[2:]: v for k, v in request.POST.items() if k.startswith("q-")}
        try:
            result = services.take_test(registration=registration, kind=kind, answers=answers)
        except ValidationError as err:
            errors = err.message_dict
        else:
            messages.success(request, _("Test saved: score %(score)s.") % {"score": result.score})
            return redirect("training:participant", token=token)
    return render(
        request,
        "training/test.html",
        {
            "registration": registration,
            "kind": TestKind(kind),
            "questions": registration.cohort.programme.questions.all(),
            "errors": errors,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Check-in at the door: type the code or scan the participant's QR with the phone's camera."""
    _require(request.user)
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    result = None
    if request.method == "POST":
        try:
            registration, new = services.check_in(
                actor=request.user, session=session, code=request.POST.get("code", "")
            )
        except ValidationError as err:
            result = ("error", err.message_dict["code"][0])
        else:
            text = _("%(name)s checked in.") if new else _("%(name)s was already checked in.")
            result = ("ok" if new else "again", text % {"name": registration.person.name})
    present = session.attendance.select_related("registration__person").order_by("-checked_in_at")
    return render(
        request, "training/checkin.html", {"session": session, "result": result, "present": present}
    )


def _certificate_html(request, certificate) -> str:
    number = certificate.number
    page = request.build_absolute_uri(reverse("training:verify", args=[number]))
    code = services.certificate_signature(number)
    # The QR holds the whole link; the print gives the page and the code apart, both whole, to type in.
    return render_to_string(
        "training/certificate.html",
        {
            "certificate": certificate,
            "qr": _qr_svg(f"{page}?s={code}", 3),
            "verify_page": page,
            "verify_code": code,
        },
        request=request,
    )


def _pdf(html: str) -> bytes:

    return pdf_from_html(html)


def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_token(token)
    certificate = get_object_or_404(services.Certificate, registration=registration)
    response = HttpResponse(_pdf(_certificate_html(request, certificate)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{certificate.number}.pdf"'
    return response


@require_POST
@login_required
def certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    issued = services.certificates_issue(actor=request.user, cohort=cohort)
    messages.success(request, _("%(n)s certificates issued.") % {"n": len(issued)})
    return redirect("training:cohort", pk=cohort.pk)


@login_required
def certificates_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """Every certificate of the cohort in one ZIP, to print or send."""
    _require(request.user)
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in services.Certificate.objects.filter(registration__cohort=cohort).select_related(
            "registration__person", "registration__cohort__programme"
        ):
            archive.writestr(f"{certificate.number}.pdf", _pdf(_certificate_html(request, certificate)))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-angkatan-{cohort.pk}.zip"'
    return response


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: is this certificate genuine? Unknown numbers and wrong signatures show as invalid."""
    state, certificate = services.certificate_check(number, request.GET.get("s", ""))
    return render(
        request, "training/verify.html", {"state": state, "certificate": certificate, "number": number}
    )


@login_required
def programme_impact(request: HttpRequest, pk: int) -> HttpResponse:
    """Did participants move more than comparable businesses that did not take part? Revenue and scorecard
    level, 6 and 12 months after their cohort began."""

    _require(request.user)
    programme = get_object_or_404(Programme, pk=pk)
    rows = impact.estimates(programme=programme, user=request.user)
    if request.GET.get("format") == "xlsx":
        from naikkelas.core.exports import xlsx_response

        return xlsx_response(f"dampak-{programme.pk}.xlsx", *impact.estimates_table(rows))
    return render(request, "training/impact.html", {
        "programme": programme, "rows": rows, "chart": impact.estimates_chart(rows), "min_units": impact.MIN_UNITS,
    })  # fmt: skip


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    by = "region" if request.GET.get("by") == "region" else "topic"
    rows = selectors.training_summary(user=request.user, by=by)
    if request.GET.get("format") == "xlsx":
        from naikkelas.core.exports import xlsx_response

        return xlsx_response(f"pelatihan-{by}.xlsx", *selectors.training_summary_table(rows))
    return render(request, "training/summary.html", {"rows": rows, "by": by})


@require_http_methods(["GET", "POST"])
@login_required
def programme_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The catalogue: a programme's name, topic and audience, and its test questions (admins)."""

    permissions.require_rule(request.user, "edit_training_catalogue", services.CANNOT_EDIT_CATALOGUE)
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    errors: dict = {}
    if request.method == "POST":
        try:
            data = request.POST.dict()
            data["active"] = request.POST.get("active") == "on" if programme else True
            programme = services.programme_save(actor=request.user, programme=programme, data=data)
            return redirect("training:programme", pk=programme.pk)
        except ValidationError as err:
            errors = err.message_dict
    topics = sorted(set(Question.objects.values_list("topic", flat=True)) | {"manajemen-koperasi"})
    return render(
        request,
        "training/programme.html",
        {
            "programme": programme,
            "errors": errors,
            "data": request.POST,
            "topics": topics,
            "audiences": Audience.choices,
            "questions": programme.questions.all() if programme else [],
        },
    )


@require_POST
@login_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    try:
        services.question_add(actor=request.user, programme=programme, text=request.POST.get("text", ""),
                              options_text=request.POST.get("options", ""),
                              correct=request.POST.get("correct", ""))  # fmt: skip
    except ValidationError as err:
        messages.error(request, " ".join(m for ms in err.message_dict.values() for m in ms))
    return redirect("training:programme", pk=programme.pk)


@login_required
def kpi_by_cohort(request: HttpRequest) -> HttpResponse:
    """The office's KPI view by training cohort: how the participants of each cohort are doing."""

    _require(request.user)
    kpi = kpi_or_default(request.GET.get("kpi"))
    try:
        month = performance.parse_month(request.GET.get("bulan") or timezone.localdate())
    except ValidationError:
        month = timezone.localdate().replace(day=1)
    rows = selectors.kpi_by_cohort(user=request.user, kpi=kpi, month=month)
    return render(
        request,
        "training/kpi_by_cohort.html",
        {"rows": rows, "kpi": kpi, "month": month, "kpis": Kpi.objects.filter(active=True)},
    )


@require_POST
@login_required
def certificate_revoke(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    certificate = get_object_or_404(services.Certificate, number=number, registration__cohort=cohort)
    services.certificate_revoke(
        actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Certificate %(number)s revoked.") % {"number": number})
    return redirect("training:cohort", pk=cohort.pk)
