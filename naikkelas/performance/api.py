"""API: a business's targets, monthly reports and bookkeeping entries (the same services as the pages)."""

from datetime import date

from ninja import Query, Router, Schema, Status

from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.performance import books, selectors, services
from naikkelas.registry.selectors import business_get_for_user

router = Router(tags=["performance"])


class TargetIn(Schema):
    kpi: str
    start: str
    end: str
    value: Loose


class TargetOut(Schema):
    id: int
    kpi: str
    start: date
    end: date
    value: float

    @staticmethod
    def resolve_kpi(obj) -> str:
        return obj.kpi.key


class ReportIn(Schema):
    values: dict[str, Loose]


class KpiValueOut(Schema):
    kpi: str
    value: float | None
    target: float | None
    attainment_pct: float | None
    light: str


class ReportOut(Schema):
    month: str
    source: str
    values: dict[str, float]
    kpis: list[KpiValueOut]


class EntryIn(Schema):
    day: str | None = None
    kind: str | None = None
    category: str | None = None
    amount: Loose = None
    note: str | None = None


class EntryOut(Schema):
    id: int
    day: date
    kind: str
    category: str
    amount: int
    note: str


def _f(value):
    return float(value) if value is not None else None


def _report_out(business, report) -> dict:
    lines = selectors.month_table(business=business, month=report.month)
    return {
        "month": report.month.strftime("%Y-%m"),
        "source": report.source,
        "values": {v.kpi.key: float(v.value) for v in report.values.select_related("kpi")},
        "kpis": [
            {
                "kpi": line.kpi.key,
                "value": _f(line.value),
                "target": _f(line.target),
                "attainment_pct": _f(line.percent),
                "light": line.light,
            }  # fmt: skip
            for line in lines
        ],
    }


@router.get("/{int:business_id}/targets", response={200: Page[TargetOut], 404: ErrorOut, 422: ErrorOut})
def target_list(request, business_id: int, paging: Query[Paging]):
    business = business_get_for_user(user=request.auth, pk=business_id)
    return page_of(selectors.targets_for_business(user=request.auth, business=business), paging)


@router.post(
    "/{int:business_id}/targets", response={201: TargetOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def target_create(request, business_id: int, payload: TargetIn):
    """A monthly target for a KPI from month `start` to month `end` (YYYY-MM)."""
    business = business_get_for_user(user=request.auth, pk=business_id)
    target = services.target_set(
        actor=request.auth,
        business=business,
        kpi_key=payload.kpi,
        start=payload.start,
        end=payload.end,
        value=payload.value,
    )
    return Status(201, target)


@router.get("/{int:business_id}/reports", response={200: Page[ReportOut], 404: ErrorOut, 422: ErrorOut})
def report_list(request, business_id: int, paging: Query[Paging]):
    business = business_get_for_user(user=request.auth, pk=business_id)
    reports = selectors.reports_for_business(user=request.auth, business=business)
    return page_of(reports, paging, out=lambda r: _report_out(business, r))


@router.put(
    "/{int:business_id}/reports/{month}",
    response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def report_put(request, business_id: int, month: str, payload: ReportIn):
    """Enter or correct the figures of a month (YYYY-MM) by KPI key; derived KPIs (gross margin) are computed.
    The previous figures stay in the audit log."""
    business = business_get_for_user(user=request.auth, pk=business_id)
    source = services.source_for(request.auth)
    report = services.report_save(
        actor=request.auth, business=business, month=month, values=payload.values, source=source
    )
    return _report_out(business, report)


@router.get("/{int:business_id}/transactions", response={200: Page[EntryOut], 404: ErrorOut, 422: ErrorOut})
def entry_list(request, business_id: int, paging: Query[Paging], month: str = ""):
    business = business_get_for_user(user=request.auth, pk=business_id)
    when = services.parse_month(month) if month else None
    return page_of(selectors.entries_for_business(user=request.auth, business=business, month=when), paging)


@router.post(
    "/{int:business_id}/transactions", response={201: EntryOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def entry_create(request, business_id: int, payload: EntryIn):
    """A sale or an expense (kind `sale`/`expense`, a category, an amount in Rupiah); the month's KPIs follow."""
    business = business_get_for_user(user=request.auth, pk=business_id)
    return Status(201, books.entry_add(actor=request.auth, business=business, data=payload.dict()))


@router.delete(
    "/{int:business_id}/transactions/{int:entry_id}", response={204: None, 403: ErrorOut, 404: ErrorOut}
)
def entry_remove(request, business_id: int, entry_id: int):
    business = business_get_for_user(user=request.auth, pk=business_id)
    books.entry_delete(
        actor=request.auth,
        entry=selectors.entry_get_for_user(user=request.auth, business=business, pk=entry_id),
    )
    return Status(204, None)
