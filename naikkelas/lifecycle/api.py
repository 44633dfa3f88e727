"""API: visits and assessments of a business (the same services as the pages)."""

from datetime import date

from ninja import Query, Router, Schema, Status

from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.lifecycle import selectors, services
from naikkelas.registry.selectors import business_get_for_user

router = Router(tags=["lifecycle"])


class VisitIn(Schema):
    date: str | None = None
    outcome: str | None = None
    notes: str | None = None
    lat: Loose = None
    lon: Loose = None
    client_id: str | None = None


class VisitOut(Schema):
    id: int
    business_id: int
    date: date
    outcome: str
    notes: str
    lat: float | None
    lon: float | None
    business_status: str

    @staticmethod
    def resolve_date(obj) -> date:
        return obj.visited_on

    @staticmethod
    def resolve_lat(obj):
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_lon(obj):
        return float(obj.longitude) if obj.longitude is not None else None

    @staticmethod
    def resolve_business_status(obj) -> str:
        return obj.business.status


class AssessmentIn(Schema):
    answers: dict[str, str]
    date: str | None = None


class GapOut(Schema):
    question: str
    answer: str
    lost_points: float
    topic: str


class AssessmentOut(Schema):
    id: int
    business_id: int
    date: date
    instrument_version: int
    score: float
    level: int
    level_name: str
    innovation: bool
    modern: bool
    gaps: list[GapOut]
    recommended_topics: list[str]
    business_status: str


def _assessment_out(assessment, result) -> dict:
    return {
        "id": assessment.pk,
        "business_id": assessment.business_id,
        "date": assessment.assessed_on,
        "instrument_version": assessment.instrument.version,
        "score": float(assessment.score),
        "level": assessment.level,
        "level_name": assessment.level_name,
        "innovation": assessment.innovation,
        "modern": assessment.modern,
        "gaps": [
            {
                "question": g.question.key,
                "answer": g.option.key,
                "lost_points": float(g.lost),
                "topic": g.topic,
            }
            for g in result.gaps
        ],
        "recommended_topics": result.topics,
        "business_status": assessment.business.status,
    }


@router.post(
    "/{int:business_id}/visits",
    response={201: VisitOut, 200: VisitOut, 404: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def visit_create(request, business_id: int, payload: VisitIn):
    """Record a verification visit. A visit sent again with the same client_id is answered 200 with the visit
    already recorded (phones resend what they queued offline)."""
    business = business_get_for_user(user=request.auth, pk=business_id)
    visit, created = services.visit_record(actor=request.auth, business=business, data=payload.dict())
    visit.business.refresh_from_db()
    return Status(201 if created else 200, visit)


@router.get("/{int:business_id}/visits", response={200: Page[VisitOut], 404: ErrorOut, 422: ErrorOut})
def visit_list(request, business_id: int, paging: Query[Paging]):
    business = business_get_for_user(user=request.auth, pk=business_id)
    return page_of(
        selectors.visits_for_business(user=request.auth, business=business).select_related("business"), paging
    )


@router.post(
    "/{int:business_id}/assessments",
    response={201: AssessmentOut, 404: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def assessment_create(request, business_id: int, payload: AssessmentIn):
    """Score the answers (question key → answer key) with the scorecard in use: score, level, gaps and the
    training topics that close them."""
    business = business_get_for_user(user=request.auth, pk=business_id)
    assessment, result = services.assessment_record(
        actor=request.auth, business=business, answers=payload.answers, day=payload.date
    )
    assessment.business.refresh_from_db()
    return Status(201, _assessment_out(assessment, result))


@router.get(
    "/{int:business_id}/assessments", response={200: Page[AssessmentOut], 404: ErrorOut, 422: ErrorOut}
)
def assessment_list(request, business_id: int, paging: Query[Paging]):
    business = business_get_for_user(user=request.auth, pk=business_id)
    assessments = selectors.assessments_for_business(user=request.auth, business=business).select_related(
        "business"
    )
    return page_of(assessments, paging, out=lambda a: _assessment_out(a, services.assessment_result(a)))
