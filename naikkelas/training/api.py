"""API: training programmes, cohorts, registrations and attendance (the same services as the pages)."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.training import selectors, services
from naikkelas.training.models import Programme

router = Router(tags=["training"])


class ProgrammeOut(Schema):
    id: int
    name: str
    topic: str
    audience: str


class CohortIn(Schema):
    programme: int
    region: str
    starts_on: str
    capacity: Loose = None
    budget: Loose = None
    name: str | None = None
    trainers: str | None = None


class CohortOut(Schema):
    id: int
    programme_id: int
    name: str
    region: str
    starts_on: date
    capacity: int
    budget: int
    registration_token: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class RegistrationIn(Schema):
    name: str | None = None
    phone: str | None = None
    business_id: int | None = None


class RegistrationOut(Schema):
    id: int
    name: str
    status: str
    code: str
    attended: int
    post_score: float | None
    complete: bool


class AttendanceIn(Schema):
    code: str


class AttendanceOut(Schema):
    registration_id: int
    name: str
    new: bool


def _registration_out(r) -> dict:
    c = services.completion(r)
    return {
        "id": r.pk,
        "name": r.person.name,
        "status": r.status,
        "code": r.code,
        "attended": c["attended"],
        "post_score": float(c["post_score"]) if c["post_score"] is not None else None,
        "complete": c["complete"],
    }


def _manager(request):
    if not services.can_manage(request.auth):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(str(services.CANNOT_MANAGE))


@router.get("/programmes", response={200: Page[ProgrammeOut], 422: ErrorOut})
def programme_list(request, paging: Query[Paging]):
    return page_of(Programme.objects.filter(active=True).order_by("pk"), paging)


@router.get("/cohorts", response={200: Page[CohortOut], 403: ErrorOut, 422: ErrorOut})
def cohort_list(request, paging: Query[Paging]):
    _manager(request)
    return page_of(selectors.cohorts_for(user=request.auth), paging)


@router.post("/cohorts", response={201: CohortOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def cohort_create(request, payload: CohortIn):
    programme = get_object_or_404(Programme, pk=payload.programme)
    return Status(201, services.cohort_create(actor=request.auth, programme=programme, data=payload.dict()))


@router.get(
    "/cohorts/{int:cohort_id}/registrations",
    response={200: Page[RegistrationOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def registration_list(request, cohort_id: int, paging: Query[Paging]):
    _manager(request)
    cohort = selectors.cohort_get_for_user(user=request.auth, pk=cohort_id)
    return page_of(
        cohort.registrations.select_related("person").order_by("pk"), paging, out=_registration_out
    )


@router.post(
    "/cohorts/{int:cohort_id}/registrations",
    response={201: RegistrationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def registration_create(request, cohort_id: int, payload: RegistrationIn):
    """Register a person (by name and phone, or a business's owner by business_id): a place, or the waiting
    list when the cohort is full; a person registers once."""
    _manager(request)
    cohort = selectors.cohort_get_for_user(user=request.auth, pk=cohort_id)
    data = payload.dict()
    if payload.business_id:
        from naikkelas.registry.selectors import business_get_for_user

        business = business_get_for_user(user=request.auth, pk=payload.business_id)
        data |= {
            "name": data.get("name") or business.owner.name,
            "phone": data.get("phone") or business.owner.phone,
        }
    registration = services.register(cohort=cohort, data=data, actor=request.auth, source="officer")
    return Status(201, _registration_out(registration))


@router.post(
    "/sessions/{int:session_id}/attendance",
    response={201: AttendanceOut, 200: AttendanceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def attendance_create(request, session_id: int, payload: AttendanceIn):
    """Check a participant in by their code; 200 when they were already checked in."""
    _manager(request)
    session = selectors.session_get_for_user(user=request.auth, pk=session_id)
    registration, new = services.check_in(actor=request.auth, session=session, code=payload.code)
    return Status(
        201 if new else 200,
        {"registration_id": registration.pk, "name": registration.person.name, "new": new},
    )
