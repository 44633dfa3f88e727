"""A personal data breach (UU 27/2022 Pasal 46): recorded with its window and data, the people it may have touched
computed from the audit log, told within 3×24 hours through the outbox, and the authority's notice as PDF."""

import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from naikkelas.core.models import OutboxMessage
from naikkelas.privacy import breaches
from naikkelas.privacy.models import Incident
from naikkelas.registry import services as registry

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=JAKARTA)


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def touched(businesses, personas):
    """The regency admin's account opened two owners' NIKs on Monday morning; the field officer opened one of them
    too; after the window, the province's admin opened a third."""
    gedong, other = businesses["gedong"], businesses["pesawaran_other"]
    for business, phone in ((gedong, "+6281234567890"), (other, "+6281300001111")):
        business.owner.phone = phone
        business.owner.nik_hash = f"hash-{business.pk}"  # holds a NIK
        business.owner.save()
    with _at(MONDAY):
        registry.person_reveal_nik(
            actor=personas["petugas"], person=gedong.owner, region_code=gedong.village_id
        )
    with _at(MONDAY + timedelta(hours=1)):
        for business in (gedong, other):
            registry.person_reveal_nik(actor=personas["admin_pesawaran"], person=business.owner,
                                       region_code=business.village_id)  # fmt: skip
    with _at(MONDAY + timedelta(days=3)):  # after the window
        lamsel = businesses["lamsel"]
        registry.person_reveal_nik(
            actor=personas["admin_lampung"], person=lamsel.owner, region_code=lamsel.village_id
        )
    return gedong.owner, other.owner


def _data(**extra):
    return {"title": "Ponsel petugas hilang", "description": "Ponsel dinas hilang dengan sesi masuk terbuka.",
            "window_from": "2027-03-01T08:30", "window_to": "2027-03-01T12:00", "found_at": "2027-03-01T14:00",
            "categories": ["nik", "phone"], "account": "admin.pesawaran", "region": "18.09",
            "measures": "Sesi dicabut, kata sandi diganti", **extra}  # fmt: skip


@pytest.mark.django_db
def test_bad_input_is_named_and_nothing_saved(personas):
    admin = personas["admin_pesawaran"]
    with _at(MONDAY + timedelta(hours=6)), pytest.raises(ValidationError) as err:
        breaches.incident_record(actor=admin, data=_data(title="", window_to="2027-03-01T07:00", categories=["x"],
                                                         found_at="kemarin", region="18.01", account="siapa"))  # fmt: skip
    errors = err.value.message_dict
    assert "wajib" in errors["title"][0] and "sebelum" in errors["window_to"][0]
    assert "jenis data" in errors["categories"][0] and "tanggal" in errors["found_at"][0]
    assert "di luar wilayah" in errors["region"][0] and errors["account"]
    assert Incident.objects.count() == 0
    with pytest.raises(PermissionDenied):  # a field officer does not record breaches
        breaches.incident_record(actor=personas["petugas"], data=_data())


@pytest.mark.django_db
def test_the_people_touched_come_from_the_audit_log_and_are_told_within_the_clock(touched, personas, client):
    admin = personas["admin_pesawaran"]
    with _at(MONDAY + timedelta(hours=6)):
        incident = breaches.incident_record(actor=admin, data=_data())
    assert set(breaches.affected(incident)) == set(
        touched
    )  # the account's two, not the admin's, not later ones
    with _at(MONDAY + timedelta(hours=6)):  # without an account: everyone touched in the window and region
        everyone = breaches.incident_record(actor=admin, data=_data(account="", title="Server disusupi"))
    assert set(breaches.affected(everyone)) == set(touched)  # the officer's reveal was of one of the two
    with _at(MONDAY + timedelta(hours=7)):
        client.force_login(admin)
        page = client.get(f"/privasi/insiden/{incident.pk}/").content.decode()
        assert "70 jam 0 menit lagi" in page and 'id="affected">2' in page
        client.post(f"/privasi/insiden/{incident.pk}/", {"action": "notify"})
        again = client.post(
            f"/privasi/insiden/{incident.pk}/", {"action": "notify"}, follow=True
        ).content.decode()
    assert "sudah diberi tahu" in again
    sent = OutboxMessage.objects.filter(purpose="breach_notice")
    assert sorted(sent.values_list("to", flat=True)) == ["+6281234567890", "+6281300001111"]
    assert all("Ponsel petugas hilang" in m.text and "NIK" in m.text for m in sent)
    assert not any("Budi" in m.text or "Siti" in m.text for m in sent)  # a notice names no one
    with _at(MONDAY + timedelta(hours=80)):  # late for the authority
        client.logout()
        client.force_login(admin)
        pdf = client.get(f"/privasi/insiden/{incident.pk}/pemberitahuan.pdf")
        client.post(f"/privasi/insiden/{incident.pk}/", {"action": "authority"})
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    assert "Pemberitahuan kegagalan pelindungan data pribadi" in text and "Ponsel petugas hilang" in text
    assert "18.09 2" in text and "Siti" not in text  # counts by regency, no person's data
    incident.refresh_from_db()
    assert incident.people_notified == 2 and incident.authority_notified_at is not None
    assert incident.authority_notified_at > breaches.due_at(incident)


@pytest.mark.django_db
def test_another_regencys_admin_cannot_see_or_act(touched, personas, client):
    with _at(MONDAY + timedelta(hours=6)):
        incident = breaches.incident_record(actor=personas["admin_pesawaran"], data=_data())
    client.force_login(personas["admin_lamsel"])
    assert client.get(f"/privasi/insiden/{incident.pk}/").status_code == 404
    assert client.get(f"/privasi/insiden/{incident.pk}/pemberitahuan.pdf").status_code == 404
    assert "Ponsel petugas hilang" not in client.get("/privasi/insiden/").content.decode()
    client.force_login(personas["petugas"])
    assert client.get("/privasi/insiden/").status_code == 403
