"""A participant registers on a phone and shows their code at the door; the coordinator checks them in; a member
of the public checks a certificate (and a forged one)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from naikkelas.accounts.constants import Role
from naikkelas.regions.models import Region
from naikkelas.training import services
from naikkelas.training.models import Programme, Registration
from tests.conftest import make_user
from tests.e2e.conftest import PHONE
from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


def test_it_takes_a_participant_from_registration_to_a_verified_certificate(
    browser, e2e_regions, live_server
):
    coordinator = make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    cohort = services.cohort_create(
        actor=coordinator,
        programme=Programme.objects.get(topic="pembukuan"),
        data={"region": "18.09", "starts_on": timezone.localdate().isoformat(), "capacity": 20},
    )
    session = services.session_add(
        actor=coordinator, cohort=cohort, title="Sesi 1", starts_at=timezone.now() + timedelta(hours=1)
    )

    phone = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True)
    p = phone.new_page()
    p.set_default_timeout(15_000)
    p.goto(f"{live_server.url}/daftar/{cohort.registration_token}/")
    p.fill("input[name=name]", "Tini Suryani")
    p.fill("input[name=phone]", "0812-3456-7890")
    p.click("#register-form button[type=submit]")
    p.wait_for_selector("#code")
    code = p.inner_text("#code")
    assert len(code) == 8 and p.locator(f"img[alt='{code}']").count() == 1  # the QR to show at the door
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desk = browser.new_context(locale="id-ID")
    d = desk.new_page()
    d.set_default_timeout(15_000)
    log_in(d, live_server, "admin.pesawaran")
    d.goto(f"{live_server.url}/pelatihan/sesi/{session.pk}/absen/")
    d.fill("#code", code.lower())
    d.click("#checkin-form button[type=submit]")
    d.wait_for_selector("#result")
    assert "Tini Suryani tercatat hadir" in d.inner_text("#result")
    assert "Tini Suryani" in d.inner_text("#present")

    registration = Registration.objects.get(code=code)
    questions = {str(q.pk): str(q.correct) for q in cohort.programme.questions.all()}
    services.take_test(registration=registration, kind="post", answers=questions)
    certificate = services.certificates_issue(actor=coordinator, cohort=cohort)[0]
    p.reload()
    assert p.locator("#certificate").count() == 1  # the participant's page now offers the certificate
    url = f"{live_server.url}/sertifikat/{certificate.number}/?s={services.certificate_signature(certificate.number)}"
    reader = browser.new_context(locale="id-ID", viewport=PHONE)
    public = reader.new_page()
    public.goto(url)
    assert public.inner_text("#verdict") == "Sah" and public.inner_text("#holder") == "Tini Suryani"
    public.goto(url[:-4] + "beef")  # a forged code
    assert "Tidak sah" in public.inner_text("#verdict")
    for context in (phone, desk, reader):
        context.close()
