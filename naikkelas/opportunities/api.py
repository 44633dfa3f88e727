"""API: buyers, opportunities, ranked suppliers, invitations, offers and outcomes, partnerships and their sales,
business-matching events with registrations, meetings and outcomes (the pages' services), scoped as the pages
are: office staff see their area's; a cooperative's manager or an owner sees the open opportunities of its region
and answers them, and registers its own business for an event."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from naikkelas.accounts.scope import scope_for, scoped
from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.opportunities import events, matching, partnerships, selectors, services
from naikkelas.opportunities.models import Buyer, Event, Offer, Partnership
from naikkelas.regions.models import Region

router = Router(tags=["opportunities"])


class BuyerIn(Schema):
    name: str
    kind: str
    region: str = ""
    contact_name: str = ""
    contact_phone: str = ""


class BuyerOut(Schema):
    id: int
    name: str
    kind: str
    region: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class OpportunityIn(Schema):
    buyer: int
    title: str
    quantity: Loose
    unit: str
    frequency: str
    channel: str
    region: str
    delivery_village: str
    deadline: str
    delivery_on: str
    documents: list[str] = []
    kbli: str = ""
    quality: str = ""
    description: str = ""
    delivery_address: str = ""
    price_max: Loose = None
    budget: Loose = None


class OpportunityOut(Schema):
    id: int
    buyer_id: int
    buyer: str
    title: str
    quantity: float
    unit: str
    frequency: str
    documents: list[str]
    region: str
    delivery_village: str
    deadline: date
    delivery_on: date
    price_max: int | None
    budget: int | None
    channel: str
    status: str
    outcome: str
    deal_value: int | None

    @staticmethod
    def resolve_buyer(obj) -> str:
        return obj.buyer.name

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_delivery_village(obj) -> str:
        return obj.delivery_village_id


class MatchOut(Schema):
    supplier: str  # "business:12" or "cooperative:7"
    name: str
    village: str
    score: int
    parts: dict
    reasons: list[str]
    gaps: list[str]


class InvitationIn(Schema):
    supplier: str
    channel: str = "whatsapp"


class InvitationOut(Schema):
    id: int
    supplier: str
    channel: str
    whatsapp_link: str


class OfferIn(Schema):
    supplier: str
    price: Loose
    quantity: Loose
    available_on: str
    note: str = ""


class OfferOut(Schema):
    id: int
    supplier: str
    price: int
    quantity: float
    value: int
    available_on: date
    status: str
    note: str

    @staticmethod
    def resolve_supplier(obj) -> str:
        return f"business:{obj.business_id}" if obj.business_id else f"cooperative:{obj.cooperative_id}"


class OutcomeIn(Schema):
    outcome: str
    deal_value: Loose = None
    winning_offer: int | None = None
    outcome_note: str = ""


class FiguresOut(Schema):
    region: str
    year: int
    opportunities: int
    suppliers_matched: int
    offers: int
    deals: int
    deal_value: int


def _visible(user):
    """Staff: their area's opportunities; a supplier: the open ones of its regions."""
    if services.can_manage(user):
        return selectors.opportunities_for(user)
    today = timezone.localdate()
    ids = {o.pk for s in services.suppliers_of(user) for o in selectors.open_for_supplier(s, today)}
    return selectors.public_open().filter(pk__in=ids)


def _get(user, pk: int):
    found = _visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _staff_get(user, pk: int):
    found = selectors.opportunities_for(user).filter(pk=pk).first()
    if found is None or not services.can_manage(user):
        raise Http404
    return found


@router.get("/buyers", response={200: Page[BuyerOut], 422: ErrorOut})
def buyer_list(request, paging: Query[Paging]):
    return page_of(scoped(Buyer.objects.order_by("name", "pk"), request.auth), paging)


@router.post("/buyers", response={201: BuyerOut, 403: ErrorOut, 422: ErrorOut})
def buyer_create(request, payload: BuyerIn):
    return Status(201, services.buyer_create(actor=request.auth, data=payload.dict()))


@router.get("/opportunities", response={200: Page[OpportunityOut], 422: ErrorOut})
def opportunity_list(request, paging: Query[Paging], status: str = ""):
    rows = _visible(request.auth).order_by("-created_on", "-pk")
    if status:
        rows = rows.filter(status=status)
    return page_of(rows, paging)


@router.post("/opportunities", response={201: OpportunityOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def opportunity_create(request, payload: OpportunityIn):
    buyer = scoped(Buyer.objects.all(), request.auth).filter(pk=payload.buyer).first()
    if buyer is None:
        raise Http404
    data = {k: v for k, v in payload.dict().items() if k != "buyer"}
    return Status(201, services.opportunity_create(actor=request.auth, buyer=buyer, data=data,
                                                   today=timezone.localdate()))  # fmt: skip


@router.get("/opportunities/figures", response={200: FiguresOut, 403: ErrorOut, 422: ErrorOut})
def opportunity_figures(request, region: str = "", year: int | None = None):
    """Opportunities posted, suppliers invited or offering, offers, deals and their value in a year (the office's
    figures for its plan and account), for a region in the caller's area (default: the caller's own)."""

    _staff_only(request.auth)
    code, year = _area(request.auth, region), _year(year)
    figures = selectors.figures(code, date(year, 1, 1), date(year, 12, 31))
    return {"region": code, "year": year, **figures.__dict__}


@router.get("/opportunities/{int:opportunity_id}", response={200: OpportunityOut, 404: ErrorOut})
def opportunity_detail(request, opportunity_id: int):
    return _get(request.auth, opportunity_id)


@router.get("/opportunities/{int:opportunity_id}/suppliers",
            response={200: Page[MatchOut], 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def opportunity_suppliers(request, opportunity_id: int, paging: Query[Paging]):
    """The suppliers that could answer it, best first (the best 100), with the reasons and the gaps."""
    opportunity = _staff_get(request.auth, opportunity_id)
    ranked = [
        {"supplier": m.key, "name": m.name, "village": m.village_code, "score": m.score, "parts": m.parts,
         "reasons": m.reasons, "gaps": m.gaps}
        for m in matching.rank(opportunity, limit=100)
    ]  # fmt: skip
    return page_of(ranked, paging)


@router.post("/opportunities/{int:opportunity_id}/invitations",
             response={201: InvitationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def opportunity_invite(request, opportunity_id: int, payload: InvitationIn):
    opportunity = _staff_get(request.auth, opportunity_id)
    url = request.build_absolute_uri(reverse("opportunities:public", args=[opportunity.pk]))
    invitation, link = services.invite(actor=request.auth, opportunity=opportunity, url=url,
                                       supplier=services.supplier_of(payload.supplier), channel=payload.channel)  # fmt: skip
    return Status(201, {"id": invitation.pk, "supplier": payload.supplier, "channel": invitation.channel,
                        "whatsapp_link": link})  # fmt: skip


@router.get(
    "/opportunities/{int:opportunity_id}/offers", response={200: Page[OfferOut], 404: ErrorOut, 422: ErrorOut}
)
def offer_list(request, opportunity_id: int, paging: Query[Paging]):
    """Every offer (office staff) or the caller's own."""
    opportunity = _get(request.auth, opportunity_id)
    rows = Offer.objects.filter(opportunity=opportunity).order_by("price", "pk")
    if not services.can_manage(request.auth):
        rows = rows.filter(made_by=request.auth)
    return page_of(rows, paging)


@router.post("/opportunities/{int:opportunity_id}/offers",
             response={201: OfferOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def offer_create(request, opportunity_id: int, payload: OfferIn):
    opportunity = _get(request.auth, opportunity_id)
    data = payload.dict()
    offer = services.offer_make(actor=request.auth, opportunity=opportunity, data=data,
                                supplier=services.supplier_of(data.pop("supplier")), today=timezone.localdate())  # fmt: skip
    return Status(201, offer)


@router.post("/opportunities/{int:opportunity_id}/offers/{int:offer_id}/shortlist",
             response={200: OfferOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def offer_shortlist(request, opportunity_id: int, offer_id: int):
    opportunity = _staff_get(request.auth, opportunity_id)
    offer = opportunity.offers.filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return services.offer_shortlist(actor=request.auth, offer=offer)


@router.post("/opportunities/{int:opportunity_id}/outcome",
             response={200: OpportunityOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def opportunity_outcome(request, opportunity_id: int, payload: OutcomeIn):
    opportunity = _staff_get(request.auth, opportunity_id)
    return services.outcome_record(actor=request.auth, opportunity=opportunity, data=payload.dict(),
                                   today=timezone.localdate())  # fmt: skip


# Partnerships (kemitraan, PP 7/2021)


class PartnershipIn(Schema):
    partner: str
    partner_kind: str
    pattern: str
    region: str = ""
    starts_on: str
    ends_on: str = ""
    contract_value: Loose = None
    businesses: list[int] = []
    cooperatives: list[int] = []
    note: str = ""


class PartnershipOut(Schema):
    id: int
    partner: str
    partner_kind: str
    pattern: str
    region: str
    starts_on: date
    ends_on: date | None
    contract_value: int | None
    status: str
    businesses: list[int]
    cooperatives: list[int]

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_businesses(obj) -> list[int]:
        return sorted(b.pk for b in obj.businesses.all())

    @staticmethod
    def resolve_cooperatives(obj) -> list[int]:
        return sorted(c.pk for c in obj.cooperatives.all())


class SaleIn(Schema):
    month: str  # 2026-03
    amount: Loose


class SaleOut(Schema):
    month: date
    typed: int
    cash_book: int


class RegionYearOut(Schema):
    region: str
    name: str
    started: int
    contract_value: int
    active: int


class PartnershipSummaryOut(Schema):
    region: str
    year: int
    started: int
    contract_value: int
    active: int
    sales: int
    regions: list[RegionYearOut]


def _staff_only(user) -> None:
    if not services.can_manage(user):
        raise PermissionDenied(str(services.NOT_STAFF))


def _partnership(user, pk: int) -> Partnership:
    _staff_only(user)
    found = (
        scoped(Partnership.objects.prefetch_related("businesses", "cooperatives"), user).filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def _area(user, region: str) -> str:
    """A region in the caller's area (default: the caller's own); refused by name otherwise."""
    code = (region or user.region_id or "").strip()
    scope = scope_for(user)
    if (code and not (scope.covers_region(code) and Region.objects.filter(code=code).exists())) or (
        not code and not scope.everything
    ):
        raise PermissionDenied(str(services.REGION_OUTSIDE % {"field": "region"}))
    return code


def _year(year: int | None) -> int:
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Year: a year such as 2026.")]})
    return year


@router.get("/partnerships", response={200: Page[PartnershipOut], 403: ErrorOut, 422: ErrorOut})
def partnership_list(request, paging: Query[Paging]):
    _staff_only(request.auth)
    rows = scoped(Partnership.objects.prefetch_related("businesses", "cooperatives"), request.auth)
    return page_of(rows.order_by("-starts_on", "pk"), paging)


@router.post("/partnerships", response={201: PartnershipOut, 403: ErrorOut, 422: ErrorOut})
def partnership_create(request, payload: PartnershipIn):
    return Status(201, partnerships.partnership_create(actor=request.auth, data=payload.dict()))


@router.get("/partnerships/summary", response={200: PartnershipSummaryOut, 403: ErrorOut, 422: ErrorOut})
def partnership_summary(request, region: str = "", year: int | None = None):
    """Partnerships started (and their contract value), active and sales typed through them in a year, for a
    region in the caller's area, and the same for each region just below it (a partnership counts in each region
    where a member lies)."""
    _staff_only(request.auth)
    code, year = _area(request.auth, region), _year(year)
    total = partnerships.summary(code, [year])[0]
    below = [
        {"region": r.region.code, "name": r.region.name, "started": r.started, "contract_value": r.contract_value,
         "active": r.active}
        for r in partnerships.by_region(code, year)
    ]  # fmt: skip
    return {"region": code, "year": year, "started": total.started, "contract_value": total.contract_value,
            "active": total.active, "sales": total.sales, "regions": below}  # fmt: skip


@router.get(
    "/partnerships/{int:partnership_id}", response={200: PartnershipOut, 403: ErrorOut, 404: ErrorOut}
)
def partnership_detail(request, partnership_id: int):
    return _partnership(request.auth, partnership_id)


@router.get("/partnerships/{int:partnership_id}/sales",
            response={200: Page[SaleOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def partnership_sales(request, partnership_id: int, paging: Query[Paging]):
    """Month by month: the sales the office typed and those the members' cash books tag with the partner."""
    months = partnerships.monthly_sales(_partnership(request.auth, partnership_id))
    return page_of([{"month": m, **v} for m, v in months.items()], paging)


@router.post("/partnerships/{int:partnership_id}/sales",
             response={201: SaleOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def partnership_sale_record(request, partnership_id: int, payload: SaleIn):
    partnership = _partnership(request.auth, partnership_id)
    sale = partnerships.partnership_sale_record(actor=request.auth, partnership=partnership,
                                                month=payload.month, amount=payload.amount)  # fmt: skip
    return Status(201, {"month": sale.month, **partnerships.monthly_sales(partnership)[sale.month]})


# Business-matching events (temu bisnis)


class EventIn(Schema):
    title: str
    place: str
    held_on: str
    starts_at: str = "09:00"
    slot_minutes: Loose = 20
    region: str = ""
    buyers: list[int] = []


class EventOut(Schema):
    id: int
    title: str
    place: str
    held_on: date
    starts_at: str
    slot_minutes: int
    region: str
    buyers: list[int]

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_starts_at(obj) -> str:
        return obj.starts_at.strftime("%H:%M")

    @staticmethod
    def resolve_buyers(obj) -> list[int]:
        return sorted(b.pk for b in obj.buyers.all())


class RegistrationIn(Schema):
    supplier: str  # "business:12" or "cooperative:7": the caller's own (staff: any in their area)
    wants: list[int] = []


class RegistrationOut(Schema):
    id: int
    supplier: str  # "business:12", "cooperative:7", or "" for a guest registered through the public link
    name: str
    wants: list[int]

    @staticmethod
    def resolve_supplier(obj) -> str:
        return services.supplier_key(obj.supplier) if obj.supplier is not None else ""

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name

    @staticmethod
    def resolve_wants(obj) -> list[int]:
        return sorted(b.pk for b in obj.wants.all())


class MeetingOut(Schema):
    id: int
    starts_at: str
    buyer: int
    registration: int
    supplier: str
    outcome: str
    value: int | None

    @staticmethod
    def resolve_starts_at(obj) -> str:
        return obj.starts_at.strftime("%H:%M")

    @staticmethod
    def resolve_buyer(obj) -> int:
        return obj.buyer_id

    @staticmethod
    def resolve_registration(obj) -> int:
        return obj.registration_id

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.registration.display_name


class MeetingOutcomeIn(Schema):
    outcome: str  # deal, lanjut (follow-up), tidak (no deal)
    value: Loose = None


class ScheduleOut(Schema):
    scheduled: int


class EventSummaryOut(Schema):
    buyers: int
    suppliers: int
    meetings: int
    deals: int
    follow_ups: int
    no_deals: int
    value: int


def _event(user, pk: int) -> Event:
    _staff_only(user)
    found = scoped(Event.objects.prefetch_related("buyers"), user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.get("/events", response={200: Page[EventOut], 403: ErrorOut, 422: ErrorOut})
def event_list(request, paging: Query[Paging]):
    _staff_only(request.auth)
    return page_of(
        scoped(Event.objects.prefetch_related("buyers"), request.auth).order_by("-held_on", "pk"), paging
    )


@router.post("/events", response={201: EventOut, 403: ErrorOut, 422: ErrorOut})
def event_create(request, payload: EventIn):
    return Status(
        201, events.event_create(actor=request.auth, data=payload.dict(), today=timezone.localdate())
    )


@router.get("/events/{int:event_id}", response={200: EventOut, 403: ErrorOut, 404: ErrorOut})
def event_detail(request, event_id: int):
    return _event(request.auth, event_id)


@router.get("/events/{int:event_id}/registrations",
            response={200: Page[RegistrationOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def event_registrations(request, event_id: int, paging: Query[Paging]):
    rows = _event(request.auth, event_id).registrations.select_related("business", "cooperative")
    return page_of(rows.prefetch_related("wants").order_by("registered_at", "pk"), paging)


@router.post("/events/{int:event_id}/registrations",
             response={201: RegistrationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def event_register(request, event_id: int, payload: RegistrationIn):
    """A supplier registers for the buyers it wants to meet (all of them when none is chosen): an owner or a
    cooperative's manager for their own, office staff for any in their area."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    return Status(201, events.event_register(actor=request.auth, event=event, today=timezone.localdate(),
                                             supplier=services.supplier_of(payload.supplier), wants=payload.wants))  # fmt: skip


@router.post("/events/{int:event_id}/schedule", response={200: ScheduleOut, 403: ErrorOut, 404: ErrorOut})
def event_schedule(request, event_id: int):
    """(Re)build the meetings; outcomes already recorded are kept."""
    return {"scheduled": events.event_schedule(actor=request.auth, event=_event(request.auth, event_id))}


@router.get("/events/{int:event_id}/meetings",
            response={200: Page[MeetingOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def event_meetings(request, event_id: int, paging: Query[Paging]):
    rows = _event(request.auth, event_id).meetings.select_related("registration__business",
                                                                   "registration__cooperative")  # fmt: skip
    return page_of(rows.order_by("starts_at", "pk"), paging)


@router.post("/events/{int:event_id}/meetings/{int:meeting_id}/outcome",
             response={200: MeetingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})  # fmt: skip
def event_meeting_outcome(request, event_id: int, meeting_id: int, payload: MeetingOutcomeIn):
    meeting = _event(request.auth, event_id).meetings.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return events.meeting_outcome(
        actor=request.auth, meeting=meeting, outcome=payload.outcome, value=payload.value
    )


@router.get("/events/{int:event_id}/summary", response={200: EventSummaryOut, 403: ErrorOut, 404: ErrorOut})
def event_summary(request, event_id: int):
    return events.summary(_event(request.auth, event_id)).__dict__
