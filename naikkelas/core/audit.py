"""Writing the audit log; services call these explicitly (no signals) inside their transaction."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import models

from naikkelas.core.models import AuditAction, AuditLog


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The audited fields of a record as JSON-able values (foreign keys by primary key)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = _plain(getattr(obj, field.attname))
    return data


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    region_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    return AuditLog.objects.create(**_entry(actor, action, obj, region_code, before, after))


def audit_many(
    *, actor, action: str, items: Iterable[tuple[models.Model, str, dict | None, dict | None]]
) -> int:
    """Bulk form for loaders: items are (obj, region_code, before, after)."""
    rows = [AuditLog(**_entry(actor, action, obj, code, b, a)) for obj, code, b, a in items]
    AuditLog.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _entry(actor, action, obj, region_code, before, after) -> dict:
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if authenticated else None,
        "actor_name": actor.get_username() if authenticated else "system",
        "action": action,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:255],
        "region_code": region_code or "",
        "before": before,
        "after": after,
    }
