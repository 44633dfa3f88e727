"""Every write about opportunities: buyers, opportunities, invitations, offers, outcomes and readiness ticks.

Each checks the actor's rule and scope itself, for every record it touches, whoever calls it (page, API,
command). The office's staff (admins and field officers, within their area) record buyers and opportunities,
invite and decide; an owner answers for their own business and a cooperative's manager for their cooperative,
and only from inside the opportunity's region. Every write is audited.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.constants import Role
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.core.phones import whatsapp_link
from naikkelas.opportunities.models import (
    REQUIRED_DOCUMENTS,
    Buyer,
    BuyerKind,
    Channel,
    Frequency,
    Invitation,
    Offer,
    OfferStatus,
    Opportunity,
    Outcome,
    Readiness,
    Status,
)
from naikkelas.privacy.models import ConsentPurpose
from naikkelas.privacy.selectors import consent_in_force
from naikkelas.regions import codes as region_codes
from naikkelas.regions.models import Level
from naikkelas.registry import validation as v
from naikkelas.registry.models import Business, Cooperative, Person

NOT_STAFF = gettext_lazy("Only the office's admins and field officers manage business opportunities.")
NOT_SUPPLIER = gettext_lazy("You may answer only for a business you own or a cooperative you manage.")
REGION_OUTSIDE = gettext_lazy("%(field)s: outside your area.")
SUPPLIER_OUTSIDE = gettext_lazy("This supplier is not in the region the opportunity is open to.")
DEADLINE_PAST = gettext_lazy("Offers by: the day has passed; choose today or a later day.")
DELIVERY_BEFORE = gettext_lazy("First delivery: on or after the day offers close.")
NOT_POSITIVE = gettext_lazy("%(field)s: a number greater than 0, e.g. 200.")
NOT_VILLAGE = gettext_lazy("Place of delivery: choose a village (desa/kelurahan).")
DIRECT_LIMIT = gettext_lazy("Channel: Bela Pengadaan / direct purchase is for purchases up to Rp50.000.000.")
NOT_OPEN = gettext_lazy("This opportunity is no longer open for offers.")
CLOSED_PAST = gettext_lazy("Offers for this opportunity closed on %(day)s.")
ABOVE_PRICE = gettext_lazy(
    "Price per unit: Rp %(price)s is above the highest price the buyer stated (Rp %(max)s)."
)
ABOVE_BUDGET = gettext_lazy("The offer's value (Rp %(value)s) is above the buyer's budget (Rp %(budget)s).")
OFFER_EXISTS = gettext_lazy("This supplier has already made an offer; the office can see it.")
OFFER_OTHER = gettext_lazy("Offer taken: that offer belongs to another opportunity.")
ALREADY_CLOSED = gettext_lazy("This opportunity is already closed.")
REASON_REQUIRED = gettext_lazy("Why / note: say why there was no deal.")
VALUE_REQUIRED = gettext_lazy("Deal value: an amount in Rupiah greater than 0, e.g. 12.000.000.")
NO_PHONE = gettext_lazy("This supplier has no phone number for WhatsApp.")
RESTRICTED_OWNER = gettext_lazy(
    "The owner asked that the processing of their data be restricted (Law 27/2022, Article 11): no invitation is "
    "sent."
)
NO_WHATSAPP_CONSENT = gettext_lazy(
    "The owner has not agreed to be contacted by WhatsApp (Law 27/2022): invite them by e-mail, or record the "
    "consent form they sign on their personal data page."
)
NO_EMAIL = gettext_lazy("This supplier has no e-mail address.")
BAD_INVITE_CHANNEL = gettext_lazy("Invitation: send by WhatsApp or e-mail.")
UNKNOWN_SUPPLIER = gettext_lazy("Supplier: choose a business or cooperative from the list.")

can_manage = permissions.rule("manage_opportunities")
_require = permissions.require
DIRECT_PURCHASE_LIMIT = 50_000_000  # Bela Pengadaan: purchases up to Rp50 juta (LKPP)
OPPORTUNITY_FIELDS = ("buyer", "region", "title", "kbli", "quantity", "unit", "frequency", "documents",
                      "delivery_village", "deadline", "delivery_on", "price_max", "budget", "channel", "status",
                      "outcome", "deal_value", "winning_offer", "closed_on")  # fmt: skip


def _error(field: str, message) -> ValidationError:
    return ValidationError({field: [str(message)]})


def _positive(value, field: str, label) -> Decimal:
    try:
        number = v.validation.parse_number(value)
    except v.validation.ParseError:
        number = None
    if number is None or number <= 0:
        raise _error(field, NOT_POSITIVE % {"field": label})
    return number


@transaction.atomic
def buyer_create(*, actor, data: Mapping) -> Buyer:
    _require(can_manage(actor), NOT_STAFF)
    fields = v.clean_fields(
        data,
        {
            "name": (_("Buyer"), v.text(max_length=160, required=True)),
            "kind": (_("Kind of buyer"), v.choice(BuyerKind)),
            "contact_name": (_("Contact person"), v.text(max_length=120)),
            "contact_phone": (_("Contact phone"), v.phone),
        },
        partial=False,
    )
    if not fields["kind"]:
        raise _error("kind", v.REQUIRED % {"field": _("Kind of buyer")})
    region = permissions.region_in_area(
        actor, data.get("region") or actor.region_id, field="region", label=_("Office's region")
    )
    buyer = Buyer.objects.create(
        region=region, created_by=actor, **{k: val or "" for k, val in fields.items()}
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=buyer, region_code=region.code,
                 after=snapshot(buyer, ("name", "kind", "region")))  # fmt: skip
    return buyer


def _clean_opportunity(actor, data: Mapping, *, today: date) -> dict:
    spec = {
        "title": (_("What is needed"), v.text(max_length=160, required=True)),
        "description": (_("Details"), v.text(max_length=4000)),
        "kbli": (_("KBLI 2020 code"), v.text(max_length=5)),
        "unit": (_("Unit"), v.text(max_length=30, required=True)),
        "frequency": (_("How often"), v.choice(Frequency)),
        "quality": (_("Quality and standards"), v.text(max_length=2000)),
        "delivery_address": (_("Delivery address"), v.text(max_length=200)),
        "deadline": (_("Offers by"), v.any_date),
        "delivery_on": (_("First delivery"), v.any_date),
        "price_max": (_("Highest price per unit (Rp)"), v.money),
        "budget": (_("Budget (Rp)"), v.money),
        "channel": (_("Channel"), v.choice(Channel)),
    }
    errors: dict[str, list[str]] = {}
    try:
        fields = v.clean_fields(data, spec, partial=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        fields = {}
    try:
        fields["quantity"] = _positive(data.get("quantity"), "quantity", _("Quantity"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name, label in (("frequency", _("How often")), ("channel", _("Channel")), ("deadline", _("Offers by")),
                        ("delivery_on", _("First delivery"))):  # fmt: skip
        if name not in errors and not fields.get(name):
            errors[name] = [str(v.REQUIRED % {"field": label})]
    if fields.get("deadline") and fields["deadline"] < today:
        errors["deadline"] = [str(DEADLINE_PAST)]
    if fields.get("deadline") and fields.get("delivery_on") and fields["delivery_on"] < fields["deadline"]:
        errors["delivery_on"] = [str(DELIVERY_BEFORE)]
    kbli = fields.get("kbli") or ""
    if kbli and not (kbli.isdigit() and len(kbli) == 5):
        errors["kbli"] = [str(v.DIGITS % {"field": _("KBLI 2020 code"), "n": 5})]
    documents = data.get("documents") or []
    documents = [documents] if isinstance(documents, str) else list(documents)
    known = dict(REQUIRED_DOCUMENTS)
    unknown = [d for d in documents if d not in known]
    if unknown:
        errors["documents"] = [str(v.BAD_CHOICE % {"field": _("Documents required"), "value": unknown[0]})]
    fields["documents"] = [d for d in known if d in documents]
    if fields.get("channel") == Channel.DIRECT and (fields.get("budget") or 0) > DIRECT_PURCHASE_LIMIT:
        errors["budget"] = [str(DIRECT_LIMIT)]
    for name, label in (("region", _("Suppliers from")), ("delivery_village", _("Place of delivery"))):
        try:
            fields[name] = permissions.region_in_area(actor, data.get(name), field=name, label=label)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if "delivery_village" in fields and fields["delivery_village"].level != Level.VILLAGE:
        errors["delivery_village"] = [str(NOT_VILLAGE)]
    if errors:
        raise ValidationError(errors)
    return {key: ("" if value is None and key not in ("price_max", "budget") else value)
            for key, value in fields.items()}  # fmt: skip


@transaction.atomic
def opportunity_create(*, actor, buyer: Buyer, data: Mapping, today: date) -> Opportunity:
    """A buyer's demand, open to the suppliers of a region in the actor's area."""
    _require(can_manage(actor), NOT_STAFF)
    permissions.require_in_scope(actor, buyer)
    fields = _clean_opportunity(actor, data, today=today)
    opportunity = Opportunity.objects.create(buyer=buyer, created_by=actor, created_on=today, **fields)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=opportunity, region_code=opportunity.region_id,
                 after=snapshot(opportunity, OPPORTUNITY_FIELDS))  # fmt: skip
    return opportunity


def supplier_of(key: str):
    """ "business:12" or "cooperative:7" → the record (None when there is none)."""
    kind, _sep, pk = str(key or "").partition(":")
    if not pk.isdigit() or len(pk) > 18:  # beyond a database key
        return None
    model = {"business": Business, "cooperative": Cooperative}.get(kind)
    return model.objects.filter(pk=int(pk)).first() if model else None


def supplier_key(supplier) -> str:
    """The record → "business:12" or "cooperative:7" (what supplier_of reads back)."""
    return f"{'business' if isinstance(supplier, Business) else 'cooperative'}:{supplier.pk}"


def suppliers_in(user, region_code: str) -> list[tuple[str, object]]:
    """(key, record) of the businesses and cooperatives this person answers for that lie in the region."""
    return [
        (supplier_key(s), s)
        for s in suppliers_of(user)
        if region_codes.code_within(s.village_id, region_code)
    ]


def _supplier_fields(supplier) -> dict:
    if isinstance(supplier, Business):
        return {"business": supplier, "cooperative": None}
    return {"business": None, "cooperative": supplier}


def invitation_text(opportunity: Opportunity, url: str) -> str:
    return _(
        "A business opportunity from the Dinas Koperasi dan UMKM: %(title)s, %(quantity)s %(unit)s %(frequency)s, "
        "offers by %(deadline)s. See it and make an offer: %(url)s"
    ) % {
        "title": opportunity.title,
        "quantity": f"{opportunity.quantity.normalize():f}",
        "unit": opportunity.unit,
        "frequency": opportunity.get_frequency_display(),
        "deadline": opportunity.deadline.strftime("%d/%m/%Y"),
        "url": url,
    }


@transaction.atomic
def invite(
    *, actor, opportunity: Opportunity, supplier, channel: str, url: str, score: int = 0
) -> tuple[Invitation, str]:
    """Invite a supplier to the opportunity's public page (url); returns the invitation and, for WhatsApp, the
    wa.me link with the message typed in, which the officer opens to send it from their own WhatsApp."""
    _require(can_manage(actor), NOT_STAFF)
    permissions.require_in_scope(actor, opportunity)
    if supplier is None:
        raise _error("supplier", UNKNOWN_SUPPLIER)
    permissions.require_in_scope(actor, supplier)
    if not region_codes.code_within(supplier.village_id, opportunity.region_id):
        raise _error("supplier", SUPPLIER_OUTSIDE)
    if opportunity.status == Status.CLOSED:
        raise _error("supplier", NOT_OPEN)
    if (
        isinstance(supplier, Business)
        and Person.all_objects.filter(pk=supplier.owner_id, restricted_at__isnull=False).exists()
    ):
        raise _error("supplier", RESTRICTED_OWNER)
    text, link = invitation_text(opportunity, url), ""
    if channel == "whatsapp":
        number = _supplier_phone(supplier).lstrip("+")
        if not number:
            raise _error("supplier", NO_PHONE)
        if isinstance(supplier, Business) and not consent_in_force(
            supplier.owner_id, ConsentPurpose.WHATSAPP_CONTACT
        ):  # a person's phone: contact by WhatsApp rests on their consent (a cooperative's number is its own)
            raise _error("supplier", NO_WHATSAPP_CONSENT)
        link = whatsapp_link(number, text)
    elif channel == "email":
        address = _supplier_email(supplier)
        if not address:
            raise _error("supplier", NO_EMAIL)
        send_mail(opportunity.title, text, None, [address])
    else:
        raise _error("channel", BAD_INVITE_CHANNEL)
    invitation = Invitation.objects.create(
        opportunity=opportunity, channel=channel, score=max(0, min(int(score), 100)), sent_by=actor,
        **_supplier_fields(supplier),
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=invitation, region_code=supplier.village_id,
                 after=snapshot(invitation, ("opportunity", "business", "cooperative", "channel")))  # fmt: skip
    return invitation, link


def _supplier_phone(supplier) -> str:
    if isinstance(supplier, Business):
        return supplier.owner.phone or supplier.phone
    return supplier.phone


def _supplier_email(supplier) -> str:
    if isinstance(supplier, Business):
        return getattr(supplier.owner, "email", "") or ""
    manager = supplier.managers.exclude(email="").order_by("pk").first()
    return manager.email if manager else ""


def may_answer(user, supplier) -> bool:
    """An owner for their own business, a manager for their cooperative, office staff within their area."""
    if isinstance(supplier, Business):
        return permissions.can_edit_business(user, supplier)
    if isinstance(supplier, Cooperative):
        return permissions.can_edit_cooperative(user, supplier)
    return False


def suppliers_of(user) -> list:
    """The businesses and cooperatives this person answers for (owners and managers)."""
    if not (user and user.is_authenticated):
        return []
    if user.effective_role == Role.BUSINESS_OWNER:
        return list(Business.objects.filter(owner__user=user).order_by("name"))
    if user.effective_role == Role.COOPERATIVE_MANAGER:
        return list(Cooperative.objects.filter(managers=user).order_by("name"))
    return []


@transaction.atomic
def offer_make(*, actor, opportunity: Opportunity, supplier, data: Mapping, today: date) -> Offer:
    if supplier is None:
        raise _error("supplier", UNKNOWN_SUPPLIER)
    _require(may_answer(actor, supplier), NOT_SUPPLIER)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not region_codes.code_within(supplier.village_id, opportunity.region_id):
        raise _error("supplier", SUPPLIER_OUTSIDE)
    if opportunity.status == Status.CLOSED:
        raise _error("price", NOT_OPEN)
    if opportunity.deadline < today:
        raise _error("price", CLOSED_PAST % {"day": opportunity.deadline.strftime("%d/%m/%Y")})
    errors: dict[str, list[str]] = {}
    fields: dict = {}
    try:
        fields.update(v.clean_fields(data, {
            "price": (_("Price per unit (Rp)"), v.money),
            "available_on": (_("Can deliver from"), v.any_date),
            "note": (_("Note"), v.text(max_length=300)),
        }, partial=False))  # fmt: skip
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if "price" not in errors and not fields.get("price"):
        errors["price"] = [str(NOT_POSITIVE % {"field": _("Price per unit (Rp)")})]
    if "available_on" not in errors and not fields.get("available_on"):
        errors["available_on"] = [str(v.REQUIRED % {"field": _("Can deliver from")})]
    try:
        fields["quantity"] = _positive(data.get("quantity"), "quantity", _("Quantity offered"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    price = fields["price"]
    if opportunity.price_max and price > opportunity.price_max:
        raise _error("price", ABOVE_PRICE % {"price": _rupiah(price), "max": _rupiah(opportunity.price_max)})
    value = int(price * fields["quantity"])
    if opportunity.budget and value > opportunity.budget:
        raise _error("price", ABOVE_BUDGET % {"value": _rupiah(value), "budget": _rupiah(opportunity.budget)})
    existing = Offer.objects.filter(opportunity=opportunity, **_supplier_fields(supplier))
    if existing.exclude(status=OfferStatus.DECLINED).exists():
        raise _error("price", OFFER_EXISTS)
    offer = Offer.objects.create(opportunity=opportunity, made_by=actor, note=fields["note"] or "",
                                 price=price, quantity=fields["quantity"], available_on=fields["available_on"],
                                 **_supplier_fields(supplier))  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=offer, region_code=supplier.village_id,
                 after=snapshot(offer, ("opportunity", "business", "cooperative", "price", "quantity",
                                        "available_on")))  # fmt: skip
    return offer


def _rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


@transaction.atomic
def offer_shortlist(*, actor, offer: Offer) -> Offer:
    _require(can_manage(actor), NOT_STAFF)
    permissions.require_in_scope(actor, offer.opportunity)
    opportunity = Opportunity.objects.select_for_update().get(pk=offer.opportunity_id)
    if opportunity.status == Status.CLOSED:
        raise _error("offer", ALREADY_CLOSED)
    offer.status = OfferStatus.SHORTLISTED
    offer.save(update_fields=["status"])
    if opportunity.status == Status.OPEN:
        opportunity.status = Status.MATCHED
        opportunity.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=offer, region_code=opportunity.region_id,
                 before={"status": OfferStatus.SUBMITTED}, after={"status": offer.status})  # fmt: skip
    return offer


@transaction.atomic
def outcome_record(*, actor, opportunity: Opportunity, data: Mapping, today: date) -> Opportunity:
    """Close the opportunity with a deal (its value, the offer taken) or without one (why)."""
    _require(can_manage(actor), NOT_STAFF)
    permissions.require_in_scope(actor, opportunity)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == Status.CLOSED:
        raise _error("outcome", ALREADY_CLOSED)
    before = snapshot(opportunity, OPPORTUNITY_FIELDS)
    outcome = str(data.get("outcome") or "")
    if outcome not in Outcome.values:
        raise _error("outcome", v.REQUIRED % {"field": _("Outcome")})
    note = str(data.get("outcome_note") or "").strip()[:300]
    offer = None
    if outcome == Outcome.DEAL:
        try:
            value = v.money(data.get("deal_value"), str(_("Deal value")))
        except v.FieldError:
            value = None
        if not value:
            raise _error("deal_value", VALUE_REQUIRED)
        if data.get("winning_offer"):
            key = str(data["winning_offer"]).strip()
            offer = Offer.objects.filter(pk=key).first() if key.isdigit() and len(key) < 19 else None
            if offer is None or offer.opportunity_id != opportunity.pk:
                raise _error("winning_offer", OFFER_OTHER)
        opportunity.deal_value = value
    else:
        if not note:
            raise _error("outcome_note", REASON_REQUIRED)
        opportunity.deal_value = None
    opportunity.outcome, opportunity.outcome_note = outcome, note
    opportunity.winning_offer, opportunity.status, opportunity.closed_on = offer, Status.CLOSED, today
    opportunity.save()
    offers = opportunity.offers.all()
    if offer is not None:
        offers.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED)
        offers = offers.exclude(pk=offer.pk)
    offers.update(status=OfferStatus.DECLINED)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=opportunity, region_code=opportunity.region_id,
                 before=before, after=snapshot(opportunity, OPPORTUNITY_FIELDS))  # fmt: skip
    return opportunity


READINESS_TICKS = ("npwp", "spse", "ekatalog", "bank_account")


@transaction.atomic
def readiness_save(*, actor, supplier, data: Mapping) -> Readiness:
    """What the office ticks about a supplier (tax number, SPSE account, e-Katalog listing, bank account)."""
    _require(can_manage(actor), NOT_STAFF)
    if supplier is None:
        raise _error("supplier", UNKNOWN_SUPPLIER)
    permissions.require_in_scope(actor, supplier)
    readiness, _created = Readiness.objects.select_for_update().get_or_create(
        **_supplier_fields(supplier), defaults={"village_code": supplier.village_id}
    )
    before = snapshot(readiness, READINESS_TICKS)
    for name in READINESS_TICKS:
        setattr(readiness, name, str(data.get(name, "")).lower() in ("1", "true", "on", "ya", "yes"))
    readiness.village_code, readiness.updated_by = supplier.village_id, actor
    readiness.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=readiness, region_code=supplier.village_id,
                 before=before, after=snapshot(readiness, READINESS_TICKS))  # fmt: skip
    return readiness
