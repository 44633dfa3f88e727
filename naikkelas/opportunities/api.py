"""API: buyers, opportunities, ranked suppliers, invitations, offers and outcomes (the pages' services), scoped as
the pages are: office staff see their area's; a cooperative's manager sees the open opportunities of its region
and answers them."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from naikkelas.accounts.scope import scope_for, scoped
from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.opportunities import matching, selectors, services
from naikkelas.opportunities.models import Buyer, Offer

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

    if not services.can_manage(request.auth):
        raise PermissionDenied(str(services.NOT_STAFF))
    code = region or request.auth.region_id or ""
    if (
        code
        and not scope_for(request.auth).covers_region(code)
        or not code
        and not scope_for(request.auth).everything
    ):
        raise PermissionDenied(str(services.REGION_OUTSIDE % {"field": "region"}))
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Year: a year such as 2026.")]})
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
