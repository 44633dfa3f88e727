"""Every performance write: monthly reports (entered, imported or filled from the books), targets, and the
owners' bookkeeping. Validated with Indonesian messages, in one transaction, audited with before and after."""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.constants import Role
from naikkelas.accounts.models import User
from naikkelas.core import validation
from naikkelas.core.audit import audit_record
from naikkelas.core.images import decode_all, shrunk_jpeg
from naikkelas.core.language import in_reader_language
from naikkelas.core.models import AuditAction
from naikkelas.performance import formulas
from naikkelas.performance.constants import (
    COGS_CATEGORIES,
    ONLINE_CATEGORIES,
    SALE_CATEGORIES,
    Category,
    EntryKind,
    ReportSource,
)
from naikkelas.performance.models import Entry, Kpi, MonthlyReport, ReportValue, Target
from naikkelas.performance.selectors import add_months
from naikkelas.registry.models import Business

CANNOT_WRITE = gettext_lazy("Only the owner, their field officer or an office admin can change this.")
MONTH_INVALID = gettext_lazy("Month: write it as YYYY-MM, e.g. 2026-03.")
MONTH_FUTURE = gettext_lazy("Month: %(month)s has not come yet.")
NUMBER_INVALID = gettext_lazy("%(kpi)s: “%(value)s” is not a number.")
BELOW_MINIMUM = gettext_lazy("%(kpi)s: cannot be below %(limit)s (%(value)s given).")
ABOVE_MAXIMUM = gettext_lazy("%(kpi)s: cannot be above %(limit)s (%(value)s given).")
DERIVED_OUT_OF_RANGE = gettext_lazy(
    "%(kpi)s comes out at %(value)s from the other figures, which is impossible: check them."
)
UNKNOWN_KPI = gettext_lazy("“%(key)s” is not a KPI.")
DERIVED_NOT_ENTERED = gettext_lazy("%(kpi)s is computed from the other figures and cannot be entered.")
NOTHING_ENTERED = gettext_lazy("Fill in at least one figure.")
AMOUNT_INVALID = gettext_lazy("Amount: a whole number of Rupiah above 0, e.g. 150.000.")
DAY_INVALID = gettext_lazy("Date: use the format YYYY-MM-DD.")
DAY_FUTURE = gettext_lazy("Date: cannot be in the future.")
KIND_INVALID = gettext_lazy("Kind: choose sale or expense.")
CATEGORY_INVALID = gettext_lazy("Category: choose one that fits a %(kind)s.")
NOTE_TOO_LONG = gettext_lazy("Note: at most 200 characters.")
TARGET_RANGE = gettext_lazy("Target: the last month cannot come before the first.")


# Roles that may write performance data; which businesses comes from scope (an owner: their own).
can_write = permissions.rule("write_performance")


def source_for(user: User) -> str:
    """Whose figures these are: the owner's own, or an officer's entry for them."""
    return ReportSource.OWNER if user.effective_role == Role.BUSINESS_OWNER else ReportSource.OFFICER


def _require(user: User, business: Business) -> None:
    """A role that writes performance data, on a business in its area (an owner: their own)."""
    if not can_write(user):
        raise PermissionDenied(str(CANNOT_WRITE))
    permissions.require_in_scope(user, business)
    if not permissions.can_edit_business(user, business):
        raise PermissionDenied(str(CANNOT_WRITE))


def parse_month(value) -> date:
    """'2026-03' (or a date) → 1 March 2026; a month after the current one is refused."""
    month = _month_any(value)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": [str(MONTH_FUTURE) % {"month": month.strftime("%m/%Y")}]})
    return month


def parse_number(raw) -> Decimal:
    """A KPI figure (core.validation.parse_number); an empty one is refused like a wrong one."""
    number = validation.parse_number(raw)
    if number is None:
        raise validation.ParseError(validation.NOT_NUMBER)
    return number


def _label(kpi: Kpi) -> str:
    return in_reader_language(kpi.name, kpi.name_en)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check_range(kpi: Kpi, value: Decimal, errors: dict, *, derived: bool = False) -> None:
    low, high = kpi.minimum, kpi.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        if derived:
            message = str(DERIVED_OUT_OF_RANGE) % {"kpi": _label(kpi), "value": _fmt(value)}
        elif low is not None and value < low:
            message = str(BELOW_MINIMUM) % {"kpi": _label(kpi), "limit": _fmt(low), "value": _fmt(value)}
        else:
            message = str(ABOVE_MAXIMUM) % {"kpi": _label(kpi), "limit": _fmt(high), "value": _fmt(value)}
        errors.setdefault(kpi.key, []).append(message)


def kpis() -> list[Kpi]:
    return list(Kpi.objects.filter(active=True))


def clean_values(raw: Mapping[str, object], *, allow_empty: bool = False) -> dict[str, Decimal]:
    """Entered figures (KPI key → text or number) checked and with the derived KPIs computed from them."""
    library = {k.key: k for k in kpis()}
    errors: dict[str, list[str]] = {}
    values: dict[str, Decimal] = {}
    for key, value in raw.items():
        kpi = library.get(key)
        if kpi is None:
            errors.setdefault("values", []).append(str(UNKNOWN_KPI) % {"key": key})
            continue
        if value in (None, ""):
            continue
        if kpi.formula:
            errors.setdefault(key, []).append(str(DERIVED_NOT_ENTERED) % {"kpi": _label(kpi)})
            continue
        try:
            number = parse_number(value)
        except ValueError:
            errors.setdefault(key, []).append(str(NUMBER_INVALID) % {"kpi": _label(kpi), "value": value})
            continue
        _check_range(kpi, number, errors)
        values[key] = number
    if not values and not errors and not allow_empty:
        errors["values"] = [str(NOTHING_ENTERED)]
    if not errors:
        for kpi in library.values():
            if kpi.formula:
                derived = formulas.evaluate(kpi.formula, values)
                if derived is not None:
                    _check_range(kpi, derived, errors, derived=True)
                    values[kpi.key] = derived
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def report_save(
    *,
    actor: User,
    business: Business,
    month,
    values: Mapping[str, object],
    source: str,
    replace: bool = False,
) -> MonthlyReport:
    """Enter or correct a month's figures. Figures not given keep what the month had (unless `replace`);
    the derived ones are computed again. The audit log keeps what the month held before."""
    _require(actor, business)
    month = parse_month(month)
    report = MonthlyReport.objects.select_for_update().filter(business=business, month=month).first()
    before = _values_of(report) if report else {}
    derived = set(Kpi.objects.exclude(formula="").values_list("key", flat=True))
    given = clean_values(values)  # the figures checked on their own, for messages about them
    entered = {} if replace else {k: v for k, v in before.items() if k not in derived}
    entered.update({k: v for k, v in given.items() if k not in derived})
    cleaned = clean_values(entered)  # and together with what the month already held
    if report is None:
        report = MonthlyReport.objects.create(business=business, month=month, source=source, created_by=actor)
    else:
        report.source = source
        report.save(update_fields=["source", "updated_at"])
        report.values.all().delete()
    library = {k.key: k for k in kpis()}
    ReportValue.objects.bulk_create(
        [ReportValue(report=report, kpi=library[k], value=v) for k, v in cleaned.items()]
    )
    after = {k: _fmt(v) for k, v in cleaned.items()}
    if after != {k: _fmt(v) for k, v in before.items()}:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if not before else AuditAction.UPDATE,
            obj=report,
            region_code=business.village_id,
            before={k: _fmt(v) for k, v in before.items()} or None,
            after={"month": month.isoformat(), "source": source, **after},
        )
    return report


def _values_of(report: MonthlyReport) -> dict[str, Decimal]:
    return {v.kpi.key: v.value for v in report.values.select_related("kpi")}


@transaction.atomic
def target_set(*, actor: User, business: Business, kpi_key: str, start, end, value) -> Target:
    _require(actor, business)
    kpi = Kpi.objects.filter(key=kpi_key, active=True).first()
    if kpi is None:
        raise ValidationError({"kpi": [str(UNKNOWN_KPI) % {"key": kpi_key}]})
    errors: dict[str, list[str]] = {}
    try:
        first = _month_any(start)
        last = _month_any(end)
    except ValidationError as err:
        raise ValidationError({"start": err.message_dict["month"]}) from None
    if last < first:
        errors["end"] = [str(TARGET_RANGE)]
    try:
        number = parse_number(value)
        _check_range(kpi, number, errors)
    except ValueError:
        errors["value"] = [str(NUMBER_INVALID) % {"kpi": _label(kpi), "value": value}]
    if errors:
        raise ValidationError(errors)
    target = Target.objects.create(
        business=business, kpi=kpi, start=first, end=last, value=number, set_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=target,
        region_code=business.village_id,
        after={"kpi": kpi.key, "start": first.isoformat(), "end": last.isoformat(), "value": _fmt(number)},
    )
    return target


def _month_any(value) -> date:
    """'2026-03', '03/2026', 'Maret 2026' (or a date) → 1 March 2026, future months too (targets)."""
    try:
        month = validation.parse_month(value)
    except validation.ParseError:
        month = None
    if month is None:
        raise ValidationError({"month": [str(MONTH_INVALID)]})
    return month


# --- bookkeeping ----------------------------------------------------------------------------------------------


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


# --- SOP library ----------------------------------------------------------------------------------------------

SOP_ADOPTED = gettext_lazy("This business has already adopted this SOP.")
SOP_NOT_PUBLISHED = gettext_lazy("This SOP version is not published.")
CANNOT_EDIT_SOP = gettext_lazy("Only office admins edit the SOP library.")
SOP_TITLE_REQUIRED = gettext_lazy("Title: fill it in.")
SOP_STEPS_REQUIRED = gettext_lazy("Steps: write at least one step, one per line.")


def sop_adopt(*, actor: User, business: Business, template, adopted_on=None, evidence=None):
    """The business works by this SOP from `adopted_on`, with a photo of it in use (optional), decoded before
    the transaction that records it."""
    _require(actor, business)
    photos, photo_errors = decode_all(
        [evidence] if evidence else [], lambda p: shrunk_jpeg(p, max_px=1280, field="evidence")
    )
    return _sop_adopt(
        actor=actor,
        business=business,
        template=template,
        adopted_on=adopted_on,
        photo=photos[0] if photos else None,
        photo_errors=photo_errors,
    )


@transaction.atomic
def _sop_adopt(*, actor, business, template, adopted_on, photo, photo_errors):
    from naikkelas.performance.models import SopAdoption

    if not template.published:
        raise ValidationError({"template": [str(SOP_NOT_PUBLISHED)]})
    if SopAdoption.objects.filter(business=business, template__key=template.key).exists():
        raise ValidationError({"template": [str(SOP_ADOPTED)]})
    errors: dict[str, list[str]] = {}
    try:
        day = validation.parse_date(adopted_on) or timezone.localdate()
        if day > timezone.localdate():
            errors["adopted_on"] = [str(DAY_FUTURE)]
    except ValueError:
        errors["adopted_on"] = [str(DAY_INVALID)]
    if photo_errors:
        errors["evidence"] = photo_errors
    if errors:
        raise ValidationError(errors)
    adoption = SopAdoption(business=business, template=template, adopted_on=day, created_by=actor)
    if photo is not None:
        adoption.evidence.save(photo.name, photo, save=False)
    adoption.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=adoption,
        region_code=business.village_id,
        after={
            "sop": template.key,
            "version": template.version,
            "adopted_on": day.isoformat(),
            "evidence": bool(photo),
        },
    )
    return adoption


@transaction.atomic
def sop_new_version(*, actor: User, source, data: Mapping):
    """A new published version of an SOP (title, sector, purpose, steps); earlier adoptions keep theirs."""
    from naikkelas.performance.models import SopTemplate

    permissions.require_rule(actor, "edit_settings", CANNOT_EDIT_SOP)
    title = (data.get("title") or "").strip()
    steps = "\n".join(line.strip() for line in (data.get("steps") or "").splitlines() if line.strip())
    errors = {}
    if not title:
        errors["title"] = [str(SOP_TITLE_REQUIRED)]
    if not steps:
        errors["steps"] = [str(SOP_STEPS_REQUIRED)]
    if errors:
        raise ValidationError(errors)
    latest = SopTemplate.objects.select_for_update().filter(key=source.key).order_by("-version").first()
    template = SopTemplate.objects.create(
        key=source.key,
        version=latest.version + 1,
        title=title[:160],
        sector=(data.get("sector") or "").strip()[:120],
        purpose=(data.get("purpose") or "").strip(),
        steps=steps,
        published=True,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=template,
        after={"sop": template.key, "version": template.version, "based_on": source.version},
    )
    return template


# --- the KPI library ------------------------------------------------------------------------------------------

CANNOT_EDIT_KPI = gettext_lazy("Only office admins edit the KPI library.")
KPI_KEY_INVALID = gettext_lazy("Key: lower-case letters, digits and _ only, e.g. omzet_online.")
KPI_KEY_TAKEN = gettext_lazy("Key: another KPI already has it.")
KPI_NAME_REQUIRED = gettext_lazy("Name: fill it in.")
KPI_UNIT_REQUIRED = gettext_lazy("Unit: fill it in (Rp, %, orang, kg …).")
FORMULA_INVALID = gettext_lazy("Formula: use KPI keys, numbers, + − × ÷ and brackets only.")
FORMULA_UNKNOWN = gettext_lazy("Formula: %(names)s is not a KPI that is entered.")
LIMITS_INVALID = gettext_lazy("The lowest allowed value must not be above the highest.")


@transaction.atomic
def kpi_save(*, actor: User, kpi: Kpi | None, data: Mapping) -> Kpi:
    """Add a KPI to the library or change one. Reports keep the figures they hold."""
    permissions.require_rule(actor, "edit_settings", CANNOT_EDIT_KPI)
    errors: dict[str, list[str]] = {}
    target = kpi or Kpi()
    if kpi is None:
        key = (data.get("key") or "").strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", key):
            errors["key"] = [str(KPI_KEY_INVALID)]
        elif Kpi.objects.filter(key=key).exists():
            errors["key"] = [str(KPI_KEY_TAKEN)]
        target.key = key
    target.name = (data.get("name") or "").strip()[:120]
    target.name_en = (data.get("name_en") or "").strip()[:120]
    target.unit = (data.get("unit") or "").strip()[:20]
    if not target.name:
        errors["name"] = [str(KPI_NAME_REQUIRED)]
    if not target.unit:
        errors["unit"] = [str(KPI_UNIT_REQUIRED)]
    target.direction = data.get("direction") if data.get("direction") in ("higher", "lower") else "higher"
    formula = (data.get("formula") or "").strip()
    if formula:
        try:
            used = formulas.names(formula)
        except formulas.FormulaError:
            errors["formula"] = [str(FORMULA_INVALID)]
        else:
            entered = set(Kpi.objects.filter(formula="").exclude(pk=target.pk).values_list("key", flat=True))
            unknown = sorted(used - entered)
            if unknown:
                errors["formula"] = [str(FORMULA_UNKNOWN) % {"names": ", ".join(unknown)}]
    target.formula = formula
    limits = {}
    for name in ("minimum", "maximum"):
        raw = data.get(name)
        if raw in (None, ""):
            limits[name] = None
            continue
        try:
            limits[name] = parse_number(raw)
        except ValueError:
            errors[name] = [str(NUMBER_INVALID) % {"kpi": target.name or target.key, "value": raw}]
    if (
        limits.get("minimum") is not None
        and limits.get("maximum") is not None
        and limits["minimum"] > limits["maximum"]
    ):
        errors["maximum"] = [str(LIMITS_INVALID)]
    if errors:
        raise ValidationError(errors)
    target.minimum, target.maximum = limits["minimum"], limits["maximum"]
    target.active = bool(data.get("active", True))
    if kpi is None:
        target.order = (Kpi.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    before = None if kpi is None else {"name": kpi.name, "formula": kpi.formula, "unit": kpi.unit}
    target.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if kpi is None else AuditAction.UPDATE,
        obj=target,
        before=before,
        after={
            "key": target.key,
            "name": target.name,
            "formula": target.formula,
            "unit": target.unit,
            "active": target.active,
        },
    )
    return target
