"""API: the office's indicators for a region as of a day."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scoped
from naikkelas.api.schemas import ErrorOut, Page, Paging, page_of
from naikkelas.planning import reports, selectors
from naikkelas.planning.models import Plan

router = Router(tags=["planning"])


class IndicatorQuery(Schema):
    region: str = ""
    as_of: str = ""
    year: int | None = Field(None, ge=1900, le=2100)


class IndicatorOut(Schema):
    code: str
    name: str
    group: str
    unit: str
    direction: str
    level: str
    formula: str
    value: float | None
    numerator: int | None
    denominator: int | None
    target: float | None  # the year's target in the region's plan (Renja, else Renstra), if it sets one
    parts: dict
    region: str
    as_of: date


@router.get("/indicators", response={200: Page[IndicatorOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def indicators(request, q: Query[IndicatorQuery], paging: Query[Paging]):
    """Every indicator of the office for a region in your area (default: your own) as of a day (default: today;
    `year` alone means 31 December of that year, or today in the current year), with its formula, numerator and
    denominator."""
    as_of = q.as_of
    if not as_of and q.year:
        as_of = min(date(q.year, 12, 31), timezone.localdate()).isoformat()
    where, day, readings = selectors.indicator_values(user=request.auth, region=q.region, as_of=as_of)
    targets = reports.targets_for(where, day.year)
    rows = [
        {
            "code": r.indicator.code,
            "name": r.indicator.name,
            "group": r.indicator.group,
            "unit": r.indicator.unit,
            "direction": r.indicator.direction,
            "level": r.indicator.level,
            "formula": r.indicator.formula,
            "value": r.value.value,
            "numerator": r.value.numerator,
            "denominator": r.value.denominator,
            "target": targets.get(r.indicator.code),
            "parts": r.value.parts,
            "region": where.code if where else "",
            "as_of": day,
        }
        for r in readings
    ]
    return page_of(rows, paging)


class AnswerOut(Schema):
    code: str
    name: str
    value: float | None
    numerator: int | None
    denominator: int | None


class PointOut(Schema):
    number: int
    text: str
    komisi: str
    forum: str
    given_on: date
    region: str
    indicators: list[AnswerOut]
    entries: list[str]  # the plan entries linked to the point (codes)
    budget: float  # their budget this year, Rp
    spent: float  # and what was spent of it


@router.get("/pokok-pikiran", response={200: Page[PointOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def pokok_pikiran(request, q: Query[IndicatorQuery], paging: Query[Paging]):
    """The points the DPRD gave the office (pokok pikiran), each with the values of the indicators that answer it
    and the plan entries linked to it with their budget and spending, for a region in your area as of a day."""
    made = reports.report(user=request.auth, region=q.region, as_of=q.as_of)
    rows = [
        {
            "number": p.point.number, "text": p.point.text, "komisi": p.point.komisi, "forum": p.point.forum,
            "given_on": p.point.given_on, "region": p.point.region_id,
            "indicators": [
                {"code": i.code, "name": i.name, "value": v.value, "numerator": v.numerator, "denominator": v.denominator}
                for i, v, _link in p.readings
            ],
            "entries": [n.node.code for n in p.nodes], "budget": float(p.pagu), "spent": float(p.spent),
        }
        for p in made.points
    ]  # fmt: skip
    return page_of(rows, paging)


class PlanOut(Schema):
    id: int
    region: str
    kind: str
    first_year: int
    last_year: int
    title: str


class PlanQuery(Schema):
    region: str = ""


@router.get("/plans", response={200: Page[PlanOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def plans(request, q: Query[PlanQuery], paging: Query[Paging]):
    """The offices' plans (Renstra, Renja) for a region in your area and the offices around it."""
    where, _day, _r = selectors.indicator_values(user=request.auth, region=q.region, compute=False)
    found = (
        selectors.around(scoped(Plan.objects.all(), request.auth), where)
        if where
        else scoped(Plan.objects.all(), request.auth)
    )
    rows = [
        {"id": p.pk, "region": p.region_id, "kind": p.kind, "first_year": p.first_year, "last_year": p.last_year,
         "title": p.title}
        for p in found.order_by("region_id", "-first_year", "kind")
    ]  # fmt: skip
    return page_of(rows, paging)


class LineOut(Schema):
    indicator_code: str
    name: str
    unit: str
    baseline: float | None
    target: float | None
    value: float | None
    achievement: float | None  # % capaian
    light: str  # hijau, kuning, merah, or "" without a target or a value


class BudgetOut(Schema):
    pagu: float
    quarters: list[float]
    spent: float


class EntryOut(Schema):
    code: str
    name: str
    level: str
    bidang: str
    indicators: list[LineOut]
    budget: BudgetOut | None


class EntryQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2100)
    as_of: str = ""


@router.get(
    "/plans/{plan_id}/entries", response={200: Page[EntryOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def plan_entries(request, plan_id: int, q: Query[EntryQuery], paging: Query[Paging]):
    """A plan's entries (program, kegiatan, sub-kegiatan) for a year with their indicators against the targets
    and their budget and spending; library indicators computed as of the day (default: today, or 31 December of
    a past year)."""
    permissions.require_rule(request.auth, "see_dashboard", selectors.CANNOT_SEE)
    plan = get_object_or_404(scoped(Plan.objects.select_related("region"), request.auth), pk=plan_id)
    year = q.year if q.year in plan.years else plan.first_year
    as_of = selectors.parse_as_of(q.as_of or min(date(year, 12, 31), timezone.localdate()).isoformat())
    rows = []
    for row in reports.plan_lines(plan, year, as_of, reports.Readings(plan.region)):
        rows.append({
            "code": row.node.code, "name": row.node.name, "level": row.node.level, "bidang": row.node.bidang,
            "indicators": [
                {"indicator_code": line.target.indicator_code, "name": line.target.name, "unit": line.unit,
                 "baseline": float(line.target.baseline) if line.target.baseline is not None else None,
                 "target": float(line.goal) if line.goal is not None else None, "value": line.value,
                 "achievement": line.achievement, "light": line.light}
                for line in row.lines
            ],
            "budget": {"pagu": float(row.budget.pagu), "quarters": [float(q) for q in row.budget.quarters],
                       "spent": float(row.budget.spent)} if row.budget else None,
        })  # fmt: skip
    return page_of(rows, paging)
