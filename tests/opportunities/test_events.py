"""Business-matching events: suppliers register for the buyers they want, the schedule gives nobody two meetings
at once, outcomes are summed."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from naikkelas.opportunities import events, services
from naikkelas.opportunities.models import Meeting
from tests.conftest import make_business

TODAY = date(2026, 11, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas):
    admin = personas["admin_pesawaran"]
    buyers = [services.buyer_create(actor=admin, data={"name": name, "kind": "horeka", "region": "18.09"})
              for name in ("Hotel A", "Hotel B")]  # fmt: skip
    return events.event_create(actor=admin, today=TODAY, data={
        "title": "Temu Bisnis Pesawaran", "place": "Aula Dinas", "held_on": "2026-12-10", "starts_at": "09:00",
        "slot_minutes": "20", "region": "18.09", "buyers": [b.pk for b in buyers]})  # fmt: skip


def test_registration_schedule_and_summary(event, personas, businesses, cooperatives, villages):
    admin, owner, manager = personas["admin_pesawaran"], personas["owner"], personas["coop_manager"]
    hotel_a, hotel_b = event.buyers.order_by("name")
    events.event_register(
        actor=owner, event=event, supplier=businesses["gedong"], wants=[], today=TODAY
    )  # both
    events.event_register(actor=manager, event=event, supplier=cooperatives["gedong"], wants=[hotel_a.pk],
                          today=TODAY)  # fmt: skip
    third = make_business("Kopi Way Ratai", villages["pesawaran_other"], "Rudi")
    events.event_register(actor=admin, event=event, supplier=third, wants=[hotel_a.pk], today=TODAY)
    with pytest.raises(ValidationError):  # once
        events.event_register(actor=owner, event=event, supplier=businesses["gedong"], wants=[], today=TODAY)
    with pytest.raises(PermissionDenied):  # not theirs
        events.event_register(actor=owner, event=event, supplier=third, wants=[], today=TODAY)
    with pytest.raises(ValidationError):  # outside the event's region
        events.event_register(actor=personas["national"], event=event, supplier=businesses["lamsel"], wants=[],
                              today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError):  # after the day
        events.event_register(actor=admin, event=event, supplier=businesses["pesawaran_other"], wants=[],
                              today=date(2026, 12, 11))  # fmt: skip
    assert events.event_schedule(actor=admin, event=event) == 4
    meetings = list(Meeting.objects.order_by("starts_at", "buyer__name"))
    buyer_slots = {(m.buyer_id, m.starts_at) for m in meetings}
    supplier_slots = {(m.registration_id, m.starts_at) for m in meetings}
    assert len(buyer_slots) == len(supplier_slots) == 4  # no buyer and no supplier twice in one slot
    assert [m.starts_at for m in meetings if m.buyer == hotel_a] == [time(9), time(9, 20), time(9, 40)]
    first = meetings[0]
    with pytest.raises(ValidationError):
        events.meeting_outcome(actor=admin, meeting=first, outcome="deal", value="banyak")
    events.meeting_outcome(actor=admin, meeting=first, outcome="deal", value="Rp 7.500.000")
    events.meeting_outcome(actor=admin, meeting=meetings[1], outcome="lanjut")
    assert events.event_schedule(actor=admin, event=event) == 2  # rebuilt around the two with outcomes
    summary = events.summary(event)
    assert (summary.buyers, summary.suppliers, summary.meetings, summary.deals, summary.follow_ups, summary.value) == (
        2, 3, 4, 1, 1, 7_500_000)  # fmt: skip
    with pytest.raises(PermissionDenied):
        events.event_schedule(actor=personas["admin_lamsel"], event=event)


def test_bad_events(personas):
    admin = personas["admin_pesawaran"]
    with pytest.raises(ValidationError) as err:
        events.event_create(
            actor=admin, today=TODAY, data={"title": "X", "place": "Y", "held_on": "2026-11-01"}
        )
    assert "held_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        events.event_create(actor=admin, today=TODAY, data={"title": "X", "place": "Y", "held_on": "2026-12-01",
                                                            "starts_at": "jam sembilan"})  # fmt: skip
    assert "starts_at" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        events.event_create(actor=personas["owner"], today=TODAY, data={"title": "X", "place": "Y",
                                                                        "held_on": "2026-12-01"})  # fmt: skip


def test_a_guest_registers_through_the_public_link(event, villages):
    """No account: the business as typed, a reachable number, a village in the event's region; bad input named
    field by field, nothing saved; the same number once; the guest is scheduled like any supplier."""
    hotel_a, _hotel_b = event.buyers.order_by("name")
    good = {"business": "Keripik Singkong Mak Ijah", "name": "Ijah", "phone": "0812 3456 7890",
            "village": villages["gedong"].code, "wants": [str(hotel_a.pk)]}  # fmt: skip
    with translation.override("id"):
        for changes, field, words in (
            ({"business": " "}, "business", "Nama usaha"),
            ({"phone": "12"}, "phone", ""),
            ({"village": "99.99.99.9999"}, "village", "99.99.99.9999"),
            ({"village": villages["lamsel"].code}, "village", "Kabupaten Pesawaran"),
        ):
            with pytest.raises(ValidationError) as err:
                events.event_register_guest(event=event, data={**good, **changes}, today=TODAY)
            assert field in err.value.message_dict and words in err.value.message_dict[field][0], err.value
        with pytest.raises(ValidationError) as err:  # after the day
            events.event_register_guest(event=event, data=good, today=date(2026, 12, 11))
        assert "10/12/2026" in err.value.messages[0]
    assert not event.registrations.exists()
    guest = events.event_register_guest(event=event, data=good, today=TODAY)
    assert (guest.guest_phone, guest.display_name, list(guest.wants.all())) == (
        "+6281234567890", "Keripik Singkong Mak Ijah", [hotel_a])  # fmt: skip
    with pytest.raises(ValidationError) as err:
        events.event_register_guest(event=event, data={**good, "phone": "+62 812-3456-7890"}, today=TODAY)
    assert "phone" in err.value.message_dict
    assert events.event_schedule(actor=event.created_by, event=event) == 1
    assert Meeting.objects.get().registration == guest
