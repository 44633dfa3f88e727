"""Reads for the office's indicators: the region asked for if the user may look at it, every shipped indicator's
value there as of a day."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import region_q
from naikkelas.dashboard.selectors import dashboard_region, parse_as_of  # noqa: F401 - parse_as_of: the API's too
from naikkelas.lifecycle import funnel
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.planning.counts import COUNTS
from naikkelas.planning.indicators import INDICATORS, PROVINCE, REGENCY, UP, Indicator, Value
from naikkelas.planning.models import CustomIndicator, ManualValue, PokokPikiran
from naikkelas.regions import codes
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Cooperative
from naikkelas.supervision.models import FinancialReport

CANNOT_SEE = _("Only office staff see the office's indicators.")


@dataclass(frozen=True)
class Reading:
    indicator: Indicator
    value: Value


def indicator_values(
    *, user, region: str = "", as_of=None, compute: bool = True
) -> tuple[Region | None, date, list[Reading]]:
    """Every shipped indicator for a region in the user's scope (404 outside it; default: their own) as of a day
    (default: today; a bad date is a ValidationError naming the field). compute=False: only the region and day."""
    permissions.require_rule(user, "see_dashboard", CANNOT_SEE)
    where = dashboard_region(user=user, code=region)
    day = parse_as_of(as_of)
    code = where.code if where else ""
    if not compute:
        return where, day, []
    readings = [Reading(indicator, indicator.compute(code, day)) for indicator in INDICATORS]
    return where, day, readings + [Reading(i, i.compute(code, day)) for i in custom_indicators_for(code)]


def _words(name: str, filters: dict) -> str:
    label = COUNTS[name].label
    return label + (f" ({', '.join(f'{k}: {v}' for k, v in filters.items())})" if filters else "")


def as_indicator(custom: CustomIndicator) -> Indicator:
    """An office's indicator in the shipped indicators' shape: numerator count ÷ denominator count × 100."""

    if custom.manual:
        return Indicator(
            custom.code, custom.name, str(_("Office's own")), custom.unit, UP,
            _level(custom),
            str(_("Typed by the office for the year, with its evidence file.")), str(_("Defined by the office.")),
            lambda code, as_of: _typed(custom, as_of.year),
        )  # fmt: skip

    def compute(code: str, as_of: date) -> Value:
        part = COUNTS[custom.numerator].compute(code, as_of, custom.numerator_filters)
        whole = COUNTS[custom.denominator].compute(code, as_of, custom.denominator_filters)
        return Value(round(100 * part / whole, 2) if whole else None, part, whole)

    numerator = _words(custom.numerator, custom.numerator_filters)
    denominator = _words(custom.denominator, custom.denominator_filters)
    return Indicator(
        custom.code, custom.name, str(_("Office's own")), "%", UP, _level(custom),
        f"{numerator} ÷ {denominator} × 100", str(_("Defined by the office.")), compute,
    )  # fmt: skip


def _level(custom: CustomIndicator) -> str:
    return PROVINCE if codes.level_of(custom.region_id) == 1 else REGENCY


def around(qs, where: Region | None):
    """Records of the region's office or of an office around it (all of them for the whole country)."""
    return qs.filter(region_id__in=codes.ancestor_codes(where.code)) if where is not None else qs


def _typed(custom: CustomIndicator, year: int) -> Value:
    typed = ManualValue.objects.filter(indicator=custom, year=year).first()
    return Value(float(typed.value)) if typed else Value(None)


def custom_indicators_for(code: str) -> list[Indicator]:
    """The office indicators defined for this region or a region around it."""
    offices = codes.ancestor_codes(code) if code else [""]  # the whole country's page: none
    return [as_indicator(c) for c in CustomIndicator.objects.filter(region_id__in=offices).order_by("code")]


def indicator_table(where: Region | None, day: date, readings: list[Reading]) -> tuple[list, list]:
    """The indicators as an export: one row each, with the region and the day it was computed for."""
    header = [str(_("Code")), str(_("Indicator")), str(_("Indicator value")), str(_("Unit")), str(_("Numerator")),
              str(_("Denominator")), str(_("Formula")), str(_("Region")), str(_("As of"))]  # fmt: skip
    place = where.name if where else "Indonesia"
    rows = [
        [
            r.indicator.code,
            r.indicator.name,
            r.value.value,
            r.indicator.unit,
            r.value.numerator,
            r.value.denominator,
            r.indicator.formula,
            place,
            day,
        ]  # fmt: skip
        for r in readings
    ]
    return header, rows


@dataclass(frozen=True)
class Answer:
    point: PokokPikiran
    readings: list[Reading]


def pokok_pikiran_for(*, user, region: str = "", as_of=None) -> tuple[Region | None, date, list[Answer]]:
    """The DPRD's points given to this region's office or an office around it, each with its indicators' values
    in this region as of the day (the region in the user's scope, as for the indicators)."""
    where, day, readings = indicator_values(user=user, region=region, as_of=as_of)
    return where, day, _answers(where, readings)


def _answers(where: Region | None, readings: list[Reading]) -> list[Answer]:
    by_code = {r.indicator.code: r for r in readings}
    return [
        Answer(point, [by_code[c] for c in point.indicator_codes if c in by_code])
        for point in around(PokokPikiran.objects.all(), where).order_by("-given_on", "number")
    ]


@dataclass(frozen=True)
class Coverage:
    registered: int
    verified: int  # visited within the funnel's window before the day
    cooperatives: int
    reported: int  # cooperatives with a financial report for the book year before the day's year


def coverage(code: str, as_of: date) -> Coverage:
    """How much of the region the figures rest on: businesses recently verified, cooperatives that reported."""
    businesses = Business.objects.filter(registered_on__lte=as_of)
    coops = Cooperative.objects.all()
    if code:
        businesses = businesses.filter(region_q("village__code", [code], narrow=False))
        coops = coops.filter(region_q("village__code", [code], narrow=False))
    recent = VerificationVisit.objects.filter(visited_on__lte=as_of, visited_on__gt=as_of - funnel.window())
    reported = FinancialReport.objects.filter(year=as_of.year - 1).values("cooperative_id")
    return Coverage(
        registered=businesses.count(),
        verified=businesses.filter(pk__in=recent.values("business_id")).count(),
        cooperatives=coops.count(),
        reported=coops.filter(pk__in=reported).count(),
    )
