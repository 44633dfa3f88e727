"""Pages of the field work: the officer's worklist, recording a visit (also offline), assessing a business,
the business's verification panel, and the scorecard editor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scoped
from naikkelas.api.schemas import error_detail
from naikkelas.lifecycle import evidence, selectors, services
from naikkelas.lifecycle.api import VisitOut
from naikkelas.lifecycle.constants import LEVEL_NAMES, VisitOutcome
from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit, VisitPhoto
from naikkelas.registry.selectors import business_get_for_user

PAGE_SIZE = 50


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    if not services.can_verify(request.user):
        raise PermissionDenied(str(services.CANNOT_VISIT))
    district = request.GET.get("district", "").strip()
    districts = selectors.worklist_districts(user=request.user)
    page = Paginator(selectors.worklist(user=request.user, district=district), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    points = selectors.visit_points(page)
    return render(
        request,
        "lifecycle/worklist.html",
        {
            "page": page,
            "districts": districts,
            "district": district,
            "points": points,
            "map_tiles": settings.MAP_TILES,
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
@login_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit form. The page's script posts it with fetch and, when the phone is offline, keeps it in the
    browser and sends it later with the same client_id; without JavaScript it is a plain form."""
    business = business_get_for_user(user=request.user, pk=pk)
    if not services.can_verify(request.user):
        raise PermissionDenied(str(services.CANNOT_VISIT))
    errors: dict = {}
    if request.method == "POST":
        try:
            visit, created = services.visit_record(
                actor=request.user,
                business=business,
                data=request.POST,
                photos=request.FILES.getlist("photos"),
            )
        except ValidationError as err:
            errors = err.message_dict
            if _wants_json(request):  # the API's contract: {"detail": [{"field", "message"}]}
                return JsonResponse({"detail": error_detail(err)}, status=422)
        else:
            if _wants_json(request):  # the API's answer: VisitOut, 201 new or 200 already recorded
                body = VisitOut.from_orm(visit).dict()
                return JsonResponse(body, status=201 if created else 200)
            messages.success(request, _("Visit recorded."))
            return redirect("business_detail", pk=business.pk)
    return render(
        request,
        "lifecycle/visit_form.html",
        {
            "business": business,
            "outcomes": VisitOutcome.choices,
            "today": timezone.localdate(),
            "data": request.POST,
            "errors": errors,
            "max_photos": services.MAX_PHOTOS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    business = business_get_for_user(user=request.user, pk=pk)
    if not services.can_verify(request.user):
        raise PermissionDenied(str(services.CANNOT_VISIT))
    try:
        instrument = services.active_instrument()
    except ValidationError as err:
        messages.error(request, err.message_dict["instrument"][0])
        return redirect("business_detail", pk=business.pk)
    errors: dict = {}
    if request.method == "POST":
        answers = {k[2:]: v for k, v in request.POST.items() if k.startswith("q-")}
        try:
            assessment, _result = services.assessment_record(
                actor=request.user, business=business, answers=answers, day=request.POST.get("date")
            )
        except ValidationError as err:
            errors = err.message_dict
        else:
            return redirect("lifecycle:assessment", pk=assessment.pk)
    proposed = evidence.suggestions(business, instrument)
    questions = [
        (q, services.question_label(q), list(q.options.all()), proposed.get(q.key))
        for q in instrument.questions.prefetch_related("options")
    ]
    return render(
        request,
        "lifecycle/assessment_form.html",
        {
            "business": business,
            "instrument": instrument,
            "questions": questions,
            "errors": errors,
            "data": request.POST,
            "today": timezone.localdate(),
        },  # fmt: skip
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        scoped(Assessment.objects.select_related("business", "instrument", "assessor"), request.user), pk=pk
    )
    result = services.assessment_result(assessment)
    answers = [
        (services.question_label(a.question), a.option.label, a.option.value)
        for a in assessment.answers.select_related("question", "option").order_by("question__order")
    ]
    return render(
        request,
        "lifecycle/assessment_detail.html",
        {"assessment": assessment, "result": result, "answers": answers},
    )


@login_required
def business_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The verification and scorecard part of a business's page (loaded into it by htmx)."""
    business = business_get_for_user(user=request.user, pk=pk)
    visits = list(
        selectors.visits_for_business(user=request.user, business=business).prefetch_related("photos")[:10]
    )
    assessments = list(selectors.assessments_for_business(user=request.user, business=business)[:20])
    levels = [
        {"date": a.assessed_on.isoformat(), "level": a.level, "score": float(a.score)}
        for a in reversed(assessments)
    ]
    # htmx swaps the part into the business page; a browser without scripts follows the link to a whole page.
    template = (
        "lifecycle/business_panel.html"
        if request.headers.get("HX-Request")
        else "lifecycle/business_panel_page.html"
    )
    return render(
        request,
        template,
        {
            "business": business,
            "visits": visits,
            "last_visit": visits[0] if visits else None,
            "assessments": assessments,
            "levels": levels,
            "can_verify": services.can_verify(request.user),
        },
    )


# --- the scorecard ------------------------------------------------------------------------------------------


def _require_editor(user) -> None:
    permissions.require_rule(user, "edit_settings", services.CANNOT_EDIT_INSTRUMENT)


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    return render(request, "lifecycle/instrument_list.html", {"instruments": selectors.instruments()})


@require_http_methods(["GET", "POST"])
@login_required
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request.user)
    instrument = get_object_or_404(Instrument, pk=pk)
    editable = services.instrument_editable(instrument)
    errors: dict = {}
    if request.method == "POST" and editable:
        try:
            questions = _questions_from_post(request.POST)
            services.instrument_update(
                actor=request.user,
                instrument=instrument,
                data={
                    "name": request.POST.get("name", ""),
                    "level_cutoffs": [
                        c for c in request.POST.get("level_cutoffs", "").split(",") if c.strip()
                    ],
                    "modern_level": request.POST.get("modern_level") or instrument.modern_level,
                    "innovation_required": request.POST.get("innovation_required") == "on",
                },
                questions=questions,
            )
        except (ValidationError, ValueError) as err:
            errors = err.message_dict if isinstance(err, ValidationError) else {"questions": [str(err)]}
        else:
            messages.success(request, _("Draft saved."))
            return redirect("lifecycle:instrument", pk=instrument.pk)
    questions = [(q, services.options_text(q)) for q in instrument.questions.prefetch_related("options")]
    return render(
        request,
        "lifecycle/instrument_detail.html",
        {
            "instrument": instrument,
            "questions": questions,
            "editable": editable,
            "errors": errors,
            "levels": LEVEL_NAMES.items(),
            "blank_rows": range(2) if editable else (),
        },  # fmt: skip
    )


def _questions_from_post(post) -> list[dict]:
    """The editor's rows: q-N-key, q-N-text, q-N-text_en, q-N-topic, q-N-weight, q-N-options; a row with an
    empty key is left out (how a question is removed)."""
    rows = sorted({int(k.split("-")[1]) for k in post if k.startswith("q-") and k.split("-")[1].isdigit()})
    questions = []
    for n in rows:
        key = post.get(f"q-{n}-key", "").strip()
        if not key:
            continue
        weight = post.get(f"q-{n}-weight", "").strip()
        if not weight.isdigit():
            raise ValidationError(
                {"questions": [_("%(key)s: the weight must be a whole number.") % {"key": key}]}
            )
        questions.append(
            {
                "key": key,
                "text": post.get(f"q-{n}-text", "").strip(),
                "text_en": post.get(f"q-{n}-text_en", "").strip(),
                "topic": post.get(f"q-{n}-topic", "").strip() or key,
                "weight": int(weight),
                "options": services.parse_options(post.get(f"q-{n}-options", "")),
            }
        )
    return questions


@require_POST
@login_required
def instrument_copy(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request.user)
    source = get_object_or_404(Instrument, pk=pk)
    copy = services.instrument_new_version(actor=request.user, source=source)
    messages.success(
        request, _("Version %(v)s made as a draft: edit it, then put it in use.") % {"v": copy.version}
    )
    return redirect("lifecycle:instrument", pk=copy.pk)


@require_POST
@login_required
def instrument_activate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request.user)
    instrument = get_object_or_404(Instrument, pk=pk)
    try:
        services.instrument_activate(actor=request.user, instrument=instrument)
    except ValidationError as err:
        messages.error(request, " ".join(m for ms in err.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Version %(v)s is now in use.") % {"v": instrument.version})
    return redirect("lifecycle:instrument", pk=instrument.pk)


@login_required
def visit_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A visit photo, to those who may see the visit (photos are not served as public files)."""
    photo = get_object_or_404(
        VisitPhoto.objects.filter(visit__in=scoped(VerificationVisit.objects.all(), request.user)), pk=pk
    )
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")
