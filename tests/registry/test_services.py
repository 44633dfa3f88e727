"""Writes through services: validation in Indonesian naming the field, nothing half-saved, audit, history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.registry import services
from naikkelas.registry.models import Business, LegalDocument, Person, StatusChange
from tests.conftest import VALID_NIK_MAN, VALID_NIK_WOMAN


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def valid_data(place, **extra):
    return {
        "name": "Keripik Pisang Bu Siti",
        "owner_name": "Siti Rahayu",
        "owner_nik": VALID_NIK_WOMAN,
        "owner_phone": "0812-3456-7890",
        "nib": "1234567890123",
        "sector": "Makanan olahan",
        "kbli": "10794",
        "village": place.code,
        "assets": "Rp 25.000.000",
        "annual_revenue": "180.000.000",
        "employees": "2",
        "founded": "2019-05-01",
        **extra,
    }


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def test_it_registers_a_business_with_its_owner(personas, villages):
    business = services.business_create(
        actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"])
    )
    assert business.owner.name == "Siti Rahayu"
    assert business.owner.gender == "P"
    assert str(business.owner.birth_date) == "1985-08-17"
    assert business.owner.nik_masked == "1809xxxxxxxx0001"
    assert business.owner.phone == "+6281234567890"
    assert business.assets == 25_000_000
    assert business.size_class == "mikro"
    assert business.status == "registered"
    assert business.status_history.count() == 1


def test_it_gives_one_person_two_businesses_when_the_nik_repeats(personas, villages):
    first = services.business_create(actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"]))
    second = services.business_create(
        actor=personas["admin_pesawaran"],
        data=valid_data(villages["pesawaran_other"], name="Kopi Bu Siti", owner_nik="1809 0157 0885 0001"),
    )
    assert first.owner_id == second.owner_id
    assert Person.objects.count() == 1


def test_it_never_writes_the_raw_nik_to_the_database(personas, villages):
    services.business_create(actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"]))
    with connection.cursor() as cursor:
        for table in ("registry_person", "registry_business", "core_auditlog"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            assert VALID_NIK_WOMAN not in dump, table
            assert "1809xxxxxxxx0001" in dump or table == "registry_business"


def test_it_finds_a_person_by_nik_through_the_keyed_hash(personas, villages, settings):
    from naikkelas.core import personal

    business = services.business_create(
        actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"])
    )
    assert Person.objects.get(nik_hash=personal.keyed_hash(VALID_NIK_WOMAN)) == business.owner


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("owner_nik", "12345", "NIK Pemilik: NIK harus tepat 16 digit."),
        ("owner_nik", "1809013208850001", "NIK Pemilik: Digit 7–12 NIK bukan tanggal lahir yang valid"),
        (
            "owner_nik",
            "9909015708850001",
            "NIK Pemilik: awalan wilayah 9909 bukan provinsi dan kabupaten/kota yang dikenal.",
        ),
        ("nib", "12345", "NIB harus tepat 13 digit."),
        ("kbli", "1079", "Kode KBLI harus tepat 5 digit."),
        ("owner_phone", "12345", "Telepon Pemilik: Nomor telepon bukan nomor Indonesia yang valid"),
        ("assets", "-5.000", "Aset tidak boleh negatif."),
        ("annual_revenue", "-1", "Omzet tahunan tidak boleh negatif."),
        ("annual_revenue", "1,5", "Omzet tahunan harus berupa jumlah Rupiah tanpa desimal"),
        ("employees", "dua", "Tenaga kerja harus berupa bilangan bulat."),
        (
            "village",
            "18.09.99.9999",
            "Desa: kode wilayah 18.09.99.9999 tidak ada di pohon wilayah Kemendagri.",
        ),
        ("village", "18.09.01", "Desa: 18.09.01 bukan kode desa/kelurahan."),
        ("founded", "2099-01-01", "Tanggal berdiri tidak boleh di masa depan."),
        ("founded", "kemarin", "Tanggal berdiri bukan tanggal yang valid"),
        ("name", "", "Nama usaha wajib diisi."),
        ("latitude", "95", "Lintang harus berupa angka antara -90 dan 90."),
    ],
)
def test_it_rejects_bad_input_with_an_indonesian_message_naming_the_field(
    personas, villages, field, value, expected
):
    with pytest.raises(ValidationError) as exc:
        services.business_create(
            actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"], **{field: value})
        )
    messages = errors_of(exc)[field]
    assert any(m.startswith(expected) for m in messages), messages
    assert Business.objects.count() == 0
    assert Person.objects.count() == 0  # nothing half-saved
    assert AuditLog.objects.count() == 0


def test_it_rejects_a_village_outside_the_users_scope(personas, villages):
    with pytest.raises(ValidationError) as exc:
        services.business_create(actor=personas["admin_pesawaran"], data=valid_data(villages["lamsel"]))
    assert "di luar wilayah kerja Anda" in errors_of(exc)["village"][0]
    assert Business.objects.count() == 0


def test_it_lets_a_field_officer_register_only_in_their_district(personas, villages):
    services.business_create(actor=personas["petugas"], data=valid_data(villages["gedong"]))
    with pytest.raises(ValidationError):
        services.business_create(actor=personas["petugas"], data=valid_data(villages["pesawaran_other"]))


@pytest.mark.parametrize("role", ["owner", "coop_manager", "outsider"])
def test_it_refuses_registration_by_roles_that_cannot_add(role, personas, villages):
    with pytest.raises(PermissionDenied):
        services.business_create(actor=personas[role], data=valid_data(villages["gedong"]))


def test_it_audits_an_update_with_before_and_after(personas, villages):
    business = services.business_create(
        actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"])
    )
    services.business_update(
        actor=personas["petugas"], business=business, data={"annual_revenue": "2.500.000.000"}
    )
    entry = AuditLog.objects.filter(action=AuditAction.UPDATE, object_type="registry.business").get()
    assert entry.actor == personas["petugas"]
    assert entry.before["annual_revenue"] == 180_000_000
    assert entry.after["annual_revenue"] == 2_500_000_000
    assert entry.before["size_class"] == "mikro" and entry.after["size_class"] == "kecil"
    assert entry.region_code == villages["gedong"].code


def test_it_records_status_changes_in_a_dated_history(personas, villages):
    business = services.business_create(
        actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"])
    )
    services.business_set_status(
        actor=personas["petugas"], business=business, status="operating", note="Kunjungan"
    )
    services.business_set_status(actor=personas["petugas"], business=business, status="modern")
    history = list(
        StatusChange.objects.filter(business=business)
        .order_by("changed_at", "id")
        .values_list("previous", "status")
    )
    assert history == [("", "registered"), ("registered", "operating"), ("operating", "modern")]


def test_it_rejects_an_unknown_status(personas, villages):
    business = services.business_create(
        actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"])
    )
    with pytest.raises(ValidationError) as exc:
        services.business_update(
            actor=personas["admin_pesawaran"], business=business, data={"status": "bangkrut"}
        )
    assert "Status" in errors_of(exc)["status"][0]
    assert StatusChange.objects.filter(business=business).count() == 1


def test_it_keeps_everything_unchanged_when_one_field_of_an_update_is_bad(personas, villages):
    business = services.business_create(
        actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"])
    )
    with pytest.raises(ValidationError):
        services.business_update(
            actor=personas["admin_pesawaran"],
            business=business,
            data={"name": "Nama Baru", "owner_name": "Nama Pemilik Baru", "nib": "salah"},
        )
    business.refresh_from_db()
    assert business.name == "Keripik Pisang Bu Siti"
    assert business.owner.name == "Siti Rahayu"


def test_it_lets_the_owner_edit_but_not_move_their_business_out_of_their_reach(
    personas, businesses, villages
):
    business = businesses["gedong"]
    services.business_update(actor=personas["owner"], business=business, data={"employees": "5"})
    with pytest.raises(ValidationError):
        services.business_update(
            actor=personas["owner"], business=business, data={"village": villages["lamsel"].code}
        )


def test_it_refuses_changing_an_owner_nik_to_one_another_person_holds(personas, villages):
    a = services.business_create(actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"]))
    services.business_create(
        actor=personas["admin_pesawaran"],
        data=valid_data(villages["gedong"], name="Bengkel", owner_name="Budi", owner_nik=VALID_NIK_MAN),
    )
    with pytest.raises(ValidationError) as exc:
        services.business_update(
            actor=personas["admin_pesawaran"], business=a, data={"owner_nik": VALID_NIK_MAN}
        )
    message = errors_of(exc)["owner_nik"][0]
    assert "Budi" not in message and "orang lain" in message  # no oracle: it names no one


def test_it_reveals_a_nik_only_to_allowed_roles_and_audits_each_view(personas, villages):
    business = services.business_create(
        actor=personas["admin_pesawaran"], data=valid_data(villages["gedong"])
    )
    assert services.person_reveal_nik(actor=personas["petugas"], person=business.owner) == VALID_NIK_WOMAN
    assert AuditLog.objects.filter(action=AuditAction.VIEW_NIK, actor=personas["petugas"]).count() == 1
    with pytest.raises(PermissionDenied):
        services.person_reveal_nik(actor=personas["owner"], person=business.owner)
    assert AuditLog.objects.filter(action=AuditAction.VIEW_NIK).count() == 1


def test_it_adds_legal_documents_and_checks_them(personas, businesses):
    business = businesses["gedong"]
    doc = services.legal_document_add(
        actor=personas["petugas"],
        business=business,
        data={
            "kind": "pirt",
            "number": "P-IRT 2061809010123-27",
            "issued_on": "2022-03-01",
            "expires_on": "2027-03-01",
        },
    )
    assert doc.expires_on.year == 2027
    with pytest.raises(ValidationError) as exc:
        services.legal_document_add(
            actor=personas["petugas"],
            business=business,
            data={"kind": "halal", "number": "ID123", "issued_on": "2024-01-01", "expires_on": "2023-01-01"},
        )
    assert "expires_on" in errors_of(exc)
    with pytest.raises(ValidationError):
        services.legal_document_add(
            actor=personas["petugas"],
            business=business,
            data={"kind": "pirt", "number": "P-IRT 2061809010123-27"},
        )
    with pytest.raises(ValidationError):
        services.legal_document_add(
            actor=personas["petugas"], business=business, data={"kind": "nib", "number": "123"}
        )
    assert LegalDocument.objects.filter(business=business).count() == 1


def test_it_registers_and_edits_a_cooperative(personas, villages):
    coop = services.cooperative_create(
        actor=personas["admin_pesawaran"],
        data={
            "name": "KSP Maju Bersama",
            "type": "simpan_pinjam",
            "level": "primer",
            "members": "120",
            "village": villages["gedong"].code,
            "nik_koperasi": "1809010000000001",
            "legal_entity_date": "2010-02-01",
        },
    )
    assert coop.members == 120
    services.cooperative_update(
        actor=personas["admin_pesawaran"], cooperative=coop, data={"status": "tidak_aktif"}
    )
    coop.refresh_from_db()
    assert coop.status == "tidak_aktif"
    assert list(coop.status_history.order_by("changed_at", "id").values_list("status", flat=True)) == [
        "aktif",
        "tidak_aktif",
    ]
    with pytest.raises(ValidationError) as exc:
        services.cooperative_create(
            actor=personas["admin_pesawaran"],
            data={"name": "KSP X", "type": "arisan", "village": villages["gedong"].code, "members": "-3"},
        )
    assert set(errors_of(exc)) == {"type", "members"}


def test_it_finds_businesses_by_words_of_name_owner_and_nib_after_changes(personas, villages):
    from naikkelas.registry.selectors import BusinessFilters, business_list

    actor = personas["admin_pesawaran"]
    business = services.business_create(actor=actor, data=valid_data(villages["gedong"]))

    def found(q):
        return list(business_list(user=actor, filters=BusinessFilters(q=q)))

    assert found("pisang siti") == [business]
    assert found("kerip pis") == [business]  # words match as prefixes
    assert found("PISANG") == [business]
    assert found("1234567890") == [business]  # NIB
    assert found("pisang budi") == []
    assert found("bu") == [business]  # short words still work
    services.business_update(
        actor=actor, business=business, data={"name": "Kopi Robusta", "owner_name": "Ratna"}
    )
    assert found("pisang") == [] and found("robusta ratna") == [business]
    assert found("50%_") == []
    if connection.vendor == "sqlite":
        from naikkelas.registry.search import _sqlite_has_fts, ensure_search_index

        assert _sqlite_has_fts()  # the trigram index answered, not a scan
        assert (
            ensure_search_index(connection) == "present"
        )  # triggers survived the table rebuilds of migrations


def test_it_lets_an_existing_owner_be_chosen_only_from_within_scope(personas, businesses, villages):
    mine = businesses["gedong"].owner
    second = services.business_create(
        actor=personas["admin_pesawaran"],
        data={"name": "Kue Bu Siti", "owner_id": mine.pk, "village": villages["gedong"].code},
    )
    assert second.owner == mine
    with pytest.raises(ValidationError) as exc:
        services.business_create(
            actor=personas["admin_pesawaran"],
            data={
                "name": "Curian",
                "owner_id": businesses["banten"].owner_id,
                "village": villages["gedong"].code,
            },
        )
    assert "owner_id" in errors_of(exc)
    assert not Business.objects.filter(name="Curian").exists()


def test_followers_are_told_of_any_number_of_businesses(businesses):
    """300,000 ids at once once asked SQLite for more query parameters than it takes (this SQLite takes 250,000)."""
    from naikkelas.catalog.models import Category, Product
    from naikkelas.registry import followers

    business = businesses["gedong"]
    category = Category.objects.first()
    product = Product.objects.create(
        business=business,
        name="Keripik",
        category=category,
        price=15000,
        status="published",
        listed=True,
        district_code=business.village_id[:8],
    )
    Business.objects.filter(pk=business.pk).update(status="closed")
    followers.businesses_changed([*range(10**6, 10**6 + 300_000), business.pk])
    product.refresh_from_db()
    assert not product.listed  # the follower saw the last id, in the last batch
