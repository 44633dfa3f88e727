"""Reading the audit log, scoped like the records it describes (admins only)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q, scope_for
from naikkelas.core.dates import form_day
from naikkelas.core.describe import record_label
from naikkelas.core.models import AuditAction, AuditLog


@dataclass(frozen=True)
class AuditFilter:
    """What an admin narrows the log to: who (part of a name), what (kind of record, action), when (from, to,
    inclusive dates), where (a region code inside their own area)."""

    who: str = ""
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    region: str = ""


def audit_list(*, user, filters: AuditFilter = AuditFilter()) -> QuerySet[AuditLog]:
    if not permissions.can(user, "see_audit"):
        raise Http404
    scope = scope_for(user)
    qs = AuditLog.objects.select_related("actor")
    if not scope.everything:
        qs = qs.filter(region_q("region_code", scope.region_codes))
    f = filters
    if f.region:  # on top of the area: a region outside it shows nothing
        qs = qs.filter(region_q("region_code", [f.region]))
    if f.who:
        qs = qs.filter(actor_name__icontains=f.who)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=str(f.object_id))
    if f.action:
        qs = qs.filter(action=f.action)
    if f.since:
        qs = qs.filter(at__date__gte=f.since)
    if f.until:
        qs = qs.filter(at__date__lte=f.until)
    return qs


def audit_record_types() -> list[tuple[str, str]]:
    """(object type, label in words) of every kind of record the log has entries for, by label."""

    types = AuditLog.objects.order_by().values_list("object_type", flat=True).distinct()
    return sorted(((t, record_label(t)) for t in types), key=lambda pair: pair[1].lower())


def record_history(*, obj) -> QuerySet[AuditLog]:
    """The audit entries of one record the caller has already fetched through a scoped selector."""
    return AuditLog.objects.select_related("actor").filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def audit_filter_from(get) -> tuple[AuditFilter, list[str]]:
    """The audit log's filters from the page's query (siapa, type, id, aksi, dari, sampai, wilayah), each cut to
    its column's size; a date that cannot be read is left out and said so."""

    errors: list[str] = []

    def day(name: str, label):
        try:
            return form_day(get[name], name, label, future_ok=True) if get.get(name) else None
        except ValidationError as err:
            errors.extend(err.messages)
            return None

    action = get.get("aksi", "")
    filters = AuditFilter(
        who=get.get("siapa", "").strip()[:150], object_type=get.get("type", "")[:64],
        object_id=get.get("id", "")[:64], action=action if action in AuditAction.values else "",
        since=day("dari", _("From")), until=day("sampai", _("Until")), region=get.get("wilayah", "").strip()[:13],
    )  # fmt: skip
    return filters, errors
