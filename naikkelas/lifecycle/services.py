"""Every lifecycle write: visits, assessments, scorecard versions. Each keeps the business's status and the
funnel in step, in the same transaction, and is audited."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.models import User
from naikkelas.core import validation
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.images import decode_all, shrunk_jpeg
from naikkelas.core.language import in_reader_language
from naikkelas.core.models import AuditAction
from naikkelas.lifecycle import evidence, funnel, scoring
from naikkelas.lifecycle.constants import InstrumentStatus, VisitOutcome
from naikkelas.lifecycle.models import (
    Answer,
    Assessment,
    Instrument,
    Option,
    Question,
    VerificationVisit,
    VisitPhoto,
)
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business

CANNOT_VISIT = gettext_lazy("Only field officers and office admins record visits and assessments.")
CANNOT_EDIT_INSTRUMENT = gettext_lazy("Only office admins edit the scorecard.")
INSTRUMENT_IN_USE = gettext_lazy(
    "This version already has assessments and cannot change; make a new version to change it."
)
NO_ACTIVE_INSTRUMENT = gettext_lazy("No scorecard is in use: an admin must activate one.")
DATE_REQUIRED = gettext_lazy("Date: fill in the date.")
DATE_INVALID = gettext_lazy("Date: use the format YYYY-MM-DD.")
DATE_FUTURE = gettext_lazy("Date: cannot be in the future.")
DATE_BEFORE_REGISTRATION = gettext_lazy("Date: cannot be before the business was registered (%(day)s).")
OUTCOME_INVALID = gettext_lazy(
    "Outcome: choose one of operating, temporarily closed, closed, moved, not found."
)
COORDINATE_INVALID = gettext_lazy("%(field)s: must be a number between %(low)s and %(high)s.")
COORDINATES_PAIR = gettext_lazy("Location: give both latitude and longitude, or neither.")
TOO_MANY_PHOTOS = gettext_lazy("Photos: at most %(n)s photos per visit.")
ANSWER_MISSING = gettext_lazy("%(question)s: choose an answer.")
ANSWER_INVALID = gettext_lazy("%(question)s: “%(value)s” is not one of the answers.")
UNKNOWN_QUESTION = gettext_lazy("“%(key)s” is not a question of this scorecard.")
NOTES_TOO_LONG = gettext_lazy("Notes: at most 2,000 characters.")
WEIGHTS_ZERO = gettext_lazy("The questions' weights must add up to more than 0.")
CUTOFFS_INVALID = gettext_lazy("Level cut-offs: four rising numbers between 0 and 100, e.g. 20, 40, 60, 80.")

CLIENT_ID_TAKEN = gettext_lazy("client_id: already used for a visit to another business.")

MAX_PHOTOS = 3


can_verify = permissions.rule("verify")
can_edit_instrument = permissions.rule("edit_settings")
_require = permissions.require


def _day(value, *, business: Business, field: str) -> date:
    if value in (None, ""):
        raise ValidationError({field: [str(DATE_REQUIRED)]})
    try:
        day = validation.parse_date(value)
    except validation.ParseError:
        raise ValidationError({field: [str(DATE_INVALID)]}) from None
    if day > timezone.localdate():
        raise ValidationError({field: [str(DATE_FUTURE)]})
    if day < business.registered_on:
        raise ValidationError(
            {field: [str(DATE_BEFORE_REGISTRATION) % {"day": business.registered_on.strftime("%d/%m/%Y")}]}
        )
    return day


def _coordinate(value, field: str, label: str, low: int, high: int) -> Decimal | None:
    try:
        return validation.parse_coordinate(value, low, high)
    except validation.ParseError:
        raise ValidationError(
            {field: [str(COORDINATE_INVALID) % {"field": label, "low": low, "high": high}]}
        ) from None


def derive_status(business: Business, today: date | None = None) -> str:
    """The status the visits and assessments give the business today: closed when the latest visit found it
    closed, else its funnel stage."""
    today = today or timezone.localdate()
    visits = list(business.visits.order_by("visited_on", "id").values_list("visited_on", "outcome"))
    if not visits:
        return business.status  # nobody has been there: keep what the office recorded
    ratings = list(business.assessments.order_by("assessed_on", "id").values_list("assessed_on", "modern"))
    return funnel.status_on(today, registered_on=business.registered_on, visits=visits, ratings=ratings)


def _follow_up(*, actor: User, business: Business, note: str) -> None:
    """After a visit or an assessment: the status the history now gives, and the funnel."""
    status = derive_status(business)
    if status != business.status:
        registry.business_set_status(actor=actor, business=business, status=status, note=note)
    funnel.funnel_sync([business.pk])


def visit_record(
    *, actor: User, business: Business, data: Mapping, photos: Sequence = ()
) -> tuple[VerificationVisit, bool]:
    """A verification visit, and whether it is new. `data`: date, outcome, notes, lat, lon, and client_id for
    a visit queued offline (sending the same client_id again returns the visit already recorded, not new).

    Photos are decoded and shrunk first, outside the transaction that writes the visit."""
    _require(can_verify(actor), CANNOT_VISIT)
    permissions.require_in_scope(actor, business)
    photos = [p for p in photos if p]
    images, photo_errors = [], []
    if len(photos) <= MAX_PHOTOS:
        images, photo_errors = decode_all(
            photos, lambda p: shrunk_jpeg(p, max_px=settings.VISIT_PHOTO_MAX_PX)
        )
    return _visit_record(
        actor=actor, business=business, data=data, photos=photos, images=images, photo_errors=photo_errors
    )


@transaction.atomic
def _visit_record(*, actor, business, data, photos, images, photo_errors) -> tuple[VerificationVisit, bool]:
    client_id = data.get("client_id") or None
    if client_id:
        try:
            client_id = uuid.UUID(str(client_id))
        except ValueError:
            client_id = None
        existing = VerificationVisit.objects.filter(client_id=client_id).first() if client_id else None
        if existing is not None:
            if existing.business_id != business.pk:
                raise ValidationError({"client_id": [str(CLIENT_ID_TAKEN)]})
            return existing, False
    errors: dict[str, list[str]] = {}
    fields = {}
    for name, check in (
        ("visited_on", lambda: _day(data.get("date"), business=business, field="date")),
        ("outcome", lambda: _outcome(data.get("outcome"))),
        ("latitude", lambda: _coordinate(data.get("lat"), "lat", _("Latitude"), -90, 90)),
        ("longitude", lambda: _coordinate(data.get("lon"), "lon", _("Longitude"), -180, 180)),
        ("notes", lambda: _notes(data.get("notes"))),
    ):
        try:
            fields[name] = check()
        except ValidationError as err:
            for key, messages in err.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if not errors and (fields["latitude"] is None) != (fields["longitude"] is None):
        errors["lat"] = [str(COORDINATES_PAIR)]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [str(TOO_MANY_PHOTOS) % {"n": MAX_PHOTOS}]
    elif photo_errors:
        errors["photos"] = photo_errors
    if errors:
        raise ValidationError(errors)
    business = Business.objects.select_for_update().get(pk=business.pk)
    try:
        with transaction.atomic():
            visit = VerificationVisit.objects.create(
                business=business, officer=actor, client_id=client_id, **fields
            )
    except IntegrityError:  # the same queued visit arriving twice at once
        return VerificationVisit.objects.get(client_id=client_id), False
    for image in images:
        VisitPhoto.objects.create(visit=visit, image=image)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=visit,
        region_code=business.village_id,
        after={
            **snapshot(visit, ("business", "visited_on", "outcome", "latitude", "longitude", "notes")),
            "photos": len(images),
        },  # fmt: skip
    )
    _follow_up(
        actor=actor,
        business=business,
        note=_("Verification visit: %(outcome)s") % {"outcome": visit.get_outcome_display()},
    )
    return visit, True


def _outcome(value) -> str:
    if value not in VisitOutcome.values:
        raise ValidationError({"outcome": [str(OUTCOME_INVALID)]})
    return value


def _notes(value) -> str:
    text = (value or "").strip()
    if len(text) > 2000:
        raise ValidationError({"notes": [str(NOTES_TOO_LONG)]})
    return text


def active_instrument() -> Instrument:
    instrument = Instrument.objects.filter(status=InstrumentStatus.ACTIVE).first()
    if instrument is None:
        raise ValidationError({"instrument": [str(NO_ACTIVE_INSTRUMENT)]})
    return instrument


def question_label(question: Question) -> str:
    return in_reader_language(question.text, question.text_en)


def _chosen(instrument: Instrument, answers: Mapping[str, str]) -> dict[Question, Option]:
    questions = list(instrument.questions.prefetch_related("options"))
    errors: dict[str, list[str]] = {}
    known = {q.key for q in questions}
    for key in answers:
        if key not in known:
            errors.setdefault("answers", []).append(str(UNKNOWN_QUESTION) % {"key": key})
    chosen = {}
    for q in questions:
        value = answers.get(q.key)
        if value in (None, ""):
            errors[q.key] = [str(ANSWER_MISSING) % {"question": question_label(q)}]
            continue
        option = next((o for o in q.options.all() if o.key == str(value)), None)
        if option is None:
            errors[q.key] = [str(ANSWER_INVALID) % {"question": question_label(q), "value": value}]
            continue
        chosen[q] = option
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def assessment_record(
    *, actor: User, business: Business, answers: Mapping[str, str], day=None
) -> tuple[Assessment, scoring.Result]:
    """Score the answers (question key → option key) with the scorecard in use and keep them."""
    _require(can_verify(actor), CANNOT_VISIT)
    permissions.require_in_scope(actor, business)
    instrument = active_instrument()
    assessed_on = _day(day or timezone.localdate(), business=business, field="date")
    chosen = _chosen(instrument, evidence.fill_in(business, instrument, dict(answers)))
    result = scoring.score(instrument, chosen)
    business = Business.objects.select_for_update().get(pk=business.pk)
    assessment = Assessment.objects.create(
        business=business,
        instrument=instrument,
        assessed_on=assessed_on,
        assessor=actor,
        score=result.score,
        level=result.level,
        innovation=result.innovation,
        modern=result.modern,
    )
    Answer.objects.bulk_create(
        [Answer(assessment=assessment, question=q, option=o) for q, o in chosen.items()]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assessment,
        region_code=business.village_id,
        after={
            **snapshot(assessment, ("business", "instrument", "assessed_on", "score", "level", "modern")),
            "answers": {q.key: o.key for q, o in chosen.items()},
        },  # fmt: skip
    )
    _follow_up(
        actor=actor, business=business, note=_("Assessment: level %(level)s") % {"level": result.level}
    )
    return assessment, result


def assessment_result(assessment: Assessment) -> scoring.Result:
    """The stored assessment scored again from its answers (for its gaps; the score is what was stored)."""
    chosen = {a.question: a.option for a in assessment.answers.select_related("question", "option")}
    return scoring.score(assessment.instrument, chosen)


# --- the scorecard itself -----------------------------------------------------------------------------------


@transaction.atomic
def instrument_new_version(*, actor: User, source: Instrument) -> Instrument:
    """A draft copy of `source` with the next version number, to edit."""
    _require(can_edit_instrument(actor), CANNOT_EDIT_INSTRUMENT)
    latest = Instrument.objects.select_for_update().order_by("-version").first()
    copy = Instrument.objects.create(
        name=source.name,
        version=latest.version + 1,
        status=InstrumentStatus.DRAFT,
        level_cutoffs=list(source.level_cutoffs),
        modern_level=source.modern_level,
        innovation_required=source.innovation_required,
        based_on=source,
    )
    for q in source.questions.prefetch_related("options"):
        options = list(q.options.all())
        q.pk = None
        q.instrument = copy
        q.save()
        for o in options:
            o.pk = None
            o.question = q
            o.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=copy,
        after={"version": copy.version, "based_on": source.version},
    )
    return copy


def instrument_editable(instrument: Instrument) -> bool:
    """A draft nobody has been assessed with yet; any other version is history and stays as it was."""
    return instrument.status == InstrumentStatus.DRAFT and not instrument.assessments.exists()


def _editable(instrument: Instrument) -> None:
    if not instrument_editable(instrument):
        raise ValidationError({"instrument": [str(INSTRUMENT_IN_USE)]})


def options_text(question: Question) -> str:
    """A question's options as the form shows them, one per line: the text parse_options reads back."""
    return "\n".join(
        f"{o.label} | {o.value}{' *' if o.is_innovation else ''}" for o in question.options.all()
    )


def parse_options(text: str) -> list[tuple[str, int, bool]]:
    """Options typed one per line as “label | value” (value 0–100), “*” after the value marking the answer
    that means an innovation: "Ya, sudah dijual | 100 *"."""
    options = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, _sep, rest = line.rpartition("|")
        rest = rest.strip()
        innovation = rest.endswith("*")
        rest = rest.rstrip("*").strip()
        if not label.strip() or not rest.isdigit() or int(rest) > 100:
            raise ValidationError(
                {
                    "options": [
                        _("Answers, line %(n)s: write “label | value” with a value from 0 to 100.")
                        % {"n": number}
                    ]
                }  # fmt: skip
            )
        options.append((label.strip(), int(rest), innovation))
    if len(options) < 2:
        raise ValidationError({"options": [_("Answers: give at least two.")]})
    return options


@transaction.atomic
def instrument_update(*, actor: User, instrument: Instrument, data: Mapping, questions: Sequence[Mapping]):
    """Replace a draft's settings and questions. Each question: key, text, text_en, topic, weight, options
    (a list of (label, value, is_innovation))."""
    _require(can_edit_instrument(actor), CANNOT_EDIT_INSTRUMENT)
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _editable(instrument)
    try:
        cutoffs = [int(str(c).strip()) for c in data.get("level_cutoffs", instrument.level_cutoffs)]
    except ValueError:
        cutoffs = []
    if len(cutoffs) != 4 or cutoffs != sorted(set(cutoffs)) or not all(0 < c <= 100 for c in cutoffs):
        raise ValidationError({"level_cutoffs": [str(CUTOFFS_INVALID)]})
    if sum(int(q["weight"]) for q in questions) <= 0:
        raise ValidationError({"questions": [str(WEIGHTS_ZERO)]})
    before = _instrument_snapshot(instrument)
    instrument.name = (data.get("name") or instrument.name).strip()[:120]
    instrument.level_cutoffs = cutoffs
    instrument.modern_level = int(data.get("modern_level", instrument.modern_level))
    instrument.innovation_required = bool(data.get("innovation_required", instrument.innovation_required))
    instrument.full_clean()
    instrument.save()
    instrument.questions.all().delete()
    for order, q in enumerate(questions):
        question = Question(
            instrument=instrument,
            key=q["key"],
            text=q["text"],
            text_en=q.get("text_en", ""),
            topic=q["topic"],
            weight=int(q["weight"]),
            order=order,
        )
        question.full_clean(exclude=["instrument"])
        question.save()
        for n, (label, value, innovation) in enumerate(q["options"]):
            Option.objects.create(
                question=question,
                key=f"o{n + 1}",
                label=label,
                value=value,
                is_innovation=innovation,
                order=n,
            )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=instrument,
        before=before,
        after=_instrument_snapshot(instrument),
    )
    return instrument


def _instrument_snapshot(instrument: Instrument) -> dict:
    return {
        "name": instrument.name,
        "level_cutoffs": instrument.level_cutoffs,
        "modern_level": instrument.modern_level,
        "innovation_required": instrument.innovation_required,
        "questions": [
            {
                "key": q.key,
                "weight": q.weight,
                "topic": q.topic,
                "options": [(o.label, o.value, o.is_innovation) for o in q.options.all()],
            }  # fmt: skip
            for q in instrument.questions.prefetch_related("options")
        ],
    }


@transaction.atomic
def instrument_activate(*, actor: User, instrument: Instrument) -> Instrument:
    """Put a version in use; the one in use before retires (its assessments keep it)."""
    _require(can_edit_instrument(actor), CANNOT_EDIT_INSTRUMENT)
    if not instrument.questions.exists():
        raise ValidationError({"questions": [str(WEIGHTS_ZERO)]})
    Instrument.objects.filter(status=InstrumentStatus.ACTIVE).exclude(pk=instrument.pk).update(
        status=InstrumentStatus.RETIRED
    )
    instrument.status = InstrumentStatus.ACTIVE
    instrument.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=instrument, after={"status": "active"})
    return instrument
