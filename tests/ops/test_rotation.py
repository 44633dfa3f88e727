"""Changing the NIK key: while the old key is listed the app reads and finds everyone, the rotation moves every
NIK, look-up hash and API token to the new key (resumably), --check proves it, a wrong old key changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from naikkelas.accounts.models import ApiToken
from naikkelas.accounts.services import api_token_authenticate
from naikkelas.core import personal
from naikkelas.intake.services import import_businesses
from naikkelas.registry import services
from naikkelas.registry.models import Business, Person
from naikkelas.registry.search import business_search_q
from naikkelas.training.services import certificate_signature, certificate_signature_valid
from tests.conftest import VALID_NIK_WOMAN
from tests.intake.files import ROWS, office_workbook

OLD, NEW = "kunci-lama-kantor", "kunci-baru-kantor"


def _rotate(**opts) -> str:
    out = io.StringIO()
    call_command("rotate_secret", stdout=out, **opts)
    return out.getvalue()


@pytest.fixture
def under_old_key(settings, personas, tmp_path):
    """An office's data written under the old key: imported owners (NIKs), one API token, a printed certificate."""
    settings.NAIKKELAS_SECRET = OLD
    settings.NAIKKELAS_OLD_SECRETS = []
    import_businesses(
        actor=personas["admin_pesawaran"], path=office_workbook(tmp_path / "umkm.xlsx", rows=ROWS)
    )
    _token, key = ApiToken.issue(personas["admin_pesawaran"], "laporan")
    stored = dict(Person.objects.exclude(nik_encrypted="").values_list("pk", "nik_encrypted"))
    assert len(stored) >= 2
    return {"key": key, "stored": stored, "certificate": certificate_signature("SRT-2026-0001")}


def test_while_the_old_key_is_listed_everyone_is_read_and_found_then_the_rotation_moves_them(
    settings, personas, under_old_key
):
    settings.NAIKKELAS_SECRET, settings.NAIKKELAS_OLD_SECRETS = NEW, [OLD]
    siti = Person.objects.get(nik_hash=personal.keyed_hash(VALID_NIK_WOMAN, OLD))
    assert siti.get_nik() == VALID_NIK_WOMAN  # read under the old key (MultiFernet)
    assert Business.objects.filter(business_search_q(VALID_NIK_WOMAN)).exists()  # found by NIK
    # A new business for the same NIK, before the rotation: the same person, not a second one.
    made = services.business_create(
        actor=personas["admin_pesawaran"],
        data={"name": "Kue Bu Siti Baru", "owner_nik": VALID_NIK_WOMAN, "village": "18.09.01.2007"},
    )
    assert made.owner_id == siti.pk
    with pytest.raises(CommandError) as stale:
        _rotate(check=True)
    assert stale.value.returncode == 4

    out = _rotate(batch=1)
    assert "100 %" in out and "Selesai" in out
    assert "Semua" in _rotate(check=True)

    settings.NAIKKELAS_OLD_SECRETS = []  # the old key is gone: everything reads under the new key alone
    for pk, token in under_old_key["stored"].items():
        person = Person.objects.get(pk=pk)
        assert person.nik_encrypted != token
        assert person.nik_hash == personal.keyed_hash(person.get_nik())
    assert Business.objects.filter(business_search_q(VALID_NIK_WOMAN)).count() == 2
    assert api_token_authenticate(under_old_key["key"]) == personas["admin_pesawaran"]
    assert ApiToken.objects.get().reveal() == under_old_key["key"]
    # A printed certificate's code checks while the old key is listed, not after it is removed.
    assert not certificate_signature_valid("SRT-2026-0001", under_old_key["certificate"])
    settings.NAIKKELAS_OLD_SECRETS = [OLD]
    assert certificate_signature_valid("SRT-2026-0001", under_old_key["certificate"])


def test_a_stopped_rotation_is_started_again_and_finishes_the_rest(settings, under_old_key):
    settings.NAIKKELAS_SECRET, settings.NAIKKELAS_OLD_SECRETS = NEW, [OLD]
    first = Person.objects.exclude(nik_encrypted="").order_by("pk").first()
    nik = first.get_nik()
    Person.objects.filter(pk=first.pk).update(
        nik_encrypted=personal.encrypt(nik), nik_hash=personal.keyed_hash(nik)
    )
    out = _rotate()
    total = len(under_old_key["stored"])
    assert f"Selesai: {total - 1:,} dari {total:,} NIK" in out  # the row done before is left alone
    assert "Semua" in _rotate(check=True)


def test_a_wrong_old_key_is_refused_and_nothing_changes(settings, under_old_key):
    settings.NAIKKELAS_SECRET, settings.NAIKKELAS_OLD_SECRETS = NEW, ["kunci-yang-salah"]
    with pytest.raises(CommandError) as refused:
        _rotate()
    assert refused.value.returncode == 3 and "Tidak ada yang diubah" in str(refused.value)
    assert (
        dict(Person.objects.exclude(nik_encrypted="").values_list("pk", "nik_encrypted"))
        == under_old_key["stored"]
    )


def test_an_import_during_the_rotation_attaches_to_the_person_under_the_old_key(
    settings, personas, tmp_path, under_old_key
):
    settings.NAIKKELAS_SECRET, settings.NAIKKELAS_OLD_SECRETS = NEW, [OLD]
    persons = Person.objects.count()
    rows = [
        [
            1,
            "Kue Bu Siti",
            "Siti Rahayu",
            VALID_NIK_WOMAN,
            "",
            "Dusun II",
            "Bagelan",
            "Gedong Tataan",
            "750rb",
            "1",
            "Kue",
        ]
    ]
    report = import_businesses(
        actor=personas["admin_pesawaran"], path=office_workbook(tmp_path / "lagi.xlsx", rows=rows)
    )
    assert report.created == 1 and not report.rejected
    assert Person.objects.count() == persons  # the owner is the person already known, not a second one
    assert Business.objects.get(name="Kue Bu Siti").owner.get_nik() == VALID_NIK_WOMAN
