"""Every supervision write: RAT records, financial reports (form or XLSX), health ratings, supervision visits
with findings and follow-ups. In one transaction, audited, with Indonesian messages."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.models import User
from naikkelas.core import validation
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.dates import form_day
from naikkelas.core.models import AuditAction
from naikkelas.core.uploads import document_ok
from naikkelas.core.validation import ParseError, parse_money
from naikkelas.registry.models import Cooperative
from naikkelas.supervision import health
from naikkelas.supervision.models import (
    ITEM_NAMES,
    REPORT_ITEMS,
    AnnualMeeting,
    FinancialReport,
    Finding,
    FollowUp,
    HealthRating,
    Severity,
    SupervisionVisit,
)

NOT_SUPERVISOR = gettext_lazy("Only field officers and office admins supervise cooperatives.")
NOT_ALLOWED = gettext_lazy("Only the office or this cooperative's managers may record this.")
YEAR_INVALID = gettext_lazy("Book year: a year from 1990 to last year, e.g. %(example)s.")
HELD_BEFORE_YEAR_END = gettext_lazy(
    "Held on: a RAT closes a book year, so it is held after 31 December %(year)s."
)
AMOUNT_INVALID = gettext_lazy("%(field)s: an amount in Rupiah, e.g. 1.500.000 (a loss may be negative).")
REPORT_EMPTY = gettext_lazy("Fill in at least total assets and equity.")
METHOD_UNKNOWN = gettext_lazy("Method: unknown rating method %(code)s.")
MANAGEMENT_INVALID = gettext_lazy('%(part)s: the number of "yes" answers, from 0 to %(max)s.')
FINDING_REQUIRED = gettext_lazy("Write at least one finding.")
ACTION_INCOMPLETE = gettext_lazy("Follow-up %(n)s: fill in the action, who does it and a deadline.")
FILE_TYPE = gettext_lazy("%(name)s: send a PDF, JPG or PNG of at most 10 MB.")


can_supervise = permissions.rule("supervise")


def _may_supervise(user: User, cooperative: Cooperative) -> bool:
    return permissions.staff_covers(user, cooperative.village_id, "supervise")


# The office in its area, or the cooperative's own managers (they send their RAT and reports).
may_report = permissions.can_edit_cooperative
_require = permissions.require


def parse_year(value) -> int:
    last = timezone.localdate().year - 1
    try:
        year = validation.parse_year(value)
    except validation.ParseError:
        year = None
    if year is None or not (1990 <= year <= last):
        raise ValidationError({"year": [str(YEAR_INVALID) % {"example": last}]})
    return year


def _file_ok(upload) -> None:
    """A PDF, JPEG or PNG by its content (uploads.document_ok), at most 10 MB."""
    name = upload.name.rsplit("/", 1)[-1]
    if not document_ok(upload):
        raise ValidationError({"file": [str(FILE_TYPE) % {"name": name}]})


@transaction.atomic
def meeting_record(*, actor: User, cooperative: Cooperative, data: Mapping, files: Mapping | None = None):
    _require(may_report(actor, cooperative), NOT_ALLOWED)
    year = parse_year(data.get("book_year"))
    held = form_day(data.get("held_on"), "held_on", _("Held on"))
    if held.year <= year:
        raise ValidationError({"held_on": [str(HELD_BEFORE_YEAR_END) % {"year": year}]})
    present = str(data.get("members_present") or "").strip()
    if present and not present.isdigit():
        raise ValidationError({"members_present": [_("Members present: a whole number.")]})
    meeting = AnnualMeeting.objects.filter(cooperative=cooperative, book_year=year).first()
    before = snapshot(meeting, ("held_on", "members_present")) if meeting else None
    meeting = meeting or AnnualMeeting(cooperative=cooperative, book_year=year)
    meeting.held_on, meeting.recorded_by = held, actor
    meeting.members_present = int(present) if present else None
    for name in ("minutes", "attendance"):
        upload = (files or {}).get(name)
        if upload:
            _file_ok(upload)
            setattr(meeting, name, upload)
    meeting.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=meeting,
        region_code=cooperative.village_id,
        before=before,
        after=snapshot(meeting, ("held_on", "members_present")),
    )
    return meeting


def clean_items(data: Mapping) -> dict[str, int | None]:
    values, errors = {}, {}
    labels = {name: en for name, _id, en in REPORT_ITEMS}
    for name in ITEM_NAMES:
        raw = data.get(name)
        try:
            values[name] = parse_money(raw)
        except ParseError:
            errors[name] = [str(AMOUNT_INVALID) % {"field": labels[name]}]
    if errors:
        raise ValidationError(errors)
    if values.get("total_assets") is None or values.get("equity") is None:
        raise ValidationError({"total_assets": [str(REPORT_EMPTY)]})
    return values


@transaction.atomic
def report_save(
    *, actor: User, cooperative: Cooperative, year, data: Mapping, source: str = ""
) -> FinancialReport:
    _require(may_report(actor, cooperative), NOT_ALLOWED)
    year = parse_year(year)
    values = clean_items(data)
    report = FinancialReport.objects.filter(cooperative=cooperative, year=year).first()
    before = snapshot(report, ITEM_NAMES) if report else None
    report = report or FinancialReport(cooperative=cooperative, year=year)
    for name, value in values.items():
        setattr(report, name, value)
    report.entered_by, report.source = actor, source[:120]
    report.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=report,
        region_code=cooperative.village_id,
        before=before,
        after=snapshot(report, ITEM_NAMES),
    )
    return report


def clean_management(method, answers: Mapping) -> dict[str, int]:
    cleaned, errors = {}, {}
    for key, name, questions in method.management_parts:
        raw = str(answers.get(key, "") or "0").strip()
        if not raw.isdigit() or int(raw) > questions:
            errors[f"management_{key}"] = [str(MANAGEMENT_INVALID) % {"part": name, "max": questions}]
        else:
            cleaned[key] = int(raw)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def rating_make(
    *, actor: User, report: FinancialReport, management: Mapping, method_code: str = health.DEFAULT_METHOD
) -> HealthRating:
    _require(_may_supervise(actor, report.cooperative), NOT_SUPERVISOR)
    method = health.methods().get(method_code)
    if method is None:
        raise ValidationError({"method": [str(METHOD_UNKNOWN) % {"code": method_code}]})
    answers = clean_management(method, management)
    result = method.rate(report.items(), answers)
    rating = HealthRating.objects.create(
        cooperative=report.cooperative,
        report=report,
        method=method.code,
        score=result.score,
        category=result.category,
        management=answers,
        details=result.as_json(),
        rated_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=rating,
        region_code=report.cooperative.village_id,
        after={
            "year": report.year,
            "method": method.code,
            "score": str(result.score),
            "category": result.category,
        },
    )
    return rating


@transaction.atomic
def visit_record(
    *, actor: User, cooperative: Cooperative, visited_on, summary: str, findings: Sequence[Mapping]
) -> SupervisionVisit:
    """findings: [{"text", "severity", "action", "owner", "due_on"}]; a finding may come without an action."""
    _require(_may_supervise(actor, cooperative), NOT_SUPERVISOR)
    day = form_day(visited_on, "visited_on", _("Visited on"))
    rows = [f for f in findings if (f.get("text") or "").strip()]
    if not rows:
        raise ValidationError({"findings": [str(FINDING_REQUIRED)]})
    visit = SupervisionVisit.objects.create(
        cooperative=cooperative, visited_on=day, officer=actor, summary=(summary or "").strip()
    )
    for n, row in enumerate(rows, start=1):
        severity = row.get("severity") if row.get("severity") in Severity.values else Severity.MEDIUM
        finding = Finding.objects.create(visit=visit, text=row["text"].strip()[:500], severity=severity)
        action, owner, due = (
            (row.get("action") or "").strip(),
            (row.get("owner") or "").strip(),
            row.get("due_on"),
        )
        if action or owner or due:
            try:
                due_on = validation.parse_date(due)
            except ValueError:
                due_on = None
            if not (action and owner and due_on):
                raise ValidationError({"findings": [str(ACTION_INCOMPLETE) % {"n": n}]})
            FollowUp.objects.create(finding=finding, action=action[:500], owner=owner[:150], due_on=due_on)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=visit,
        region_code=cooperative.village_id,
        after={"visited_on": day.isoformat(), "findings": len(rows)},
    )
    return visit


@transaction.atomic
def follow_up_done(*, actor: User, follow_up: FollowUp, done_on, note: str = "") -> FollowUp:
    cooperative = follow_up.finding.visit.cooperative
    _require(may_report(actor, cooperative), NOT_ALLOWED)
    follow_up.done_on = form_day(done_on, "done_on", _("Done on"))
    follow_up.done_note = (note or "").strip()[:255]
    follow_up.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=follow_up,
        region_code=cooperative.village_id,
        after={"done_on": follow_up.done_on.isoformat(), "note": follow_up.done_note},
    )
    return follow_up
