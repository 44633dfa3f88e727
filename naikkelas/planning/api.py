"""API: the office's indicators for a region as of a day."""

from datetime import date

from ninja import Query, Router, Schema

from naikkelas.api.schemas import ErrorOut, Page, Paging, page_of
from naikkelas.planning import selectors

router = Router(tags=["planning"])


class IndicatorQuery(Schema):
    region: str = ""
    as_of: str = ""
    year: int | None = None


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
        as_of = min(date(q.year, 12, 31), date.today()).isoformat()
    where, day, readings = selectors.indicator_values(user=request.auth, region=q.region, as_of=as_of)
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
            "parts": r.value.parts,
            "region": where.code if where else "",
            "as_of": day,
        }
        for r in readings
    ]
    return page_of(rows, paging)
