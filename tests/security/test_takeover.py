"""The account-takeover chain a security tester found, walked as the attacker would: an office of one regency
uses the NIK of a person served by another regency. Every step is refused, names no one, changes nothing, and is
audited where the victim's office sees it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.registry import services
from naikkelas.registry.models import Business, Person
from tests.conftest import VALID_NIK_WOMAN, make_user


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def victim(personas, villages):
    """Bu Siti, served in Gedong Tataan (Pesawaran), with her own owner's login."""
    business = services.business_create(
        actor=personas["admin_pesawaran"],
        data={
            "name": "Keripik Pisang Bu Siti",
            "owner_name": "Siti Rahayu",
            "owner_nik": VALID_NIK_WOMAN,
            "owner_phone": "0812-3456-7890",
            "village": villages["gedong"].code,
        },
    )
    services.owner_account_set(
        actor=personas["admin_pesawaran"],
        business=business,
        phone="0812-3456-7890",
        password="Pisang-Goreng-77",
    )
    business.owner.refresh_from_db()
    return business


def _person_state(person: Person) -> tuple:
    person.refresh_from_db()
    user = person.user
    user.refresh_from_db()
    return (person.name, person.phone, person.email, user.username, user.password)


def test_an_office_cannot_attach_a_business_to_a_person_of_another_region(
    personas, villages, victim, api_client_for
):
    before = _person_state(victim.owner)
    for attacker in ("admin_lamsel", "petugas_lamsel"):
        actor = personas.get(attacker) or make_user(
            "petugas.natar", "field_officer", districts=[villages["lamsel"].parent]
        )
        response = api_client_for(actor).post(
            "/api/v1/businesses",
            {
                "name": "Usaha Palsu",
                "owner_name": "X",
                "owner_nik": VALID_NIK_WOMAN,
                "owner_email": "a@b.id",
                "village_code": villages["lamsel"].code,
            },
            content_type="application/json",
        )
        assert response.status_code == 422, response.content
        body = response.content.decode()
        assert "wilayah lain" in body and "Siti" not in body and "0812" not in body
    assert not Business.objects.filter(name="Usaha Palsu").exists()
    assert victim.owner.businesses.count() == 1
    assert _person_state(victim.owner) == before
    # Audited where the victim's office sees it (her village), not in the attacker's region.
    refused = AuditLog.objects.filter(action=AuditAction.REFUSED, object_id=str(victim.owner.pk))
    assert refused.count() == 2
    assert {e.region_code for e in refused} == {victim.village_id}
    assert {e.actor_name for e in refused} == {"admin.lamsel", "petugas.natar"}


def test_the_same_nik_is_attached_within_the_office_that_serves_the_person(personas, villages, victim):
    second = services.business_create(
        actor=personas["admin_pesawaran"],
        data={
            "name": "Kue Bu Siti",
            "owner_nik": VALID_NIK_WOMAN,
            "village": villages["pesawaran_other"].code,
        },
    )
    assert second.owner_id == victim.owner_id


def test_an_office_cannot_change_or_take_over_a_person_another_office_also_serves(
    personas, villages, victim, api_client_for
):
    # The provincial admin records that Bu Siti also runs a stall in Lampung Selatan: now two offices serve her.
    stall = services.business_create(
        actor=personas["admin_lampung"],
        data={"name": "Warung Bu Siti", "owner_nik": VALID_NIK_WOMAN, "village": villages["lamsel"].code},
    )
    assert stall.owner_id == victim.owner_id
    before = _person_state(victim.owner)
    client = api_client_for(personas["admin_lamsel"])
    response = client.patch(
        f"/api/v1/businesses/{stall.pk}",
        {"owner_email": "penyerang@contoh.id"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "Siti" not in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        services.owner_account_set(
            actor=personas["admin_lamsel"], business=stall, phone="0813-1111-2222", password="Diambil-Alih-99"
        )
    assert "wilayah lain" in str(exc.value)
    # The page does the same; the owner's login and password are untouched.
    web = Client()
    web.force_login(personas["admin_lamsel"])
    web.post(f"/usaha/{stall.pk}/akun-pemilik/", {"phone": "0813-1111-2222", "password": "Diambil-Alih-99"})
    assert _person_state(victim.owner) == before
    assert Client().login(username="+6281234567890", password="Pisang-Goreng-77")
    assert AuditLog.objects.filter(action=AuditAction.REFUSED, region_code=victim.village_id).count() >= 3
    # The province, above both offices, may still change her data.
    services.business_update(
        actor=personas["admin_lampung"], business=stall, data={"owner_email": "siti@contoh.id"}
    )
    victim.owner.refresh_from_db()
    assert victim.owner.email == "siti@contoh.id"


def test_an_account_that_is_not_an_owners_is_never_renamed_or_reset(personas, villages, victim):
    victim.owner.user = personas["petugas"]
    victim.owner.save()
    with pytest.raises(ValidationError):
        services.owner_account_set(
            actor=personas["admin_pesawaran"],
            business=victim,
            phone="0813-1111-2222",
            password="Diambil-Alih-99",
        )
    personas["petugas"].refresh_from_db()
    assert personas["petugas"].username == "petugas.gedongtataan"


def test_out_of_scope_records_are_refused_by_the_services_themselves(personas, businesses):
    """Called directly, as an import, a command or a task would: no page or selector in front."""
    cases = [
        (personas["petugas"], businesses["lamsel"]),
        (personas["admin_lamsel"], businesses["gedong"]),
        (personas["owner"], businesses["pesawaran_other"]),
    ]
    for actor, business in cases:
        with pytest.raises(PermissionDenied):
            services.business_update(actor=actor, business=business, data={"name": "Diubah"})
        with pytest.raises(PermissionDenied):
            services.legal_document_add(
                actor=actor, business=business, data={"kind": "nib", "number": "1234567890123"}
            )
        with pytest.raises(PermissionDenied):
            services.person_reveal_nik(actor=actor, person=business.owner)
    assert not Business.objects.filter(name="Diubah").exists()
    assert not services.can_edit_business(personas["owner"], businesses["lamsel"])
    assert services.can_edit_business(personas["owner"], businesses["gedong"])


def test_performance_and_field_work_services_refuse_records_outside_scope(personas, businesses):
    from naikkelas.lifecycle import services as lifecycle
    from naikkelas.performance import books as performance
    from naikkelas.performance.models import Entry

    cases = [
        (personas["petugas"], businesses["lamsel"]),
        (personas["admin_lamsel"], businesses["gedong"]),
        (personas["owner"], businesses["pesawaran_other"]),  # another owner's cash book
    ]
    for actor, business in cases:
        with pytest.raises(PermissionDenied):
            performance.entry_add(
                actor=actor,
                business=business,
                data={"day": "2026-11-02", "kind": "sale", "category": "jual_tunai", "amount": "50000"},
            )
        if actor.effective_role != "business_owner":
            with pytest.raises(PermissionDenied):
                lifecycle.visit_record(
                    actor=actor, business=business, data={"date": "2026-11-02", "outcome": "operating"}
                )
    assert not Entry.objects.exists()
    assert not businesses["lamsel"].visits.exists() and not businesses["gedong"].visits.exists()
    # In scope, the same calls are accepted.
    performance.entry_add(
        actor=personas["owner"],
        business=businesses["gedong"],
        data={"day": "2026-11-02", "kind": "sale", "category": "jual_tunai", "amount": "50000"},
    )
    assert Entry.objects.count() == 1
