"""What a user may see of imports: the uploads and batches of their region, and their own."""

from django.db.models import Q, QuerySet

from naikkelas.accounts.scope import scope_for, scope_q
from naikkelas.intake.models import ImportUpload
from naikkelas.regions import codes as region_codes
from naikkelas.regions.models import Level, Region


def uploads_for(user) -> QuerySet[ImportUpload]:
    """Uploads for a regency inside the user's scope, and the user's own (a field officer's scope is a few
    districts, while an upload names its regency)."""
    q = scope_q(ImportUpload, scope_for(user))
    qs = ImportUpload.objects.select_related("batch", "actor")
    return qs if q is None else qs.filter(q | Q(actor=user))


def regencies_for(user) -> list[Region]:
    """Regencies a user may import into: those inside their scope, or the regency of their districts."""
    scope = scope_for(user)
    regencies = Region.objects.filter(level=Level.REGENCY).order_by("code")
    if scope.everything:
        return list(regencies)
    codes = set()
    for code in scope.region_codes:
        if region_codes.regency_of(code):
            codes.add(region_codes.regency_of(code))  # a regency, or the regency of a district or village
    province = [c for c in scope.region_codes if region_codes.level_of(c) == region_codes.PROVINCE]
    q = Q(code__in=codes)
    for code in province:
        q |= Q(code__startswith=code + ".")
    return list(regencies.filter(q))
