"""The office's KPI library: the KPIs businesses report, their units, limits and formulas."""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.models import User
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditAction
from naikkelas.performance import formulas
from naikkelas.performance.models import Kpi
from naikkelas.performance.services import NUMBER_INVALID, parse_number

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
