"""The cash book: sales and expenses by day and category, and the month's figures drawn from it."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import User
from naikkelas.core import validation
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditAction
from naikkelas.performance.constants import (
    COGS_CATEGORIES,
    ONLINE_CATEGORIES,
    SALE_CATEGORIES,
    Category,
    EntryKind,
    ReportSource,
)
from naikkelas.performance.models import Entry, MonthlyReport
from naikkelas.performance.selectors import add_months
from naikkelas.performance.services import DAY_FUTURE, DAY_INVALID, _require, report_save
from naikkelas.registry.models import Business

AMOUNT_INVALID = gettext_lazy("Amount: a whole number of Rupiah above 0, e.g. 150.000.")
KIND_INVALID = gettext_lazy("Kind: choose sale or expense.")
CATEGORY_INVALID = gettext_lazy("Category: choose one that fits a %(kind)s.")
NOTE_TOO_LONG = gettext_lazy("Note: at most 200 characters.")


def _entry_fields(data: Mapping) -> dict:
    errors: dict[str, list[str]] = {}
    fields: dict = {}
    raw_day = data.get("day") or data.get("date")
    try:
        day = validation.parse_date(raw_day) or timezone.localdate()
        if day > timezone.localdate():
            errors["day"] = [str(DAY_FUTURE)]
        fields["day"] = day
    except ValueError:
        errors["day"] = [str(DAY_INVALID)]
    kind = data.get("kind")
    if kind not in EntryKind.values:
        errors["kind"] = [str(KIND_INVALID)]
    category = data.get("category")
    sale = category in SALE_CATEGORIES
    if category not in Category.values or (kind == EntryKind.SALE) != sale:
        label = EntryKind(kind).label if kind in EntryKind.values else _("sale or expense")
        errors["category"] = [str(CATEGORY_INVALID) % {"kind": str(label).lower()}]
    try:
        amount = validation.parse_money(data.get("amount"))  # "Rp 15.000", "1,5 jt", "750rb"
        if amount is None or amount <= 0:
            raise ValueError
        fields["amount"] = amount
    except ValueError:
        errors["amount"] = [str(AMOUNT_INVALID)]
    note = (data.get("note") or "").strip()
    if len(note) > 200:
        errors["note"] = [str(NOTE_TOO_LONG)]
    if errors:
        raise ValidationError(errors)
    return {**fields, "kind": kind, "category": category, "note": note}


@transaction.atomic
def entry_add(*, actor: User, business: Business, data: Mapping) -> Entry:
    """A sale or an expense; the month's figures fill themselves from the books."""
    _require(actor, business)
    entry = Entry.objects.create(business=business, created_by=actor, **_entry_fields(data))
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=entry,
        region_code=business.village_id,
        after={
            "day": entry.day.isoformat(),
            "kind": entry.kind,
            "category": entry.category,
            "amount": entry.amount,
        },
    )
    month_from_books(actor=actor, business=business, month=entry.day.replace(day=1))
    return entry


@transaction.atomic
def entry_delete(*, actor: User, entry: Entry) -> None:
    _require(actor, entry.business)
    business, month = entry.business, entry.day.replace(day=1)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=entry,
        region_code=business.village_id,
        before={
            "day": entry.day.isoformat(),
            "kind": entry.kind,
            "category": entry.category,
            "amount": entry.amount,
        },
    )
    entry.delete()
    month_from_books(actor=actor, business=business, month=month)


def books_by_category(business: Business, month: date) -> list[tuple[str, str, int]]:
    """(kind, category label, total) of the month, sales first, largest first."""
    following = add_months(month, 1)
    rows = (
        Entry.objects.filter(business=business, day__gte=month, day__lt=following)
        .values("kind", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    out = [(r["kind"], str(Category(r["category"]).label), r["total"]) for r in rows]
    return sorted(out, key=lambda r: (r[0] != EntryKind.SALE, -r[2]))


def books_month(business: Business, month: date) -> dict[str, int]:
    """A month's totals from the books: sales, online sales, cost of goods (HPP), other expenses, profit."""
    following = add_months(month, 1)
    rows = (
        Entry.objects.filter(business=business, day__gte=month, day__lt=following)
        .values("category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    by = {r["category"]: r["total"] for r in rows}
    sales = sum(v for k, v in by.items() if k in SALE_CATEGORIES)
    cogs = sum(v for k, v in by.items() if k in COGS_CATEGORIES)
    expenses = sum(v for k, v in by.items() if k not in SALE_CATEGORIES)
    return {
        "sales": sales,
        "online": sum(v for k, v in by.items() if k in ONLINE_CATEGORIES),
        "cogs": cogs,
        "other_expenses": expenses - cogs,
        "expenses": expenses,
        "profit": sales - expenses,
        "entries": Entry.objects.filter(business=business, day__gte=month, day__lt=following).count(),
    }


def month_from_books(*, actor: User, business: Business, month: date) -> MonthlyReport | None:
    """Revenue, cost of goods, net profit and the online share of the month from the books; other figures the
    month holds (customers, employees …) stay."""
    _require(actor, business)
    totals = books_month(business, month)
    values: dict[str, object] = {
        "omzet": totals["sales"],
        "hpp": totals["cogs"],
        "laba_bersih": totals["profit"],
    }
    if totals["sales"]:
        values["penjualan_online"] = (Decimal(totals["online"]) * 100 / totals["sales"]).quantize(
            Decimal("0.01")
        )
    if not totals["entries"] and not MonthlyReport.objects.filter(business=business, month=month).exists():
        return None
    return report_save(actor=actor, business=business, month=month, values=values, source=ReportSource.BOOKS)
