"""Is a supplier ready to sell to the government? A checklist from what naikkelas holds and what the office ticks.

Perpres 12/2021 and the LKPP's rules ask a supplier for an NIB, a tax number (NPWP), an account on SPSE/SIKaP, and
for food a PIRT, halal or BPOM number; the local e-catalogue lists products with photos, specifications and a
price. naikkelas holds the NIB, the certificates and the catalogue; the office ticks the rest, which naikkelas
cannot see. The score is the share of the checklist done; the next step is the first item not done.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from naikkelas.catalog.models import Product
from naikkelas.opportunities.models import Readiness
from naikkelas.registry.constants import DocumentKind
from naikkelas.registry.models import Business, Cooperative


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    done: bool
    ticked: bool  # an office tick rather than a fact naikkelas holds
    step: str  # what to do when it is not done


@dataclass(frozen=True)
class Checklist:
    items: list[Item]

    @property
    def score(self) -> int:
        return round(100 * sum(i.done for i in self.items) / len(self.items)) if self.items else 0

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.items if not i.done]

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def next_step(self) -> str:
        return (
            self.missing[0].step if self.missing else str(_("Ready: offer the products in e-Katalog lokal."))
        )


def _ticks(readiness: Readiness | None) -> list[Item]:
    r = readiness or Readiness()
    return [
        Item("npwp", str(_("Tax number (NPWP)")), r.npwp, True, str(_("Register an NPWP at the tax office."))),
        Item("spse", str(_("SPSE / SIKaP account")), r.spse, True,
             str(_("Register as a supplier in SIKaP through the LPSE."))),
        Item("bank_account", str(_("Business bank account")), r.bank_account, True,
             str(_("Open a bank account in the business's name."))),
        Item("ekatalog", str(_("Listed in e-Katalog lokal")), r.ekatalog, True,
             str(_("Ask the e-catalogue manager to list the products (send the product dossier)."))),
    ]  # fmt: skip


def for_business(business: Business, on: date) -> Checklist:
    documents = {d.kind for d in business.documents.all() if d.is_valid_on(on) and (d.issued_on or on) <= on}
    has_nib = bool(business.nib) or DocumentKind.NIB in documents
    food_permit = bool(documents & {DocumentKind.PIRT, DocumentKind.HALAL, DocumentKind.BPOM})
    complete = (
        Product.objects.filter(business=business, price__gt=0)
        .exclude(description="")
        .annotate(n=Count("photos"))
        .filter(n__gt=0)
        .exists()
    )
    items = [
        Item("nib", "NIB", has_nib, False, str(_("Get an NIB through OSS (oss.go.id)."))),
        Item("permit", str(_("PIRT, halal or BPOM valid")), food_permit, False,
             str(_("Apply for a PIRT (or halal certificate) and record it in naikkelas."))),
        Item("products", str(_("Products with photo, description and price")), complete, False,
             str(_("Add a product with a photo, a description and a price to the catalogue."))),
    ]  # fmt: skip
    return Checklist(items + _ticks(Readiness.objects.filter(business=business).first()))


def for_cooperative(cooperative: Cooperative) -> Checklist:
    items = [
        Item("legal", str(_("Legal entity number")), bool(cooperative.legal_entity_number), False,
             str(_("Record the cooperative's legal entity number."))),
        Item("nik", str(_("Nomor Induk Koperasi")), bool(cooperative.nik_koperasi), False,
             str(_("Record the Nomor Induk Koperasi (NIK) from ODS."))),
    ]  # fmt: skip
    return Checklist(items + _ticks(Readiness.objects.filter(cooperative=cooperative).first()))


def region_suppliers(businesses, on: date, *, limit: int = 500) -> tuple[list, list]:
    """Of the region's businesses with a catalogue product (the only ones an e-catalogue can list; the first
    `limit` by name): those ready, and those one item away from ready, as (business, checklist, product group),
    by product group and name."""
    ids = list(
        businesses.filter(Q(pk__in=Product.objects.values("business_id")))
        .order_by("name", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    groups: dict[int, str] = {}
    for pk, category in (
        Product.objects.filter(business_id__in=ids, category__isnull=False)
        .order_by("business_id", "category__order", "category__name")
        .values_list("business_id", "category__name")
    ):
        groups.setdefault(pk, category)
    ready, near = [], []
    for business in Business.objects.filter(pk__in=ids).prefetch_related("documents"):
        checklist = for_business(business, on)
        row = (business, checklist, groups.get(business.pk, ""))
        if checklist.ready:
            ready.append(row)
        elif len(checklist.missing) == 1:
            near.append(row)
    order = lambda row: (row[2] or "~", row[0].name.lower(), row[0].pk)  # noqa: E731
    return sorted(ready, key=order), sorted(near, key=order)
