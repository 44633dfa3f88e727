"""A person's own data: what naikkelas holds about them, and a copy to download (JSON or CSV)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naikkelas.accounts import permissions
from naikkelas.core import outbox, personal, throttle
from naikkelas.core.dates import moment
from naikkelas.core.models import OutboxStatus
from naikkelas.privacy import breaches, erasure, selectors, services
from naikkelas.privacy.dpia import ASSESSMENTS
from naikkelas.privacy.holdings import gather
from naikkelas.privacy.models import ConsentPurpose, DataRequest, RequestKind, RequestStatus
from naikkelas.privacy.register import ACTIVITIES
from naikkelas.registry.models import Person

HOW_OWN_PAGE = gettext_lazy("on the person's own page in naikkelas")
HOW_SIGNED_FORM = gettext_lazy("signed consent form, recorded by the office")
FORMS = {"json": ("application/json", services.as_json), "csv": ("text/csv; charset=utf-8", services.as_csv)}


def _own_person(request: HttpRequest) -> Person:
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """The signed-in person's data: how many records of each kind, and the copy to download."""
    person = Person.objects.filter(user=request.user).first()
    if person is None:  # an account with no person behind it (yet): nothing is held beyond the account
        return render(request, "privacy/my_data.html", {"person": None})
    held = gather(person)
    kinds = sorted(((_label(k), len(rows)) for k, rows in held.records.items()), key=lambda x: x[0])
    consents = _consents(person)
    requests = list(person.data_requests.order_by("-received_at")[:20])
    for item in requests:
        item.lines = _lines(item)
    context = {"person": person, "kinds": kinds, "held": held, "consents": consents, "requests": requests,
               "request_kinds": RequestKind.choices}  # fmt: skip
    return render(request, "privacy/my_data.html", context)


def _lines(item: DataRequest) -> list[erasure.Line]:
    return [erasure.Line.stored(line) for line in item.outcome]


@login_required
@require_POST
def my_restriction_lift(request: HttpRequest) -> HttpResponse:
    """The person ends the restriction they asked for: they are in the office's lists and invitations again."""
    try:
        services.restriction_lift(actor=request.user, person=_own_person(request))
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("The restriction has ended."))
    return redirect("privacy:my_data")


@login_required
@require_POST
def my_request(request: HttpRequest) -> HttpResponse:
    """The person files a request from their own page; the office answers within 3×24 hours."""
    person = _own_person(request)
    try:
        filed = services.request_file(actor=request.user, person=person, kind=request.POST.get("kind", ""),
                                      details=request.POST.get("details", ""))  # fmt: skip
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Your request was received; the office answers it by %(due)s.") % {
            "due": moment(filed.due_at)})  # fmt: skip
    return redirect("privacy:my_data")


def _reads_privacy(user) -> bool:
    """The staff, and the DPO (UU 27/2022 Pasal 53), who oversees but answers nothing and reads no record."""
    return permissions.is_staff_role(user) or permissions.can(user, "oversee_privacy")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The office's requests, the most urgent first, each with its 3×24-hour clock."""
    if not (services.can_answer(request.user) or permissions.can(request.user, "oversee_privacy")):
        raise PermissionDenied
    now = timezone.now()
    found = selectors.requests_for(request.user)
    open_ones = [(r, selectors.clock(r.due_at, now)) for r in found.filter(status=RequestStatus.OPEN)[:200]]
    answered = found.exclude(status=RequestStatus.OPEN).order_by("-decided_at")[:50]
    return render(request, "privacy/requests.html", {"open": open_ones, "answered": answered})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.request_decide(actor=request.user, request=item, done=request.POST.get("done") == "1",
                                    decision=request.POST.get("decision", ""),
                                    article=request.POST.get("article", ""))  # fmt: skip
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Answer recorded."))
            return redirect("privacy:requests")
    from naikkelas.accounts.scope import scoped
    from naikkelas.registry.models import Business

    # Where to correct what the person asks about: their businesses in the officer's area (the business form
    # carries the owner's name, phone and e-mail; every change there is audited).
    answers = services.may_handle_requests(request.user, item)  # the DPO reads the request, answers nothing
    records = (
        scoped(Business.objects.filter(owner=item.person), request.user).order_by("name")[:20]
        if answers
        else []
    )
    carried = item.kind in (RequestKind.RESTRICTION, RequestKind.ERASURE)
    plan = erasure.plan(item.person, kind=item.kind) if carried and answers and item.status == "open" else []
    return render(request, "privacy/request_detail.html",
                  {"item": item, "clock": selectors.clock(item.due_at, timezone.now()), "records": records,
                   "answers": answers, "plan": plan, "outcome": _lines(item)})  # fmt: skip


@login_required
@require_POST
def my_consent(request: HttpRequest) -> HttpResponse:
    """Give or withdraw one of the person's consents, from their own page."""
    person = _own_person(request)
    purpose, give = request.POST.get("purpose", ""), request.POST.get("give") == "1"
    try:
        if give:
            services.consent_give(actor=request.user, person=person, purpose=purpose, how=str(HOW_OWN_PAGE))
            messages.success(request, _("Consent given. You may withdraw it here at any time."))
        else:
            services.consent_withdraw(actor=request.user, person=person, purpose=purpose)
            messages.success(request, _("Consent withdrawn: it is no longer used from now on."))
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("privacy:my_data")


def _consents(person: Person) -> list[tuple[str, str, bool]]:
    """(purpose, its label, in force?) for every purpose that rests on consent: the person's page and the
    officer's show the same list."""
    in_force = set(person.consents.filter(withdrawn_at=None).values_list("purpose", flat=True))
    return [(value, label, value in in_force) for value, label in ConsentPurpose.choices]


def _label(model_label: str) -> str:
    from django.apps import apps

    return erasure.record_name(apps.get_model(model_label)).capitalize()


def _download(request: HttpRequest, person: Person, form: str) -> HttpResponse:
    if form not in FORMS:
        raise Http404
    held = services.personal_copy(actor=request.user, person=person, form=form)
    content_type, write = FORMS[form]
    response = HttpResponse(write(held), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{person.pk}.{form}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def my_copy(request: HttpRequest, form: str) -> HttpResponse:
    return _download(request, _own_person(request), form)


@login_required
@require_POST
def person_copy(request: HttpRequest, pk: int, form: str) -> HttpResponse:
    """For an office's officer handing a person their copy (after seeing their KTP); refused (403) to others."""
    person = get_object_or_404(Person.objects, pk=pk)
    return _download(request, person, form)


@login_required
def processing_register(request: HttpRequest) -> HttpResponse:
    """The register of processing activities (Pasal 31), for the office's staff and its DPO."""
    if not _reads_privacy(request.user):
        raise PermissionDenied
    from naikkelas.privacy.models import RetentionRun
    from naikkelas.privacy.retention import RULES

    return render(request, "privacy/register.html", {"activities": ACTIVITIES, "retention_rules": RULES,
                                                     "last_run": RetentionRun.objects.first()})  # fmt: skip


@login_required
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer's page for one person they serve: record a consent form the person signed or its withdrawal,
    file a request the person makes in front of them (after seeing their KTP), hand them their copy."""
    person = get_object_or_404(Person.objects, pk=pk)
    if not (services.can_answer(request.user) and permissions.person_visible(request.user, person)):
        raise Http404
    if request.method == "POST":
        try:
            if "purpose" in request.POST:
                purpose = request.POST["purpose"]
                if request.POST.get("give") == "1":
                    services.consent_give(actor=request.user, person=person, purpose=purpose,
                                          how=request.POST.get("how", "") or str(HOW_SIGNED_FORM))  # fmt: skip
                else:
                    services.consent_withdraw(actor=request.user, person=person, purpose=purpose)
                messages.success(request, _("Recorded."))
            else:
                filed = services.request_file(actor=request.user, person=person, kind=request.POST.get("kind", ""),
                                              details=request.POST.get("details", ""))  # fmt: skip
                return redirect("privacy:request", pk=filed.pk)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        return redirect("privacy:person", pk=person.pk)
    context = {"person": person, "consents": _consents(person),
               "request_kinds": RequestKind.choices,
               "requests": person.data_requests.order_by("-received_at")[:20]}  # fmt: skip
    return render(request, "privacy/person.html", context)


@login_required
def impact_assessments(request: HttpRequest) -> HttpResponse:
    """The impact assessments of the features that match data or score people (Pasal 34), for the staff and the
    DPO."""
    if not _reads_privacy(request.user):
        raise PermissionDenied
    return render(request, "privacy/dpia.html", {"assessments": ASSESSMENTS})


# The public page: a request identified by phone ------------------------------------------------------------------

CODE_SENT = gettext_lazy(
    "If this number is in the office's records, a code has been sent to it. Enter it below within %(minutes)s "
    "minutes."
)
SLOW_DOWN = gettext_lazy("Too many codes asked for. Wait an hour and try again.")
CODES_PER_VISITOR, CODES_PER_PHONE = 5, 3  # an hour


def public_request(request: HttpRequest) -> HttpResponse:
    """Step 1: the person types their phone number; a code is sent to it if naikkelas holds it (the answer is
    the same if not)."""
    error = ""
    if request.method == "POST":
        phone = request.POST.get("phone", "")
        try:
            number = services._phone(phone)
        except ValidationError as err:
            error = " ".join(err.messages)
        else:
            allowed = throttle.allow(
                f"privacy-code:{throttle.visitor(request)}", limit=CODES_PER_VISITOR, seconds=3600
            )
            allowed = allowed and throttle.allow(
                "privacy-code-phone:" + personal.keyed_hash(number)[:32], limit=CODES_PER_PHONE, seconds=3600
            )
            if not allowed:
                error = str(SLOW_DOWN)
            else:
                services.code_send(phone=number)
                request.session["privacy_phone"] = number
                messages.info(request, str(CODE_SENT) % {"minutes": services.CODE_MINUTES})
                return redirect("privacy:public_code")
    return render(
        request, "privacy/public_request.html", {"error": error, "phone": request.POST.get("phone", "")}
    )


def public_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code, and what the person asks for. Filed for every record of a person with that phone."""
    number = request.session.get("privacy_phone")
    if not number:
        return redirect("privacy:public_request")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            filed = services.request_file_by_code(phone=number, code=request.POST.get("code", ""),
                                                  kind=request.POST.get("kind", ""),
                                                  details=request.POST.get("details", ""))  # fmt: skip
        except ValidationError as err:
            errors = err.message_dict if hasattr(err, "error_dict") else {"code": err.messages}
        else:
            request.session.pop("privacy_phone", None)
            due = max((r.due_at for r in filed), default=timezone.now() + services.ANSWER_WITHIN)
            return render(request, "privacy/public_done.html",
                          {"due": timezone.localtime(due), "count": len(filed)})  # fmt: skip
    masked = number[:5] + "•" * max(0, len(number) - 8) + number[-3:]
    return render(request, "privacy/public_code.html",
                  {"errors": errors, "masked": masked, "request_kinds": RequestKind.choices,
                   "post": request.POST})  # fmt: skip


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    """Messages to people of the officer's area: those waiting (where no SMS gateway is set, the officer sends
    each from their own WhatsApp, then marks it sent), and the last ones sent."""
    if not permissions.is_staff_role(request.user):
        raise PermissionDenied
    found = selectors.outbox_for(request.user)
    if request.method == "POST":
        item = get_object_or_404(found, pk=request.POST.get("message") or 0)
        try:
            services.outbox_mark_sent(actor=request.user, message=item)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Marked as sent."))
        return redirect("privacy:outbox")
    waiting = [
        (m, outbox.whatsapp_link(m))
        for m in found.filter(status=OutboxStatus.WAITING).order_by("created_at")[:100]
    ]
    done = found.exclude(status=OutboxStatus.WAITING).order_by("-created_at")[:30]
    return render(request, "privacy/outbox.html",
                  {"waiting": waiting, "done": done, "gateway": outbox.gateway_set()})  # fmt: skip


# Breaches ---------------------------------------------------------------------------------------------------------


def _incidents(user):
    from naikkelas.privacy.models import Incident

    if not permissions.can(user, "oversee_privacy"):  # admins, and the DPO (read only)
        raise PermissionDenied
    return selectors.overseen(Incident.objects.all(), user)


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """The office's breaches, each with its 3×24-hour countdown, and the form to record one."""
    from naikkelas.privacy.models import DataCategory

    found = _incidents(request.user)
    errors: dict = {}
    if request.method == "POST":
        data = {**request.POST.dict(), "categories": request.POST.getlist("categories")}
        try:
            incident = breaches.incident_record(actor=request.user, data=data)
        except ValidationError as err:
            errors = err.message_dict
        else:
            return redirect("privacy:incident", pk=incident.pk)
    now = timezone.now()
    rows = [(i, _countdown(i, now)) for i in found[:100]]
    return render(request, "privacy/incidents.html",
                  {"rows": rows, "errors": errors, "post": request.POST, "categories": DataCategory.choices,
                   "handles": breaches.can_handle(request.user),
                   "default_region": request.user.region_id or ""})  # fmt: skip


def _countdown(incident, now) -> dict:
    return selectors.clock(breaches.due_at(incident), now)


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(_incidents(request.user), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "notify":
                n = breaches.notify_people(actor=request.user, incident=incident,
                                           url=request.build_absolute_uri(reverse("privacy:public_request")))  # fmt: skip
                messages.success(request, _("%(n)s messages to people are in the outbox.") % {"n": n})
            elif request.POST.get("action") == "authority":
                breaches.authority_notified(actor=request.user, incident=incident)
                messages.success(request, _("Recorded: the authority was notified."))
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        return redirect("privacy:incident", pk=incident.pk)
    people = breaches.affected(incident)
    context = {"incident": incident, "clock": _countdown(incident, timezone.now()), "due": breaches.due_at(incident),
               "people": people.count(), "reachable": people.exclude(phone="", email="").count(),
               "by_region": breaches.by_region(incident), "categories": breaches.categories_text(incident),
               "handles": breaches.may_handle(request.user, incident)}  # fmt: skip
    return render(request, "privacy/incident_detail.html", context)


@login_required
def incident_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice to the authority (Pasal 46), as PDF: counts and facts, no person's data."""
    from django.template.loader import render_to_string

    from naikkelas.core.pdf import pdf_from_html

    incident = get_object_or_404(_incidents(request.user), pk=pk)
    notice = breaches.authority_notice(actor=request.user, incident=incident)
    html = render_to_string("privacy/incident_notice.html", {**notice, "made_at": timezone.now()})
    response = HttpResponse(pdf_from_html(html, base_url=request.build_absolute_uri("/")),
                            content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="pemberitahuan-insiden-{incident.pk}.pdf"'
    return response
