"""A request from the public page, identified by phone (UU 27/2022): a one-time code is sent to a number naikkelas
holds, and the page answers the same for a number it does not hold (no oracle); wrong, expired, used codes are
refused in Indonesian and file nothing; the answer goes back to the phone through the outbox."""

import json
import re
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine

from naikkelas.core import outbox
from naikkelas.core.models import OutboxMessage
from naikkelas.privacy import services
from naikkelas.privacy.models import DataRequest

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=JAKARTA)
KNOWN, UNKNOWN = "0812-3456-7890", "0813 9999 0000"


@pytest.fixture
def owner(businesses):
    person = businesses["pesawaran_other"].owner
    person.phone = "+6281234567890"
    person.save()
    return person


def _code() -> str:
    return re.search(r"\b(\d{6})\b", OutboxMessage.objects.get(purpose="privacy_code").text).group(1)


def _ask(client, phone):
    return client.post("/privasi/ajukan/", {"phone": phone}, follow=True)


@pytest.mark.django_db
def test_a_person_files_a_request_by_phone_and_gets_the_answer_on_it(owner, personas, client):
    with time_machine.travel(MONDAY, tick=False):
        page = _ask(client, KNOWN).content.decode()
        assert "Jika nomor ini tercatat" in page  # the same words whoever the number belongs to
        message = OutboxMessage.objects.get()
        assert (message.to, message.purpose, message.secret) == ("+6281234567890", "privacy_code", True)
        assert message.region_code.startswith("18.09")  # the office that serves the person sees it waiting
        done = client.post(
            "/privasi/ajukan/kode/", {"code": _code(), "kind": "access", "details": "Apa saja data saya?"}
        )
    assert "4 Maret 2027 09:00" in done.content.decode()
    request = DataRequest.objects.get()
    assert (request.person, request.kind, request.channel, request.received_by) == (
        owner,
        "access",
        "phone",
        None,
    )
    assert request.due_at == MONDAY + timedelta(hours=72)

    services.request_decide(actor=personas["admin_pesawaran"], request=request, done=True,
                            decision="Data Anda: satu usaha, Kopi Robusta Pak Budi.")  # fmt: skip
    answer = OutboxMessage.objects.get(purpose="privacy_answer")
    assert answer.to == "+6281234567890" and "Kopi Robusta Pak Budi" in answer.text


@pytest.mark.django_db
def test_an_unknown_number_is_answered_like_a_known_one(owner, client):
    known = _ask(client, KNOWN)
    code = _code()
    client.cookies.clear()
    unknown = _ask(client, UNKNOWN)
    assert unknown.redirect_chain == known.redirect_chain  # same page, same words
    assert "Jika nomor ini tercatat" in unknown.content.decode()
    assert OutboxMessage.objects.count() == 1  # nothing sent to a number naikkelas does not hold
    guess = client.post("/privasi/ajukan/kode/", {"code": code, "kind": "access"}).content.decode()
    assert "Kode salah" in guess and DataRequest.objects.count() == 0


@pytest.mark.django_db
def test_wrong_expired_and_used_codes_file_nothing(owner, client):
    with time_machine.travel(MONDAY, tick=False):
        _ask(client, KNOWN)
        code = _code()
        wrong = client.post(
            "/privasi/ajukan/kode/", {"code": "000000" if code != "000000" else "111111", "kind": "access"}
        )
        assert "Kode salah" in wrong.content.decode()
    with time_machine.travel(MONDAY + timedelta(minutes=11), tick=False):
        late = client.post("/privasi/ajukan/kode/", {"code": code, "kind": "access"}).content.decode()
    assert "kedaluwarsa" in late and DataRequest.objects.count() == 0
    with time_machine.travel(MONDAY + timedelta(minutes=20), tick=False):
        OutboxMessage.objects.all().delete()
        _ask(client, KNOWN)
        fresh = _code()
        client.post("/privasi/ajukan/kode/", {"code": fresh, "kind": "copy"})
        assert DataRequest.objects.filter(kind="copy").count() == 1
        with pytest.raises(Exception) as used:
            services.request_file_by_code(phone=KNOWN, code=fresh, kind="erasure")
    assert "sudah dipakai" in str(used.value) and DataRequest.objects.count() == 1


@pytest.mark.django_db
def test_five_wrong_codes_end_the_code(owner, client):
    _ask(client, KNOWN)
    code = _code()
    wrong = "123456" if code != "123456" else "654321"
    for _ in range(5):
        client.post("/privasi/ajukan/kode/", {"code": wrong, "kind": "access"})
    last = client.post("/privasi/ajukan/kode/", {"code": code, "kind": "access"}).content.decode()
    assert "Terlalu banyak" in last and DataRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_number_and_too_many_codes_are_told(owner, client):
    bad = client.post("/privasi/ajukan/", {"phone": "12ab"}).content.decode()
    assert "Nomor telepon" in bad and OutboxMessage.objects.count() == 0
    for _ in range(3):
        _ask(client, KNOWN)
    fourth = client.post("/privasi/ajukan/", {"phone": KNOWN}).content.decode()
    assert "Terlalu banyak kode" in fourth and OutboxMessage.objects.count() == 3
    assert client.get("/privasi/ajukan/kode/").status_code == 200  # the codes already sent still work


@pytest.mark.django_db
def test_without_a_phone_step_the_code_page_sends_back(client):
    assert client.get("/privasi/ajukan/kode/")["Location"] == "/privasi/ajukan/"


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - the handler's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers.get("Authorization"), json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Gateway.received, _Gateway.status = [], 200
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "rahasia-gateway"
    yield _Gateway
    server.shutdown()


@pytest.mark.django_db
def test_with_a_gateway_the_code_is_sent_and_not_kept(
    owner, client, gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, KNOWN)
    [(auth, body)] = gateway.received
    assert auth == "Bearer rahasia-gateway" and body["to"] == "+6281234567890"
    code = re.search(r"\b(\d{6})\b", body["text"]).group(1)
    message = OutboxMessage.objects.get()
    assert (message.status, message.text) == ("sent", "")  # a code sent is not kept
    client.post("/privasi/ajukan/kode/", {"code": code, "kind": "access"})
    assert DataRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_gateway_that_fails_is_tried_again_then_marked(owner, gateway, settings):
    gateway.status = 500
    settings.OUTBOX_TRIES = 2
    message = outbox.queue(to="+6281234567890", text="Uji", purpose="test")
    message = outbox.send(OutboxMessage.objects.get(pk=message.pk)) and OutboxMessage.objects.get(
        pk=message.pk
    )
    assert message.status == "failed" and message.attempts == 2 and "500" in message.error
    assert len(gateway.received) == 2


@pytest.mark.django_db
def test_without_a_gateway_an_officer_of_the_area_sends_it_by_whatsapp(owner, client, personas):
    _ask(client, KNOWN)
    message = OutboxMessage.objects.get()
    client.force_login(personas["admin_lamsel"])  # another regency: not theirs to see or send
    assert f"message-{message.pk}" not in client.get("/privasi/kotak-keluar/").content.decode()
    assert client.post("/privasi/kotak-keluar/", {"message": message.pk}).status_code == 404
    client.force_login(personas["admin_pesawaran"])  # the office that serves the person
    page = client.get("/privasi/kotak-keluar/").content.decode()
    assert f"message-{message.pk}" in page and "https://wa.me/6281234567890?text=" in page
    client.post("/privasi/kotak-keluar/", {"message": message.pk})
    message.refresh_from_db()
    assert (message.status, message.text) == ("sent", "")  # the code is forgotten once sent
    assert 'id="outbox-empty"' in client.get("/privasi/kotak-keluar/").content.decode()


@pytest.mark.django_db
def test_the_officers_home_reminds_them_of_the_clock(owner, personas):
    from naikkelas.dashboard.home import home_for

    with time_machine.travel(MONDAY, tick=False):
        services.request_file(actor=personas["admin_pesawaran"], person=owner, kind="access")
        services.code_send(phone=KNOWN)
    officer = personas["admin_pesawaran"]

    def counts(moment):
        with time_machine.travel(moment, tick=False):
            tasks = {str(t.label): t.count for t in home_for(officer).tasks}
        return [tasks[k] for k in ("permintaan tentang data pribadi untuk dijawab",
                                   "di antaranya jatuh tempo dalam 24 jam atau terlambat",
                                   "pesan kepada warga menunggu dikirim")]  # fmt: skip

    assert counts(MONDAY + timedelta(hours=1)) == [1, 0, 1]
    assert counts(MONDAY + timedelta(hours=50)) == [1, 1, 1]  # 22 hours left
    assert counts(MONDAY + timedelta(hours=80)) == [1, 1, 1]  # late
    assert home_for(personas["admin_lamsel"]).tasks[-3].count == 0  # another regency's office
