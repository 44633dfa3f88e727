"""Writing the audit log; services call these explicitly (no signals) inside their transaction."""

import functools
import threading
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.core.personal import mask_nik_runs


def _plain(value: object) -> object:
    if isinstance(value, datetime | date | time):
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


def export_record(*, actor, export: str, obj: models.Model | None = None, region_code: str = "", **details):
    """Data left the system: who exported what, with which filters (any NIK typed in them masked). Every export
    (list, funnel, rejected rows, problems) is written through here."""

    after = {"export": export, **{k: mask_nik_runs(v) for k, v in details.items()}}
    return audit_record(actor=actor, action=AuditAction.EXPORT, obj=obj or actor, region_code=region_code,
                        after=after)  # fmt: skip


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


class Refused(ValidationError):
    """A write refused because it touched a record outside the actor's area. It carries the audit entries of
    the attempt, filed in the region of the record concerned; `atomic_service` writes them once the service's
    transaction has rolled back, so they are kept while the attempt is not."""

    def __init__(self, message, *, entries: list[dict]):
        super().__init__(message)
        self.entries = entries


def refusal_entry(*, actor, obj: models.Model, region_code: str, attempted: str) -> dict:
    """An audit entry for a refused attempt (`attempted` says what was tried, in words, naming no one)."""
    return _entry(actor, AuditAction.REFUSED, obj, region_code, None, {"attempted": attempted})


_depth = threading.local()


def atomic_service(func):
    """transaction.atomic for a write service, keeping the audit entries of a Refused attempt: they are written
    after the outermost service's transaction rolled back (inside the caller's transaction, if any)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        depth = getattr(_depth, "n", 0)
        _depth.n = depth + 1
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except Refused as exc:
            if depth == 0:
                AuditLog.objects.bulk_create([AuditLog(**e) for e in exc.entries])
            raise
        finally:
            _depth.n = depth

    return wrapper
