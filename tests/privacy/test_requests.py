"""A person's request (UU 27/2022): filed from their own page or by an officer who saw their KTP, answered by
the office that serves them within 3×24 hours, with reasons; a refusal names its article."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from naikkelas.core.models import AuditLog
from naikkelas.privacy import services
from naikkelas.privacy.models import Consent, DataRequest

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=JAKARTA)


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.mark.django_db
def test_an_owner_asks_and_an_officer_answers_within_the_clock(businesses, personas, client):
    owner = businesses["gedong"].owner
    with _at(MONDAY):
        client.logout()
        client.force_login(personas["owner"])
        client.post(
            "/privasi/data-saya/permintaan/", {"kind": "correction", "details": "Nomor HP saya ganti"}
        )
        again = client.post("/privasi/data-saya/permintaan/", {"kind": "correction"}, follow=True)
        mine = client.get("/privasi/data-saya/").content.decode()
    assert "sudah ada" in again.content.decode()  # the same kind, still open: not a second one
    request = DataRequest.objects.get()
    assert (request.person, request.channel, request.status) == (owner, "own_page", "open")
    assert request.due_at == MONDAY + timedelta(hours=72)
    assert "4 Maret 2027 09:00" in mine  # the answer is due three days later, same hour

    officer = personas["admin_pesawaran"]
    with _at(MONDAY + timedelta(hours=1, minutes=30)):
        client.logout()
        client.force_login(officer)
        page = client.get("/privasi/permintaan/").content.decode()
    assert "70 jam 30 menit lagi" in page
    with _at(MONDAY + timedelta(hours=80)):
        client.logout()
        client.force_login(officer)
        page = client.get("/privasi/permintaan/").content.decode()
        assert "terlambat 8 jam" in page
        refused = client.post(f"/privasi/permintaan/{request.pk}/", {"done": "0", "decision": "Tidak bisa"})
        assert "Pasal" in refused.content.decode()  # a refusal must name its article: nothing recorded
        request.refresh_from_db()
        assert request.status == "open"
        client.post(
            f"/privasi/permintaan/{request.pk}/", {"done": "1", "decision": "Nomor HP sudah diperbaiki."}
        )
    request.refresh_from_db()
    assert request.status == "done" and request.decided_by == officer
    entry = AuditLog.objects.get(object_type="privacy.datarequest", action="update")
    assert entry.after["late"] is True
    with _at(MONDAY + timedelta(hours=81)):
        client.logout()
        client.force_login(personas["owner"])
        assert "Nomor HP sudah diperbaiki." in client.get("/privasi/data-saya/").content.decode()
    with pytest.raises(ValidationError, match="sudah dijawab"):
        services.request_decide(actor=officer, request=request, done=True, decision="lagi")


@pytest.mark.django_db
def test_a_refusal_names_its_article_and_others_cannot_see_or_answer(businesses, personas, client):
    owner = businesses["gedong"].owner
    request = services.request_file(
        actor=personas["petugas"], person=owner, kind="erasure", details="KTP dilihat"
    )
    assert request.channel == "officer"
    with pytest.raises(ValidationError) as err:
        services.request_decide(actor=personas["admin_pesawaran"], request=request, done=False, decision="")
    assert set(err.value.message_dict) == {"decision", "article"}
    with pytest.raises(PermissionDenied):
        services.request_decide(actor=personas["owner"], request=request, done=True, decision="sendiri")
    client.force_login(personas["admin_lamsel"])
    assert client.get(f"/privasi/permintaan/{request.pk}/").status_code == 404
    assert f"/privasi/permintaan/{request.pk}/" not in client.get("/privasi/permintaan/").content.decode()
    client.force_login(personas["owner"])
    assert client.get("/privasi/permintaan/").status_code == 403
    services.request_decide(actor=personas["admin_pesawaran"], request=request, done=False,
                            decision="Data pinjaman wajib disimpan 10 tahun.", article="Pasal 15 ayat 1")  # fmt: skip
    page = client.get("/privasi/data-saya/").content.decode()
    assert "Pasal 15 ayat 1" in page and "Ditolak" in page
    with pytest.raises(ValidationError):
        services.request_file(actor=personas["owner"], person=owner, kind="semuanya")


@pytest.mark.django_db
def test_an_officer_records_a_signed_consent_and_a_request_made_in_front_of_them(
    businesses, personas, client
):
    business = businesses["gedong"]
    client.force_login(personas["petugas"])
    detail = client.get(f"/usaha/{business.pk}/").content.decode()
    assert f'href="/privasi/orang/{business.owner.pk}/"' in detail
    client.post(
        f"/privasi/orang/{business.owner.pk}/", {"purpose": "catalogue_contact", "give": "1", "how": ""}
    )
    consent = Consent.objects.get(person=business.owner)
    assert consent.given_by == personas["petugas"] and "formulir" in consent.how
    response = client.post(f"/privasi/orang/{business.owner.pk}/", {"kind": "restriction", "details": "KTP"})
    filed = DataRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/privasi/permintaan/{filed.pk}/"
    assert filed.channel == "officer" and filed.received_by == personas["petugas"]
    client.force_login(personas["admin_lamsel"])  # not their office's person
    assert client.get(f"/privasi/orang/{business.owner.pk}/").status_code == 404
    client.post(f"/privasi/orang/{business.owner.pk}/", {"purpose": "catalogue_contact", "give": "0"})
    assert Consent.objects.get(person=business.owner).withdrawn_at is None
