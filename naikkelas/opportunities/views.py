"""Pages: the public list and page of an opportunity (with the supplier's offer form for an owner or a
cooperative's manager), the office's list, form and matching page, procurement readiness and the dossier."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from naikkelas.accounts.scope import scoped
from naikkelas.core import throttle
from naikkelas.core.exports import workbook_response
from naikkelas.core.pdf import pdf_from_html
from naikkelas.core.uploads import upload_on_disk
from naikkelas.dashboard.selectors import region_asked
from naikkelas.opportunities import (
    events,
    matching,
    partnerships,
    procurement,
    readiness,
    selectors,
    services,
)
from naikkelas.opportunities.models import (
    REQUIRED_DOCUMENTS,
    Buyer,
    BuyerKind,
    Channel,
    Event,
    Frequency,
    MeetingOutcome,
    Offer,
    Outcome,
    Partnership,
    Pattern,
    ProcurementImport,
    ProcurementKind,
    Status,
)
from naikkelas.regions import selectors as region_selectors
from naikkelas.registry.models import Business
from naikkelas.registry.selectors import business_get_for_user, cooperative_get_for_user


def _today():
    return timezone.localdate()


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    today = _today()
    suppliers = services.suppliers_of(request.user)
    for_me = []
    for supplier in suppliers:
        for opportunity in selectors.open_for_supplier(supplier, today):
            if opportunity not in for_me:
                for_me.append(opportunity)
    items = selectors.public_open().filter(deadline__gte=today).order_by("deadline", "pk")[:200]
    return render(request, "opportunities/public_list.html", {"items": items, "for_me": for_me})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.public_opportunity(pk)
    today = _today()
    errors: dict = {}
    if request.method == "POST":
        supplier = services.supplier_of(request.POST.get("supplier"))
        try:
            services.offer_make(actor=request.user, opportunity=opportunity, supplier=supplier,
                                data=request.POST, today=today)  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict
        except PermissionDenied as exc:
            errors = {"supplier": [str(exc)]}
        else:
            messages.success(request, _("Your offer was sent to the office."))
            return redirect("opportunities:public", pk=opportunity.pk)
    offers = (
        Offer.objects.filter(opportunity=opportunity, made_by=request.user)
        if request.user.is_authenticated
        else []
    )
    return render(request, "opportunities/public_detail.html", {
        "o": opportunity, "suppliers": services.suppliers_in(request.user, opportunity.region_id),
        "open": opportunity.status != Status.CLOSED and opportunity.deadline >= today,
        "errors": errors, "data": request.POST, "my_offers": offers,
        "documents": dict(REQUIRED_DOCUMENTS),
        "signed_in": request.user.is_authenticated,
    })  # fmt: skip


def _staff(request: HttpRequest) -> None:
    if not services.can_manage(request.user):
        raise PermissionDenied(str(services.NOT_STAFF))


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    today = _today()
    items = selectors.opportunities_for(request.user).order_by("-created_on", "-pk")[:300]
    code = request.user.region_id or ""
    figures = selectors.figures(code, today.replace(month=1, day=1), today)
    return render(
        request, "opportunities/office_list.html", {"items": items, "figures": figures, "year": today.year}
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    _staff(request)
    errors: dict = {}
    buyers = scoped(Buyer.objects.order_by("name"), request.user)
    if request.method == "POST":
        try:
            opportunity = _create(request)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return redirect("opportunities:manage", pk=opportunity.pk)
    return render(request, "opportunities/form.html", {
        "errors": errors, "data": request.POST, "buyers": buyers, "kinds": BuyerKind.choices,
        "channels": Channel.choices, "frequencies": Frequency.choices, "documents": REQUIRED_DOCUMENTS,
        "default_region": request.user.region_id or "", "chosen": request.POST.getlist("documents"),
    })  # fmt: skip


def _create(request: HttpRequest):
    data = request.POST.copy()
    data.setlist("documents", request.POST.getlist("documents"))
    with transaction.atomic():  # a new buyer and its opportunity: both or neither
        chosen = request.POST.get("buyer") or ""
        if chosen.isdigit():
            buyer = scoped(Buyer.objects.all(), request.user).filter(pk=int(chosen)).first()
            if buyer is None:
                raise ValidationError({"buyer": [_("Buyer: choose one from the list or type a new one.")]})
        else:
            buyer = services.buyer_create(actor=request.user, data={
                "name": request.POST.get("buyer_name"), "kind": request.POST.get("buyer_kind"),
                "contact_name": request.POST.get("contact_name"), "contact_phone": request.POST.get("contact_phone"),
                "region": request.POST.get("region") or request.user.region_id,
            })  # fmt: skip
        return services.opportunity_create(
            actor=request.user,
            buyer=buyer,
            data={**data.dict(), "documents": data.getlist("documents")},
            today=_today(),
        )


def _opportunity(request: HttpRequest, pk: int):
    found = selectors.opportunities_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    opportunity = _opportunity(request, pk)
    ranked = matching.rank(opportunity)
    invited = {services.supplier_key(i.supplier): i
               for i in opportunity.invitations.select_related("business", "cooperative")}  # fmt: skip
    offers = opportunity.offers.select_related("business", "cooperative")
    return render(request, "opportunities/manage.html", {
        "o": opportunity, "ranked": ranked, "invited": invited, "offers": offers, "outcomes": Outcome.choices,
        "documents": dict(REQUIRED_DOCUMENTS), "errors": {}, "weights": matching.WEIGHTS,
        "link": request.session.pop(f"invite-link-{opportunity.pk}", None),
    })  # fmt: skip


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    opportunity = _opportunity(request, pk)
    supplier = services.supplier_of(request.POST.get("supplier"))
    url = request.build_absolute_uri(reverse("opportunities:public", args=[opportunity.pk]))
    try:
        _invitation, link = services.invite(actor=request.user, opportunity=opportunity, supplier=supplier,
                                            channel=request.POST.get("channel", ""), url=url,
                                            score=int(request.POST.get("score") or 0) if str(
                                                request.POST.get("score") or "0").isdigit() else 0)  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        if link:
            request.session[f"invite-link-{opportunity.pk}"] = {"name": supplier.name, "url": link}
        else:
            messages.success(request, _("Invitation sent by e-mail to %(name)s.") % {"name": supplier.name})
    return redirect("opportunities:manage", pk=opportunity.pk)


@login_required
@require_POST
def shortlist(request: HttpRequest, pk: int, offer: int) -> HttpResponse:
    _staff(request)
    opportunity = _opportunity(request, pk)
    found = opportunity.offers.filter(pk=offer).first()
    if found is None:
        raise Http404
    try:
        services.offer_shortlist(actor=request.user, offer=found)
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    return redirect("opportunities:manage", pk=opportunity.pk)


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    opportunity = _opportunity(request, pk)
    try:
        services.outcome_record(
            actor=request.user, opportunity=opportunity, data=request.POST, today=_today()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.success(request, _("Outcome recorded."))
    return redirect("opportunities:manage", pk=opportunity.pk)


def _readiness_page(request: HttpRequest, supplier, checklist) -> HttpResponse:
    if request.method == "POST":
        try:
            services.readiness_save(actor=request.user, supplier=supplier, data=request.POST)
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
        else:
            messages.success(request, _("Saved."))
        return redirect(request.path)
    return render(request, "opportunities/readiness.html", {
        "supplier": supplier, "checklist": checklist, "can_tick": services.can_manage(request.user),
        "is_business": hasattr(supplier, "owner_id"),
    })  # fmt: skip


@login_required
def business_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    business = business_get_for_user(user=request.user, pk=pk)
    return _readiness_page(request, business, readiness.for_business(business, _today()))


@login_required
def cooperative_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = cooperative_get_for_user(user=request.user, pk=pk)
    return _readiness_page(request, cooperative, readiness.for_cooperative(cooperative))


def _dossier_rows(business):
    documents = ", ".join(f"{d.get_kind_display()} {d.number}" for d in business.documents.all()
                          if d.is_valid_on(_today()))  # fmt: skip
    for product in business.products.select_related("category").order_by("name"):
        yield [
            product.name,
            product.category.name if product.category_id else "",
            product.price,
            product.unit,
            product.weight_grams or "",
            product.description,
            business.name,
            business.nib,
            documents,
        ]


DOSSIER_HEADER = ["Nama produk", "Kategori", "Harga (Rp)", "Satuan", "Berat (g)", "Spesifikasi", "Penyedia", "NIB",
                  "Dokumen berlaku"]  # fmt: skip


@login_required
def dossier(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The business's products as the e-catalogue manager takes them: one row per product."""
    business = business_get_for_user(user=request.user, pk=pk)
    rows = list(_dossier_rows(business))
    if fmt == "xlsx":
        return workbook_response(f"dossier-produk-{business.pk}.xlsx", [("Produk", DOSSIER_HEADER, rows)])
    if fmt != "pdf":
        raise Http404
    html = render_to_string("opportunities/dossier_pdf.html", {
        "business": business, "header": DOSSIER_HEADER, "rows": rows, "checklist": readiness.for_business(
            business, _today()), "today": _today()})  # fmt: skip
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dossier-produk-{business.pk}.pdf"'
    return response


@login_required
def ready_suppliers(request: HttpRequest) -> HttpResponse:
    _staff(request)
    suppliers = scoped(
        Business.objects.filter(owner__restricted_at=None), request.user
    )  # restricted: not offered
    ready, near = readiness.region_suppliers(suppliers, _today())
    groups = [(_("Ready"), ready, "ready"), (_("One item away from ready"), near, "near")]
    return render(request, "opportunities/ready.html", {"groups": groups})


def _numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    errors: dict = {}
    if request.method == "POST":
        data = {**request.POST.dict(), "businesses": _numbers(request.POST.get("businesses", "")),
                "cooperatives": _numbers(request.POST.get("cooperatives", ""))}  # fmt: skip
        try:
            made = partnerships.partnership_create(actor=request.user, data=data)
        except ValidationError as exc:
            errors = exc.message_dict
        except PermissionDenied as exc:
            errors = {"members": [str(exc)]}
        else:
            return redirect("opportunities:partnership", pk=made.pk)
    today = _today()
    items = scoped(Partnership.objects.prefetch_related("businesses", "cooperatives"), request.user)[:300]
    years = list(range(today.year - 4, today.year + 1))
    year = int(request.GET["year"]) if request.GET.get("year", "") in {str(y) for y in years} else today.year
    home = request.user.region_id or ""
    code, area = region_asked(user=request.user, code=request.GET.get("region", ""))
    return render(request, "opportunities/partnerships.html", {
        "items": items, "summary": partnerships.summary(code, years), "errors": errors,
        "data": request.POST, "patterns": Pattern.choices, "kinds": BuyerKind.choices,
        "default_region": home, "year": year, "years": years, "area": area,
        "regions": partnerships.by_region(code, year), "can_go_up": code != home,
    })  # fmt: skip


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    partnership = scoped(Partnership.objects.all(), request.user).filter(pk=pk).first()
    if partnership is None:
        raise Http404
    if request.method == "POST":
        try:
            partnerships.partnership_sale_record(actor=request.user, partnership=partnership,
                                                 month=request.POST.get("month"), amount=request.POST.get("amount"))  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
        else:
            messages.success(request, _("Saved."))
        return redirect("opportunities:partnership", pk=partnership.pk)
    return render(request, "opportunities/partnership.html", {
        "p": partnership, "months": partnerships.monthly_sales(partnership),
    })  # fmt: skip


@login_required
def procurement_list(request: HttpRequest) -> HttpResponse:
    """Upload the government's procurement plan or realisation; the share that went to UMKM and cooperatives."""
    _staff(request)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors, status = [_("Choose the procurement file (XLSX or CSV).")], 422
        else:
            try:
                with upload_on_disk(upload) as path:
                    result = procurement.procurement_import(
                        actor=request.user, region=request.POST.get("region", ""), year=request.POST.get("year"),
                        kind=request.POST.get("kind", ""), path=path, file_label=upload.name)  # fmt: skip
            except ValidationError as exc:
                errors, status = [m for msgs in exc.message_dict.values() for m in msgs], 422
            else:
                if result.problems:
                    errors = [_("Nothing was saved.")] + [
                        _("Row %(row)s, column %(column)s: %(reason)s") % p for p in result.problems[:200]]  # fmt: skip
                    status = 422
                else:
                    return redirect("opportunities:procurement_detail", pk=result.source.pk)
    items = scoped(ProcurementImport.objects.select_related("region"), request.user)[:100]
    return render(request, "opportunities/procurement.html", {
        "items": items, "errors": errors, "target": procurement.TARGET, "kinds": ProcurementKind.choices,
        "default_region": request.user.region_id or "", "year": _today().year, "data": request.POST,
    }, status=status)  # fmt: skip


@login_required
def procurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    source = scoped(ProcurementImport.objects.all(), request.user).filter(pk=pk).first()
    if source is None:
        raise Http404
    rows = source.rows.select_related("business", "cooperative")[:2000]
    return render(request, "opportunities/procurement_detail.html", {"s": source, "rows": rows,
                                                                      "target": procurement.TARGET})  # fmt: skip


TOO_MANY_REGISTRATIONS = gettext_lazy(
    "Too many registrations from here just now: try again in a few minutes."
)


def _guest_allowed(request: HttpRequest, event) -> bool:
    """The training's public-registration limits, per visitor and per event."""
    return throttle.registration_allowed(request, visitor_key="event-ip", place_key=f"event:{event.pk}")


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    errors: dict = {}
    if request.method == "POST":
        try:
            made = events.event_create(actor=request.user, today=_today(),
                                       data={**request.POST.dict(), "buyers": request.POST.getlist("buyers")})  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return redirect("opportunities:event", pk=made.pk)
    return render(request, "opportunities/events.html", {
        "items": scoped(Event.objects.all(), request.user)[:100], "errors": errors, "data": request.POST,
        "buyers": scoped(Buyer.objects.order_by("name"), request.user), "default_region": request.user.region_id or "",
    })  # fmt: skip


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's public page (registration for owners and managers) and, for the office, its schedule."""
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    staff = services.can_manage(request.user) and scoped(Event.objects.filter(pk=pk), request.user).exists()
    errors: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "register")
        if action == "guest" and not _guest_allowed(request, event):
            messages.error(request, str(TOO_MANY_REGISTRATIONS))
            return redirect("opportunities:event", pk=event.pk)
        try:
            if action == "guest":
                events.event_register_guest(event=event, today=_today(), data={
                    **{k: request.POST.get(k, "") for k in ("business", "name", "phone", "village")},
                    "wants": request.POST.getlist("wants")})  # fmt: skip
                messages.success(
                    request, _("Registered. The office will send the meeting times by WhatsApp.")
                )
            elif action == "register":
                events.event_register(actor=request.user, event=event, today=_today(),
                                      supplier=services.supplier_of(request.POST.get("supplier")),
                                      wants=request.POST.getlist("wants"))  # fmt: skip
                messages.success(request, _("Registered. The office will send the meeting times."))
            elif action == "schedule" and staff:
                n = events.event_schedule(actor=request.user, event=event)
                messages.success(request, _("%(n)s meetings scheduled.") % {"n": n})
            elif action == "outcome" and staff:
                meeting = event.meetings.filter(pk=request.POST.get("meeting") or 0).first()
                if meeting is None:
                    raise Http404
                events.meeting_outcome(actor=request.user, meeting=meeting, outcome=request.POST.get("outcome", ""),
                                       value=request.POST.get("value"))  # fmt: skip
            else:
                raise PermissionDenied(str(services.NOT_STAFF))
        except ValidationError as exc:
            errors = exc.message_dict
        except PermissionDenied as exc:
            errors = {"supplier": [str(exc)]}
        else:
            return redirect("opportunities:event", pk=event.pk)
    suppliers = services.suppliers_in(request.user, event.region_id)
    context = {"event": event, "buyers": event.buyers.order_by("name"), "suppliers": suppliers, "errors": errors,
               "staff": staff, "open": event.held_on >= _today(), "signed_in": request.user.is_authenticated,
               "data": request.POST if request.POST.get("action") == "guest" else {}}  # fmt: skip
    if context["open"] and not suppliers:
        context["villages"] = region_selectors.villages_within(event.region_id)
    if staff:
        context.update({
            "registrations": event.registrations.select_related("business", "cooperative", "guest_village").prefetch_related("wants"),
            "meetings": event.meetings.select_related("buyer", "registration__business", "registration__cooperative"),
            "summary": events.summary(event), "outcomes": MeetingOutcome.choices,
        })  # fmt: skip
    return render(request, "opportunities/event.html", context)
