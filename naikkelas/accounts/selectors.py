"""Reading the audit log, scoped like the records it describes (admins only)."""

from django.db.models import QuerySet
from django.http import Http404

from naikkelas.accounts.constants import ADMIN_ROLES
from naikkelas.accounts.scope import region_q, scope_for
from naikkelas.core.models import AuditLog


def audit_list(*, user, object_type: str = "", object_id: str = "") -> QuerySet[AuditLog]:
    scope = scope_for(user)
    if scope.role not in ADMIN_ROLES:
        raise Http404
    qs = AuditLog.objects.select_related("actor")
    if not scope.everything:
        qs = qs.filter(region_q("region_code", scope.region_codes))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    return qs


def record_history(*, obj) -> QuerySet[AuditLog]:
    """The audit entries of one record the caller has already fetched through a scoped selector."""
    return AuditLog.objects.select_related("actor").filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )
