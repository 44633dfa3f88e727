"""Reading opportunities: the office's list (scoped), the public list (open ones, no personal data), what a
supplier may answer, and the office's figures for its plan and account (planning's indicators call these)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.http import Http404

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


def figures(code: str, start: date, end: date) -> Figures:
    """The office's opportunity figures for a region (any level: opportunities open to it or inside it) over a
    period: opportunities posted, suppliers invited or offering, offers, deals closed and their value."""
    inside = region_q("region__code", [code], narrow=False) if code else Q()
    posted = Opportunity.objects.filter(inside, created_on__gte=start, created_on__lte=end)
    closed = Opportunity.objects.filter(
        inside, closed_on__gte=start, closed_on__lte=end, outcome=Outcome.DEAL
    )
    deals = closed.aggregate(n=Count("pk"), value=Sum("deal_value"))
    invited = Invitation.objects.filter(opportunity__in=posted).values_list("business_id", "cooperative_id")
    offered = Offer.objects.filter(opportunity__in=posted).values_list("business_id", "cooperative_id")
    return Figures(
        opportunities=posted.count(),
        suppliers_matched=len(set(invited) | set(offered)),
        offers=Offer.objects.filter(opportunity__in=posted).count(),
        deals=deals["n"] or 0,
        deal_value=deals["value"] or 0,
    )
