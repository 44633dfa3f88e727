"""Every lifecycle read, scoped through accounts.scope."""

from django.db.models import F, Max, QuerySet

from naikkelas.accounts.scope import scoped
from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit
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
    if district:
        qs = qs.filter(village__code__startswith=district + ".")
    return qs.annotate(last_visit=Max("visits__visited_on")).order_by(
        F("last_visit").asc(nulls_first=True), "name", "id"
    )


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.all()
