"""Opportunity writes: bad input answered in Indonesian by field with nothing saved, who may do what, the flow
from posting to a deal, and the office's figures."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from naikkelas.core.models import AuditLog
from naikkelas.opportunities import readiness, selectors, services
from naikkelas.opportunities.models import Buyer, Invitation, Offer, OfferStatus, Opportunity, Status
from naikkelas.privacy import services as privacy
from tests.opportunities.conftest import TODAY, opportunity_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def _refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as err:
        call()
    assert field in err.value.message_dict, err.value.message_dict
    return " ".join(err.value.message_dict[field])


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"quantity": ""}, "quantity", "Jumlah"),
        ({"quantity": "dua ratus"}, "quantity", "Jumlah"),
        ({"deadline": ""}, "deadline", "Penawaran paling lambat"),
        ({"deadline": "2026-11-29"}, "deadline", "sudah lewat"),
        ({"delivery_on": "2026-12-01"}, "delivery_on", "Pengiriman pertama"),
        ({"title": ""}, "title", "Yang dibutuhkan"),
        ({"documents": ["ktp"]}, "documents", "ktp"),
        ({"delivery_village": "18.09"}, "delivery_village", "desa"),
        ({"region": "18.01"}, "region", "di luar wilayah"),
        ({"channel": "bela", "budget": "75.000.000"}, "budget", "Rp50.000.000"),
        ({"price_max": "enam puluh ribu"}, "price_max", "Rupiah"),
    ],
)
def test_bad_opportunities_are_refused_by_field_and_nothing_is_saved(hotel, personas, villages, changes, field,
                                                                      words):  # fmt: skip
    before = Opportunity.objects.count()
    data = opportunity_data(**{"delivery_village": villages["gedong"].code, **changes})
    message = _refused(lambda: services.opportunity_create(actor=personas["admin_pesawaran"], buyer=hotel.buyer,
                                                           data=data, today=TODAY), field)  # fmt: skip
    assert words in message
    assert Opportunity.objects.count() == before


def test_only_the_office_posts_and_only_in_its_area(hotel, personas, villages):
    data = opportunity_data(delivery_village=villages["gedong"].code)
    for who in ("owner", "coop_manager", "outsider"):
        with pytest.raises(PermissionDenied):
            services.opportunity_create(actor=personas[who], buyer=hotel.buyer, data=data, today=TODAY)
    with pytest.raises(PermissionDenied):  # Lampung Selatan's admin cannot use Pesawaran's buyer
        services.opportunity_create(actor=personas["admin_lamsel"], buyer=hotel.buyer, data=data, today=TODAY)
    assert Opportunity.objects.count() == 1


def _offer(**changes) -> dict:
    return {"price": "55.000", "quantity": "200", "available_on": "2026-12-20", **changes}


def test_bad_offers(hotel, personas, businesses, villages):
    owner, business = personas["owner"], businesses["gedong"]

    def make(data, supplier=business, actor=owner, today=TODAY):
        return lambda: services.offer_make(actor=actor, opportunity=hotel, supplier=supplier, data=data,
                                           today=today)  # fmt: skip

    assert "60.000" in _refused(make(_offer(price="65.000")), "price")  # above the highest price
    hotel.budget = 10_000_000
    hotel.save()
    assert "10.000.000" in _refused(make(_offer(price="55.000", quantity="200")), "price")  # 11 juta > budget
    assert "Jumlah" in _refused(make(_offer(quantity="0")), "quantity")
    assert "Harga" in _refused(make(_offer(price="gratis")), "price")
    assert "14/12/2026" in _refused(make(_offer(quantity="100"), today=date(2026, 12, 15)), "price")
    with pytest.raises(PermissionDenied):  # not theirs
        make(_offer(quantity="100"), supplier=businesses["pesawaran_other"])()
    lamsel = businesses[
        "lamsel"
    ]  # the national admin may act there, but it is outside the opportunity's region
    assert "wilayah" in _refused(
        make(_offer(quantity="100"), supplier=lamsel, actor=personas["national"]), "supplier"
    )
    assert Offer.objects.count() == 0
    offer = make(_offer(quantity="100"))()
    assert offer.value == 5_500_000 and offer.made_by == owner
    assert "sudah" in _refused(make(_offer(quantity="100")), "price")  # one offer per supplier


def test_from_posting_to_a_deal_counts_in_the_figures(hotel, personas, businesses, cooperatives):
    admin, manager = personas["admin_pesawaran"], personas["coop_manager"]
    message = _refused(lambda: services.invite(actor=admin, opportunity=hotel, supplier=businesses["gedong"],
                                               channel="whatsapp", url="https://x/"), "supplier")  # fmt: skip
    assert "WhatsApp" in message and Invitation.objects.count() == 0  # no phone: nothing recorded
    businesses["gedong"].phone = "+6281234567890"
    businesses["gedong"].save()
    message = _refused(lambda: services.invite(actor=admin, opportunity=hotel, supplier=businesses["gedong"],
                                               channel="whatsapp", url="https://x/"), "supplier")  # fmt: skip
    assert (
        "persetujuan" in message and Invitation.objects.count() == 0
    )  # a person's phone: their consent first
    privacy.consent_give(actor=admin, person=businesses["gedong"].owner, purpose="whatsapp_contact",
                         how="formulir bertanda tangan")  # fmt: skip
    invitation, link = services.invite(actor=admin, opportunity=hotel, supplier=businesses["gedong"],
                                       channel="whatsapp", url="https://naikkelas.example/peluang/1/")  # fmt: skip
    assert invitation.business == businesses["gedong"]
    assert link.startswith("https://wa.me/6281234567890?text=") and "naikkelas.example/peluang/1/" in link
    offer = services.offer_make(actor=manager, opportunity=hotel, supplier=cooperatives["gedong"],
                                data=_offer(price="50.000"), today=TODAY)  # fmt: skip
    services.offer_shortlist(actor=admin, offer=offer)
    hotel.refresh_from_db()
    assert hotel.status == Status.MATCHED
    assert "Nilai" in _refused(lambda: services.outcome_record(
        actor=admin, opportunity=hotel, data={"outcome": "deal", "deal_value": "sepuluh juta"}, today=TODAY),
        "deal_value")  # fmt: skip
    services.outcome_record(actor=admin, opportunity=hotel, today=TODAY,
                            data={"outcome": "deal", "deal_value": "Rp 10.000.000", "winning_offer": offer.pk})  # fmt: skip
    hotel.refresh_from_db()
    offer.refresh_from_db()
    assert (hotel.status, hotel.deal_value, hotel.closed_on) == (Status.CLOSED, 10_000_000, TODAY)
    assert offer.status == OfferStatus.ACCEPTED
    figures = selectors.figures("18.09", date(2026, 1, 1), date(2026, 12, 31))
    assert (figures.opportunities, figures.offers, figures.deals, figures.deal_value) == (1, 1, 1, 10_000_000)
    assert figures.suppliers_matched == 2  # the business invited and the cooperative offering
    assert selectors.figures("18.01", date(2026, 1, 1), date(2026, 12, 31)).deals == 0
    assert (
        AuditLog.objects.filter(object_type="opportunities.opportunity", action="update").count() == 1
    )  # the outcome
    assert Invitation.objects.count() == 1


def test_no_deal_needs_a_reason(hotel, personas):
    admin = personas["admin_pesawaran"]
    assert "alasan" in _refused(lambda: services.outcome_record(actor=admin, opportunity=hotel,
                                                                data={"outcome": "tidak"}, today=TODAY),
                                "outcome_note")  # fmt: skip
    services.outcome_record(actor=admin, opportunity=hotel, data={"outcome": "tidak", "outcome_note": "Harga"},
                            today=TODAY)  # fmt: skip
    assert Opportunity.objects.get().status == Status.CLOSED


def test_readiness_checklist(personas, businesses):
    business = businesses["gedong"]  # has an NIB
    checklist = readiness.for_business(business, TODAY)
    assert [i.key for i in checklist.items if i.done] == ["nib"]
    assert checklist.score == 14 and "PIRT" in checklist.next_step
    with pytest.raises(PermissionDenied):
        services.readiness_save(actor=personas["owner"], supplier=business, data={"npwp": "1"})
    services.readiness_save(actor=personas["petugas"], supplier=business, data={"npwp": "on", "spse": "1"})
    checklist = readiness.for_business(business, TODAY)
    assert {i.key for i in checklist.items if i.done} == {"nib", "npwp", "spse"}
    assert checklist.score == 43


def test_public_list_hides_closed_and_personal_data(hotel, client, personas):
    hotel.buyer.contact_name, hotel.buyer.contact_phone = "Bu Rahmi", "+6281299990000"
    hotel.buyer.save()
    page = client.get(f"/peluang/{hotel.pk}/").content.decode()
    assert "Keripik pisang" in page and "Hotel Teluk" in page
    assert "Rahmi" not in page and "99990000" not in page
    assert "Keripik pisang" in client.get("/peluang/").content.decode()
    services.outcome_record(actor=personas["admin_pesawaran"], opportunity=hotel, today=TODAY,
                            data={"outcome": "tidak", "outcome_note": "Batal"})  # fmt: skip
    assert "Keripik pisang" not in client.get("/peluang/").content.decode()
    assert Buyer.objects.count() == 1
