"""API: requests about personal data (the office's side: file one for a person in front of you, list them with
their clock, answer them) and the register of processing activities. Scoped as the pages are."""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from naikkelas.accounts import permissions
from naikkelas.api.schemas import ErrorOut, Page, Paging, page_of
from naikkelas.privacy import selectors, services
from naikkelas.privacy.register import ACTIVITIES
from naikkelas.registry.models import Person

router = Router(tags=["personal data"])


class RequestIn(Schema):
    person: int
    kind: str
    details: str = ""


class DecisionIn(Schema):
    done: bool
    decision: str
    article: str = ""


class RequestOut(Schema):
    id: int
    person_id: int
    kind: str
    details: str
    channel: str
    received_at: datetime
    due_at: datetime
    status: str
    decided_at: datetime | None
    decision: str
    article: str
    hours_left: int
    # what a restriction or an erasure did, per kind of record: label, count, done (delete, anonymise, keep,
    # restricted, linked), reason, and what processing continues
    outcome: list[dict]

    @staticmethod
    def resolve_hours_left(obj) -> int:
        """Whole hours left to answer; negative when late."""
        return int((obj.due_at - timezone.now()).total_seconds() // 3600)


class ActivityOut(Schema):
    code: str
    name: str
    basis: str
    data: str
    people: str
    retention: str
    recipients: str
    consent: str


@router.get("/privacy/requests", response={200: Page[RequestOut], 403: ErrorOut, 422: ErrorOut})
def request_list(request, paging: Query[Paging], status: str = ""):
    permissions.require(services.can_answer(request.auth), services.NOT_YOUR_REQUEST)
    rows = selectors.requests_for(request.auth).order_by("due_at", "pk")
    if status:
        rows = rows.filter(status=status)
    return page_of(rows, paging)


@router.post("/privacy/requests", response={201: RequestOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def request_file(request, payload: RequestIn):
    person = Person.objects.filter(pk=payload.person).first()
    if person is None or not permissions.person_visible(request.auth, person):
        raise Http404
    return Status(201, services.request_file(actor=request.auth, person=person, kind=payload.kind,
                                             details=payload.details))  # fmt: skip


@router.get("/privacy/requests/{pk}", response={200: RequestOut, 404: ErrorOut})
def request_get(request, pk: int):
    found = selectors.requests_for(request.auth).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.post("/privacy/requests/{pk}/decision", response={200: RequestOut, 403: ErrorOut, 404: ErrorOut,
                                                         422: ErrorOut})  # fmt: skip
def request_decide(request, pk: int, payload: DecisionIn):
    found = selectors.requests_for(request.auth).filter(pk=pk).first()
    if found is None:
        raise Http404
    return services.request_decide(actor=request.auth, request=found, done=payload.done, decision=payload.decision,
                                   article=payload.article)  # fmt: skip


@router.get("/privacy/register", response={200: Page[ActivityOut], 403: ErrorOut, 422: ErrorOut})
def register(request, paging: Query[Paging]):
    permissions.require(permissions.is_staff_role(request.auth), services.NOT_YOUR_REQUEST)
    rows = [
        {"code": a.code, "name": str(a.name), "basis": str(a.basis), "data": str(a.data), "people": str(a.people),
         "retention": str(a.retention), "recipients": str(a.recipients), "consent": str(a.consent)}
        for a in ACTIVITIES
    ]  # fmt: skip
    return page_of(rows, paging)
