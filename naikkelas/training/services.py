"""Every training write: cohorts and sessions, registrations (with a waiting list and no double registration),
QR check-in, tests, and certificates. Validated with Indonesian messages, in one transaction, audited."""

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.models import User
from naikkelas.accounts.scope import scope_for
from naikkelas.core import personal, validation
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditAction
from naikkelas.core.phones import PhoneError, phone_to_e164
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Person
from naikkelas.training.models import (
    Attendance,
    Audience,
    Certificate,
    Cohort,
    Programme,
    Registration,
    RegistrationStatus,
    Session,
    TestKind,
    TestQuestion,
    TestResult,
)

START_INVALID = gettext_lazy("Start: pick a date and time.")
CANNOT_MANAGE = gettext_lazy("Only office admins and field officers run training.")
REGION_OUTSIDE = gettext_lazy("Region: outside your area.")
NAME_REQUIRED = gettext_lazy("Name: fill it in.")
PHONE_REQUIRED = gettext_lazy("Phone / WhatsApp: fill in a number we can reach you on.")
ALREADY_REGISTERED = gettext_lazy("This person is already registered for this cohort.")
PHONE_ALREADY_REGISTERED = gettext_lazy(
    "WhatsApp number: this number is already registered for this cohort; open the participant link you received."
)
REGISTRATION_CLOSED = gettext_lazy("Registration for this cohort is closed.")
CODE_UNKNOWN = gettext_lazy("Code %(code)s is not a participant of this cohort.")
CODE_WAITLISTED = gettext_lazy("%(name)s is on the waiting list, not a participant yet.")
TEST_TAKEN = gettext_lazy("This test has already been taken.")
TEST_INCOMPLETE = gettext_lazy("Answer every question.")
NUMBER_INVALID = gettext_lazy("%(field)s: a whole number of 0 or more.")


can_manage = permissions.rule("manage_training")


def _require(user: User, cohort: Cohort | None = None) -> None:
    """Office staff who run training, and for a cohort: one of their area."""
    permissions.require_rule(user, "manage_training", CANNOT_MANAGE)
    if cohort is not None:
        permissions.require_in_scope(user, cohort)


def _whole(value, label) -> int:
    try:
        number = int(str(value).replace(".", "").strip())
    except ValueError:
        raise ValidationError({label: [str(NUMBER_INVALID) % {"field": label}]}) from None
    if number < 0:
        raise ValidationError({label: [str(NUMBER_INVALID) % {"field": label}]})
    return number


@transaction.atomic
def cohort_create(*, actor: User, programme: Programme, data: Mapping) -> Cohort:
    _require(actor)

    region = Region.objects.filter(code=(data.get("region") or "").strip()).first()
    if region is None or not scope_for(actor).covers_region(region.code):
        raise ValidationError({"region": [str(REGION_OUTSIDE)]})
    try:
        starts_on = validation.parse_date(data.get("starts_on"))
    except validation.ParseError:
        starts_on = None
    if starts_on is None:
        raise ValidationError({"starts_on": [_("Start date: use the format YYYY-MM-DD.")]})
    cohort = Cohort(
        programme=programme,
        name=(data.get("name") or "").strip()[:160] or f"{programme.name} {starts_on:%m/%Y}",
        region=region,
        capacity=_whole(data.get("capacity", 0), "capacity"),
        budget=_whole(data.get("budget", 0) or 0, "budget"),
        trainers=(data.get("trainers") or "").strip()[:255],
        starts_on=starts_on,
        created_by=actor,
    )
    cohort.full_clean(exclude=["created_by", "region", "programme"])
    cohort.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=cohort,
        region_code=region.code,
        after={
            "programme": programme.pk,
            "name": cohort.name,
            "capacity": cohort.capacity,
            "budget": cohort.budget,
        },
    )
    return cohort


@transaction.atomic
def session_add(
    *,
    actor: User,
    cohort: Cohort,
    title: str,
    starts_at: datetime | str,
    venue: str = "",
    online_link: str = "",
):
    _require(actor, cohort)
    if not isinstance(starts_at, datetime):  # a form's datetime-local "2026-12-01T09:00"
        try:
            starts_at = datetime.fromisoformat(str(starts_at or "").strip())
        except ValueError:
            raise ValidationError({"starts_at": [str(START_INVALID)]}) from None
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    session = Session(
        cohort=cohort, title=title.strip()[:160], starts_at=starts_at, venue=venue, online_link=online_link
    )
    session.full_clean(exclude=["cohort"])
    session.save()
    return session


def _person_for(name: str, phone: str) -> Person:
    person = Person.objects.filter(phone=phone).order_by("pk").first()
    if person is None:
        person = Person.objects.create(name=name, phone=phone)
    return person


@transaction.atomic
def register(
    *, cohort: Cohort, data: Mapping, actor: User | None = None, source: str = "self"
) -> Registration:
    """A person joins a cohort (through its public link, or an officer for them): a place while there are
    places, else the waiting list. One registration per person (found by phone number) and cohort."""
    if actor is not None:  # an officer registering someone: a cohort of their own area
        _require(actor, cohort)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)  # one place counted at a time
    if not cohort.registration_open:
        raise ValidationError({"cohort": [str(REGISTRATION_CLOSED)]})
    name = (data.get("name") or "").strip()[:150]
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [str(NAME_REQUIRED)]
    try:
        phone = phone_to_e164(data.get("phone"))
    except PhoneError as exc:
        errors["phone"] = [str(exc)]
        phone = ""
    if not phone and "phone" not in errors:
        errors["phone"] = [str(PHONE_REQUIRED)]
    if errors:
        raise ValidationError(errors)
    business = None
    if actor is None:
        # Through the public link the registry is never searched: the answer must not tell whether a phone
        # number is known, nor whose it is. The registrant is recorded as they typed themselves; the duplicate
        # search joins them to the registry's person later, under an officer's eye.
        if (
            cohort.registrations.filter(person__phone=phone)
            .exclude(status=RegistrationStatus.CANCELLED)
            .exists()
        ):
            raise ValidationError({"phone": [str(PHONE_ALREADY_REGISTERED)]})
        person = Person.objects.create(name=name, phone=phone)
    else:
        if data.get("business_id"):
            business = Business.objects.filter(pk=data["business_id"]).select_related("owner").first()
            if business is not None:
                permissions.require_in_scope(actor, business)  # an officer registers owners of their own area
        person = business.owner if business is not None else _person_for(name, phone)
    if (
        Registration.objects.filter(cohort=cohort, person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError({"phone": [str(ALREADY_REGISTERED)]})
    if business is None:
        business = person.businesses.order_by("pk").first()
    taken = cohort.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    status = RegistrationStatus.REGISTERED if taken < cohort.capacity else RegistrationStatus.WAITLISTED
    registration = Registration.objects.filter(cohort=cohort, person=person).first()
    if registration is not None:  # registered before and cancelled: back in
        registration.status = status
        registration.save(update_fields=["status"])
    else:
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    cohort=cohort, person=person, business=business, status=status, source=source
                )
        except IntegrityError:
            raise ValidationError({"phone": [str(ALREADY_REGISTERED)]}) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=registration,
        region_code=cohort.region_id,
        after={"cohort": cohort.pk, "person": person.pk, "status": status, "source": source},
    )
    return registration


@transaction.atomic
def cancel(*, actor: User, registration: Registration) -> Registration | None:
    """Give up a place (the participant themself, or the office running the cohort); the first on the waiting list
    takes it. Returns who moved up, if anyone."""
    if registration.person.user_id is None or registration.person.user_id != actor.pk:
        _require(actor, registration.cohort)
    cohort = Cohort.objects.select_for_update().get(pk=registration.cohort_id)
    had_place = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    moved = None
    if had_place:
        moved = (
            cohort.registrations.filter(status=RegistrationStatus.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if moved is not None:
            moved.status = RegistrationStatus.REGISTERED
            moved.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=registration,
        region_code=cohort.region_id,
        after={"status": "cancelled", "moved_up": moved.pk if moved else None},
    )
    return moved


@transaction.atomic
def check_in(*, actor: User, session: Session, code: str) -> tuple[Registration, bool]:
    """Check a participant in by the code on their phone or card. Returns (registration, new)."""
    _require(actor, session.cohort)
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    registration = (
        Registration.objects.filter(cohort_id=session.cohort_id, code=code).select_related("person").first()
    )
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"code": [str(CODE_UNKNOWN) % {"code": code or "–"}]})
    if registration.status == RegistrationStatus.WAITLISTED:
        raise ValidationError({"code": [str(CODE_WAITLISTED) % {"name": registration.person.name}]})
    attendance, created = Attendance.objects.get_or_create(
        session=session, registration=registration, defaults={"checked_in_by": actor}
    )
    if not created:
        return registration, False
    return registration, True


def score_test(questions: list[TestQuestion], answers: Mapping[str, object]) -> Decimal:
    right = sum(1 for q in questions if str(answers.get(str(q.pk), "")) == str(q.correct))
    return (Decimal(right) * 100 / len(questions)).quantize(Decimal("0.1")) if questions else Decimal(0)


@transaction.atomic
def take_test(*, registration: Registration, kind: str, answers: Mapping[str, object]) -> TestResult:
    questions = list(registration.cohort.programme.questions.all())
    if TestResult.objects.filter(registration=registration, kind=kind).exists():
        raise ValidationError({"test": [str(TEST_TAKEN)]})
    if kind not in TestKind.values or any(str(q.pk) not in answers for q in questions):
        raise ValidationError({"test": [str(TEST_INCOMPLETE)]})
    clean = {str(q.pk): str(answers[str(q.pk)]) for q in questions}
    return TestResult.objects.create(
        registration=registration, kind=kind, score=score_test(questions, clean), answers=clean
    )


def _completion(cohort: Cohort, *, sessions: int, attended: int, post_score, status: str) -> dict:
    """Enough sessions attended and the post-test passed, by the cohort's own bars."""
    attendance_ok = sessions > 0 and attended * 100 >= cohort.min_attendance * sessions
    test_ok = post_score is not None and post_score >= cohort.pass_score
    return {
        "sessions": sessions,
        "attended": attended,
        "post_score": post_score,
        "complete": status == RegistrationStatus.REGISTERED and attendance_ok and test_ok,
    }


def completion(registration: Registration) -> dict:
    """Whether the participant completed: enough sessions attended and the post-test passed."""
    post = registration.tests.filter(kind=TestKind.POST).first()
    return _completion(
        registration.cohort,
        sessions=registration.cohort.sessions.count(),
        attended=registration.attendance.count(),
        post_score=post.score if post else None,
        status=registration.status,
    )


def completions(cohort: Cohort) -> dict[int, dict]:
    """completion() of every registration of the cohort, in three queries: {registration id: result}."""
    sessions = cohort.sessions.count()
    # One post-test per registration at most (test_once_per_kind).
    post_scores = dict(
        TestResult.objects.filter(registration__cohort=cohort, kind=TestKind.POST).values_list(
            "registration_id", "score"
        )
    )
    return {
        pk: _completion(
            cohort, sessions=sessions, attended=attended, post_score=post_scores.get(pk), status=status
        )
        for pk, status, attended in cohort.registrations.annotate(n=Count("attendance")).values_list(
            "pk", "status", "n"
        )
    }


def certificate_signature(number: str, secret: str | None = None) -> str:
    """The check code printed on a certificate, under the current key (or `secret`)."""
    key = hashlib.sha256(("certificate:" + (secret or settings.NAIKKELAS_SECRET)).encode()).digest()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:16]


def certificate_signature_valid(number: str, signature: str) -> bool:
    """A printed code checks under the current key or an old key still listed in NAIKKELAS_OLD_SECRETS: paper
    certificates outlive a key rotation for as long as the office keeps the old key listed (deploy/README.md)."""
    return any(
        hmac.compare_digest(certificate_signature(number, secret), signature or "")
        for secret in personal.secrets_in_use()
    )


@transaction.atomic
def certificates_issue(*, actor: User, cohort: Cohort) -> list[Certificate]:
    """A certificate for every participant who completed and has none yet."""
    _require(actor, cohort)
    issued = []
    today = timezone.localdate()
    for registration in cohort.registrations.filter(
        status=RegistrationStatus.REGISTERED, certificate__isnull=True
    ):
        if not completion(registration)["complete"]:
            continue
        number = f"NK-{today:%Y}-{registration.pk:06d}"
        issued.append(Certificate.objects.create(registration=registration, number=number, issued_on=today))
    if issued:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=cohort,
            region_code=cohort.region_id,
            after={"certificates": [c.number for c in issued]},
        )
    return issued


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    _require(actor, certificate.registration.cohort)
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = (reason or "").strip()[:200]
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=certificate,
        region_code=certificate.registration.cohort.region_id,
        after={"revoked": certificate.revoke_reason},
    )
    return certificate


def certificate_check(number: str, signature: str) -> tuple[str, Certificate | None]:
    """'valid', 'revoked', 'missing' (no check code given: the page asks for it) or 'invalid' (unknown number,
    or a code that does not match: forged). Without its code a certificate's holder is never shown."""
    if not (signature or "").strip():
        return "missing", None
    signature = signature.strip().lower()
    certificate = (
        Certificate.objects.filter(number=number)
        .select_related("registration__person", "registration__cohort__programme")
        .first()
    )
    if certificate is None or not certificate_signature_valid(number, signature):
        return "invalid", None
    return ("revoked" if certificate.revoked_at else "valid"), certificate


CANNOT_EDIT_CATALOGUE = gettext_lazy("Only office admins edit the training catalogue.")
TOPIC_INVALID = gettext_lazy("Topic: lower-case letters, digits and hyphens, e.g. pemasaran-digital.")
OPTIONS_INVALID = gettext_lazy("Answers: at least two, one per line.")
CORRECT_INVALID = gettext_lazy("Correct answer: the number of one of the answers (1 = the first).")
QUESTION_REQUIRED = gettext_lazy("Question: fill it in.")


# Programmes and their tests are the office's: admins edit them, field officers run cohorts of them.
can_edit_catalogue = permissions.rule("edit_training_catalogue")


def _require_admin(user: User) -> None:
    permissions.require_rule(user, "edit_training_catalogue", CANNOT_EDIT_CATALOGUE)


@transaction.atomic
def programme_save(*, actor: User, programme: Programme | None, data: Mapping) -> Programme:

    _require_admin(actor)
    target = programme or Programme()
    target.name = (data.get("name") or "").strip()[:160]
    target.topic = (data.get("topic") or "").strip()
    target.audience = data.get("audience") if data.get("audience") in Audience.values else Audience.UMKM
    target.description = (data.get("description") or "").strip()
    target.active = data.get("active", True) not in (False, "", "off")
    errors = {}
    if not target.name:
        errors["name"] = [str(NAME_REQUIRED)]
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", target.topic):
        errors["topic"] = [str(TOPIC_INVALID)]
    if errors:
        raise ValidationError(errors)
    created = target.pk is None
    target.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=target,
        after={"name": target.name, "topic": target.topic, "audience": target.audience},
    )
    return target


@transaction.atomic
def question_add(*, actor: User, programme: Programme, text: str, options_text: str, correct) -> TestQuestion:
    _require_admin(actor)
    options = [line.strip() for line in (options_text or "").splitlines() if line.strip()]
    errors = {}
    if not (text or "").strip():
        errors["text"] = [str(QUESTION_REQUIRED)]
    if len(options) < 2:
        errors["options"] = [str(OPTIONS_INVALID)]
    try:
        index = int(str(correct).strip()) - 1
        if not 0 <= index < len(options):
            raise ValueError
    except ValueError:
        errors["correct"] = [str(CORRECT_INVALID)]
        index = 0
    if errors:
        raise ValidationError(errors)
    order = programme.questions.count()
    return TestQuestion.objects.create(
        programme=programme, text=text.strip()[:300], options=options, correct=index, order=order
    )


@transaction.atomic
def invite_by_email(*, actor: User, cohort: Cohort, businesses, register_url: str) -> int:
    """E-mail the invitation to the owners of these businesses who have an e-mail address; returns how many."""

    _require(actor, cohort)
    businesses = list(businesses)
    for business in businesses:  # only owners of the officer's own area
        permissions.require_in_scope(actor, business)
    messages_ = []
    for business in businesses:
        email = business.owner.email
        if (
            not email or business.owner.restricted_at is not None
        ):  # restricted (UU 27/2022 Pasal 11): not invited
            continue
        subject = _("Invitation: %(programme)s") % {"programme": cohort.programme.name}
        body = _(
            "Hello %(name)s,\n\nThe Dinas Koperasi dan UMKM invites %(business)s to the training %(programme)s "
            "(%(cohort)s), starting %(day)s.\n\nRegister here: %(url)s\n"
        ) % {
            "name": business.owner.name,
            "business": business.name,
            "programme": cohort.programme.name,
            "cohort": cohort.name,
            "day": cohort.starts_on.strftime("%d/%m/%Y"),
            "url": register_url,
        }
        messages_.append((subject, body, None, [email]))
    sent = send_mass_mail(messages_, fail_silently=False) if messages_ else 0
    if sent:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=cohort,
            region_code=cohort.region_id,
            after={"invited_by_email": sent},
        )
    return sent
