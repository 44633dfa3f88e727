"""Every write to the registry: validated, scoped, audited, in one transaction."""

from collections.abc import Mapping
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.constants import Role
from naikkelas.accounts.models import User
from naikkelas.accounts.scope import scope_for, scoped
from naikkelas.core import personal
from naikkelas.core.audit import Refused, atomic_service, audit_record, refusal_entry, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.registry import followers, kbli
from naikkelas.registry import validation as v
from naikkelas.registry.constants import (
    BusinessStatus,
    CooperativeLevel,
    CooperativeStatus,
    CooperativeType,
    DocumentKind,
    LegalForm,
)
from naikkelas.registry.models import Business, Cooperative, Declaration, LegalDocument, Person, StatusChange
from naikkelas.registry.rules import size_class_for
from naikkelas.registry.search import search_text_for
from naikkelas.registry.tallies import tally_change, tally_key

CANNOT_CREATE = gettext_lazy("Your role cannot add records.")
CANNOT_EDIT = gettext_lazy("Your role cannot change this record.")
CANNOT_VIEW_NIK = gettext_lazy("Your role cannot see the full NIK.")
OWNER_REQUIRED = gettext_lazy("Owner: choose an existing owner or fill in the owner's name.")
EXPIRY_BEFORE_ISSUE = gettext_lazy("Expiry date cannot be before the issue date.")
DOCUMENT_EXISTS = gettext_lazy("This document number is already recorded for this business.")
OWNER_RESTRICTED = gettext_lazy(
    "Owner NIK: this person asked that the processing of their data be restricted (Law 27/2022, Article 11); "
    "nothing is added to or changed in their records until the restriction ends."
)
NIK_TAKEN = gettext_lazy("Owner NIK: this NIK is already registered to another person.")
NIK_ELSEWHERE = gettext_lazy(
    "Owner NIK: this NIK is already registered in another region; contact the regency or provincial admin."
)
PERSON_ELSEWHERE = gettext_lazy(
    "Owner: this person also runs a business in another region; the regency or provincial admin changes "
    "their data."
)
ACCOUNT_NOT_OWNERS = gettext_lazy(
    "Login: this person's account is not a business owner's account; it cannot be changed here."
)

# Gender and birth date are left out: they are digits of the NIK, and beside the masked NIK they would rebuild it.
PERSON_AUDITED = ("name", "nik_masked", "phone", "email")


_legal_form_choice = v.choice(LegalForm)


def _legal_form(value, label) -> str:
    return _legal_form_choice(value, label) or ""  # a text column: blank, never NULL


def business_spec(scope):
    return {
        "name": (_("Business name"), v.text(max_length=200, required=True)),
        "nib": (_("NIB"), v.digits(13)),
        "sector": (_("Sector"), v.text(max_length=120)),
        "kbli": (_("KBLI code"), v.kbli),
        "address": (_("Address"), v.text(max_length=255)),
        "village": (_("Village"), v.village_in_scope(scope)),
        "latitude": (_("Latitude"), v.coordinate(-90, 90)),
        "longitude": (_("Longitude"), v.coordinate(-180, 180)),
        "phone": (_("Business phone"), v.phone),
        "founded": (_("Founded"), v.past_date),
        "employees": (_("Employees"), v.whole_number),
        "assets": (_("Assets"), v.money),
        "annual_revenue": (_("Annual revenue"), v.money),
        "status": (_("Status"), v.choice(BusinessStatus)),
        "legal_form": (_("Legal form"), _legal_form),
        "main_activity": (_("Main activity"), v.text(max_length=255)),
        "main_product": (_("Main product"), v.text(max_length=200)),
        "founding_capital": (_("Founding capital"), v.money),
        "workers_paid_men": (_("Paid workers, men"), v.whole_number),
        "workers_paid_women": (_("Paid workers, women"), v.whole_number),
        "workers_unpaid_men": (_("Unpaid workers, men"), v.whole_number),
        "workers_unpaid_women": (_("Unpaid workers, women"), v.whole_number),
        "workers_disabled": (_("Workers with a disability"), v.whole_number),
    }


def owner_spec():
    return {
        "owner_name": (_("Owner name"), v.text(max_length=150)),
        "owner_nik": (_("Owner NIK"), v.nik),
        "owner_phone": (_("Owner phone"), v.phone),
        "owner_email": (_("Owner e-mail"), v.email),
    }


def cooperative_spec(scope):
    return {
        "name": (_("Cooperative name"), v.text(max_length=200, required=True)),
        "legal_entity_number": (_("Legal entity number"), v.text(max_length=64)),
        "legal_entity_date": (_("Legal entity date"), v.past_date),
        "nik_koperasi": (_("Nomor Induk Koperasi"), v.digits(16)),
        "type": (_("Cooperative type"), v.choice(CooperativeType)),
        "level": (_("Level"), v.choice(CooperativeLevel)),
        "members": (_("Members"), v.whole_number),
        "village": (_("Village"), v.village_in_scope(scope)),
        "address": (_("Address"), v.text(max_length=255)),
        "phone": (_("Phone"), v.phone),
        "chair_name": (_("Chair"), v.text(max_length=150)),
        "status": (_("Status"), v.choice(CooperativeStatus)),
    }


_require = permissions.require
can_create = permissions.rule("create_records")


can_edit_business = permissions.can_edit_business
can_edit_cooperative = permissions.can_edit_cooperative


def _refuse_person(*, actor, person: Person, field: str, message, attempted: str):
    """Refuse a write that would reach a person outside the actor's area, naming no one; the attempt is
    audited in the person's own region."""
    return Refused(
        {field: [str(message)]},
        entries=[
            refusal_entry(
                actor=actor, obj=person, region_code=permissions.person_region(person), attempted=attempted
            )
        ],
    )


can_view_nik = permissions.rule("view_nik")


def _merge_errors(*errors: ValidationError | None) -> None:
    merged: dict[str, list[str]] = {}
    for err in errors:
        if err is not None:
            for field, messages in err.message_dict.items():
                merged.setdefault(field, []).extend(messages)
    if merged:
        raise ValidationError(merged)


def _clean(data, spec, *, partial):
    try:
        return v.clean_fields(data, spec, partial=partial), None
    except ValidationError as err:
        return {}, err


def _audit_record_change(*, actor, obj: Business | Cooperative, before: dict | None, after: dict) -> None:
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_record(actor=actor, action=action, obj=obj, region_code=obj.region_code, before=before, after=after)


def _record_status(*, actor, subject, status: str, previous: str, note: str = "", at: datetime | None = None):
    key = "business" if isinstance(subject, Business) else "cooperative"
    StatusChange.objects.create(
        **{key: subject},
        status=status,
        previous=previous,
        note=note,
        changed_at=at or timezone.now(),
        actor=actor if actor else None,
    )


def _person_from_owner_fields(*, actor, owner: Mapping, region_code: str) -> Person:
    """The person with this NIK if known (one person, several businesses), else a new one."""
    person = None
    if owner.get("owner_nik"):
        person = Person.objects.filter(nik_hash__in=personal.lookup_hashes(owner["owner_nik"])).first()
        if person is not None and not permissions.person_visible(actor, person):
            raise _refuse_person(
                actor=actor,
                person=person,
                field="owner_nik",
                message=NIK_ELSEWHERE,
                attempted="usaha baru dengan NIK pemilik yang terdaftar di wilayah lain",
            )
        if person is not None and person.restricted_at is not None:
            raise ValidationError({"owner_nik": [str(OWNER_RESTRICTED)]})
    if person is None:
        if not owner.get("owner_name"):
            raise ValidationError({"owner_name": [str(OWNER_REQUIRED)]})
        person = Person(
            name=owner["owner_name"], phone=owner.get("owner_phone", ""), email=owner.get("owner_email", "")
        )
        if owner.get("owner_nik"):
            person.set_nik(owner["owner_nik"])
        person.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=person,
            region_code=region_code,
            after=snapshot(person, PERSON_AUDITED),
        )
    elif owner.get("owner_phone") and not person.phone and permissions.person_editable(actor, person):
        before = snapshot(person, PERSON_AUDITED)
        person.phone = owner["owner_phone"]
        person.save(update_fields=["phone", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=person,
            region_code=region_code,
            before=before,
            after=snapshot(person, PERSON_AUDITED),
        )
    return person


def _person_update(*, actor, person: Person, owner: Mapping, region_code: str) -> None:
    if not permissions.person_editable(actor, person):
        raise _refuse_person(
            actor=actor,
            person=person,
            field="owner_name",
            message=PERSON_ELSEWHERE,
            attempted="mengubah data pemilik yang juga dilayani wilayah lain",
        )
    before = snapshot(person, PERSON_AUDITED)
    if owner.get("owner_name"):
        person.name = owner["owner_name"]
    if "owner_phone" in owner:
        person.phone = owner["owner_phone"]
    if "owner_email" in owner:
        person.email = owner["owner_email"]
    if owner.get("owner_nik"):
        other = (
            Person.objects.filter(nik_hash__in=personal.lookup_hashes(owner["owner_nik"]))
            .exclude(pk=person.pk)
            .first()
        )
        if other is not None and not permissions.person_visible(actor, other):
            raise _refuse_person(
                actor=actor,
                person=other,
                field="owner_nik",
                message=NIK_ELSEWHERE,
                attempted="memakai NIK orang yang terdaftar di wilayah lain",
            )
        if other is not None:
            raise ValidationError({"owner_nik": [str(NIK_TAKEN)]})
        person.set_nik(owner["owner_nik"])
    after = snapshot(person, PERSON_AUDITED)
    if after != before:
        person.save()
        for other in person.businesses.select_for_update():
            other.search_text = search_text_for(name=other.name, owner_name=person.name, nib=other.nib)
            other.save(update_fields=["search_text"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=person,
            region_code=region_code,
            before=before,
            after=after,
        )


@atomic_service
def business_create(*, actor: User, data: Mapping, at: datetime | None = None) -> Business:
    _require(can_create(actor), CANNOT_CREATE)
    scope = scope_for(actor)
    fields, err1 = _clean(data, business_spec(scope), partial=False)
    owner, err2 = _clean(data, owner_spec(), partial=False)
    if not data.get("owner_id") and not owner.get("owner_name") and not owner.get("owner_nik") and not err2:
        err2 = ValidationError({"owner_name": [str(OWNER_REQUIRED)]})
    _merge_errors(err1, err2)
    if data.get("owner_id"):
        # Only an owner the actor can already see (through a business in scope) may be chosen by id.
        visible = scoped(Business.objects.filter(owner_id=data["owner_id"]), actor).exists()
        person = Person.objects.filter(pk=data["owner_id"]).first() if visible else None
        if person is None:
            raise ValidationError({"owner_id": [str(OWNER_REQUIRED)]})
    else:
        person = _person_from_owner_fields(actor=actor, owner=owner, region_code=fields["village"].code)
    status = fields.pop("status", None) or BusinessStatus.REGISTERED
    if fields.get("kbli") and not fields.get("sector"):  # proposed from the code: its golongan pokok
        fields["sector"] = kbli.sector_for(fields["kbli"])[:120]
    business = Business(owner=person, status=status, **fields)
    if at is not None:
        business.registered_on = timezone.localdate(at)
    business.size_class = size_class_for(assets=business.assets, annual_revenue=business.annual_revenue)
    business.search_text = search_text_for(name=business.name, owner_name=person.name, nib=business.nib)
    business.full_clean(exclude=["owner", "village"])
    business.save()
    tally_change(None, tally_key(business))
    followers.businesses_changed([business.pk])
    _record_status(actor=actor, subject=business, status=status, previous="", note=_("Registered"), at=at)
    _audit_record_change(
        actor=actor, obj=business, before=None, after=snapshot(business, Business.audited_fields)
    )
    return business


@atomic_service
def business_update(*, actor: User, business: Business, data: Mapping, note: str = "") -> Business:
    permissions.require_in_scope(actor, business)
    _require(can_edit_business(actor, business), CANNOT_EDIT)
    business = Business.objects.select_for_update().get(pk=business.pk)
    scope = scope_for(actor)
    spec = business_spec(scope)
    if str(data.get("village", business.village_id)) == business.village_id:
        spec["village"] = (
            spec["village"][0],
            lambda value, label: business.village,
        )  # unchanged: no scope check
    fields, err1 = _clean(data, spec, partial=True)
    owner, err2 = _clean(data, owner_spec(), partial=True)
    _merge_errors(err1, err2)
    if not permissions.is_staff_role(actor):
        fields = _owner_fields(actor, business, fields)
    before = snapshot(business, Business.audited_fields)
    old_key = tally_key(business)
    new_status = fields.pop("status", None)
    for name, value in fields.items():
        setattr(business, name, value)
    business.size_class = size_class_for(assets=business.assets, annual_revenue=business.annual_revenue)
    if owner:
        _person_update(actor=actor, person=business.owner, owner=owner, region_code=business.village_id)
    if new_status and new_status != business.status:
        _record_status(actor=actor, subject=business, status=new_status, previous=business.status, note=note)
        business.status = new_status
    business.search_text = search_text_for(
        name=business.name, owner_name=business.owner.name, nib=business.nib
    )
    business.full_clean(exclude=["owner", "village"])
    after = snapshot(business, Business.audited_fields)
    if after != before:
        business.save()
        tally_change(old_key, tally_key(business))
        followers.businesses_changed([business.pk])
        _audit_record_change(actor=actor, obj=business, before=before, after=after)
    return business


STATUS_BY_OFFICERS = gettext_lazy(
    "Status: set by field officers from their visits; ask your field officer if it is out of date."
)
DECLARED_FIELDS = ("assets", "annual_revenue")  # feed the size class, grant eligibility and scoring


def _owner_fields(actor, business: Business, fields: dict) -> dict:
    """What an owner may change at once: not the status (visits set it); assets and revenue become declarations
    an officer confirms. Returns the fields to apply now."""
    if "status" in fields and fields["status"] and fields["status"] != business.status:
        raise ValidationError({"status": [str(STATUS_BY_OFFICERS)]})
    fields.pop("status", None)
    for name in DECLARED_FIELDS:
        if name in fields:
            value = fields.pop(name)
            if value != getattr(business, name):
                business.declarations.filter(field=name, state=Declaration.State.PENDING).update(
                    state=Declaration.State.REJECTED, decided_at=timezone.now()
                )  # a newer declaration replaces an unconfirmed one
                declaration = Declaration.objects.create(
                    business=business, field=name, value=value, declared_by=actor
                )
                audit_record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    obj=declaration,
                    region_code=business.village_id,
                    after={"field": name, "value": value},
                )
    return fields


@atomic_service
def declaration_decide(*, actor: User, declaration: Declaration, confirm: bool) -> Declaration:
    """An officer of the business's area confirms (the figure takes effect) or rejects an owner's declaration."""
    _require(can_create(actor), CANNOT_EDIT)
    business = declaration.business
    permissions.require_in_scope(actor, business)
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state != Declaration.State.PENDING:
        raise ValidationError({"declaration": [str(DECLARATION_DECIDED)]})
    declaration.state = Declaration.State.CONFIRMED if confirm else Declaration.State.REJECTED
    declaration.decided_by, declaration.decided_at = actor, timezone.now()
    declaration.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=declaration,
        region_code=business.village_id,
        after={"state": declaration.state},
    )
    if confirm:
        business_update(
            actor=actor,
            business=business,
            data={declaration.field: declaration.value},
            note=_("Owner's declaration confirmed"),
        )
    return declaration


DECLARATION_DECIDED = gettext_lazy("This declaration has already been decided.")


@atomic_service
def business_set_status(*, actor: User, business: Business, status: str, note: str = "") -> Business:
    return business_update(actor=actor, business=business, data={"status": status}, note=note)


@transaction.atomic
def legal_document_add(*, actor: User, business: Business, data: Mapping) -> LegalDocument:
    permissions.require_in_scope(actor, business)
    _require(can_edit_business(actor, business), CANNOT_EDIT)
    spec = {
        "kind": (_("Document"), v.choice(DocumentKind)),
        "number": (_("Document number"), v.text(max_length=64, required=True)),
        "issued_on": (_("Issue date"), v.past_date),
        "expires_on": (_("Expiry date"), v.any_date),
    }
    fields = v.clean_fields(data, spec, partial=False)
    if not fields["kind"]:
        raise ValidationError({"kind": [str(v.REQUIRED) % {"field": _("Document")}]})
    if fields["kind"] == DocumentKind.NIB:
        fields["number"] = v.clean_fields(
            {"number": fields["number"]}, {"number": (_("NIB"), v.digits(13))}, partial=False
        )["number"]
    if fields["issued_on"] and fields["expires_on"] and fields["expires_on"] < fields["issued_on"]:
        raise ValidationError({"expires_on": [str(EXPIRY_BEFORE_ISSUE)]})
    if business.documents.filter(kind=fields["kind"], number=fields["number"]).exists():
        raise ValidationError({"number": [str(DOCUMENT_EXISTS)]})
    try:
        with transaction.atomic():
            document = LegalDocument.objects.create(business=business, **fields)
    except IntegrityError:
        raise ValidationError({"number": [str(DOCUMENT_EXISTS)]}) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=document,
        region_code=business.village_id,
        after=snapshot(document, ("business", "kind", "number", "issued_on", "expires_on")),
    )
    return document


@transaction.atomic
def person_reveal_nik(*, actor: User, person: Person, region_code: str = "") -> str:
    """The full NIK for a role allowed to see it, of a person in the actor's area; every reveal is written to
    the audit log, in the person's region."""
    _require(can_view_nik(actor), CANNOT_VIEW_NIK)
    _require(permissions.person_visible(actor, person), permissions.OUT_OF_SCOPE)
    region_code = region_code or permissions.person_region(person)
    audit_record(actor=actor, action=AuditAction.VIEW_NIK, obj=person, region_code=region_code)
    return person.get_nik()


@transaction.atomic
def cooperative_create(*, actor: User, data: Mapping) -> Cooperative:
    _require(can_create(actor), CANNOT_CREATE)
    fields = v.clean_fields(data, cooperative_spec(scope_for(actor)), partial=False)
    if not fields.get("type"):
        raise ValidationError({"type": [str(v.REQUIRED) % {"field": _("Cooperative type")}]})
    fields["level"] = fields.get("level") or CooperativeLevel.PRIMARY
    fields["status"] = fields.get("status") or CooperativeStatus.ACTIVE
    fields["members"] = fields.get("members") or 0
    cooperative = Cooperative(**fields)
    cooperative.full_clean(exclude=["village"])
    cooperative.save()
    _record_status(actor=actor, subject=cooperative, status=cooperative.status, previous="")
    _audit_record_change(
        actor=actor, obj=cooperative, before=None, after=snapshot(cooperative, Cooperative.audited_fields)
    )
    return cooperative


@transaction.atomic
def cooperative_update(
    *, actor: User, cooperative: Cooperative, data: Mapping, note: str = ""
) -> Cooperative:
    permissions.require_in_scope(actor, cooperative)
    _require(can_edit_cooperative(actor, cooperative), CANNOT_EDIT)
    cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    spec = cooperative_spec(scope_for(actor))
    if str(data.get("village", cooperative.village_id)) == cooperative.village_id:
        spec["village"] = (spec["village"][0], lambda value, label: cooperative.village)
    fields = v.clean_fields(data, spec, partial=True)
    before = snapshot(cooperative, Cooperative.audited_fields)
    for name in ("type", "level", "status"):
        if name in fields and not fields[name]:
            fields.pop(name)
    if "members" in fields and fields["members"] is None:
        fields["members"] = 0
    new_status = fields.pop("status", None)
    for name, value in fields.items():
        setattr(cooperative, name, value)
    if new_status and new_status != cooperative.status:
        _record_status(
            actor=actor, subject=cooperative, status=new_status, previous=cooperative.status, note=note
        )
        cooperative.status = new_status
    cooperative.full_clean(exclude=["village"])
    after = snapshot(cooperative, Cooperative.audited_fields)
    if after != before:
        cooperative.save()
        _audit_record_change(actor=actor, obj=cooperative, before=before, after=after)
    return cooperative


OWNER_ACCOUNT_ROLES = gettext_lazy("Only field officers and office admins set up an owner's login.")
PHONE_TAKEN = gettext_lazy("Phone: this number already logs in to another account.")


@atomic_service
def owner_account_set(*, actor: User, business: Business, phone: str, password: str) -> User:
    """Give the business's owner a login (their phone number and a password), or a new password when they
    forgot theirs: the field officer does it with them. The owner then sees only their own businesses.

    An existing login is changed only when it is a business owner's and every business of the person is in
    the actor's area: an office never renames or resets an account another office also serves."""
    _require(can_create(actor), OWNER_ACCOUNT_ROLES)
    permissions.require_in_scope(actor, business)

    cleaned, err = _clean({"phone": phone}, {"phone": (_("Phone"), v.phone)}, partial=False)
    _merge_errors(err)
    if not cleaned.get("phone"):
        raise ValidationError({"phone": [str(v.REQUIRED) % {"field": _("Phone")}]})
    e164 = cleaned["phone"]
    person = Person.objects.select_for_update().get(pk=business.owner_id)
    user = person.user
    if user is not None and user.role != Role.BUSINESS_OWNER:
        raise _refuse_person(
            actor=actor,
            person=person,
            field="phone",
            message=ACCOUNT_NOT_OWNERS,
            attempted="mengubah akun masuk yang bukan akun pemilik usaha",
        )
    if user is not None and not permissions.person_editable(actor, person):
        raise _refuse_person(
            actor=actor,
            person=person,
            field="phone",
            message=PERSON_ELSEWHERE,
            attempted="mengubah akun masuk pemilik yang juga dilayani wilayah lain",
        )
    taken = User.objects.filter(username=e164).exclude(pk=user.pk if user else None).exists()
    if taken:
        raise ValidationError({"phone": [str(PHONE_TAKEN)]})
    if user is None:
        user = User(username=e164, role=Role.BUSINESS_OWNER, first_name=person.name[:150])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    created = user.pk is None
    user.username = e164
    user.set_password(password)
    user.save()
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=user,
        region_code=business.village_id,
        after={"login": e164, "person": person.pk, "password": "(diganti)"},
    )
    return user
