"""Retention (UU 27/2022): per record type a period and its reason; a dry run first, then what is due goes (the
audit trail keeps the fact of a change, not its values); a summary of every run."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from naikkelas.core import outbox
from naikkelas.core.models import AuditLog, OutboxMessage
from naikkelas.privacy import retention, services
from naikkelas.privacy.models import Consent, DataRequest, PhoneCode, RetentionRun

JAKARTA = ZoneInfo("Asia/Jakarta")
THEN = datetime(2020, 1, 6, 9, 0, tzinfo=JAKARTA)
NOW = datetime(2031, 1, 6, 9, 0, tzinfo=JAKARTA)  # eleven years on: everything of THEN is past its period


@pytest.fixture
def history(businesses, personas):
    owner, officer = businesses["gedong"].owner, personas["admin_pesawaran"]
    owner.phone = "+6281234567890"
    owner.save()
    with time_machine.travel(THEN, tick=False):
        services.consent_give(actor=officer, person=owner, purpose="whatsapp_contact")
        services.consent_withdraw(actor=officer, person=owner, purpose="whatsapp_contact")
        request = services.request_file(actor=officer, person=owner, kind="access")
        services.request_decide(actor=officer, request=request, done=True, decision="Sudah diberikan.")
        services.code_send(phone="081234567890")
        outbox.queue(to=owner.phone, text="Jawaban", purpose="privacy_answer")
    with time_machine.travel(NOW - timedelta(hours=2), tick=False):  # recent: kept
        services.consent_give(actor=officer, person=owner, purpose="catalogue_contact")
        services.request_file(actor=officer, person=owner, kind="copy")
        services.code_send(phone="081234567890")
    return owner


def _counts():
    return {
        "codes": PhoneCode.objects.count(), "outbox": OutboxMessage.objects.count(),
        "requests": DataRequest.objects.count(), "consents": Consent.objects.count(),
        "audit_with_values": AuditLog.objects.exclude(before=None, after=None).count(),
        "audit": AuditLog.objects.count(),
    }  # fmt: skip


@pytest.mark.django_db
def test_a_dry_run_first_then_what_is_due_goes_and_the_facts_stay(history):
    before = _counts()
    with time_machine.travel(NOW, tick=False):
        first = retention.run(apply=True)  # no dry run yet on this server: this one is
        assert first.dry_run and first.asked_to_apply and _counts() == before
        assert first.counts == {"phone_codes": 1, "outbox": 2, "data_requests": 1, "withdrawn_consents": 1,
                                "audit_values": first.counts["audit_values"]}  # fmt: skip
        assert first.counts["audit_values"] > 0
        done = retention.run(apply=True)
    after = _counts()
    assert not done.dry_run and done.counts == first.counts
    assert after["codes"] == before["codes"] - 1 and after["outbox"] == before["outbox"] - 2
    assert after["requests"] == before["requests"] - 1 and after["consents"] == before["consents"] - 1
    assert DataRequest.objects.get().kind == "copy"  # the open, recent one stays
    assert Consent.objects.get().purpose == "catalogue_contact"
    assert after["audit"] == before["audit"]  # every fact of the trail is kept...
    old = AuditLog.objects.filter(at__lt=NOW - timedelta(days=3650))
    assert old.exists() and not old.exclude(before=None, after=None).exists()  # ...without its values
    assert RetentionRun.objects.count() == 2


@pytest.mark.django_db
def test_the_command_says_what_it_would_do_and_periods_are_settings(history, settings, capsys):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "data_requests": 365 * 20}
    with time_machine.travel(NOW, tick=False):
        call_command("retention")
    out = capsys.readouterr().out
    assert (
        "Uji coba: tidak ada yang dihapus" in out
        and "Permintaan tentang data pribadi yang sudah dijawab: 0" in out
    )
    assert DataRequest.objects.count() == 2


@pytest.mark.django_db
def test_the_register_shows_the_periods_and_the_last_run(history, personas, client):
    with time_machine.travel(NOW, tick=False):
        retention.run(apply=False)
    client.force_login(personas["petugas"])
    page = client.get("/privasi/register/").content.decode()
    assert (
        'id="rule-audit_values"' in page and "3.650 hari" in page and "Terakhir dijalankan (uji coba)" in page
    )
