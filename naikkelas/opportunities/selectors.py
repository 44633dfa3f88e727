"""Reading opportunities: the office's list (scoped), the public list (open ones, no personal data), what a
supplier may answer, and the office's figures for its plan and account (planning's indicators call these)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from naikkelas.accounts.scope import region_q, scoped
from naikkelas.opportunities.models import Invitation, Offer, Opportunity, Outcome, Status
from naikkelas.regions import codes as region_codes


def opportunities_for(user):
    return scoped(Opportunity.objects.select_related("buyer", "region", "delivery_village"), user)


def public_open():
    """Opportunities the public may see: open or matched ones whose offers have not closed."""
    return Opportunity.objects.filter(status__in=[Status.OPEN, Status.MATCHED]).select_related(
        "buyer", "region", "delivery_village"
    )


def public_opportunity(pk: int) -> Opportunity:
    found = Opportunity.objects.select_related("buyer", "region", "delivery_village").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def open_for_supplier(supplier, today: date):
    """Open opportunities a supplier may answer: its region's, with offers still accepted."""
    codes = [c for c in region_codes.ancestor_codes(supplier.village_id)]
    return public_open().filter(region_id__in=codes, deadline__gte=today).order_by("deadline", "pk")


@dataclass(frozen=True)
class Figures:
    opportunities: int
    suppliers_matched: int  # distinct suppliers invited or offering
    offers: int
    deals: int
    deal_value: int


def _moments(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _supplier_in(code: str, prefix: str = "") -> Q:
    return region_q(f"{prefix}business__village__code", [code], narrow=False) | region_q(
        f"{prefix}cooperative__village__code", [code], narrow=False
    )


def figures(code: str, start: date, end: date) -> Figures:
    """The office's opportunity figures for a region (any level; "" for the whole country) over a period:
    opportunities posted that its suppliers could answer (open to it, to a region above it, or to one inside it),
    its suppliers invited or offering, their offers, and the deals they won and their value (a deal recorded
    without an offer counts for the opportunity's own region)."""
    if not code:
        posted_q = supplier_q = won_q = Q()
    else:
        posted_q = Q(region_id__in=region_codes.ancestor_codes(code)) | region_q(
            "region__code", [code], narrow=False
        )
        supplier_q = _supplier_in(code)
        won_q = _supplier_in(code, "winning_offer__") | Q(
            region_q("region__code", [code], narrow=False), winning_offer__isnull=True
        )
    posted = Opportunity.objects.filter(posted_q, created_on__gte=start, created_on__lte=end)
    since, until = (
        _moments(start),
        _moments(end + timedelta(days=1)),
    )  # local days, as ranges an index can use
    invited = Invitation.objects.filter(supplier_q, sent_at__gte=since, sent_at__lt=until)
    offers = Offer.objects.filter(supplier_q, created_at__gte=since, created_at__lt=until)
    deals = Opportunity.objects.filter(won_q, outcome=Outcome.DEAL, closed_on__gte=start, closed_on__lte=end)
    totals = deals.aggregate(n=Count("pk"), value=Sum("deal_value"))
    suppliers = set(invited.values_list("business_id", "cooperative_id")) | set(
        offers.values_list("business_id", "cooperative_id")
    )
    return Figures(
        opportunities=posted.count(),
        suppliers_matched=len(suppliers),
        offers=offers.count(),
        deals=totals["n"] or 0,
        deal_value=totals["value"] or 0,
    )
