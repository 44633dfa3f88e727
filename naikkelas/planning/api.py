"""API: the office's indicators for a region as of a day."""

from datetime import date

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from naikkelas.api.schemas import ErrorOut, Page, Paging, page_of
from naikkelas.planning import selectors

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


@router.get("/pokok-pikiran", response={200: Page[PointOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def pokok_pikiran(request, q: Query[IndicatorQuery], paging: Query[Paging]):
    """The points the DPRD gave the office (pokok pikiran), each with the values of the indicators that answer it,
    for a region in your area as of a day."""
    _where, _day, answers = selectors.pokok_pikiran_for(user=request.auth, region=q.region, as_of=q.as_of)
    rows = [
        {
            "number": a.point.number,
            "text": a.point.text,
            "komisi": a.point.komisi,
            "forum": a.point.forum,
            "given_on": a.point.given_on,
            "region": a.point.region_id,
            "indicators": [
                {
                    "code": r.indicator.code,
                    "name": r.indicator.name,
                    "value": r.value.value,
                    "numerator": r.value.numerator,
                    "denominator": r.value.denominator,
                }
                for r in a.readings
            ],
        }  # fmt: skip
        for a in answers
    ]
    return page_of(rows, paging)
