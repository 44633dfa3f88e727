"""Every financing write: programmes, applications through their review, disbursement, repayment and referral.

Each runs in one transaction and is audited. The budget rule has two guards: the programme row is locked while
an approval counts what is left (select_for_update), and the database itself refuses a committed sum above the
budget (CheckConstraint programme_within_budget) should any path skip the first.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.models import User
from naikkelas.accounts.scope import scope_for
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.dates import form_day
from naikkelas.core.models import AuditAction
from naikkelas.core.money import digits
from naikkelas.core.uploads import document_ok
from naikkelas.core.validation import ParseError, parse_money
from naikkelas.financing import loans, rules
from naikkelas.financing.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Disbursement,
    Installment,
    Payment,
    Programme,
    ProgrammeKind,
    Referral,
    ReferralStatus,
    ScheduleMethod,
)
from naikkelas.regions.models import Region
from naikkelas.registry.constants import BusinessStatus, DocumentKind, SizeClass
from naikkelas.registry.models import Business

NOT_ADMIN = gettext_lazy("Only office admins manage capital programmes and decide on applications.")
NOT_REVIEWER = gettext_lazy("Only field officers and office admins verify applications.")
NOT_APPLICANT = gettext_lazy("You may apply only for a business you own or coach.")
REGION_OUTSIDE = gettext_lazy("Region: outside your area.")
BUDGET_EXCEEDED = gettext_lazy(
    "The programme's budget would be overspent: Rp %(remaining)s is left and Rp %(amount)s was asked."
)
ALREADY_APPLIED = gettext_lazy("This business already has an application in this programme.")
WRONG_STEP = gettext_lazy("This application is %(status)s; it cannot be %(action)s now.")
NOT_ELIGIBLE = gettext_lazy("The business is not eligible: %(reasons)s")
AMOUNT_INVALID = gettext_lazy("%(field)s: an amount in Rupiah greater than 0, e.g. 5.000.000.")
AMOUNT_ABOVE_REQUEST = gettext_lazy("Amount approved: no more than the Rp %(asked)s asked.")
NOTE_REQUIRED = gettext_lazy("Note: say why.")
NOT_REVOLVING = gettext_lazy("Payments are recorded only for revolving-fund loans that were disbursed.")
OVERPAID = gettext_lazy("Payment: Rp %(remaining)s is still owed; Rp %(amount)s is more than that.")
KUR_ONLY = gettext_lazy("Only KUR applications are referred to a bank.")
NOT_KUR = gettext_lazy("A KUR loan is paid out by the bank: record the bank's answer instead.")
FILE_TOO_BIG = gettext_lazy("Document %(name)s is larger than 10 MB.")
FILE_TYPE = gettext_lazy("Document %(name)s: send a PDF, JPG or PNG.")
TEXT_REQUIRED = gettext_lazy("%(field)s: fill it in.")


is_admin = permissions.rule("decide_applications")
can_review = permissions.rule("review_applications")
_require = permissions.require


def _amount(value, field: str, label: str) -> int:
    try:  # as people type it: "Rp 7.500.000", "7,5 jt", "750rb"
        amount = parse_money(value)
    except ParseError:
        amount = None
    if amount is None or amount <= 0:
        raise ValidationError({field: [str(AMOUNT_INVALID) % {"field": label}]})
    return amount


def _text(value, field: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [str(TEXT_REQUIRED) % {"field": label}]})
    return text[:limit]


def _choices(values, allowed, field: str) -> list[str]:
    chosen = [v for v in (values or []) if v]
    bad = [v for v in chosen if v not in allowed]
    if bad:
        raise ValidationError(
            {field: [_("%(field)s: unknown value %(value)s.") % {"field": field, "value": bad[0]}]}
        )
    return chosen


@transaction.atomic
def programme_create(*, actor: User, data: Mapping) -> Programme:
    _require(is_admin(actor), NOT_ADMIN)
    region = Region.objects.filter(code=(data.get("region") or "").strip()).first()
    if region is None or not scope_for(actor).covers_region(region.code):
        raise ValidationError({"region": [str(REGION_OUTSIDE)]})
    errors: dict = {}

    def collect(fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except ValidationError as err:
            errors.update(err.message_dict)

    name = collect(_text, data.get("name"), "name", _("Name"), 160)
    budget = collect(_amount, data.get("budget"), "budget", _("Budget"))
    opens = collect(form_day, data.get("opens_on"), "opens_on", _("Opens on"), future_ok=True)
    closes = collect(form_day, data.get("closes_on"), "closes_on", _("Closes on"), future_ok=True)
    if opens and closes and closes < opens:
        errors["closes_on"] = [_("Closes on: not before the opening day.")]
    max_amount = None
    if str(data.get("max_amount") or "").strip():
        max_amount = collect(_amount, data.get("max_amount"), "max_amount", _("Largest amount"))
    try:
        rate = Decimal(str(data.get("rate_percent") or "0").replace(",", "."))
        if not (0 <= rate <= 100):
            raise InvalidOperation
    except InvalidOperation:
        errors["rate_percent"] = [_("Yearly rate: a percentage from 0 to 100, e.g. 3 or 6,5.")]
        rate = Decimal(0)
    term = str(data.get("term_months") or "12").strip()
    if not term.isdigit() or not (1 <= int(term) <= 120):
        errors["term_months"] = [_("Term: a number of months from 1 to 120.")]
        term = "12"
    min_level = str(data.get("min_level") or "").strip()
    if min_level and not (min_level.isdigit() and 1 <= int(min_level) <= 5):
        errors["min_level"] = [_("Lowest scorecard level: 1 to 5, or empty.")]
    getlist = data.getlist if hasattr(data, "getlist") else (lambda k: data.get(k) or [])
    lists = {
        "size_classes": collect(_choices, getlist("size_classes"), SizeClass.values, "size_classes"),
        "statuses": collect(_choices, getlist("statuses"), BusinessStatus.values, "statuses"),
        "documents": collect(_choices, getlist("documents"), DocumentKind.values, "documents"),
    }
    sectors = getlist("sectors")
    if isinstance(sectors, str):
        sectors = sectors.split(",")
    weights = {}
    for key in rules.CRITERIA:
        raw = data.get(f"weight_{key}")
        if raw not in (None, ""):
            if not str(raw).isdigit():
                errors[f"weight_{key}"] = [_("Weights: whole numbers of 0 or more.")]
            else:
                weights[key] = int(raw)
    kind = data.get("kind")
    if kind not in ProgrammeKind.values:
        errors["kind"] = [_("Kind: choose grant, revolving fund or KUR.")]
    method = data.get("method") or ScheduleMethod.FLAT
    if method not in ScheduleMethod.values:
        errors["method"] = [_("Schedule: flat or declining balance.")]
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.create(
        name=name,
        kind=kind,
        region=region,
        budget=budget,
        max_amount=max_amount,
        opens_on=opens,
        closes_on=closes,
        sectors=[s.strip() for s in sectors if s.strip()],
        min_level=int(min_level) if min_level else None,
        training_topic=(data.get("training_topic") or "").strip()[:40],
        weights=weights,
        rate_percent=rate,
        term_months=int(term),
        method=method,
        description=(data.get("description") or "").strip(),
        created_by=actor,
        **lists,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=programme,
        region_code=region.code,
        after={"name": name, "kind": kind, "budget": budget},
    )
    return programme


_may_apply_for = permissions.can_edit_business  # office staff in their area, or the owner themself


def _check(application: Application, on: date) -> None:
    facts = rules.facts_for(application.business, on)
    amount = application.amount_approved or application.amount_requested
    application.reasons = rules.eligibility(
        application.programme, application.business, facts, amount=amount, on=on
    )
    application.eligible = not application.reasons
    application.score, application.score_details = rules.score(
        application.programme, application.business, facts
    )


ALLOWED_UPLOADS = {".pdf", ".jpg", ".jpeg", ".png"}


def _attach(application: Application, files, actor: User) -> None:
    for upload in files or []:
        name = upload.name.rsplit("/", 1)[-1]
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError({"documents": [str(FILE_TOO_BIG) % {"name": name}]})
        if "." + name.rsplit(".", 1)[-1].lower() not in ALLOWED_UPLOADS or not document_ok(upload):
            raise ValidationError({"documents": [str(FILE_TYPE) % {"name": name}]})
        ApplicationDocument.objects.create(
            application=application, title=name[:120], file=upload, uploaded_by=actor
        )


@transaction.atomic
def application_submit(
    *, actor: User, programme: Programme, business: Business, amount, purpose: str, files=()
) -> Application:
    _require(_may_apply_for(actor, business), NOT_APPLICANT)
    amount = _amount(amount, "amount_requested", _("Amount requested"))
    purpose = _text(purpose, "purpose", _("Purpose"), 2000)
    live = Application.objects.filter(programme=programme, business=business).exclude(
        status=ApplicationStatus.REJECTED
    )
    if live.exists():
        raise ValidationError({"programme": [str(ALREADY_APPLIED)]})
    application = Application(
        programme=programme, business=business, amount_requested=amount, purpose=purpose, submitted_by=actor
    )
    _check(application, timezone.localdate())
    application.save()
    _attach(application, files, actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=application,
        region_code=business.village_id,
        after=snapshot(application, Application.audited_fields) | {"eligible": application.eligible},
    )
    return application


@transaction.atomic
def documents_add(*, actor: User, application: Application, files) -> None:
    _require(_may_apply_for(actor, application.business), NOT_APPLICANT)
    _attach(application, files, actor)


def _step(application: Application, allowed: tuple, action: str) -> None:
    if application.status not in allowed:
        raise ValidationError(
            {
                "status": [
                    str(WRONG_STEP) % {"status": application.get_status_display().lower(), "action": action}
                ]
            }
        )


def _move(*, actor: User, application: Application, status: str, note: str = "", **changes) -> Application:
    before = snapshot(application, Application.audited_fields)
    application.status = status
    application.decision_note = note[:255]
    for name, value in changes.items():
        setattr(application, name, value)
    application.save()
    audit_record(
        actor=actor,
        action=AuditAction.STATUS,
        obj=application,
        region_code=application.business.village_id,
        before=before,
        after=snapshot(application, Application.audited_fields),
    )
    return application


def _locked(application: Application) -> Application:
    # of=self: lock the application only (PostgreSQL would otherwise lock the joined programme and owner rows
    # too); the budget's own lock is taken, explicitly, where an approval counts what is left.
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "business__owner")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_verify(*, actor: User, application: Application, note: str = "") -> Application:
    _require(
        permissions.staff_covers(actor, application.business.village_id, "review_applications"), NOT_REVIEWER
    )
    application = _locked(application)
    _step(application, (ApplicationStatus.SUBMITTED,), _("verified"))
    _check(application, timezone.localdate())  # facts may have changed since it was sent
    return _move(actor=actor, application=application, status=ApplicationStatus.VERIFIED, note=note)


@transaction.atomic
def application_approve(*, actor: User, application: Application, amount=None, note: str = "") -> Application:
    _require(
        permissions.staff_covers(actor, application.business.village_id, "decide_applications"), NOT_ADMIN
    )
    application = _locked(application)
    _step(application, (ApplicationStatus.VERIFIED,), _("approved"))
    granted = (
        application.amount_requested
        if amount in (None, "")
        else _amount(amount, "amount_approved", _("Amount approved"))
    )
    if granted > application.amount_requested:
        raise ValidationError(
            {"amount_approved": [str(AMOUNT_ABOVE_REQUEST) % {"asked": digits(application.amount_requested)}]}
        )
    application.amount_approved = granted
    _check(application, timezone.localdate())
    if not application.eligible:
        raise ValidationError(
            {"status": [str(NOT_ELIGIBLE) % {"reasons": " ".join(application.reason_texts())}]}
        )
    programme = Programme.objects.select_for_update().get(pk=application.programme_id)
    if granted > programme.remaining:
        raise _over_budget(programme.remaining, granted)
    try:
        with transaction.atomic():
            Programme.objects.filter(pk=programme.pk).update(committed=F("committed") + granted)
    except IntegrityError:  # the database's check: reached only if a path skipped the lock above
        raise _over_budget(Programme.objects.get(pk=programme.pk).remaining, granted) from None
    return _move(actor=actor, application=application, status=ApplicationStatus.APPROVED, note=note)


def _over_budget(remaining: int, amount: int) -> ValidationError:
    return ValidationError(
        {
            "amount_approved": [
                str(BUDGET_EXCEEDED) % {"remaining": digits(remaining), "amount": digits(amount)}
            ]
        }
    )


@transaction.atomic
def application_reject(*, actor: User, application: Application, note: str) -> Application:
    _require(
        permissions.staff_covers(actor, application.business.village_id, "decide_applications"), NOT_ADMIN
    )
    application = _locked(application)
    _step(application, (ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED), _("rejected"))
    if not (note or "").strip():
        raise ValidationError({"decision_note": [str(NOTE_REQUIRED)]})
    return _move(actor=actor, application=application, status=ApplicationStatus.REJECTED, note=note.strip())


@transaction.atomic
def application_disburse(
    *, actor: User, application: Application, disbursed_on, reference: str = ""
) -> Application:
    _require(
        permissions.staff_covers(actor, application.business.village_id, "decide_applications"), NOT_ADMIN
    )
    application = _locked(application)
    _step(application, (ApplicationStatus.APPROVED,), _("disbursed"))
    if application.programme.kind == ProgrammeKind.KUR:
        raise ValidationError({"status": [str(NOT_KUR)]})
    day = form_day(disbursed_on, "disbursed_on", _("Disbursed on"))
    Disbursement.objects.create(
        application=application,
        amount=application.amount_approved,
        disbursed_on=day,
        reference=(reference or "").strip()[:80],
        recorded_by=actor,
    )
    programme = application.programme
    if programme.kind == ProgrammeKind.REVOLVING:
        lines = loans.schedule(
            amount=application.amount_approved,
            rate_percent=programme.rate_percent,
            months=programme.term_months,
            method=programme.method,
            start=day,
        )
        Installment.objects.bulk_create(
            Installment(
                application=application,
                number=x.number,
                due_on=x.due_on,
                principal=x.principal,
                interest=x.interest,
            )
            for x in lines
        )
    return _move(
        actor=actor,
        application=application,
        status=ApplicationStatus.DISBURSED,
        note=application.decision_note,
    )


def loan_state(application: Application, on: date | None = None) -> loans.State:
    lines = [loans.Line(i.number, i.due_on, i.principal, i.interest) for i in application.installments.all()]
    payments = [(p.paid_on, p.amount) for p in application.payments.all()]
    return loans.state(lines, payments, on or timezone.localdate())


@transaction.atomic
def payment_record(*, actor: User, application: Application, paid_on, amount, reference: str = "") -> Payment:
    _require(
        permissions.staff_covers(actor, application.business.village_id, "review_applications"), NOT_REVIEWER
    )
    application = _locked(application)  # two clerks recording at once must not both fit under what is owed
    if (
        application.programme.kind != ProgrammeKind.REVOLVING
        or application.status != ApplicationStatus.DISBURSED
    ):
        raise ValidationError({"amount": [str(NOT_REVOLVING)]})
    day = form_day(paid_on, "paid_on", _("Paid on"))
    amount = _amount(amount, "amount", _("Amount"))
    remaining = loan_state(application, date.max).remaining
    if amount > remaining:
        raise ValidationError(
            {"amount": [str(OVERPAID) % {"remaining": digits(remaining), "amount": digits(amount)}]}
        )
    payment = Payment.objects.create(
        application=application,
        paid_on=day,
        amount=amount,
        reference=(reference or "").strip()[:80],
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=payment,
        region_code=application.business.village_id,
        after={"application": application.pk, "paid_on": day.isoformat(), "amount": amount},
    )
    return payment


@transaction.atomic
def referral_record(*, actor: User, application: Application, data: Mapping) -> Referral:
    """Refer an approved KUR application to a bank, or record the bank's answer."""
    _require(
        permissions.staff_covers(actor, application.business.village_id, "review_applications"), NOT_REVIEWER
    )
    application = _locked(application)
    if application.programme.kind != ProgrammeKind.KUR:
        raise ValidationError({"bank": [str(KUR_ONLY)]})
    _step(application, (ApplicationStatus.APPROVED,), _("referred"))
    status = data.get("status") or ReferralStatus.REFERRED
    if status not in ReferralStatus.values:
        raise ValidationError({"status": [_("Status at the bank: choose one of the list.")]})
    day = form_day(data.get("on") or timezone.localdate(), "on", _("Date"))
    referral = Referral.objects.filter(application=application).first()
    if referral is None:
        referral = Referral(
            application=application, bank=_text(data.get("bank"), "bank", _("Bank"), 80), referred_on=day
        )
    bank_amount = None
    if status == ReferralStatus.DISBURSED:
        bank_amount = _amount(data.get("bank_amount"), "bank_amount", _("Amount from the bank"))
    before = {"status": referral.status if referral.pk else None}
    referral.status, referral.updated_on = status, day
    referral.bank_amount = bank_amount or referral.bank_amount
    referral.note = (data.get("note") or "").strip()[:255]
    referral.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before["status"] else AuditAction.CREATE,
        obj=application,
        region_code=application.business.village_id,
        before=before,
        after={"referral": status, "bank": referral.bank, "bank_amount": referral.bank_amount},
    )
    if status == ReferralStatus.DISBURSED:
        Disbursement.objects.create(
            application=application,
            amount=bank_amount,
            disbursed_on=day,
            reference=referral.bank,
            recorded_by=actor,
        )
        _move(actor=actor, application=application, status=ApplicationStatus.DISBURSED, note=referral.note)
    elif status == ReferralStatus.REJECTED:
        # The bank said no: the quota it held goes back to the programme.
        Programme.objects.filter(pk=application.programme_id).update(
            committed=F("committed") - application.amount_approved
        )
        _move(
            actor=actor,
            application=application,
            status=ApplicationStatus.REJECTED,
            note=_("Rejected by %(bank)s") % {"bank": referral.bank},
        )
    return referral


# One step of an application, by name: the page (one URL per step) and the API (POST .../{step}) both call this.
STEP_DONE = {
    "verify": gettext_lazy("Application verified."),
    "approve": gettext_lazy("Application approved."),
    "reject": gettext_lazy("Application rejected."),
    "disburse": gettext_lazy("Disbursement recorded."),
    "payment": gettext_lazy("Payment recorded."),
    "referral": gettext_lazy("Referral saved."),
    "documents": gettext_lazy("Documents added."),
}


def application_step(
    *, actor: User, application: Application, step: str, data: Mapping, files=()
) -> Application:
    """Take one step (a key of STEP_DONE) with the values a form or the API sent; each step checks its own
    permission and scope. An unknown step is a 404 for the caller (Http404)."""

    note, reference = data.get("note") or "", data.get("reference") or ""
    if step == "verify":
        return application_verify(actor=actor, application=application, note=note)
    if step == "approve":
        return application_approve(
            actor=actor, application=application, amount=data.get("amount_approved"), note=note
        )
    if step == "reject":
        return application_reject(actor=actor, application=application, note=note)
    if step == "disburse":
        disbursed_on = data.get("disbursed_on") or timezone.localdate()
        return application_disburse(
            actor=actor, application=application, disbursed_on=disbursed_on, reference=reference
        )
    if step == "payment":
        payment_record(
            actor=actor, application=application, paid_on=data.get("paid_on"), amount=data.get("amount"),
            reference=reference,
        )  # fmt: skip
    elif step == "referral":
        referral_record(actor=actor, application=application, data=data)
    elif step == "documents":
        documents_add(actor=actor, application=application, files=files)
    else:
        raise Http404
    application.refresh_from_db()
    return application
