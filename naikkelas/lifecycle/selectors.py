"""Every lifecycle read, scoped through accounts.scope."""

from django.db.models import F, Max, Q, QuerySet

from naikkelas.accounts.scope import scope_for, scoped
from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit
from naikkelas.regions.models import Level, Region
from naikkelas.registry.models import Business


def visits_for_business(*, user, business: Business) -> QuerySet[VerificationVisit]:
    """The caller got `business` through business_get_for_user (in scope); the visits are scoped again."""
    return scoped(VerificationVisit.objects.filter(business=business), user).select_related("officer")


def assessments_for_business(*, user, business: Business) -> QuerySet[Assessment]:
    return scoped(Assessment.objects.filter(business=business), user).select_related("instrument")


def worklist(*, user, district: str = "") -> QuerySet[Business]:
    """The businesses an officer should visit: in scope (an officer's districts), not closed, the ones never
    verified first, then the longest ago."""
    qs = scoped(Business.objects.select_related("village", "owner"), user).exclude(status="closed")
    qs = qs.filter(owner__restricted_at=None)  # a restricted person (UU 27/2022 Pasal 11) is not visited
    if district:
        qs = qs.filter(village__code__startswith=district + ".")
    return qs.annotate(last_visit=Max("visits__visited_on")).order_by(
        F("last_visit").asc(nulls_first=True), "name", "id"
    )


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.all()


def worklist_districts(*, user):
    """The districts an officer or admin may pick on the worklist: theirs, or those of their regency."""
    codes = scope_for(user).region_codes
    return Region.objects.filter(
        Q(code__in=codes, level=Level.DISTRICT) | Q(parent__code__in=codes, level=Level.DISTRICT)
    ).order_by("code")


def visit_points(businesses) -> list[dict]:
    """The businesses with coordinates as map points, with the day of their last visit."""
    return [{"id": b.pk, "name": b.name, "lat": float(b.latitude), "lon": float(b.longitude),
             "last": b.last_visit.isoformat() if b.last_visit else ""}
            for b in businesses if b.latitude is not None and b.longitude is not None]  # fmt: skip
