"""No oracles, throttled doors: the public registration answers the same way whether a phone number is known,
never shows a stored name and is throttled; logins lock out after five wrong passwords (page, phone, admin);
the catalogue counts one view and one WhatsApp click per visitor per day."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from naikkelas.accounts.constants import Role
from naikkelas.catalog.models import ProductDaily
from naikkelas.registry import services as registry
from naikkelas.registry.models import Person
from naikkelas.training import services
from naikkelas.training.models import Programme
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def cohort(personas):
    programme = Programme.objects.get(topic="pembukuan")
    c = services.cohort_create(
        actor=personas["admin_pesawaran"],
        programme=programme,
        data={
            "region": "18.09",
            "starts_on": timezone.localdate().isoformat(),
            "capacity": "30",
            "budget": "6.000.000",
            "name": "Pembukuan",
        },
    )
    services.session_add(
        actor=personas["admin_pesawaran"],
        cohort=c,
        title="Sesi 1",
        starts_at=timezone.now() + timedelta(days=1),
    )
    return c


def test_public_registration_does_not_turn_a_phone_into_a_stored_name(personas, villages, cohort):
    registry.business_create(
        actor=personas["admin_lamsel"],
        data={
            "name": "Warung Seruit",
            "owner_name": "Aminah Syahputra",
            "owner_phone": "0812-7777-8888",
            "village": villages["lamsel"].code,
        },
    )
    aminah = Person.objects.get(name="Aminah Syahputra")
    url = f"/daftar/{cohort.registration_token}/"
    known = Client().post(url, {"name": "Penasaran", "phone": "0812-7777-8888"}, follow=True)
    unknown = Client().post(url, {"name": "Penasaran", "phone": "0812-7777-9999"}, follow=True)
    for answer in (known, unknown):
        page = answer.content.decode()
        assert answer.status_code == 200 and "Penasaran" in page and "Aminah" not in page
    assert known.redirect_chain[0][1] == unknown.redirect_chain[0][1] == 302
    assert not cohort.registrations.filter(person=aminah).exists()  # Aminah was not registered by a stranger
    again = Client().post(url, {"name": "Siapa", "phone": "0812-7777-8888"}).content.decode()
    assert "sudah terdaftar" in again and "Aminah" not in again and "Penasaran" not in again


def test_public_registration_is_throttled_per_visitor_and_per_cohort(settings, cohort):
    settings.TRAINING_REGISTRATIONS_PER_IP = 3
    settings.TRAINING_REGISTRATIONS_PER_COHORT = 5
    url = f"/daftar/{cohort.registration_token}/"
    one = Client(REMOTE_ADDR="10.0.0.1")
    answers = [
        one.post(url, {"name": f"Orang {n}", "phone": f"08121111000{n}"}).status_code for n in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    refused = one.post(url, {"name": "Orang 9", "phone": "081211110009"}).content.decode()
    assert "Terlalu banyak pendaftaran" in refused
    others = [
        Client(REMOTE_ADDR=f"10.0.1.{n}").post(url, {"name": f"Lain {n}", "phone": f"08131111000{n}"})
        for n in range(4)
    ]
    assert [a.status_code for a in others] == [302, 302, 429, 429]  # the cohort's own limit (5) is reached
    assert cohort.registrations.count() == 5


def test_logins_lock_out_after_five_wrong_passwords(personas, businesses):
    owner = make_user("+6281234567890", Role.BUSINESS_OWNER)
    for _account, typed_as in (
        ("admin.pesawaran", ["admin.pesawaran"] * 5),
        (
            "+6281234567890",
            ["0812-3456-7890", "+62 812 3456 7890", "62812345678 90", "081234567890", "0812 3456 7890"],
        ),
    ):
        client = Client(REMOTE_ADDR="10.9.9.9")
        answers = [
            client.post("/masuk/", {"username": t, "password": "salah-salah"}).status_code for t in typed_as
        ]
        assert answers == [200, 200, 200, 200, 429]  # the fifth wrong password locks the account out here
        right = client.post("/masuk/", {"username": typed_as[0], "password": "rahasia-123"})
        assert right.status_code == 429 and "Terlalu banyak kata sandi salah" in right.content.decode()
        assert "_auth_user_id" not in client.session
    # Another device is not locked out by the attacker's tries: the owner still logs in.
    assert (
        Client(REMOTE_ADDR="10.1.1.1")
        .post("/masuk/", {"username": "0812-3456-7890", "password": "rahasia-123"})
        .status_code
        == 302
    )
    assert owner.pk


def test_admin_login_locks_out_too(personas):
    personas["national"].is_staff = True
    personas["national"].save()
    client = Client(REMOTE_ADDR="10.8.8.8")
    for _ in range(5):
        client.post("/admin/login/", {"username": "nasional", "password": "salah", "next": "/admin/"})
    right = client.post(
        "/admin/login/", {"username": "nasional", "password": "rahasia-123", "next": "/admin/"}
    )
    assert right.status_code == 429


def test_catalogue_counts_one_view_and_one_whatsapp_click_per_visitor_per_day(personas, businesses):
    from tests.catalog.test_catalog import published, seller

    product = published(personas, seller.__wrapped__(businesses, personas))
    phone = Client(HTTP_USER_AGENT="Android 10; Redmi", REMOTE_ADDR="10.2.2.2")
    for _ in range(3):
        phone.post(f"/katalog/produk/{product.pk}/dilihat/")
        phone.get(f"/katalog/produk/{product.pk}/wa/")
    Client(HTTP_USER_AGENT="Android 12; Samsung", REMOTE_ADDR="10.2.2.3").post(
        f"/katalog/produk/{product.pk}/dilihat/"
    )
    day = ProductDaily.objects.get(product=product)
    assert (day.views, day.whatsapp) == (2, 1)
