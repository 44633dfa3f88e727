"""Business-matching events (temu bisnis): the office invites buyers, suppliers register from the event's public
link (an owner or a cooperative's manager, signed in, for their own; office staff for any in their area; anyone
else as a guest, typing their business, name and number, as for a training) and choose the buyers they want to meet; the office schedules the meetings in slots and records each outcome (deal with its
value, follow-up, no deal); the summary counts them."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.core.audit import audit_many, audit_record, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.core.phones import PhoneError, phone_to_e164
from naikkelas.opportunities.models import Buyer, Event, EventRegistration, Meeting, MeetingOutcome
from naikkelas.opportunities.services import (
    NOT_STAFF,
    NOT_SUPPLIER,
    SUPPLIER_OUTSIDE,
    UNKNOWN_SUPPLIER,
    VALUE_REQUIRED,
    _supplier_fields,
    can_manage,
    may_answer,
)
from naikkelas.regions import codes as region_codes
from naikkelas.regions.models import Level, Region
from naikkelas.registry import validation as v

DAY_PAST = gettext_lazy("Day: the event cannot be in the past.")
BUYER_OUTSIDE = gettext_lazy("Buyers: choose the office's own buyers.")
ALREADY = gettext_lazy("This supplier is already registered for the event.")
EVENT_OVER = gettext_lazy("Registration closed: the event was on %(day)s.")
BAD_OUTCOME = gettext_lazy("Outcome: deal, follow-up or no deal.")
VILLAGE_OUTSIDE = gettext_lazy("Village: the event is for businesses in %(region)s.")
PHONE_ALREADY = gettext_lazy("Phone / WhatsApp: this number is already registered for the event.")


@transaction.atomic
def event_create(*, actor, data: Mapping, today: date) -> Event:
    permissions.require(can_manage(actor), NOT_STAFF)
    fields = v.clean_fields(data, {
        "title": (_("Event"), v.text(max_length=160, required=True)),
        "place": (_("Place"), v.text(max_length=200, required=True)),
        "held_on": (_("Day"), v.any_date),
        "slot_minutes": (_("Minutes per meeting"), v.whole_number),
    }, partial=False)  # fmt: skip
    if not fields["held_on"]:
        raise ValidationError({"held_on": [str(v.REQUIRED % {"field": _("Day")})]})
    if fields["held_on"] < today:
        raise ValidationError({"held_on": [str(DAY_PAST)]})
    try:
        starts = datetime.strptime(str(data.get("starts_at") or "09:00").strip()[:5], "%H:%M").time()
    except ValueError:
        raise ValidationError({"starts_at": [str(v.BAD_DATE % {"field": _("First meeting at")})]}) from None
    minutes = fields["slot_minutes"] or 20
    if not 5 <= minutes <= 120:
        raise ValidationError({"slot_minutes": [_("Minutes per meeting: between 5 and 120.")]})
    region = permissions.region_in_area(
        actor, data.get("region") or actor.region_id, field="region", label=_("Region")
    )
    buyers = []
    for pk in data.get("buyers") or []:
        buyer = Buyer.objects.filter(pk=int(pk)).first() if str(pk).isdigit() and len(str(pk)) < 19 else None
        if buyer is None or not permissions.in_scope(actor, buyer):
            raise ValidationError({"buyers": [str(BUYER_OUTSIDE)]})
        buyers.append(buyer)
    event = Event.objects.create(region=region, title=fields["title"], place=fields["place"],
                                 held_on=fields["held_on"], starts_at=starts, slot_minutes=minutes, created_by=actor)  # fmt: skip
    event.buyers.set(buyers)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=event, region_code=region.code,
                 after={**snapshot(event, ("title", "place", "held_on", "region")),
                        "buyers": [b.pk for b in buyers]})  # fmt: skip
    return event


@transaction.atomic
def event_register(*, actor, event: Event, supplier, wants, today: date) -> EventRegistration:
    """A supplier takes part, wanting to meet some of the event's buyers (all of them when none is chosen)."""
    if supplier is None:
        raise ValidationError({"supplier": [str(UNKNOWN_SUPPLIER)]})
    permissions.require(may_answer(actor, supplier), NOT_SUPPLIER)
    if not region_codes.code_within(supplier.village_id, event.region_id):
        raise ValidationError({"supplier": [str(SUPPLIER_OUTSIDE)]})
    if event.held_on < today:
        raise ValidationError({"supplier": [str(EVENT_OVER % {"day": event.held_on.strftime("%d/%m/%Y")})]})
    if EventRegistration.objects.filter(event=event, **_supplier_fields(supplier)).exists():
        raise ValidationError({"supplier": [str(ALREADY)]})
    offered = {b.pk: b for b in event.buyers.all()}
    chosen = [offered[int(pk)] for pk in wants or [] if str(pk).isdigit() and int(pk) in offered]
    registration = EventRegistration.objects.create(
        event=event, registered_by=actor, **_supplier_fields(supplier)
    )
    registration.wants.set(chosen or offered.values())
    audit_record(actor=actor, action=AuditAction.CREATE, obj=registration, region_code=supplier.village_id,
                 after={**snapshot(registration, ("event", "business", "cooperative")),
                        "wants": sorted(b.pk for b in (chosen or offered.values()))})  # fmt: skip
    return registration


@transaction.atomic
def event_register_guest(*, event: Event, data: Mapping, today: date) -> EventRegistration:
    """A supplier registers through the event's public link without an account: the business as typed, the
    person to reach, the village (inside the event's region), the buyers wanted. As with a training's public
    registration the registry is never searched: the answer tells nothing of who is known."""
    errors: dict[str, list[str]] = {}
    business = str(data.get("business") or "").strip()[:160]
    name = str(data.get("name") or "").strip()[:150]
    if not business:
        errors["business"] = [str(v.REQUIRED % {"field": _("Business name")})]
    if not name:
        errors["name"] = [str(v.REQUIRED % {"field": _("Your name")})]
    try:
        phone = phone_to_e164(data.get("phone"))
    except PhoneError as exc:
        errors["phone"], phone = [str(exc)], ""
    if not phone and "phone" not in errors:
        errors["phone"] = [str(v.REQUIRED % {"field": _("Phone / WhatsApp")})]
    code = str(data.get("village") or "").strip()
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        errors["village"] = [str(v.VILLAGE_UNKNOWN % {"field": _("Village"), "value": code or "—"})]
    elif not region_codes.code_within(village.code, event.region_id):
        errors["village"] = [str(VILLAGE_OUTSIDE % {"region": event.region.name})]
    if event.held_on < today:
        errors["__all__"] = [str(EVENT_OVER % {"day": event.held_on.strftime("%d/%m/%Y")})]
    if errors:
        raise ValidationError(errors)
    if EventRegistration.objects.filter(event=event, guest_phone=phone).exists():
        raise ValidationError({"phone": [str(PHONE_ALREADY)]})
    offered = {b.pk: b for b in event.buyers.all()}
    chosen = [offered[int(pk)] for pk in data.get("wants") or [] if str(pk).isdigit() and int(pk) in offered]
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(
                event=event,
                guest_business=business,
                guest_name=name,
                guest_phone=phone,
                guest_village=village,
            )
    except IntegrityError:  # the same number at the same moment
        raise ValidationError({"phone": [str(PHONE_ALREADY)]}) from None
    registration.wants.set(chosen or offered.values())
    audit_record(actor=None, action=AuditAction.CREATE, obj=registration, region_code=village.code,
                 after={**snapshot(registration, ("event", "guest_business", "guest_village")),
                        "wants": sorted(b.pk for b in (chosen or offered.values()))})  # fmt: skip
    return registration


@transaction.atomic
def event_schedule(*, actor, event: Event) -> int:
    """(Re)build the meetings: each buyer meets the suppliers who chose it, in registration order, in the earliest
    slot where neither is busy. Outcomes already recorded are kept with their meetings."""
    permissions.require(can_manage(actor), NOT_STAFF)
    permissions.require_in_scope(actor, event)
    event.meetings.filter(outcome="").delete()
    busy_buyer: set[tuple[int, int]] = set()
    busy_supplier: set[tuple[int, int]] = set()
    kept = {(m.buyer_id, m.registration_id) for m in event.meetings.all()}
    first = datetime.combine(event.held_on, event.starts_at)
    for m in event.meetings.all():
        slot = int(
            (datetime.combine(event.held_on, m.starts_at) - first).total_seconds() // 60 // event.slot_minutes
        )
        busy_buyer.add((m.buyer_id, slot))
        busy_supplier.add((m.registration_id, slot))
    made = []
    for registration in event.registrations.prefetch_related("wants").order_by("registered_at", "pk"):
        for buyer in sorted(registration.wants.all(), key=lambda b: b.pk):
            if (buyer.pk, registration.pk) in kept:
                continue
            slot = 0
            while (buyer.pk, slot) in busy_buyer or (registration.pk, slot) in busy_supplier:
                slot += 1
            busy_buyer.add((buyer.pk, slot))
            busy_supplier.add((registration.pk, slot))
            at = (first + timedelta(minutes=slot * event.slot_minutes)).time()
            made.append(Meeting(event=event, buyer=buyer, registration=registration, starts_at=at))
    Meeting.objects.bulk_create(made)
    audit_many(actor=actor, action=AuditAction.CREATE, items=[
        (m, event.region_id, None, snapshot(m, ("event", "buyer", "registration", "starts_at"))) for m in made])  # fmt: skip
    return len(made)


@transaction.atomic
def meeting_outcome(*, actor, meeting: Meeting, outcome: str, value=None) -> Meeting:
    permissions.require(can_manage(actor), NOT_STAFF)
    permissions.require_in_scope(actor, meeting.event)
    if outcome not in MeetingOutcome.values:
        raise ValidationError({"outcome": [str(BAD_OUTCOME)]})
    amount = None
    if outcome == MeetingOutcome.DEAL:
        try:
            amount = v.money(value, str(_("Deal value")))
        except v.FieldError:
            amount = None
        if not amount:
            raise ValidationError({"value": [str(VALUE_REQUIRED)]})
    before = snapshot(meeting, ("outcome", "value"))
    meeting.outcome, meeting.value = outcome, amount
    meeting.save(update_fields=["outcome", "value"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=meeting, region_code=meeting.event.region_id,
                 before=before, after=snapshot(meeting, ("outcome", "value")))  # fmt: skip
    return meeting


@dataclass(frozen=True)
class Summary:
    buyers: int
    suppliers: int
    meetings: int
    deals: int
    follow_ups: int
    no_deals: int
    value: int


def summary(event: Event) -> Summary:
    meetings = list(event.meetings.all())
    return Summary(
        buyers=event.buyers.count(),
        suppliers=event.registrations.count(),
        meetings=len(meetings),
        deals=sum(1 for m in meetings if m.outcome == MeetingOutcome.DEAL),
        follow_ups=sum(1 for m in meetings if m.outcome == MeetingOutcome.FOLLOW_UP),
        no_deals=sum(1 for m in meetings if m.outcome == MeetingOutcome.NO_DEAL),
        value=sum(m.value or 0 for m in meetings if m.outcome == MeetingOutcome.DEAL),
    )
