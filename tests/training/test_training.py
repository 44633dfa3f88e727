"""A training coordinator runs a bookkeeping cohort: invites the businesses with the gap, people register on
their phones (a waiting list when full), check in by code, take tests, and get certificates anyone can check."""

import io
import zipfile
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from naikkelas.lifecycle import services as lifecycle
from naikkelas.privacy.models import Consent
from naikkelas.training import selectors, services
from naikkelas.training.models import Programme, RegistrationStatus
from tests.lifecycle.test_api import BEST

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(personas):
    programme = Programme.objects.get(topic="pembukuan")
    c = services.cohort_create(
        actor=personas["admin_pesawaran"],
        programme=programme,
        data={
            "region": "18.09",
            "starts_on": timezone.localdate().isoformat(),
            "capacity": "2",
            "budget": "6.000.000",
            "name": "Pembukuan Angkatan 1",
        },
    )
    for n in range(2):
        services.session_add(
            actor=personas["admin_pesawaran"],
            cohort=c,
            title=f"Sesi {n + 1}",
            starts_at=timezone.now() + timedelta(days=n),
        )
    return c


def test_it_keeps_cohorts_inside_the_coordinators_area(personas):
    programme = Programme.objects.get(topic="pembukuan")
    with pytest.raises(ValidationError):
        services.cohort_create(
            actor=personas["admin_pesawaran"],
            programme=programme,
            data={"region": "18.01", "starts_on": "2026-12-01", "capacity": 10},
        )


def test_it_ranks_the_businesses_whose_assessment_shows_the_gap(cohort, businesses, personas):
    officer = personas["admin_pesawaran"]
    lifecycle.assessment_record(
        actor=officer, business=businesses["gedong"], answers={**BEST, "pembukuan": "tidak"}
    )
    lifecycle.assessment_record(
        actor=officer, business=businesses["pesawaran_other"], answers={**BEST, "pembukuan": "catat"}
    )
    lifecycle.assessment_record(  # the province's officer: Lampung Selatan is outside Pesawaran's area
        actor=personas["admin_lampung"], business=businesses["lamsel"], answers={**BEST, "pembukuan": "tidak"}
    )  # not in 18.09
    ranked = selectors.candidates(user=officer, cohort=cohort)
    assert [c.business for c in ranked] == [businesses["gedong"], businesses["pesawaran_other"]]
    assert ranked[0].lost == 15 and ranked[1].lost == 7.5
    businesses["gedong"].owner.phone = "+6281234567890"
    assert (
        selectors.whatsapp_invitation(cohort, businesses["gedong"], "https://x/daftar/abc/") is None
    )  # no consent
    Consent.objects.create(
        person=businesses["gedong"].owner, purpose="whatsapp_contact", given_at=timezone.now()
    )
    link = selectors.whatsapp_invitation(cohort, businesses["gedong"], "https://x/daftar/abc/")
    assert link.startswith("https://wa.me/6281234567890?text=") and "https://x/daftar/abc/" in unquote(link)


def test_it_registers_people_with_a_waiting_list_and_no_double_registration(cohort, businesses):
    c = Client()
    url = f"/daftar/{cohort.registration_token}/"
    for name, phone in (("Siti", "0812-1111-2222"), ("Budi", "081311112222"), ("Ani", "0814 1111 2222")):
        assert c.post(url, {"name": name, "phone": phone}).status_code == 302
    again = c.post(url, {"name": "Siti R.", "phone": "+62 812 1111 2222"})
    assert again.status_code == 200 and "Siti" in again.content.decode()
    statuses = {r.person.name: r.status for r in cohort.registrations.select_related("person")}
    assert statuses == {"Siti": "registered", "Budi": "registered", "Ani": "waitlisted"}
    moved = services.cancel(
        actor=cohort.created_by, registration=cohort.registrations.get(person__name="Budi")
    )
    assert moved.person.name == "Ani" and moved.status == RegistrationStatus.REGISTERED
    bad = c.post(url, {"name": "", "phone": "12"})
    assert bad.status_code == 200 and cohort.registrations.count() == 3
    sneaky = c.post(
        url, {"name": "Orang Lain", "phone": "081599998888", "business_id": businesses["gedong"].pk}
    )
    assert sneaky.status_code == 302
    assert (
        cohort.registrations.get(person__phone="+6281599998888").person.name == "Orang Lain"
    )  # not business 1's owner


def test_it_checks_in_by_code_tests_and_certifies_and_anyone_can_verify(cohort, personas, monkeypatch):
    officer = Client()
    officer.force_login(personas["admin_pesawaran"])
    siti = services.register(cohort=cohort, data={"name": "Siti", "phone": "081211112222"})
    budi = services.register(cohort=cohort, data={"name": "Budi", "phone": "081311112222"})
    waiting = services.register(cohort=cohort, data={"name": "Ani", "phone": "081411112222"})
    s1, s2 = cohort.sessions.all()
    page = officer.post(f"/pelatihan/sesi/{s1.pk}/absen/", {"code": siti.code.lower()}).content.decode()
    assert "Siti" in page and 'class="badge operating"' in page
    again = officer.post(f"/pelatihan/sesi/{s1.pk}/absen/", {"code": siti.code}).content.decode()
    assert 'class="badge registered"' in again
    assert "ZZZZ" in officer.post(f"/pelatihan/sesi/{s1.pk}/absen/", {"code": "ZZZZ"}).content.decode()
    assert "Ani" in officer.post(f"/pelatihan/sesi/{s1.pk}/absen/", {"code": waiting.code}).content.decode()
    services.check_in(actor=personas["admin_pesawaran"], session=s2, code=siti.code)
    services.check_in(actor=personas["admin_pesawaran"], session=s1, code=budi.code)  # 1 of 2: below 75 %
    questions = list(cohort.programme.questions.all())
    participant = Client()
    pre = {f"q-{q.pk}": "2" for q in questions}
    participant.post(f"/peserta/{siti.token}/tes/pre/", pre)
    right = {f"q-{q.pk}": str(q.correct) for q in questions}
    participant.post(f"/peserta/{siti.token}/tes/post/", right)
    services.take_test(registration=budi, kind="post", answers={str(q.pk): str(q.correct) for q in questions})
    with pytest.raises(ValidationError):
        services.take_test(registration=budi, kind="post", answers={})
    assert siti.tests.get(kind="pre").score < siti.tests.get(kind="post").score == 100
    officer.post(f"/pelatihan/angkatan/{cohort.pk}/terbitkan-sertifikat/")
    siti.refresh_from_db()
    certificate = siti.certificate
    assert cohort.registrations.filter(certificate__isnull=False).count() == 1  # Budi missed a session
    # The cohort page's three-query completions agree with completion() of each participant.
    each = {r.pk: services.completion(r) for r in cohort.registrations.all()}
    assert (
        services.completions(cohort) == each and each[siti.pk]["complete"] and not each[budi.pk]["complete"]
    )
    pdf = participant.get(f"/peserta/{siti.token}/sertifikat.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    good = services.certificate_signature(certificate.number)
    public = Client()
    assert (
        'id="verdict" class="badge operating"'
        in public.get(f"/sertifikat/{certificate.number}/?s={good}").content.decode()
    )
    # Printed whole: the page and the code apart (the QR holds both), to type on a phone.
    from django.test import RequestFactory

    from naikkelas.training.views import _certificate_html

    printed = _certificate_html(RequestFactory().get("/"), certificate)
    assert f"http://testserver/sertifikat/{certificate.number}/</span>" in printed and good in printed
    assert "…" not in printed
    asked = public.get(f"/sertifikat/{certificate.number}/").content.decode()  # the code left off
    assert 'name="s"' in asked and "Tidak sah" not in asked and "kode" in asked.lower()
    assert certificate.registration.person.name not in asked  # the holder only with the code
    typed = public.get(f"/sertifikat/{certificate.number}/?s=%20{good.upper()}%20").content.decode()
    assert 'id="verdict" class="badge operating"' in typed  # typed by hand, in capitals, with spaces
    forged = public.get(f"/sertifikat/{certificate.number}/?s=0000000000000000").content.decode()
    assert "Invalid" in forged or "Tidak sah" in forged or "tidak" in forged.lower()
    assert 'class="badge operating"' not in forged
    assert (
        'class="badge operating"' not in public.get(f"/sertifikat/NK-2026-999999/?s={good}").content.decode()
    )
    officer.post(f"/pelatihan/angkatan/{cohort.pk}/cabut/{certificate.number}/", {"reason": "data salah"})
    revoked = public.get(f"/sertifikat/{certificate.number}/?s={good}").content.decode()
    assert "data salah" in revoked and 'class="badge operating"' not in revoked
    bundle = officer.get(f"/pelatihan/angkatan/{cohort.pk}/sertifikat.zip")
    names = zipfile.ZipFile(io.BytesIO(bundle.getvalue())).namelist()
    assert names == [f"{certificate.number}.pdf"]
    import weasyprint  # the certificates are drawn once: a second ZIP comes from the cache

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda *a, **k: pytest.fail("drawn again"))
    again = officer.get(f"/pelatihan/angkatan/{cohort.pk}/sertifikat.zip")
    assert zipfile.ZipFile(io.BytesIO(again.getvalue())).namelist() == names
    outsider = Client()
    outsider.force_login(personas["admin_lamsel"])
    assert outsider.get(f"/pelatihan/angkatan/{cohort.pk}/").status_code == 404


def test_it_estimates_a_programmes_effect_on_revenue_from_the_records(personas, villages):
    import random

    from naikkelas.performance.models import Kpi, MonthlyReport, ReportValue
    from naikkelas.performance.selectors import add_months
    from naikkelas.training.impact import programme_impact
    from naikkelas.training.models import Certificate, Registration
    from tests.conftest import make_business

    admin = personas["admin_pesawaran"]
    start = add_months(timezone.localdate().replace(day=1), -8)
    programme = Programme.objects.get(topic="pembukuan")
    cohort = services.cohort_create(
        actor=admin,
        programme=programme,
        data={"region": "18.09", "starts_on": start.isoformat(), "capacity": 10},
    )
    omzet = Kpi.objects.get(key="omzet")
    rng = random.Random(4)
    for n in range(30):
        b = make_business(f"Usaha {n}", villages["gedong"], sector="Kuliner", size_class="mikro")
        treated = n < 10
        if treated:
            r = Registration.objects.create(cohort=cohort, person=b.owner, business=b, status="registered")
            Certificate.objects.create(registration=r, number=f"NK-T-{n}", issued_on=start)
        base = rng.uniform(2_000_000, 4_000_000)
        for i in (-3, -2, -1):
            rep = MonthlyReport.objects.create(business=b, month=add_months(start, i), source="officer")
            ReportValue.objects.create(report=rep, kpi=omzet, value=round(base + rng.gauss(0, 50_000)))
        rep = MonthlyReport.objects.create(business=b, month=add_months(start, 6), source="officer")
        gain = 300_000 + (1_000_000 if treated else 0) + rng.gauss(0, 80_000)
        ReportValue.objects.create(report=rep, kpi=omzet, value=round(base + gain))
    est = programme_impact(programme=programme, user=admin, outcome="revenue", months=6)
    assert (est.treated, est.controls) == (10, 20)
    assert est.low < 1_000_000 < est.high and est.low > 0 and est.enough and est.significant
    assert (
        programme_impact(programme=programme, user=admin, outcome="revenue", months=12).effect is None
    )  # not yet
    page = Client()
    page.force_login(admin)
    body = page.get(f"/pelatihan/program/{programme.pk}/dampak/").content.decode()
    assert 'id="effect-revenue-6"' in body and 'id="impact-data"' in body
    sheet = page.get(f"/pelatihan/program/{programme.pk}/dampak/?format=xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxml")


def test_it_serves_programmes_cohorts_registrations_and_attendance_over_the_api(
    personas, businesses, api_client_for
):
    import json

    admin = api_client_for(personas["admin_pesawaran"])
    programmes = admin.get("/api/v1/training/programmes").json()["items"]
    bookkeeping = next(p for p in programmes if p["topic"] == "pembukuan")
    r = admin.post(
        "/api/v1/training/cohorts",
        json.dumps(
            {
                "programme": bookkeeping["id"],
                "region": "18.09",
                "starts_on": timezone.localdate().isoformat(),
                "capacity": 1,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    cohort_id = r.json()["id"]
    out = admin.post(
        "/api/v1/training/cohorts",
        json.dumps(
            {"programme": bookkeeping["id"], "region": "18.01", "starts_on": "2026-12-01", "capacity": 1}
        ),
        content_type="application/json",
    )
    assert out.status_code == 422
    url = f"/api/v1/training/cohorts/{cohort_id}/registrations"
    first = admin.post(
        url,
        json.dumps({"business_id": businesses["gedong"].pk, "phone": "081234567890"}),
        content_type="application/json",
    )
    second = admin.post(
        url, json.dumps({"name": "Budi", "phone": "081311112222"}), content_type="application/json"
    )
    assert (first.json()["status"], second.json()["status"]) == ("registered", "waitlisted")
    twice = admin.post(
        url, json.dumps({"name": "Budi", "phone": "0813-1111-2222"}), content_type="application/json"
    )
    assert twice.status_code == 422
    from naikkelas.training.models import Cohort

    session = services.session_add(
        actor=personas["admin_pesawaran"],
        cohort=Cohort.objects.get(pk=cohort_id),
        title="Sesi 1",
        starts_at=timezone.now(),
    )
    code = first.json()["code"]
    check = f"/api/v1/training/sessions/{session.pk}/attendance"
    assert admin.post(check, json.dumps({"code": code}), content_type="application/json").status_code == 201
    assert admin.post(check, json.dumps({"code": code}), content_type="application/json").status_code == 200
    assert admin.post(check, json.dumps({"code": "XXXX"}), content_type="application/json").status_code == 422
    assert admin.get(url).json()["items"][0]["attended"] == 1
    owner = api_client_for(personas["owner"])
    assert owner.get("/api/v1/training/cohorts").status_code == 403
    assert api_client_for(personas["admin_lamsel"]).get(url).status_code == 404


def test_it_sums_up_training_by_topic_with_who_moved_up_and_what_it_cost(cohort, businesses, personas):
    from datetime import date

    from naikkelas.lifecycle.models import Assessment, Instrument
    from naikkelas.training.models import Certificate

    b = businesses["gedong"]
    b.owner.gender = "P"
    b.owner.save()
    instrument = Instrument.objects.get(version=1)
    Assessment.objects.create(
        business=b, instrument=instrument, assessed_on=date(2020, 1, 1), score=30, level=2
    )
    Assessment.objects.create(
        business=b, instrument=instrument, assessed_on=timezone.localdate(), score=70, level=4
    )
    r = services.register(
        cohort=cohort,
        data={"business_id": b.pk, "name": b.owner.name, "phone": "081234567890"},
        actor=personas["admin_pesawaran"],
        source="officer",
    )
    Certificate.objects.create(registration=r, number="NK-X-1", issued_on=timezone.localdate())
    services.register(cohort=cohort, data={"name": "Budi", "phone": "081311112222"})
    rows = selectors.training_summary(user=personas["admin_pesawaran"])
    s = next(x for x in rows if x.label == "Pembukuan")
    assert (s.registered, s.completed, s.women, s.men, s.businesses, s.moved_up) == (2, 1, 1, 0, 1, 1)
    assert s.cost_per_participant == 6_000_000 and s.cost_per_mover == 6_000_000
    c = Client()
    c.force_login(personas["admin_pesawaran"])
    assert "Pembukuan" in c.get("/pelatihan/ringkasan/").content.decode()
    assert c.get("/pelatihan/ringkasan/?by=region&format=xlsx")["Content-Type"].startswith(
        "application/vnd.openxml"
    )


def test_it_lets_an_admin_add_a_programme_and_its_test(personas):
    c = Client()
    c.force_login(personas["admin_pesawaran"])
    bad = c.post("/pelatihan/program/baru/", {"name": "", "topic": "Pemasaran Digital!"})
    assert bad.status_code == 200 and not Programme.objects.filter(name="").exists()
    r = c.post(
        "/pelatihan/program/baru/",
        {"name": "Fotografi produk", "topic": "pemasaran-digital", "audience": "umkm"},
    )
    programme = Programme.objects.get(name="Fotografi produk")
    assert r.url == f"/pelatihan/program/{programme.pk}/"
    c.post(
        r.url + "soal/",
        {
            "text": "Cahaya terbaik untuk foto produk?",
            "options": "Lampu kilat langsung\nCahaya alami dari jendela\nGelap",
            "correct": "2",
        },
    )
    wrong = c.post(r.url + "soal/", {"text": "x", "options": "a\nb", "correct": "3"}, follow=True)
    assert wrong.status_code == 200 and 'class="error"' in wrong.content.decode()
    q = programme.questions.get()
    assert q.options[q.correct] == "Cahaya alami dari jendela"
    officer = Client()
    officer.force_login(personas["petugas"])
    assert officer.get("/pelatihan/program/baru/").status_code == 403


def test_it_shows_a_kpi_by_training_cohort(cohort, businesses, personas):
    from naikkelas.performance import services as performance
    from naikkelas.performance.models import Kpi
    from naikkelas.performance.selectors import add_months

    month = add_months(timezone.localdate().replace(day=1), -1)
    services.register(
        cohort=cohort,
        data={"business_id": businesses["gedong"].pk, "name": "Siti", "phone": "081234567890"},
        actor=personas["admin_pesawaran"],
        source="officer",
    )
    performance.report_save(
        actor=personas["admin_pesawaran"],
        business=businesses["gedong"],
        month=month,
        values={"omzet": 4_000_000},
        source="officer",
    )
    performance.report_save(
        actor=personas["admin_pesawaran"],
        business=businesses["pesawaran_other"],
        month=month,
        values={"omzet": 9_000_000},
        source="officer",
    )  # not a participant
    rows = selectors.kpi_by_cohort(
        user=personas["admin_pesawaran"], kpi=Kpi.objects.get(key="omzet"), month=month
    )
    assert [(r.n, r.median) for r in rows] == [(1, 4_000_000)]
    c = Client()
    c.force_login(personas["admin_pesawaran"])
    assert "Pembukuan Angkatan 1" in c.get(f"/pelatihan/kpi/?kpi=omzet&bulan={month:%Y-%m}").content.decode()


def test_it_emails_the_invitation_to_owners_with_an_address(cohort, businesses, personas):
    from django.core import mail

    officer = personas["admin_pesawaran"]
    for key, email in (("gedong", "siti@contoh.id"), ("pesawaran_other", "")):
        owner = businesses[key].owner
        owner.email = email
        owner.save()
        lifecycle.assessment_record(
            actor=officer, business=businesses[key], answers={**BEST, "pembukuan": "tidak"}
        )
    c = Client()
    c.force_login(officer)
    c.post(f"/pelatihan/angkatan/{cohort.pk}/undang-email/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["siti@contoh.id"]
    assert f"/daftar/{cohort.registration_token}/" in mail.outbox[0].body


def test_it_keeps_an_owners_email_from_the_business_form(businesses, personas):
    from naikkelas.registry import services as registry

    b = businesses["gedong"]
    registry.business_update(
        actor=personas["admin_pesawaran"], business=b, data={"owner_email": "Siti@Contoh.ID"}
    )
    b.owner.refresh_from_db()
    assert b.owner.email == "siti@contoh.id"
    with pytest.raises(ValidationError) as err:
        registry.business_update(
            actor=personas["admin_pesawaran"], business=b, data={"owner_email": "siti at contoh"}
        )
    assert "owner_email" in err.value.message_dict


def test_it_adds_a_session_from_the_cohort_page_and_names_a_bad_start(cohort, personas):
    c = Client()
    c.force_login(personas["admin_pesawaran"])
    url = f"/pelatihan/angkatan/{cohort.pk}/sesi/"
    bad = c.post(url, {"title": "Sesi 3", "starts_at": "besok pagi"})
    assert bad.status_code == 200 and str(services.START_INVALID) in bad.content.decode()
    assert c.post(url, {"title": "Sesi 3", "starts_at": "2026-12-01T09:00"}).status_code == 302
    assert cohort.sessions.filter(title="Sesi 3", starts_at__date=date(2026, 12, 1)).exists()
    stranger = Client()
    stranger.force_login(personas["admin_lamsel"])
    assert stranger.post(url, {"title": "x", "starts_at": "2026-12-01T09:00"}).status_code == 404
    assert c.get(url).status_code == 405


def test_a_session_is_found_only_within_the_users_cohorts(cohort, personas):
    from django.http import Http404

    session = cohort.sessions.first()
    assert selectors.session_get_for_user(user=personas["admin_pesawaran"], pk=session.pk) == session
    for pk in (session.pk, "x", None):
        with pytest.raises(Http404):
            selectors.session_get_for_user(user=personas["admin_lamsel"], pk=pk)
