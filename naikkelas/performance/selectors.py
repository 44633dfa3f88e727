"""Every performance read, scoped through accounts.scope: a month's KPIs against targets, trends, and the
businesses a field officer should look at."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext

from naikkelas.accounts.scope import region_q, scoped
from naikkelas.core.money import number
from naikkelas.performance.constants import Direction, Light
from naikkelas.performance.models import (
    Entry,
    Kpi,
    MonthlyReport,
    ReportValue,
    SopAdoption,
    SopTemplate,
    Target,
)
from naikkelas.regions.models import Region
from naikkelas.registry.constants import SizeClass
from naikkelas.registry.models import Business


def kpi_or_default(key: str | None) -> Kpi | None:
    """The KPI asked for (by key, in use), else revenue (omzet), else the first: what overviews show first."""
    return Kpi.objects.filter(key=key or "omzet", active=True).first() or Kpi.objects.order_by("pk").first()


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def attainment(kpi: Kpi, actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Per cent of the target reached; for a lower-is-better KPI, target ÷ actual."""
    if actual is None or target is None:
        return None
    if kpi.direction == Direction.LOWER:
        if actual <= 0:
            return Decimal(100) if target >= 0 else None
        return (target / actual * 100).quantize(Decimal("0.1"))
    if target == 0:
        return None
    return (actual / target * 100).quantize(Decimal("0.1"))


def light(percent: Decimal | None) -> str:
    if percent is None:
        return ""
    if percent >= 100:
        return Light.GREEN
    return Light.AMBER if percent >= 80 else Light.RED


@dataclass
class KpiLine:
    kpi: Kpi
    value: Decimal | None
    target: Decimal | None
    percent: Decimal | None
    light: str
    previous: Decimal | None


def month_table(*, business: Business, month: date) -> list[KpiLine]:
    """Each KPI in use for the month: the figure, the target in force, attainment and its traffic light, and
    last month's figure."""
    values = _values(business, [month, add_months(month, -1)])
    targets = {
        t.kpi_id: t.value
        for t in Target.objects.filter(business=business, start__lte=month, end__gte=month).order_by(
            "created_at"
        )
    }  # the latest target set for the month wins
    lines = []
    for kpi in Kpi.objects.filter(active=True):
        value = values.get((month, kpi.pk))
        target = targets.get(kpi.pk)
        percent = attainment(kpi, value, target)
        lines.append(
            KpiLine(kpi, value, target, percent, light(percent), values.get((add_months(month, -1), kpi.pk)))
        )
    return lines


def _values(business: Business, months: list[date]) -> dict[tuple[date, int], Decimal]:
    return {
        (month, kpi_id): value
        for month, kpi_id, value in ReportValue.objects.filter(
            report__business=business, report__month__in=months
        ).values_list("report__month", "kpi_id", "value")
    }


def series(
    *, business: Business, kpi_key: str, until: date, months: int = 12
) -> list[tuple[date, Decimal | None]]:
    first = add_months(until, -(months - 1))
    got = dict(
        ReportValue.objects.filter(
            report__business=business, kpi__key=kpi_key, report__month__gte=first, report__month__lte=until
        ).values_list("report__month", "value")
    )
    return [(add_months(first, i), got.get(add_months(first, i))) for i in range(months)]


def reports_for_business(*, user, business: Business) -> QuerySet[MonthlyReport]:
    return scoped(MonthlyReport.objects.filter(business=business), user).prefetch_related("values__kpi")


def targets_for_business(*, user, business: Business) -> QuerySet[Target]:
    return scoped(Target.objects.filter(business=business), user).select_related("kpi")


def entries_for_business(*, user, business: Business, month: date | None = None) -> QuerySet[Entry]:
    qs = scoped(Entry.objects.filter(business=business), user)
    if month:
        qs = qs.filter(day__gte=month, day__lt=add_months(month, 1))
    return qs


def entry_get_for_user(*, user, business: Business, pk) -> Entry:

    try:
        return entries_for_business(user=user, business=business).get(pk=int(pk))
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class Flag:
    business: Business
    missed: date | None  # the month whose report is missing
    declining: list[Decimal]  # four months of revenue, each lower than the one before


def flags(*, user, today: date | None = None) -> list[Flag]:
    """Businesses in scope that report (they have at least one report) and either missed last month's report
    or whose revenue fell three months running (four reported months, each lower than the one before)."""
    today = today or timezone.localdate()
    last = add_months(today.replace(day=1), -1)
    window = [add_months(last, -i) for i in (3, 2, 1, 0)]
    reporting = scoped(Business.objects.filter(monthly_reports__month__lte=last), user).distinct()
    ids = list(reporting.values_list("pk", flat=True))
    have_last = set(
        MonthlyReport.objects.filter(business_id__in=ids, month=last).values_list("business_id", flat=True)
    )
    revenue: dict[int, dict[date, Decimal]] = {}
    for pk, month, value in ReportValue.objects.filter(
        report__business_id__in=ids, report__month__in=window, kpi__key="omzet"
    ).values_list("report__business_id", "report__month", "value"):
        revenue.setdefault(pk, {})[month] = value
    out = []
    by_id = Business.objects.in_bulk(ids)
    for pk in ids:
        figures = [revenue.get(pk, {}).get(m) for m in window]
        declining = (
            figures
            if all(f is not None for f in figures)
            and all(a > b for a, b in zip(figures, figures[1:], strict=False))
            else []
        )
        missed = last if pk not in have_last else None
        if missed or declining:
            out.append(Flag(by_id[pk], missed, declining))
    out.sort(key=lambda f: (not f.declining, f.business.name))
    return out


def entries_for_business_days(*, business: Business, month: date) -> int:
    """On how many days of the month the owner wrote something down."""
    return (
        Entry.objects.filter(business=business, day__gte=month, day__lt=add_months(month, 1))
        .values("day")
        .distinct()
        .count()
    )


def sop_library(*, sector: str = "") -> list:
    """The latest published version of every SOP, those for the sector (and for any sector) first."""

    latest = {}
    for t in SopTemplate.objects.filter(published=True).order_by("key", "-version"):
        latest.setdefault(t.key, t)
    return sorted(latest.values(), key=lambda t: (bool(t.sector) and t.sector != sector, t.title))


def sop_adoptions(*, user, business: Business):

    return scoped(SopAdoption.objects.filter(business=business), user).select_related("template")


def sop_adopted_note(business: Business) -> str | None:
    """Scorecard evidence: the SOPs the business has adopted, or None."""

    titles = list(SopAdoption.objects.filter(business=business).values_list("template__title", flat=True))
    if not titles:
        return None
    return ngettext("%(n)s SOP adopted: %(titles)s", "%(n)s SOPs adopted: %(titles)s", len(titles)) % {
        "n": len(titles),
        "titles": ", ".join(titles),
    }


@dataclass
class Spread:
    label: str
    code: str
    n: int
    median: Decimal | None
    p25: Decimal | None
    p75: Decimal | None
    low: Decimal | None
    high: Decimal | None


def _quantile(ordered: list[Decimal], q: float) -> Decimal | None:
    """Linear interpolation between closest ranks (as spreadsheets compute QUARTILE.INC)."""
    if not ordered:
        return None
    pos = (len(ordered) - 1) * q
    lower = int(pos)
    upper = min(lower + 1, len(ordered) - 1)
    return (ordered[lower] + (ordered[upper] - ordered[lower]) * Decimal(str(pos - lower))).quantize(
        Decimal("0.01")
    )


def spread(label: str, code: str, values: list[Decimal]) -> Spread:
    ordered = sorted(values)
    return Spread(
        label,
        code,
        len(ordered),
        _quantile(ordered, 0.5),
        _quantile(ordered, 0.25),
        _quantile(ordered, 0.75),
        ordered[0] if ordered else None,
        ordered[-1] if ordered else None,
    )


def kpi_overview(
    *, user, kpi: Kpi, month: date, region, by: str
) -> tuple[Spread, list[Spread], list[Decimal]]:
    """A KPI across the businesses in scope that reported it for the month: overall, and per child region,
    sector or size class (`by`); with the values themselves for a histogram."""

    qs = scoped(ReportValue.objects.filter(kpi=kpi, report__month=month), user)
    if region is not None:
        qs = qs.filter(region_q("report__business__village__code", [region.code]))
    rows = list(
        qs.values_list(
            "value",
            "report__business__village_id",
            "report__business__sector",
            "report__business__size_class",
        )
    )
    groups: dict[str, list[Decimal]] = {}
    if by == "sector":
        for value, _v, sector, _s in rows:
            groups.setdefault(sector or "–", []).append(value)
        labels = {k: k for k in groups}
    elif by == "size_class":
        for value, _v, _sec, size in rows:
            groups.setdefault(size or "", []).append(value)
        labels = {k: str(SizeClass(k).label) if k in SizeClass.values else "–" for k in groups}
    else:
        length = {None: 2, 1: 5, 2: 8, 3: 13, 4: 13}[region.level if region else None]
        for value, village, _sec, _s in rows:
            groups.setdefault(village[:length], []).append(value)
        labels = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
    parts = sorted((spread(labels.get(k, k), k, v) for k, v in groups.items()), key=lambda s: s.label)
    values = [r[0] for r in rows]
    return spread("", "", values), parts, values


def histogram(values: list, bars: int = 10) -> dict:
    """Bars between the 5th and 95th percentiles, so that one business with Rp 3,9 miliar does not push every
    other into the first bar; the businesses below and above are counted apart and named as such."""

    if not values:
        return {}
    ordered = sorted(float(v) for v in values)
    cut = len(ordered) // 20 if len(ordered) >= 20 else 0  # 5 % each side, once there are 20 businesses
    inside = ordered[cut : len(ordered) - cut]
    low, high = inside[0], inside[-1]
    width = (high - low) / bars or 1
    counts = [0] * bars
    for v in inside:
        counts[min(int((v - low) / width), bars - 1)] += 1
    labels = [f"{number(round(low + width * i))}–{number(round(low + width * (i + 1)))}" for i in range(bars)]
    return {
        "labels": labels,
        "counts": counts,
        "below": cut,
        "above": cut,
        "low": number(round(low)),
        "high": number(round(high)),
    }
