"""API: capital programmes, applications through their review, payments and the portfolio (the pages' services)."""

from datetime import date

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.financing import selectors, services
from naikkelas.registry.selectors import business_get_for_user

router = Router(tags=["capital"])


class ProgrammeIn(Schema):
    name: str
    kind: str
    region: str
    budget: Loose
    opens_on: str
    closes_on: str
    max_amount: Loose = None
    size_classes: list[str] = []
    sectors: list[str] = []
    statuses: list[str] = []
    documents: list[str] = []
    min_level: Loose = None
    training_topic: str = ""
    rate_percent: Loose = None
    term_months: Loose = None
    method: str = "flat"
    description: str = ""


class ProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    budget: int
    committed: int
    remaining: int
    opens_on: date
    closes_on: date

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class ApplicationIn(Schema):
    programme: int
    business: int
    amount_requested: Loose
    purpose: str


class ApplicationOut(Schema):
    id: int
    programme_id: int
    business_id: int
    amount_requested: int
    amount_approved: int | None
    status: str
    eligible: bool
    reasons: list[str]
    score: float
    decision_note: str


class DecisionIn(Schema):
    note: str = ""
    amount_approved: Loose = None
    disbursed_on: str | None = None
    reference: str = ""


class PaymentIn(Schema):
    paid_on: str
    amount: Loose
    reference: str = ""


class PaymentOut(Schema):
    id: int
    paid_on: date
    amount: int
    reference: str


class LoanOut(Schema):
    total_due: int
    paid: int
    outstanding_principal: int
    arrears: int
    days_past_due: int


class PortfolioRowOut(Schema):
    key: str
    name: str
    loans: int
    disbursed: int
    outstanding: int
    arrears: int
    par30: float | None


def _application_out(a) -> dict:
    return {
        "id": a.pk,
        "programme_id": a.programme_id,
        "business_id": a.business_id,
        "amount_requested": a.amount_requested,
        "amount_approved": a.amount_approved,
        "status": a.status,
        "eligible": a.eligible,
        "reasons": a.reason_texts(),
        "score": float(a.score),
        "decision_note": a.decision_note,
    }


@router.get("/programmes", response={200: Page[ProgrammeOut], 422: ErrorOut})
def programme_list(request, paging: Query[Paging]):
    return page_of(selectors.programmes_for(user=request.auth), paging)


@router.post("/programmes", response={201: ProgrammeOut, 403: ErrorOut, 422: ErrorOut})
def programme_create(request, payload: ProgrammeIn):
    data = {k: v for k, v in payload.dict().items() if v is not None}
    return Status(201, services.programme_create(actor=request.auth, data=data))


@router.get("/applications", response={200: Page[ApplicationOut], 404: ErrorOut, 422: ErrorOut})
def application_list(request, paging: Query[Paging], programme: int | None = None, status: str = ""):
    chosen = selectors.programme_get_for_user(user=request.auth, pk=programme) if programme else None
    qs = selectors.applications_for(user=request.auth, programme=chosen, status=status)
    return page_of(qs, paging, out=_application_out)


@router.post("/applications", response={201: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def application_create(request, payload: ApplicationIn):
    """Apply for a business you own (owners) or coach (field officers, admins); the answer carries the
    eligibility check's reasons and the score."""
    programme = selectors.programme_get_for_user(user=request.auth, pk=payload.programme)
    business = business_get_for_user(user=request.auth, pk=payload.business)
    application = services.application_submit(
        actor=request.auth,
        programme=programme,
        business=business,
        amount=payload.amount_requested,
        purpose=payload.purpose,
    )
    return Status(201, _application_out(application))


@router.get("/applications/{int:application_id}", response={200: ApplicationOut, 404: ErrorOut})
def application_detail(request, application_id: int):
    return _application_out(selectors.application_get_for_user(user=request.auth, pk=application_id))


@router.get(
    "/applications/{int:application_id}/payments",
    response={200: Page[PaymentOut], 404: ErrorOut, 422: ErrorOut},
)
def payment_list(request, application_id: int, paging: Query[Paging]):
    application = selectors.application_get_for_user(user=request.auth, pk=application_id)
    return page_of(application.payments.order_by("paid_on", "pk"), paging)


@router.post(
    "/applications/{int:application_id}/payments",
    response={201: PaymentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def payment_create(request, application_id: int, payload: PaymentIn):
    application = selectors.application_get_for_user(user=request.auth, pk=application_id)
    return Status(
        201,
        services.payment_record(
            actor=request.auth,
            application=application,
            paid_on=payload.paid_on,
            amount=payload.amount,
            reference=payload.reference,
        ),
    )


@router.get("/applications/{int:application_id}/loan", response={200: LoanOut, 404: ErrorOut})
def loan_state(request, application_id: int, as_of: date | None = None):
    application = selectors.application_get_for_user(user=request.auth, pk=application_id)
    return services.loan_state(application, as_of)


@router.get("/portfolio", response={200: Page[PortfolioRowOut], 403: ErrorOut, 422: ErrorOut})
def portfolio(request, paging: Query[Paging], as_of: date | None = None, by: str = "programme"):
    rows = selectors.portfolio(user=request.auth, on=as_of or timezone.localdate(), by=by)
    out = [
        {
            "key": r.key,
            "name": r.name,
            "loans": r.portfolio.loans,
            "disbursed": r.portfolio.disbursed,
            "outstanding": r.portfolio.outstanding,
            "arrears": r.portfolio.arrears,
            "par30": float(r.portfolio.par30) if r.portfolio.par30 is not None else None,
        }
        for r in rows
    ]
    return page_of(out, paging)


# Last: its {action} would otherwise catch /payments.
@router.post(
    "/applications/{int:application_id}/{action}",
    response={200: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def application_decide(request, application_id: int, action: str, payload: DecisionIn):
    """action: verify (field officers, admins), approve, reject or disburse (admins). A step out of order
    answers 422; an approval that would overspend the programme's budget answers 422 and changes nothing."""
    application = selectors.application_get_for_user(user=request.auth, pk=application_id)
    data = payload.dict()
    if action not in ("verify", "approve", "reject", "disburse"):  # payments have their own endpoint
        from django.http import Http404

        raise Http404
    application = services.application_step(
        actor=request.auth, application=application, step=action, data=data
    )
    return _application_out(application)
