"""API: a cooperative's RAT records, financial reports and health ratings; the RAT compliance list."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.registry.selectors import cooperative_get_for_user
from naikkelas.supervision import health, selectors, services

router = Router(tags=["supervision"])


class MeetingIn(Schema):
    book_year: Loose
    held_on: str
    members_present: Loose = None


class MeetingOut(Schema):
    id: int
    book_year: int
    held_on: date
    members_present: int | None


class ReportIn(Schema):
    year: Loose
    items: dict[str, Loose]


class ReportOut(Schema):
    id: int
    year: int
    items: dict[str, int | None]

    @staticmethod
    def resolve_items(obj) -> dict:
        return obj.items()


class RatingIn(Schema):
    management: dict[str, Loose] = {}
    method: str = health.DEFAULT_METHOD


class RatingOut(Schema):
    id: int
    year: int
    method: str
    score: float
    category: str
    details: dict

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.report.year


class LateOut(Schema):
    cooperative_id: int
    name: str
    book_year: int
    due_on: date
    held_on: date | None
    missing_two_years: bool


@router.get(
    "/cooperatives/{int:cooperative_id}/meetings",
    response={200: Page[MeetingOut], 404: ErrorOut, 422: ErrorOut},
)
def meeting_list(request, cooperative_id: int, paging: Query[Paging]):
    return page_of(cooperative_get_for_user(user=request.auth, pk=cooperative_id).meetings.all(), paging)


@router.post(
    "/cooperatives/{int:cooperative_id}/meetings",
    response={201: MeetingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def meeting_create(request, cooperative_id: int, payload: MeetingIn):
    """Record the RAT that closed a book year (a second call for the same year corrects it)."""
    cooperative = cooperative_get_for_user(user=request.auth, pk=cooperative_id)
    return Status(
        201, services.meeting_record(actor=request.auth, cooperative=cooperative, data=payload.dict())
    )


@router.get(
    "/cooperatives/{int:cooperative_id}/reports",
    response={200: Page[ReportOut], 404: ErrorOut, 422: ErrorOut},
)
def report_list(request, cooperative_id: int, paging: Query[Paging]):
    return page_of(cooperative_get_for_user(user=request.auth, pk=cooperative_id).reports.all(), paging)


@router.post(
    "/cooperatives/{int:cooperative_id}/reports",
    response={201: ReportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def report_save(request, cooperative_id: int, payload: ReportIn):
    """A year's financial report (a second call for the same year replaces it); items by key, as listed by
    GET /cooperatives/{id}/reports."""
    cooperative = cooperative_get_for_user(user=request.auth, pk=cooperative_id)
    report = services.report_save(
        actor=request.auth, cooperative=cooperative, year=payload.year, data=payload.items, source="API"
    )
    return Status(201, report)


@router.post(
    "/cooperatives/{int:cooperative_id}/reports/{int:year}/rating",
    response={201: RatingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def rating_create(request, cooperative_id: int, year: int, payload: RatingIn):
    """Rate the year's report; management: the number of "yes" answers per questionnaire part
    (general, institution, capital, assets, liquidity). The answer holds every aspect's ratios and scores."""
    cooperative = cooperative_get_for_user(user=request.auth, pk=cooperative_id)
    report = get_object_or_404(cooperative.reports, year=year)
    rating = services.rating_make(
        actor=request.auth, report=report, management=payload.management, method_code=payload.method
    )
    return Status(201, rating)


@router.get(
    "/cooperatives/{int:cooperative_id}/ratings",
    response={200: Page[RatingOut], 404: ErrorOut, 422: ErrorOut},
)
def rating_list(request, cooperative_id: int, paging: Query[Paging]):
    cooperative = cooperative_get_for_user(user=request.auth, pk=cooperative_id)
    return page_of(cooperative.ratings.select_related("report"), paging)


@router.get("/supervision/rat-late", response={200: Page[LateOut], 403: ErrorOut, 422: ErrorOut})
def rat_late(request, paging: Query[Paging], year: int | None = None):
    """Cooperatives whose RAT on book year (year − 1) is late, and whether they also missed the year before."""
    if not services.can_supervise(request.auth):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(str(services.NOT_SUPERVISOR))
    today = timezone.localdate()
    result = selectors.compliance(
        user=request.auth, year=min(max(year or today.year, 1991), today.year), today=today
    )
    twice = {c.pk for c, _a, _b in result.missing_two_years}
    rows = [
        {
            "cooperative_id": c.pk,
            "name": c.name,
            "book_year": s.book_year,
            "due_on": s.due_on,
            "held_on": s.held_on,
            "missing_two_years": c.pk in twice,
        }
        for c, s in result.late
    ]
    return page_of(rows, paging)
