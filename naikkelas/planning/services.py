"""Writes of the planning app: an office's own indicators (a ratio of two shipped counts)."""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.core import validation
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditAction
from naikkelas.core.uploads import document_ok
from naikkelas.planning.counts import COUNTS, FILTERS
from naikkelas.planning.indicators import BY_CODE
from naikkelas.planning.models import CustomIndicator, ManualValue, PokokPikiran
from naikkelas.regions import codes

CANNOT_DEFINE = gettext_lazy("Only an office admin defines the office's indicators.")
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{1,19}$")


def _filters(side: str, count_name: str, raw) -> dict:
    label = _("numerator") if side == "numerator" else _("denominator")
    if not isinstance(raw, Mapping):
        raise ValidationError(
            {f"{side}_filters": [_("%(side)s filters must be field: value pairs.") % {"side": label}]}
        )
    allowed = COUNTS[count_name].filters
    cleaned = {}
    for key, value in raw.items():
        if value in (None, ""):
            continue
        if key not in allowed:
            raise ValidationError({f"{side}_filters": [
                _("%(count)s cannot be filtered by '%(key)s'; it takes: %(allowed)s.")
                % {"count": COUNTS[count_name].label, "key": key, "allowed": ", ".join(allowed) or "-"}
            ]})  # fmt: skip
        choices = FILTERS[key][1]
        if choices is not None and value not in choices:
            raise ValidationError({f"{side}_filters": [
                _("'%(value)s' is not a %(filter)s; choose one of: %(choices)s.")
                % {"value": value, "filter": FILTERS[key][0], "choices": ", ".join(choices)}
            ]})  # fmt: skip
        cleaned[key] = str(value).strip()[:120]
    return cleaned


def custom_indicator_create(*, actor, data: Mapping) -> CustomIndicator:
    """A ratio of two shipped counts with their filters, for the actor's region (or one inside it)."""
    permissions.require_rule(actor, "edit_settings", CANNOT_DEFINE)
    region = permissions.region_in_area(actor, data.get("region"))
    errors: dict[str, list[str]] = {}
    code = str(data.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        errors["code"] = [_("Code: 2 to 20 capital letters, digits, dots or dashes (e.g. DINAS-01).")]
    elif code in BY_CODE:
        errors["code"] = [_("Code %(code)s belongs to a shipped indicator.") % {"code": code}]
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 200:
        errors["name"] = [_("Name: fill it in (at most 200 characters).")]
    manual = str(data.get("manual") or "").lower() in ("1", "true", "on", "ya")
    unit = str(data.get("unit") or "").strip() if manual else "%"
    if manual and not 0 < len(unit) <= 40:
        errors["unit"] = [_("Unit: fill it in (e.g. persen, unit, orang, Rp), at most 40 characters.")]
    for side in ("numerator", "denominator") if not manual else ():
        count = str(data.get(side) or "").strip()
        if count not in COUNTS:
            errors[side] = [
                _("Unknown count '%(count)s'; choose one of: %(choices)s.")
                % {"count": count, "choices": ", ".join(COUNTS)}
            ]
    if errors:
        raise ValidationError(errors)
    fields = (
        {"manual": True, "unit": unit}
        if manual
        else {
            "numerator": data["numerator"].strip(),
            "numerator_filters": _filters(
                "numerator", data["numerator"].strip(), data.get("numerator_filters") or {}
            ),
            "denominator": data["denominator"].strip(),
            "denominator_filters": _filters(
                "denominator", data["denominator"].strip(), data.get("denominator_filters") or {}
            ),
        }
    )
    try:
        with transaction.atomic():
            indicator = CustomIndicator.objects.create(
                region=region, code=code, name=name, created_by=actor, **fields
            )
            audit_record(actor=actor, action=AuditAction.CREATE, obj=indicator, region_code=region.code)
    except IntegrityError:
        raise ValidationError(
            {"code": [_("This region already has an indicator %(code)s.") % {"code": code}]}
        ) from None
    return indicator


def custom_indicator_delete(*, actor, indicator: CustomIndicator) -> None:
    permissions.require_rule(actor, "edit_settings", CANNOT_DEFINE)
    permissions.require_in_scope(actor, indicator)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=indicator, region_code=indicator.region_id)
        indicator.delete()


def manual_value_record(*, actor, indicator: CustomIndicator, data: Mapping, evidence) -> ManualValue:
    """The year's value of a manual indicator; the evidence file (PDF, JPEG or PNG) is required, and a value typed
    again for the same year replaces the earlier one (both audited)."""
    permissions.require_rule(actor, "edit_settings", CANNOT_DEFINE)
    permissions.require_in_scope(actor, indicator)
    if not indicator.manual:
        raise ValidationError({"value": [_("%(code)s is computed from the records; it takes no typed value.")
                                         % {"code": indicator.code}]})  # fmt: skip
    errors: dict[str, list[str]] = {}
    read = {}
    for field, reader, label, missing in (
        ("year", validation.parse_year, _("Year"), _("Year: fill it in.")),
        ("value", validation.parse_number, _("Indicator value"), _("Value: fill it in.")),
    ):
        try:
            read[field] = validation.form_value(reader, data.get(field), field, label)
        except ValidationError as err:
            errors.update(err.message_dict)
            continue
        if read[field] is None:
            errors[field] = [missing]
    year, value = read.get("year"), read.get("value")
    if evidence is None:
        errors["evidence"] = [_("A typed value needs its evidence file (PDF, JPEG or PNG, at most 10 MB).")]
    elif not document_ok(evidence):
        errors["evidence"] = [_("Evidence: only a PDF, JPEG or PNG of at most 10 MB.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = ManualValue.objects.filter(indicator=indicator, year=year).first()
        if before is not None:
            old = {"value": str(before.value), "evidence": before.evidence.name}
            before.evidence.delete(save=False)
            before.delete()
        record = ManualValue(indicator=indicator, year=year, value=value, note=str(data.get("note") or "")[:255],
                             entered_by=actor)  # fmt: skip
        record.evidence.save(evidence.name.rsplit("/", 1)[-1][:100], evidence, save=False)
        record.save()
        audit_record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=record,
                     region_code=indicator.region_id, before=old if before else None,
                     after={"value": str(value), "evidence": record.evidence.name})  # fmt: skip
    return record


def pokok_pikiran_record(*, actor, data: Mapping) -> PokokPikiran:
    """A DPRD point for a region in the actor's area, linked to indicators (shipped codes, or the office's own)."""
    permissions.require_rule(actor, "edit_settings", CANNOT_DEFINE)
    region_code = permissions.region_in_area(actor, data.get("region")).code
    errors: dict[str, list[str]] = {}
    fields: dict = {"region_id": region_code}
    try:
        fields["number"] = validation.form_value(
            validation.parse_count, data.get("number"), "number", _("Number")
        )
    except ValidationError as err:
        errors.update(err.message_dict)
    try:
        fields["given_on"] = validation.form_value(
            validation.parse_date, data.get("given_on"), "given_on", _("Date")
        )
    except ValidationError as err:
        errors.update(err.message_dict)
    for field, message in (("number", _("Number: fill it in.")), ("given_on", _("Date: fill it in."))):
        if field not in errors and not fields.get(field):
            errors[field] = [message]
    fields["text"] = str(data.get("text") or "").strip()
    if not fields["text"]:
        errors["text"] = [_("Point: write what the DPRD asks.")]
    fields["komisi"] = str(data.get("komisi") or "").strip()[:60]
    fields["forum"] = str(data.get("forum") or "").strip()[:120]
    own = set(
        CustomIndicator.objects.filter(region_id__in=codes.ancestor_codes(region_code)).values_list(
            "code", flat=True
        )
    )
    wanted = [c.strip().upper() for c in data.get("indicator_codes") or [] if str(c).strip()]
    unknown = [c for c in wanted if c not in BY_CODE and c not in own]
    if unknown:
        errors["indicator_codes"] = [_("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)}]
    fields["indicator_codes"] = list(dict.fromkeys(wanted))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        point, created = PokokPikiran.objects.update_or_create(
            region_id=region_code, given_on=fields["given_on"], number=fields["number"], defaults=fields
        )
        audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=point,
                     region_code=region_code, after={"text": point.text[:200], "indicators": point.indicator_codes})  # fmt: skip
    return point
