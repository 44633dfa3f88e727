"""Partnerships (kemitraan, PP 7/2021): who partners with whom in which pattern, the contract, and the sales through
it month by month: typed by the office, plus the involved owners' cash-book sales whose note names the partner
(an owner tags a sale by writing the partner's name, e.g. "Setor kopi ke Roastery Way Ratai")."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.opportunities.models import (
    BuyerKind,
    Partnership,
    PartnershipSale,
    PartnershipStatus,
    Pattern,
)
from naikkelas.opportunities.services import NOT_STAFF, can_manage
from naikkelas.performance.constants import EntryKind
from naikkelas.performance.models import Entry
from naikkelas.regions import codes as region_codes
from naikkelas.regions.models import Region
from naikkelas.regions.selectors import region_children
from naikkelas.registry import validation as v
from naikkelas.registry.models import Business, Cooperative

NO_MEMBER = gettext_lazy("Choose at least one business or cooperative taking part.")
MEMBER_OUTSIDE = gettext_lazy("%(name)s is not in the partnership's region.")
ENDS_BEFORE = gettext_lazy("Ends on: on or after the day it starts.")
BAD_MONTH = gettext_lazy("Month: a month like 2026-03.")
FIELDS = ("region", "pattern", "partner", "partner_kind", "starts_on", "ends_on", "contract_value", "status")


def _members(actor, ids, model, region_code: str) -> list:
    found = []
    for pk in ids or []:
        record = model.objects.filter(pk=int(pk)).first() if str(pk).isdigit() and len(str(pk)) < 19 else None
        if record is None:
            raise ValidationError({"members": [str(v.BAD_CHOICE % {"field": _("Taking part"), "value": pk})]})
        permissions.require_in_scope(actor, record)
        if not region_codes.code_within(record.village_id, region_code):
            raise ValidationError({"members": [str(MEMBER_OUTSIDE % {"name": record.name})]})
        found.append(record)
    return found


@transaction.atomic
def partnership_create(*, actor, data: Mapping) -> Partnership:
    permissions.require(can_manage(actor), NOT_STAFF)
    fields = v.clean_fields(data, {
        "pattern": (_("Pattern"), v.choice(Pattern)),
        "partner": (_("Partner"), v.text(max_length=160, required=True)),
        "partner_kind": (_("Kind of partner"), v.choice(BuyerKind)),
        "starts_on": (_("Starts on"), v.any_date),
        "ends_on": (_("Ends on"), v.any_date),
        "contract_value": (_("Contract value (Rp)"), v.money),
        "note": (_("Note"), v.text(max_length=300)),
    }, partial=False)  # fmt: skip
    for name, label in (("pattern", _("Pattern")), ("partner_kind", _("Kind of partner")),
                        ("starts_on", _("Starts on"))):  # fmt: skip
        if not fields[name]:
            raise ValidationError({name: [str(v.REQUIRED % {"field": label})]})
    if fields["ends_on"] and fields["ends_on"] < fields["starts_on"]:
        raise ValidationError({"ends_on": [str(ENDS_BEFORE)]})
    region = permissions.region_in_area(
        actor, data.get("region") or actor.region_id, field="region", label=_("Region")
    )
    businesses = _members(actor, data.get("businesses"), Business, region.code)
    cooperatives = _members(actor, data.get("cooperatives"), Cooperative, region.code)
    if not businesses and not cooperatives:
        raise ValidationError({"members": [str(NO_MEMBER)]})
    partnership = Partnership.objects.create(region=region, created_by=actor, note=fields["note"] or "",
                                             **{k: fields[k] for k in ("pattern", "partner", "partner_kind",
                                                                       "starts_on", "ends_on", "contract_value")})  # fmt: skip
    partnership.businesses.set(businesses)
    partnership.cooperatives.set(cooperatives)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=partnership, region_code=region.code,
                 after={**snapshot(partnership, FIELDS), "businesses": [b.pk for b in businesses],
                        "cooperatives": [c.pk for c in cooperatives]})  # fmt: skip
    return partnership


@transaction.atomic
def partnership_sale_record(*, actor, partnership: Partnership, month, amount) -> PartnershipSale:
    """The sales through the partnership in a month, typed by the office (replaces that month's figure)."""
    permissions.require(can_manage(actor), NOT_STAFF)
    permissions.require_in_scope(actor, partnership)
    try:
        day = v.validation.parse_month(month)
    except v.validation.ParseError:
        day = None
    if day is None:
        raise ValidationError({"month": [str(BAD_MONTH)]})
    value = v.clean_fields({"amount": amount}, {"amount": (_("Sales (Rp)"), v.money)}, partial=False)[
        "amount"
    ]
    if value is None:
        raise ValidationError({"amount": [str(v.REQUIRED % {"field": _("Sales (Rp)")})]})
    existing = PartnershipSale.objects.filter(partnership=partnership, month=day).first()
    before = snapshot(existing, ("partnership", "month", "amount")) if existing else None
    sale, _created = PartnershipSale.objects.update_or_create(
        partnership=partnership, month=day, defaults={"amount": value, "recorded_by": actor}
    )
    audit_record(actor=actor, action=AuditAction.UPDATE if existing else AuditAction.CREATE, obj=sale,
                 region_code=partnership.region_id, before=before,
                 after=snapshot(sale, ("partnership", "month", "amount")))  # fmt: skip
    return sale


def monthly_sales(partnership: Partnership) -> dict[date, dict[str, int]]:
    """Month → {"typed": Rp, "cash_book": Rp}: the office's figure and the involved owners' tagged sales."""
    months: dict[date, dict[str, int]] = defaultdict(lambda: {"typed": 0, "cash_book": 0})
    for sale in partnership.sales.all():
        months[sale.month]["typed"] = sale.amount
    tagged = (
        Entry.objects.filter(
            business__in=partnership.businesses.all(),
            kind=EntryKind.SALE,
            note__icontains=partnership.partner,
            day__gte=partnership.starts_on,
        )  # fmt: skip
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(total=Sum("amount"))
    )
    if partnership.ends_on:
        tagged = tagged.filter(day__lte=partnership.ends_on)
    for row in tagged:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        months[month]["cash_book"] = int(row["total"] or 0)
    return dict(sorted(months.items()))


@dataclass(frozen=True)
class YearRow:
    year: int
    started: int
    contract_value: int
    active: int
    sales: int


def summary(code: str, years: list[int]) -> list[YearRow]:
    """Per year: partnerships started in the region (and their contract value), active during the year, and the
    sales typed through them."""
    inside = region_q("region__code", [code], narrow=False) if code else Q()
    rows = []
    for year in years:
        first, last = date(year, 1, 1), date(year, 12, 31)
        started = (
            Partnership.objects.filter(inside, starts_on__gte=first, starts_on__lte=last)
            .exclude(status=PartnershipStatus.CANCELLED)
            .aggregate(n=Count("pk"), value=Sum("contract_value"))
        )
        active = Partnership.objects.filter(inside, starts_on__lte=last).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=first)).exclude(status=PartnershipStatus.CANCELLED).count()  # fmt: skip
        sales = PartnershipSale.objects.filter(
            region_q("partnership__region__code", [code], narrow=False) if code else Q(),
            month__gte=first, month__lte=last).aggregate(total=Sum("amount"))["total"] or 0  # fmt: skip
        rows.append(YearRow(year, started["n"] or 0, started["value"] or 0, active, sales))
    return rows


@dataclass(frozen=True)
class RegionRow:
    region: Region
    started: int
    contract_value: int
    active: int


def by_region(code: str, year: int) -> list[RegionRow]:
    """For each region just below `code` (provinces for the whole country): the partnerships its cooperatives and
    businesses take part in that started in the year (and their contract value), and those active during it. A
    partnership whose members lie in two regions counts in both."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    live = Partnership.objects.exclude(status=PartnershipStatus.CANCELLED)
    rows = []
    for region in region_children(parent=code or None).order_by("code"):
        members = region_q("businesses__village__code", [region.code], narrow=False) | region_q(
            "cooperatives__village__code", [region.code], narrow=False
        )
        ids = live.filter(members).values("pk").distinct()
        started = Partnership.objects.filter(pk__in=ids, starts_on__gte=first, starts_on__lte=last).aggregate(
            n=Count("pk"), value=Sum("contract_value")
        )
        active = (
            Partnership.objects.filter(pk__in=ids, starts_on__lte=last)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
            .count()
        )
        rows.append(RegionRow(region, started["n"] or 0, started["value"] or 0, active))
    return rows
