"""Writes of the office's plans (Renstra and Renja): the plan, its nodes on the nomenclature of urusan 2.17, each
node's indicators with baseline and yearly targets, its budget and what was spent of it per quarter.

Every function checks the actor's rule and area itself, for the plan and every node it touches, whoever calls it
(page, API, the Renja import). A bad figure is an Indonesian message naming the field; nothing is half-saved."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.core import validation
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditAction
from naikkelas.planning import nomenclature
from naikkelas.planning.indicators import BY_CODE
from naikkelas.planning.models import (
    CustomIndicator,
    Plan,
    PlanBudget,
    PlanKind,
    PlanNode,
    PlanTarget,
    PokokPikiran,
)
from naikkelas.regions import codes

CANNOT_PLAN = gettext_lazy("Only an office admin edits the office's plans.")
RENSTRA_YEARS = 5
QUARTERS = ("q1", "q2", "q3", "q4")


def _require_plan(actor, plan: Plan) -> None:
    permissions.require_rule(actor, "edit_settings", CANNOT_PLAN)
    if not permissions.covers(actor, plan.region_id):
        raise PermissionDenied(str(permissions.OUT_OF_SCOPE))


def _field(read, data: Mapping, key: str, label, errors: dict):
    try:
        return validation.form_value(read, data.get(key), key, label)
    except ValidationError as err:
        errors.update(err.message_dict)
        return None


def plan_create(*, actor, data: Mapping) -> Plan:
    """A Renstra (five years from the first) or a Renja (one year) for a region in the actor's area."""
    permissions.require_rule(actor, "edit_settings", CANNOT_PLAN)
    region = permissions.region_in_area(actor, data.get("region"))
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "").strip().lower()
    if kind not in PlanKind.values:
        errors["kind"] = [_("Plan: choose Renstra or Renja.")]
    year = _field(validation.parse_year, data, "first_year", _("First year"), errors)
    if year is None and "first_year" not in errors:
        errors["first_year"] = [_("First year: fill it in.")]
    if errors:
        raise ValidationError(errors)
    last = year + RENSTRA_YEARS - 1 if kind == PlanKind.RENSTRA else year
    title = str(data.get("title") or "").strip()[:200]
    try:
        with transaction.atomic():
            plan = Plan.objects.create(region=region, kind=kind, first_year=year, last_year=last, title=title,
                                       created_by=actor)  # fmt: skip
            audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, region_code=region.code,
                         after={"kind": kind, "first_year": year, "last_year": last})  # fmt: skip
    except IntegrityError:
        raise ValidationError(
            {"first_year": [_("This region already has this plan for %(year)s.") % {"year": year}]}
        ) from None
    return plan


def check_code(plan: Plan, raw) -> nomenclature.Entry:
    """A code of the nomenclature, at the plan's tier (a province's kegiatan are x.x.xx.1.xx, a regency's .2.)."""
    code = nomenclature.normalise(raw)
    entry = nomenclature.entry(code)
    if entry is None:
        raise ValidationError(
            {"code": [_("Code %(code)s is not in the nomenclature of urusan 2.17.") % {"code": code or "-"}]}
        )
    tier = nomenclature.tier_of(code)
    own = 1 if codes.level_of(plan.region_id) == 1 else 2
    if tier is not None and tier != own:
        raise ValidationError({"code": [
            _("Code %(code)s is a %(whose)s kegiatan; this plan is a %(plan)s office's.")
            % {"code": code, "whose": _("province's") if tier == 1 else _("regency's or city's"),
               "plan": _("province") if own == 1 else _("regency or city")}
        ]})  # fmt: skip
    return entry


def _node(plan: Plan, entry: nomenclature.Entry, bidang: str | None, sasaran: str | None = None) -> PlanNode:
    """The plan's node for the code, made with its parents when missing (a sub-kegiatan brings its kegiatan and
    program); a bidang or sasaran given replaces the node's."""
    parent = _node(plan, nomenclature.entry(entry.parent), None) if entry.parent else None
    node, created = PlanNode.objects.get_or_create(
        plan=plan, code=entry.code,
        defaults={"name": entry.name[:300], "level": entry.level, "parent": parent, "bidang": bidang or "",
                  "sasaran": sasaran or ""},
    )  # fmt: skip
    changed = {k: v for k, v in (("bidang", bidang), ("sasaran", sasaran)) if v and getattr(node, k) != v}
    if not created and changed:
        for k, v in changed.items():
            setattr(node, k, v)
        node.save(update_fields=list(changed))
    return node


def plan_node_add(*, actor, plan: Plan, data: Mapping) -> PlanNode:
    _require_plan(actor, plan)
    entry = check_code(plan, data.get("code"))
    bidang = str(data.get("bidang") or "").strip()[:120]
    sasaran = str(data.get("sasaran") or "").strip()[:300]
    with transaction.atomic():
        node = _node(plan, entry, bidang, sasaran)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=plan, region_code=plan.region_id,
                     after={"node": node.code, "bidang": bidang})  # fmt: skip
    return node


def plan_node_delete(*, actor, node: PlanNode) -> None:
    _require_plan(actor, node.plan)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=node, region_code=node.plan.region_id,
                     before={"code": node.code})  # fmt: skip
        node.delete()


def _numbers_by_year(plan: Plan, data: Mapping, prefix: str, label, errors: dict) -> dict[str, str]:
    found = {}
    for year in plan.years:
        key = f"{prefix}_{year}"
        value = _field(validation.parse_number, data, key, f"{label} {year}", errors)
        if value is not None:
            found[str(year)] = plain_number(value)
    return found


def plain_number(value: Decimal) -> str:
    """500 (not 500.0 or 5E+2), 12.5: as a figure is stored in a target and shown."""
    return format(value.normalize(), "f")


def clean_target(plan: Plan, data: Mapping) -> tuple[dict, dict]:
    """The fields of a node's indicator from a form or the import, and the errors by field."""
    errors: dict[str, list[str]] = {}
    code = str(data.get("indicator_code") or "").strip().upper()
    own = {
        c.code: c for c in CustomIndicator.objects.filter(region_id__in=codes.ancestor_codes(plan.region_id))
    }
    name = str(data.get("name") or "").strip()
    unit = str(data.get("unit") or "").strip()
    if code:
        known = BY_CODE.get(code) or own.get(code)
        if known is None:
            errors["indicator_code"] = [_("Unknown indicator: %(codes)s.") % {"codes": code}]
        else:
            name, unit = name or known.name, unit or known.unit
    if not name:
        errors["name"] = [_("Indicator: name it, or choose one from the library.")]
    fields = {
        "indicator_code": code, "name": name[:300], "unit": unit[:40],
        "baseline": _field(validation.parse_number, data, "baseline", _("Baseline"), errors),
        "targets": _numbers_by_year(plan, data, "target", _("Target"), errors),
        "realised": _numbers_by_year(plan, data, "realised", _("Realisation"), errors),
        "explanations": {
            str(y): str(data.get(f"explanation_{y}")).strip()[:2000]
            for y in plan.years if str(data.get(f"explanation_{y}") or "").strip()
        },
    }  # fmt: skip
    return fields, errors


def plan_target_save(*, actor, node: PlanNode, data: Mapping, target: PlanTarget | None = None) -> PlanTarget:
    """Add an indicator to a node, or change one of its own (a target of another node is refused)."""
    _require_plan(actor, node.plan)
    if target is not None and target.node_id != node.pk:
        raise PermissionDenied(str(permissions.OUT_OF_SCOPE))
    fields, errors = clean_target(node.plan, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if target is None:
            target = PlanTarget.objects.create(node=node, position=node.targets.count(), **fields)
        else:
            PlanTarget.objects.filter(pk=target.pk).update(**fields)
            target.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=node, region_code=node.plan.region_id,
                     after={"indicator": target.name[:120], "targets": target.targets,
                            "realised": target.realised})  # fmt: skip
    return target


def clean_budget(plan: Plan, data: Mapping) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    year = _field(validation.parse_year, data, "year", _("Year"), errors)
    if year is not None and year not in plan.years:
        errors["year"] = [
            _("Year: the plan runs %(first)s–%(last)s.") % {"first": plan.first_year, "last": plan.last_year}
        ]
    pagu = _field(validation.parse_money, data, "pagu", _("Budget (pagu)"), errors)
    if pagu is None and "pagu" not in errors:
        errors["pagu"] = [_("Budget (pagu): fill it in.")]
    quarters = {}
    for n, key in enumerate(QUARTERS, start=1):
        quarters[key] = _field(
            validation.parse_money, data, key, _("Spent in quarter %(n)s") % {"n": n}, errors
        )
    if any(v is not None and v < 0 for v in [pagu, *quarters.values()]):
        errors.setdefault("pagu", []).append(_("Budget and spending cannot be negative."))
    spent = sum(v or 0 for v in quarters.values())
    if pagu is not None and not errors and spent > pagu:
        errors["q4"] = [
            _("Spending (Rp %(spent)s) is above the budget (Rp %(pagu)s).")
            % {"spent": f"{spent:,}".replace(",", "."), "pagu": f"{pagu:,}".replace(",", ".")}
        ]
    fields = {"pagu": Decimal(pagu or 0), **{k: Decimal(v or 0) for k, v in quarters.items()}}
    return {"year": year, **fields}, errors


def plan_budget_save(*, actor, node: PlanNode, data: Mapping) -> PlanBudget:
    """A node's budget for a year of its plan, with what was spent each quarter (never above the budget)."""
    _require_plan(actor, node.plan)
    fields, errors = clean_budget(node.plan, data)
    if errors:
        raise ValidationError(errors)
    year = fields.pop("year")
    with transaction.atomic():
        budget, _created = PlanBudget.objects.update_or_create(node=node, year=year, defaults=fields)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=node, region_code=node.plan.region_id,
                     after={"year": year, **{k: str(v) for k, v in fields.items()}})  # fmt: skip
    return budget


def pokok_pikiran_link(*, actor, point: PokokPikiran, node_ids) -> PokokPikiran:
    """Link a DPRD point to the plan entries that answer it: entries of plans of the point's own region."""
    permissions.require_rule(actor, "edit_settings", CANNOT_PLAN)
    if not permissions.covers(actor, point.region_id):
        raise PermissionDenied(str(permissions.OUT_OF_SCOPE))
    try:
        wanted = sorted({int(n) for n in node_ids or []})
    except (TypeError, ValueError):
        raise ValidationError({"nodes": [_("Choose plan entries from the list.")]}) from None
    nodes = list(PlanNode.objects.filter(pk__in=wanted, plan__region_id=point.region_id))
    if len(nodes) != len(wanted):
        raise ValidationError({"nodes": [_("Choose entries of this region's own plans.")]})
    with transaction.atomic():
        point.nodes.set(nodes)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=point, region_code=point.region_id,
                     after={"nodes": [n.code for n in nodes]})  # fmt: skip
    return point
