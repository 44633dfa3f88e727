"""Restriction and erasure (UU 27/2022 Pasal 8 and 11) within the office's duties under other laws: a restricted
person is in no list, search, duplicate check, invitation, export or public catalogue, and their records stay; an
erasure deletes or anonymises what no law keeps, keeps what a law keeps (saying which and why), and closes the
account; both are explained to the person."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from naikkelas.catalog.models import Category as ProductCategory
from naikkelas.catalog.models import Product, ProductPhoto
from naikkelas.catalog.selectors import public_products
from naikkelas.core.models import AuditLog, OutboxMessage
from naikkelas.intake import duplicates
from naikkelas.intake.models import DuplicateCluster, DuplicateRun
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.lifecycle.selectors import worklist
from naikkelas.opportunities import services as opportunities
from naikkelas.performance.models import Entry
from naikkelas.privacy import erasure, holdings, services
from naikkelas.privacy.models import Consent, DataRequest
from naikkelas.registry import selectors
from naikkelas.registry.models import Business, Person
from naikkelas.training.models import Registration
from tests.conftest import make_business

TODAY = date(2026, 11, 30)


def test_every_kind_of_record_a_person_can_have_declares_what_an_erasure_does():
    own = {label for label, how in holdings.walked_models().items() if how == "own"}
    assert set(erasure.DUTIES) == own  # a new app's model must say: deleted, anonymised or kept, and why
    for label, duty in erasure.DUTIES.items():
        assert duty.erasure in (erasure.DELETE, erasure.ANONYMISE, erasure.KEEP), label
        assert str(duty.reason).strip(), label
    assert erasure.DUTIES["financing.Payment"].identity  # a loan is collected from someone
    assert erasure.DUTIES["lifecycle.VerificationVisit"].erasure == erasure.DELETE


def _decide(actor, person, kind):
    request = services.request_file(actor=actor, person=person, kind=kind, details="KTP dilihat")
    return services.request_decide(actor=actor, request=request, done=True, decision="Dilaksanakan.")


def _hotel(personas, villages):
    admin = personas["admin_pesawaran"]
    buyer = opportunities.buyer_create(
        actor=admin, data={"name": "Hotel Teluk", "kind": "horeka", "region": "18.09"}
    )
    data = {"title": "Keripik pisang", "quantity": "200", "unit": "kg", "frequency": "bulanan", "documents": [],
            "channel": "offtake", "region": "18.09", "delivery_village": villages["gedong"].code,
            "deadline": "2026-12-14", "delivery_on": "2026-12-30", "price_max": "60.000"}  # fmt: skip
    return opportunities.opportunity_create(actor=admin, buyer=buyer, today=TODAY, data=data)


@pytest.mark.django_db
def test_a_restricted_person_is_in_no_list_search_match_invitation_export_or_catalogue(
    businesses, personas, villages, client, api_client_for
):
    admin = personas["admin_pesawaran"]
    gedong = businesses["gedong"]
    owner = gedong.owner
    Person.objects.filter(pk=owner.pk).update(phone="+6281234567890", email="siti@example.com")
    twin = make_business(
        "Keripik Pisang Bu Siti Asli", villages["gedong"], "Siti Rahayu"
    )  # a duplicate's match
    product = Product.objects.create(business=gedong, name="Keripik Pisang Coklat", price=15_000, unit="pack",
                                     category=ProductCategory.objects.order_by("pk").first())  # fmt: skip
    Product.objects.filter(pk=product.pk).update(listed=True)
    VerificationVisit.objects.create(business=gedong, visited_on=date(2026, 5, 1), outcome="operating")
    hotel = _hotel(personas, villages)
    run = DuplicateRun.objects.create(region_code="18.09", records=3, threshold=0.9)
    queued = DuplicateCluster.objects.create(run=run, members=sorted([gedong.pk, twin.pk]), probability=0.95,
                                             region_code=gedong.village_id, names="keripik pisang bu siti")  # fmt: skip
    assert public_products().filter(pk=product.pk).exists()
    assert gedong in selectors.business_list(user=admin)

    request = _decide(admin, owner, "restriction")
    owner.refresh_from_db()
    assert owner.restricted_at is not None and owner.erased_at is None
    assert {line["label"] for line in request.outcome} >= {"registry.Business", "lifecycle.VerificationVisit"}
    answer = services.outcome_text(request)
    assert "tidak lagi ditampilkan" in answer and "dibatasi" in answer

    # Out of every list, search, count, export and match of the office …
    every = selectors.business_list(user=admin)
    assert gedong not in every and twin in every
    assert not selectors.business_list(user=admin, filters=selectors.BusinessFilters(q="Bu Siti")).filter(
        owner=owner
    )
    assert selectors.business_count(user=admin) == every.count()
    assert (
        selectors.business_count(user=personas["admin_lampung"])
        == selectors.business_list(user=personas["admin_lampung"]).count()
    )
    assert gedong not in selectors.similar_businesses(user=admin, business=twin)
    assert gedong.pk not in {r["id"] for r in duplicates.records("18.09")}
    assert owner.pk not in {r["id"] for r in duplicates.person_records("18.09")}
    assert gedong not in worklist(user=personas["petugas"]) and twin in worklist(user=personas["petugas"])
    queued.refresh_from_db()
    assert queued.status == "usang"  # the group found before leaves the review queue
    client.force_login(admin)
    exported = b"".join(client.get("/usaha/ekspor.csv").streaming_content).decode("utf-8-sig")
    assert "Kopi Robusta Pak Budi" in exported and "Keripik Pisang Bu Siti," not in exported
    listed = api_client_for(admin).get("/api/v1/businesses?page_size=50").json()
    assert gedong.pk not in {item["id"] for item in listed["items"]} and listed["items"]
    with pytest.raises(ValidationError, match="dibatasi"):
        opportunities.invite(
            actor=admin, opportunity=hotel, supplier=gedong, channel="email", url="https://x/"
        )
    # … and off the public catalogue.
    assert not public_products().filter(pk=product.pk).exists()
    assert client.get(f"/katalog/produk/{product.pk}/").status_code == 404

    # The records stay, and the officer in charge still reaches them through the request.
    assert Business.objects.filter(pk=gedong.pk).exists() and VerificationVisit.objects.filter(
        business=gedong
    )
    assert client.get(f"/usaha/{gedong.pk}/").status_code == 200
    client.force_login(personas["owner"])  # the owner still sees their own business
    assert gedong in selectors.business_list(user=personas["owner"])

    with pytest.raises(PermissionDenied):
        services.restriction_lift(actor=personas["admin_lamsel"], person=owner)
    services.restriction_lift(
        actor=personas["owner"], person=owner
    )  # at the person's wish: back in the lists
    assert gedong in selectors.business_list(user=admin)
    with pytest.raises(ValidationError, match="tidak dibatasi"):
        services.restriction_lift(actor=admin, person=owner)


@pytest.mark.django_db
def test_a_restriction_names_what_another_law_keeps_processing(businesses, personas):
    admin = personas["admin_pesawaran"]
    gedong = businesses["gedong"]
    from naikkelas.training.models import Certificate, Cohort, Programme

    cohort = Cohort.objects.create(programme=Programme.objects.get(topic="pembukuan"), name="Angkatan 1",
                                   region_id="18.09", starts_on=TODAY, capacity=10)  # fmt: skip
    registration = Registration.objects.create(cohort=cohort, person=gedong.owner, business=gedong)
    Certificate.objects.create(registration=registration, number="NK-1", issued_on=TODAY)
    request = _decide(admin, gedong.owner, "restriction")
    kept = {line["label"]: line for line in request.outcome if line["done"] == "keep"}
    assert "training.Certificate" in kept
    assert "masih dapat diperiksa" in services.outcome_text(request)  # a certificate is still checked


@pytest.mark.django_db
def test_an_erasure_deletes_and_anonymises_what_no_law_keeps(
    businesses, personas, django_capture_on_commit_callbacks
):
    admin = personas["admin_pesawaran"]
    gedong = businesses["gedong"]
    owner = gedong.owner
    owner.set_nik("1809014506900001")
    owner.phone, owner.email = "+6281234567890", "siti@example.com"
    owner.save()
    Business.objects.filter(pk=gedong.pk).update(phone="+6281234567890", address="Jl. Pisang 1",
                                                 latitude=Decimal("-5.4"))  # fmt: skip
    visit = VerificationVisit.objects.create(
        business=gedong, visited_on=date(2026, 5, 1), outcome="operating"
    )
    Entry.objects.create(business=gedong, day=TODAY, kind="sale", category="jual_tunai", amount=150_000)
    product = Product.objects.create(business=gedong, name="Keripik Pisang Coklat", price=15_000, unit="pack",
                                     category=ProductCategory.objects.order_by("pk").first())  # fmt: skip
    photos = [
        default_storage.save(f"catalog/2026/11/keripik-{n}.jpg", ContentFile(b"jpeg")) for n in range(4)
    ]
    ProductPhoto.objects.create(product=product, large_webp=photos[0], large_jpeg=photos[1], small_webp=photos[2],
                                small_jpeg=photos[3], width=800, height=600)  # fmt: skip
    services.consent_give(actor=admin, person=owner, purpose="whatsapp_contact", how="formulir")
    other = businesses["pesawaran_other"]
    other_visit = VerificationVisit.objects.create(
        business=other, visited_on=date(2026, 5, 1), outcome="operating"
    )
    run = DuplicateRun.objects.create(region_code="18.09", records=2, threshold=0.9)
    found = DuplicateCluster.objects.create(run=run, members=[gedong.pk, other.pk], probability=0.91, status="berbeda",
                                            region_code=gedong.village_id, names="keripik pisang bu siti")  # fmt: skip
    AuditLog.objects.create(action="update", object_type="registry.business", object_id=str(gedong.pk),
                            region_code=gedong.village_id, after={"name": "Keripik Pisang Bu Siti"})  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        request = _decide(admin, owner, "erasure")
    owner.refresh_from_db()
    gedong.refresh_from_db()
    assert owner.name == "(dihapus)" and owner.erased_at and owner.restricted_at
    assert (owner.nik_encrypted, owner.nik_hash, owner.nik_masked, owner.phone, owner.email) == ("",) * 5
    assert owner.birth_date is None and owner.gender == ""
    assert (gedong.name, gedong.phone, gedong.address, gedong.latitude) == ("(dihapus)", "", "", None)
    assert not VerificationVisit.objects.filter(pk=visit.pk).exists()
    assert not Entry.objects.filter(business=gedong).exists()
    assert not Product.objects.filter(pk=product.pk).exists() and not ProductPhoto.objects.exists()
    assert not any(default_storage.exists(name) for name in photos)  # the photo files go with them
    assert VerificationVisit.objects.filter(pk=other_visit.pk).exists()  # no one else's record is touched
    found.refresh_from_db()
    assert (
        found.names == "" and found.status == "berbeda"
    )  # the name it was found under goes; the decision stays
    assert Consent.objects.get(person=owner).withdrawn_at is not None  # kept as proof, no longer in force
    account = personas["owner"]
    account.refresh_from_db()
    assert (
        not account.is_active
        and account.username.startswith("dihapus-")
        and not account.has_usable_password()
    )
    # The audit trail keeps the fact of each change about the erased records, not their values.
    about = AuditLog.objects.filter(object_type="registry.business", object_id=str(gedong.pk))
    assert about.exists() and not about.exclude(before=None, after=None).exists()
    assert DataRequest.objects.filter(pk=request.pk).exists()  # the request itself is proof (Pasal 47)
    done = {line["label"]: line["done"] for line in request.outcome}
    assert done["lifecycle.VerificationVisit"] == "delete" and done["registry.Person"] == "anonymise"
    assert done["privacy.DataRequest"] == "keep"
    # The answer goes to the phone held before the erasure (the account it could be read on is closed).
    message = OutboxMessage.objects.get(purpose="privacy_answer")
    assert "dihapus" in message.text and "Keripik" not in message.text and "Siti" not in message.text
    with pytest.raises(ValidationError, match="sudah dihapus"):
        _decide(admin, owner, "erasure")
    with pytest.raises(ValidationError, match="tetap"):
        services.restriction_lift(actor=admin, person=owner)
    assert (
        services.personal_copy(actor=admin, person=owner).records["registry.Person"][0]["name"] == "(dihapus)"
    )


@pytest.mark.django_db
def test_an_erasure_keeps_what_a_law_keeps_and_says_why(businesses, personas):
    admin = personas["admin_pesawaran"]
    gedong = businesses["gedong"]
    owner = gedong.owner
    Person.objects.filter(pk=owner.pk).update(phone="+6281234567890")
    from naikkelas.training.models import Cohort, Programme

    cohort = Cohort.objects.create(programme=Programme.objects.get(topic="pembukuan"), name="Angkatan 1",
                                   region_id="18.09", starts_on=TODAY, capacity=10)  # fmt: skip
    Registration.objects.create(cohort=cohort, person=owner, business=gedong)
    visit = VerificationVisit.objects.create(
        business=gedong, visited_on=date(2026, 5, 1), outcome="operating"
    )
    request = _decide(admin, owner, "erasure")
    owner.refresh_from_db()
    assert owner.name == "Siti Rahayu" and owner.phone  # a training's attendance needs to know who came
    assert owner.restricted_at and owner.erased_at  # … so the person is kept restricted
    assert not VerificationVisit.objects.filter(pk=visit.pk).exists()  # what no law keeps still goes
    assert Registration.objects.filter(person=owner).exists()
    done = {line["label"]: line["done"] for line in request.outcome}
    assert done["registry.Person"] == "restricted" and done["training.Registration"] == "keep"
    text = services.outcome_text(request)
    assert "anggaran pelatihan" in text and "10 tahun" in text  # the duty and the period, in the answer
    assert gedong not in selectors.business_list(user=admin)


@pytest.mark.django_db
def test_a_person_served_by_two_offices_is_erased_by_the_office_above_both(businesses, personas, villages):
    owner = businesses["gedong"].owner
    Business.objects.filter(pk=businesses["lamsel"].pk).update(
        owner=owner
    )  # a second business, another regency
    request = services.request_file(actor=personas["admin_pesawaran"], person=owner, kind="erasure")
    with pytest.raises(PermissionDenied, match="kantor di atas"):
        services.request_decide(actor=personas["admin_pesawaran"], request=request, done=True, decision="Ya")
    request.refresh_from_db()
    assert request.status == "open" and Person.objects.get(pk=owner.pk).erased_at is None  # nothing done
    services.request_decide(actor=personas["admin_lampung"], request=request, done=True, decision="Ya")
    assert Person.objects.get(pk=owner.pk).erased_at is not None


@pytest.mark.django_db
def test_the_officer_sees_what_done_will_do_and_the_owner_reads_what_was_done(businesses, personas, client):
    gedong = businesses["gedong"]
    VerificationVisit.objects.create(business=gedong, visited_on=date(2026, 5, 1), outcome="operating")
    request = services.request_file(actor=personas["owner"], person=gedong.owner, kind="restriction")
    client.force_login(personas["admin_pesawaran"])
    page = client.get(f"/privasi/permintaan/{request.pk}/").content.decode()
    assert 'id="plan"' in page and 'data-label="lifecycle.VerificationVisit" data-done="restricted"' in page
    client.post(f"/privasi/permintaan/{request.pk}/", {"done": "1", "decision": "Dibatasi sejak hari ini."})
    page = client.get(f"/privasi/permintaan/{request.pk}/").content.decode()
    assert 'id="outcome"' in page and 'id="plan"' not in page
    assert 'id="answered"' in page and 'id="clock"' not in page  # answered: no clock running any more
    assert 'id="restricted"' in client.get(f"/usaha/{gedong.pk}/").content.decode()  # the officer is told

    client.force_login(personas["owner"])
    mine = client.get("/privasi/data-saya/").content.decode()
    assert 'id="restricted"' in mine and "Dibatasi sejak hari ini." in mine and "disimpan, dibatasi" in mine
    client.post("/privasi/data-saya/pembatasan/cabut/")
    assert Person.objects.get(pk=gedong.owner.pk).restricted_at is None
    assert 'id="lift-restriction"' not in client.get("/privasi/data-saya/").content.decode()
    assert client.get("/privasi/data-saya/pembatasan/cabut/").status_code == 405


@pytest.mark.django_db
def test_nothing_is_added_to_or_changed_in_a_restricted_persons_records(businesses, personas, tmp_path):
    import xlsxwriter

    from naikkelas.intake.services import import_businesses
    from naikkelas.registry import services as registry
    from tests.conftest import VALID_NIK_WOMAN

    admin = personas["admin_pesawaran"]
    gedong = businesses["gedong"]
    owner = gedong.owner
    owner.set_nik(VALID_NIK_WOMAN)
    owner.save()
    _decide(admin, owner, "restriction")
    path = tmp_path / "umkm.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    for r, row in enumerate([
        ["NO", "NAMA USAHA", "NAMA PEMILIK", "NIK", "DESA/KEL", "KEC.", "OMZET PER BULAN (Rp)"],
        [1, "Keripik Pisang Bu Siti", "Siti Rahayu", VALID_NIK_WOMAN, gedong.village.name, "Gedong Tataan", "9 jt"],
        [2, "Usaha Baru Bu Siti", "Siti Rahayu", VALID_NIK_WOMAN, gedong.village.name, "Gedong Tataan", "1 jt"],
        [3, "Usaha Orang Lain", "Dewi", "", gedong.village.name, "Gedong Tataan", "1 jt"],
    ]):  # fmt: skip
        sheet.write_row(r, 0, row)
    workbook.close()
    report = import_businesses(actor=admin, path=path)
    reasons = {r["row"]: (r["column"], r["reason"]) for r in report.rejected}
    assert set(reasons) == {2, 3}  # the Excel rows of both, each named with its column
    for column, reason in reasons.values():
        assert column == "NIK" and "dibatasi" in reason and "Siti" not in reason
    assert report.created == 1  # the other row is imported
    gedong.refresh_from_db()
    assert gedong.annual_revenue is None and list(owner.businesses.values_list("pk", flat=True)) == [
        gedong.pk
    ]
    with pytest.raises(ValidationError, match="dibatasi") as err:
        registry.business_create(actor=admin, data={"name": "Usaha Lain", "owner_nik": VALID_NIK_WOMAN,
                                                    "village": gedong.village_id})  # fmt: skip
    assert "owner_nik" in err.value.message_dict
