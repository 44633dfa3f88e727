"""Monthly KPI reports (entered, imported or filled from the books) and targets, and what the performance
modules share: who may write (_require), reading figures and months. The cash book is in books.py, the SOP
library in sops.py, the KPI library in library.py. Validated with Indonesian messages, in one transaction, audited
with before and after."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.constants import Role
from naikkelas.accounts.models import User
from naikkelas.core import validation
from naikkelas.core.audit import audit_record
from naikkelas.core.language import in_reader_language
from naikkelas.core.models import AuditAction
from naikkelas.performance import formulas
from naikkelas.performance.constants import (
    ReportSource,
)
from naikkelas.performance.models import Kpi, MonthlyReport, ReportValue, Target
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
DAY_INVALID = gettext_lazy("Date: use the format YYYY-MM-DD.")
DAY_FUTURE = gettext_lazy("Date: cannot be in the future.")
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
