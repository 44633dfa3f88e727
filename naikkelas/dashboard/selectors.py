"""Reads for the dashboards: which region a user may look at, and the funnel there."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scope_for
from naikkelas.core import validation
from naikkelas.lifecycle import funnel
from naikkelas.regions.models import CODE_PATTERN, Region
from naikkelas.registry.constants import SizeClass

CANNOT_SEE_DASHBOARD = gettext_lazy("The dashboard is for office admins and field officers.")
AS_OF_INVALID = gettext_lazy("as_of: use a date as YYYY-MM-DD.")
AS_OF_FUTURE = gettext_lazy("as_of: cannot be in the future.")
SIZE_INVALID = gettext_lazy("size_class: choose mikro, kecil, menengah or besar.")


can_see_dashboard = permissions.rule("see_dashboard")


def dashboard_region(*, user, code: str = "") -> Region | None:
    """The region asked for if the user may look at it (404 if not), or the user's own when none is asked
    (None: the whole country, for a national admin)."""
    if not can_see_dashboard(user):
        raise PermissionDenied(str(CANNOT_SEE_DASHBOARD))
    scope = scope_for(user)
    code = (code or "").strip()
    if not code:
        if scope.everything:
            return None
        code = sorted(scope.region_codes)[0] if scope.region_codes else ""
    if not code or not CODE_PATTERN.match(code) or not scope.covers_region(code):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def parse_as_of(value) -> date:
    if not value:
        return timezone.localdate()
    try:
        day = validation.parse_date(value)
    except ValueError:
        raise ValidationError({"as_of": [str(AS_OF_INVALID)]}) from None
    if day > timezone.localdate():
        raise ValidationError({"as_of": [str(AS_OF_FUTURE)]})
    return day


def funnel_for(
    *, user, region: str = "", as_of=None, sector: str = "", size_class: str = ""
) -> funnel.Funnel:
    where = dashboard_region(user=user, code=region)
    day = parse_as_of(as_of)
    if size_class and size_class not in SizeClass.values:
        raise ValidationError({"size_class": [str(SIZE_INVALID)]})
    return funnel.funnel_counts(region=where, as_of=day, sector=(sector or "").strip(), size_class=size_class)


def funnel_trend_for(*, user, region: str = "", as_of=None, sector: str = "", size_class: str = ""):
    where = dashboard_region(user=user, code=region)
    return funnel.funnel_trend(
        region=where, until=parse_as_of(as_of), sector=(sector or "").strip(), size_class=size_class
    )
