"""The SOP library and its adoption by businesses."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.models import User
from naikkelas.core import validation
from naikkelas.core.audit import audit_record
from naikkelas.core.images import decode_all, shrunk_jpeg
from naikkelas.core.models import AuditAction
from naikkelas.performance.models import SopAdoption, SopTemplate
from naikkelas.performance.services import DAY_FUTURE, DAY_INVALID, _require
from naikkelas.registry.models import Business

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
