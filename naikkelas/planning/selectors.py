"""Reads for the office's indicators: the region asked for if the user may look at it, every shipped indicator's
value there as of a day."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from naikkelas.accounts import permissions
from naikkelas.dashboard.selectors import dashboard_region, parse_as_of
from naikkelas.planning.indicators import INDICATORS, Indicator, Value
from naikkelas.regions.models import Region

CANNOT_SEE = _("Only office staff see the office's indicators.")


@dataclass(frozen=True)
class Reading:
    indicator: Indicator
    value: Value


def indicator_values(*, user, region: str = "", as_of=None) -> tuple[Region | None, date, list[Reading]]:
    """Every shipped indicator for a region in the user's scope (404 outside it; default: their own) as of a day
    (default: today; a bad date is a ValidationError naming the field)."""
    permissions.require_rule(user, "see_dashboard", CANNOT_SEE)
    where = dashboard_region(user=user, code=region)
    day = parse_as_of(as_of)
    code = where.code if where else ""
    return where, day, [Reading(indicator, indicator.compute(code, day)) for indicator in INDICATORS]
