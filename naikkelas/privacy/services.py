"""A person's copy of their data (UU 27/2022 Pasal 7 and 32), for the person themself or given by an officer of
their office who has seen their KTP. Each copy is audited (an export of the person's data)."""

import csv
import io
import json
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.core import outbox, personal
from naikkelas.core.audit import audit_record, export_record
from naikkelas.core.dates import moment
from naikkelas.core.exports import safe_cell
from naikkelas.core.models import AuditAction, OutboxMessage, OutboxStatus
from naikkelas.core.phones import PhoneError, phone_to_e164
from naikkelas.privacy import erasure
from naikkelas.privacy.holdings import Holdings, gather
from naikkelas.privacy.models import (
    Consent,
    ConsentPurpose,
    DataRequest,
    PhoneCode,
    RequestKind,
    RequestStatus,
)
from naikkelas.registry.models import Person

UNKNOWN_PURPOSE = gettext_lazy("Unknown purpose of consent.")
NOT_YOURS = gettext_lazy("You may only ask for the data of a person your office serves, or your own.")

can_answer = permissions.rule("answer_data_requests")


def may_copy(user, person: Person) -> bool:
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return True
    return can_answer(user) and permissions.person_visible(user, person)


def personal_copy(*, actor, person: Person, form: str = "json") -> Holdings:
    """Everything held about the person (holdings.gather), for the person; refused to anyone else than the
    person and the staff of an office that serves them. Audited, with how many records went out."""
    permissions.require(may_copy(actor, person), NOT_YOURS)
    held = gather(person)
    export_record(actor=actor, export=f"privacy-copy-{form}", obj=person,
                  region_code=permissions.person_region(person), rows=held.count())  # fmt: skip
    return held


def as_json(held: Holdings) -> bytes:
    return json.dumps(held.as_dict(), ensure_ascii=False, indent=1, default=str).encode()


def as_csv(held: Holdings) -> bytes:
    """One table for every kind of record: section, kind of record, number, field, value (a spreadsheet opens
    it; a program reads it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["bagian", "jenis", "nomor", "kolom", "nilai"])
    for key, value in (held.account or {}).items():
        writer.writerow(["akun", "", "", key, _cell(value)])
    for label, rows in held.records.items():
        for row in rows:
            for key, value in row.items():
                writer.writerow(["data", label, row.get("id", ""), key, _cell(value)])
    for label, pks in held.references.items():
        for pk in pks:
            writer.writerow(["rujukan", label, pk, "", ""])
    for n, entry in enumerate(held.history, start=1):
        for key, value in entry.items():
            writer.writerow(["riwayat", "", n, key, _cell(value)])
    return ("\ufeff" + out.getvalue()).encode()  # a BOM: spreadsheets read it as UTF-8


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        return str(safe_cell(value))  # a name typed as "=…" stays text in a spreadsheet
    return str(value)


# Consent --------------------------------------------------------------------------------------------------------

NOT_THEIRS_TO_GIVE = gettext_lazy(
    "Consent is given or withdrawn by the person, or recorded by an officer of the office that serves them."
)


def may_record_consent(user, person: Person) -> bool:
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return True
    return permissions.is_staff_role(user) and permissions.person_editable(user, person)


@transaction.atomic
def consent_give(*, actor, person: Person, purpose: str, how: str = "") -> Consent:
    """Record the person's consent to a purpose (the person on their page, or an officer holding the signed
    form); giving it again while in force changes nothing."""
    permissions.require(may_record_consent(actor, person), NOT_THEIRS_TO_GIVE)
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": [str(UNKNOWN_PURPOSE)]})
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one at a time per person
    found = Consent.objects.filter(person=person, purpose=purpose, withdrawn_at=None).first()
    if found:
        return found
    consent = Consent.objects.create(person=person, purpose=purpose, given_at=timezone.now(), given_by=actor,
                                     how=how[:200])  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=consent, region_code=permissions.person_region(person),
                 after={"purpose": purpose, "how": how[:200]})  # fmt: skip
    _honour(purpose)
    return consent


@transaction.atomic
def consent_withdraw(*, actor, person: Person, purpose: str) -> int:
    """Withdraw the person's consent (Pasal 9): it stops at once where naikkelas uses it (the public catalogue
    shows no contact from the next page it serves). Returns how many consents were in force (0 or 1)."""
    permissions.require(may_record_consent(actor, person), NOT_THEIRS_TO_GIVE)
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": [str(UNKNOWN_PURPOSE)]})
    now = timezone.now()
    ended = Consent.objects.filter(person=person, purpose=purpose, withdrawn_at=None).update(withdrawn_at=now)
    if ended:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, region_code=permissions.person_region(person),
                     after={"consent_withdrawn": purpose})  # fmt: skip
        _honour(purpose)
    return ended


def _honour(purpose: str) -> None:
    if purpose == ConsentPurpose.CATALOGUE_CONTACT:
        from naikkelas.catalog.services import bump  # the public pages are cached: retire them all

        transaction.on_commit(bump)


# Requests -------------------------------------------------------------------------------------------------------

ANSWER_WITHIN = timedelta(hours=72)  # 3 × 24 hours from receipt
ALREADY_OPEN = gettext_lazy(
    "A request of this kind is already open (received %(when)s); it will be answered by %(due)s."
)
UNKNOWN_KIND = gettext_lazy("Unknown kind of request.")
DETAILS_TOO_LONG = gettext_lazy("The details are too long (at most 2,000 characters).")
REASONS_REQUIRED = gettext_lazy("Give the reasons of the answer.")
ARTICLE_REQUIRED = gettext_lazy(
    "A refusal names the article of the law it rests on (for example: Pasal 15 ayat 1)."
)
ALREADY_DECIDED = gettext_lazy("This request has already been answered.")
NOT_YOUR_REQUEST = gettext_lazy("This request is handled by the office that serves the person.")


def may_handle_requests(user, request: DataRequest) -> bool:
    return can_answer(user) and permissions.person_visible(user, request.person)


@transaction.atomic
def request_file(*, actor, person: Person, kind: str, details: str = "") -> DataRequest:
    """File a person's request: by the person signed in, or by an officer of an office that serves them (after
    seeing their KTP). Its clock starts now; a second request of the same kind while one is open is answered
    with the first one's date, and nothing is added."""
    own = person.user_id is not None and person.user_id == getattr(actor, "pk", None)
    permissions.require(own or (can_answer(actor) and permissions.person_visible(actor, person)), NOT_YOURS)
    return _file(
        person=person, kind=kind, details=details, channel="own_page" if own else "officer", actor=actor
    )


def _file(*, person: Person, kind: str, details: str, channel: str, actor) -> DataRequest:
    """The request itself, once who asks has been checked (the caller's own page, an officer, a phone code)."""
    if kind not in RequestKind.values:
        raise ValidationError({"kind": [str(UNKNOWN_KIND)]})
    if len(details) > 2000:
        raise ValidationError({"details": [str(DETAILS_TOO_LONG)]})
    Person.objects.select_for_update().filter(pk=person.pk).first()
    open_one = DataRequest.objects.filter(person=person, kind=kind, status=RequestStatus.OPEN).first()
    if open_one:
        raise ValidationError({"kind": [str(ALREADY_OPEN) % {"when": moment(open_one.received_at),
                                                             "due": moment(open_one.due_at)}]})  # fmt: skip
    now = timezone.now()
    request = DataRequest.objects.create(
        person=person, kind=kind, details=details.strip(), channel=channel, received_at=now,
        due_at=now + ANSWER_WITHIN, received_by=actor if getattr(actor, "pk", None) else None,
        region_code=permissions.person_region(person),
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=request, region_code=request.region_code,
                 after={"kind": kind, "channel": request.channel})  # fmt: skip
    return request


@transaction.atomic
def request_decide(
    *, actor, request: DataRequest, done: bool, decision: str, article: str = ""
) -> DataRequest:
    """Answer a request, with reasons; a refusal names the article it rests on (Pasal 15, or another law's duty
    to keep the record). Only once."""
    request = DataRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    permissions.require(may_handle_requests(actor, request), NOT_YOUR_REQUEST)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(str(ALREADY_DECIDED))
    errors = {}
    if not decision.strip():
        errors["decision"] = [str(REASONS_REQUIRED)]
    if not done and not article.strip():
        errors["article"] = [str(ARTICLE_REQUIRED)]
    if errors:
        raise ValidationError(errors)
    person = request.person
    carried = done and request.kind in (RequestKind.RESTRICTION, RequestKind.ERASURE)
    if carried:  # a person served by two offices is restricted or erased by the office above both
        permissions.require(permissions.person_editable(actor, person), SERVED_BY_TWO)
        if person.erased_at is not None:
            raise ValidationError(str(ALREADY_ERASED) % {"when": moment(person.erased_at)})
    # Where the answer goes when the person has no account to read it on (or is losing it): their phone, else
    # their e-mail, read before an erasure removes them.
    to = person.phone or person.email
    request.status = RequestStatus.DONE if done else RequestStatus.REFUSED
    request.decision, request.article = decision.strip()[:4000], ("" if done else article.strip()[:120])
    request.decided_at, request.decided_by = timezone.now(), actor
    if carried:
        lines = (erasure.restrict if request.kind == RequestKind.RESTRICTION else erasure.erase)(person)
        request.outcome = [line.as_dict() for line in lines]
    request.save(update_fields=["status", "decision", "article", "decided_at", "decided_by", "outcome"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=request, region_code=request.region_code,
                 after={"status": request.status, "article": request.article,
                        "late": request.decided_at > request.due_at,
                        "outcome": {line["label"]: [line["done"], line["count"]] for line in request.outcome}})  # fmt: skip
    if to and (request.channel == CHANNEL_PHONE or request.kind == RequestKind.ERASURE and carried):
        text = str(ANSWER_MESSAGE) % {"kind": request.get_kind_display(), "status": request.get_status_display(),
                                      "decision": request.decision,
                                      "article": f" ({request.article})" if request.article else ""}  # fmt: skip
        if request.outcome:
            text += "\n" + outcome_text(request)
        outbox.queue(to=to, purpose="privacy_answer", region_code=request.region_code, text=text)
    return request


def outcome_text(request: DataRequest) -> str:
    """What a restriction or an erasure did, per kind of record, as the person reads it."""
    return erasure.explain([erasure.Line.stored(line) for line in request.outcome], kind=request.kind)


SERVED_BY_TWO = gettext_lazy(
    "This person is also served by another office: a restriction or an erasure is carried out by the office above "
    "both."
)
ALREADY_ERASED = gettext_lazy("This person's data was erased on %(when)s.")
NOT_RESTRICTED = gettext_lazy("The processing of this person's data is not restricted.")
ERASED_STAYS = gettext_lazy(
    "The restriction of an erased person stays: what a law keeps of their data may not be processed again."
)


@transaction.atomic
def restriction_lift(*, actor, person: Person) -> Person:
    """End a restriction at the person's wish (their own page, or an officer of the office that serves them all):
    they are in lists, searches and invitations again. Not for an erased person. Audited."""
    own = person.user_id is not None and person.user_id == getattr(actor, "pk", None)
    permissions.require(own or (can_answer(actor) and permissions.person_editable(actor, person)), NOT_YOURS)
    person = Person.all_objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(str(ERASED_STAYS))
    if person.restricted_at is None:
        raise ValidationError(str(NOT_RESTRICTED))
    erasure.lift(person)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, region_code=permissions.person_region(person),
                 after={"restriction": "lifted"})  # fmt: skip
    return person


# Requests by phone (the public page) ----------------------------------------------------------------------------

CHANNEL_PHONE = "phone"
CODE_MINUTES = 10
CODE_TRIES = 5
CODE_MESSAGE = gettext_lazy(
    "naikkelas: your code for a personal data request is %(code)s. It is valid for %(minutes)s minutes. Do not "
    "give it to anyone, including officers."
)
ANSWER_MESSAGE = gettext_lazy(
    "naikkelas: your request (%(kind)s) was answered: %(status)s%(article)s. %(decision)s"
)
BAD_PHONE = gettext_lazy("Phone number: %(message)s")
WRONG_CODE = gettext_lazy("The code is wrong, or no code was asked for this number. Ask for a new code.")
EXPIRED_CODE = gettext_lazy("The code has expired (it is valid for %(minutes)s minutes). Ask for a new code.")
USED_CODE = gettext_lazy("This code has been used already. Ask for a new code.")
TOO_MANY_TRIES = gettext_lazy("Too many wrong codes. Ask for a new code.")


def _phone(raw: str) -> str:
    try:
        return phone_to_e164(raw)
    except PhoneError as exc:
        raise ValidationError({"phone": [str(BAD_PHONE) % {"message": exc}]}) from None


def _phone_hash(phone: str) -> str:
    return personal.keyed_hash(f"privacy-phone|{phone}")


def code_send(*, phone: str) -> None:
    """Make a one-time code for the number and send it, by the outbox, to the number if naikkelas holds it
    (as a person's phone). Whether it does is not told: the code is made, and the page answers, alike."""
    number = _phone(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.create(phone_hash=_phone_hash(number), code_hash=personal.keyed_hash(f"code|{code}"),
                                 created_at=now, expires_at=now + timedelta(minutes=CODE_MINUTES))  # fmt: skip
        holder = Person.objects.filter(phone=number).order_by("pk").first()
        if holder is not None:
            outbox.queue(to=number, text=str(CODE_MESSAGE) % {"code": code, "minutes": CODE_MINUTES},
                         purpose="privacy_code", region_code=permissions.person_region(holder), secret=True)  # fmt: skip


def request_file_by_code(*, phone: str, code: str, kind: str, details: str = "") -> list[DataRequest]:
    """File a request for every person naikkelas holds with this phone, once the code sent to it is given back
    (the code is the caller's proof: no account, no officer). A wrong, used or expired code files nothing."""
    number = _phone(phone)
    with transaction.atomic():
        found = (
            PhoneCode.objects.select_for_update()
            .filter(phone_hash=_phone_hash(number))
            .order_by("-created_at")
            .first()
        )
        problem = _code_problem(found, code.strip())
        if found is not None and problem != USED_CODE:
            found.attempts += 1
            if problem is None:
                found.used_at = timezone.now()
            found.save(update_fields=["attempts", "used_at"])
    if problem is not None:
        raise ValidationError({"code": [str(problem) % {"minutes": CODE_MINUTES}]})
    with transaction.atomic():
        return [
            _file(person=person, kind=kind, details=details, channel=CHANNEL_PHONE, actor=None)
            for person in Person.objects.filter(phone=number).order_by("pk")
        ]


def _code_problem(found: PhoneCode | None, code: str):
    if found is None:
        return WRONG_CODE
    if found.used_at is not None:
        return USED_CODE
    if found.attempts >= CODE_TRIES:
        return TOO_MANY_TRIES
    if not secrets.compare_digest(found.code_hash, personal.keyed_hash(f"code|{code}")):
        return WRONG_CODE
    if found.expires_at <= timezone.now():
        return EXPIRED_CODE
    return None


# The outbox, where no gateway is set ------------------------------------------------------------------------

NOT_STAFF = gettext_lazy("Only the office's staff send its messages.")
ALREADY_SENT = gettext_lazy("This message has been sent already.")


def outbox_mark_sent(*, actor, message: OutboxMessage) -> OutboxMessage:
    """An officer sent the message from their own WhatsApp (no gateway set): it leaves the list, and a code's
    text is forgotten. Only staff of the message's area; audited."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        permissions.require(permissions.is_staff_role(actor), NOT_STAFF)
        permissions.require_in_scope(actor, message)
        if message.status == OutboxStatus.SENT:
            raise ValidationError(str(ALREADY_SENT))
        outbox.mark_sent(message)
        audit_record(actor=actor, action=AuditAction.STATUS, obj=message, region_code=message.region_code,
                     after={"status": OutboxStatus.SENT, "purpose": message.purpose})  # fmt: skip
    return message
