"""The lifecycle API as a field officer's phone and an admin's dashboard use it: visits, assessments, funnel."""

import json
import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from naikkelas.core.models import AuditLog
from naikkelas.lifecycle import services
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.registry import followers
from naikkelas.registry.models import Business, StatusChange

pytestmark = pytest.mark.django_db

BEST = {
    "pembukuan": "pisah", "sop": "tertulis", "kpi": "bulanan", "pemasaran_digital": "marketplace",
    "kemasan_merek": "menarik", "inovasi_produk": "ya", "legalitas": "lengkap", "pembayaran_digital": "qris",
    "pelatihan_sdm": "rutin",
}  # fmt: skip


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def messages(response) -> list[str]:
    return [d["message"] for d in response.json()["detail"]]


def id_(text) -> str:
    with translation.override("id"):
        return str(text)


@pytest.fixture
def officer(personas, api_client_for):
    return api_client_for(personas["petugas"])


def test_it_records_a_visit_and_the_business_becomes_operating(businesses, officer, personas):
    b = businesses["gedong"]
    today = timezone.localdate()
    r = post(
        officer,
        f"/api/v1/businesses/{b.pk}/visits",
        {
            "date": today.isoformat(),
            "outcome": "operating",
            "notes": "Produksi jalan",
            "lat": -5.41,
            "lon": 105.1,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["business_status"] == "operating" and body["lat"] == -5.41
    change = StatusChange.objects.get(business=b, status="operating")
    assert change.previous == "registered" and change.actor == personas["petugas"]
    assert AuditLog.objects.filter(
        object_type="lifecycle.verificationvisit", actor=personas["petugas"]
    ).exists()
    f = officer.get("/api/v1/dashboard/funnel?region=18.09.01").json()
    assert (f["registered"], f["operating"], f["modern"]) == (1, 1, 0)


def test_it_records_a_visit_sent_twice_from_an_offline_phone_once(businesses, officer):
    b = businesses["gedong"]
    body = {"date": timezone.localdate().isoformat(), "outcome": "operating", "client_id": str(uuid.uuid4())}
    first = post(officer, f"/api/v1/businesses/{b.pk}/visits", body)
    again = post(officer, f"/api/v1/businesses/{b.pk}/visits", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert VerificationVisit.objects.filter(business=b).count() == 1


def test_it_explains_bad_visits_in_indonesian_and_records_nothing(businesses, officer):
    b = businesses["gedong"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = post(officer, f"/api/v1/businesses/{b.pk}/visits", {"date": tomorrow, "outcome": "buka", "lat": 200})
    assert r.status_code == 422
    got = messages(r)
    assert id_(services.DATE_FUTURE) in got
    assert id_(services.OUTCOME_INVALID) in got
    assert any(m.startswith("Lintang") for m in got), got
    r = post(officer, f"/api/v1/businesses/{b.pk}/visits", {"date": "2026-13-01", "outcome": "closed"})
    assert messages(r) == [id_(services.DATE_INVALID)]
    today = timezone.localdate().isoformat()
    r = post(officer, f"/api/v1/businesses/{b.pk}/visits", {"date": today, "outcome": "closed", "lat": 1})
    assert messages(r) == [id_(services.COORDINATES_PAIR)]
    assert not VerificationVisit.objects.exists()


def test_it_keeps_visits_within_scope(businesses, officer, personas, api_client_for):
    body = {"date": timezone.localdate().isoformat(), "outcome": "operating"}
    assert post(officer, f"/api/v1/businesses/{businesses['lamsel'].pk}/visits", body).status_code == 404
    owner = api_client_for(personas["owner"])
    assert post(owner, f"/api/v1/businesses/{businesses['gedong'].pk}/visits", body).status_code == 403
    assert owner.get("/api/v1/dashboard/funnel").status_code == 403
    assert officer.get("/api/v1/dashboard/funnel?region=18.01").status_code == 404
    assert (
        officer.get("/api/v1/dashboard/funnel?region=18.09").status_code == 404
    )  # an officer: districts only


def test_it_scores_an_assessment_and_a_modern_business_becomes_modern(businesses, officer):
    b = businesses["gedong"]
    url = f"/api/v1/businesses/{b.pk}/"
    post(officer, url + "visits", {"date": timezone.localdate().isoformat(), "outcome": "operating"})
    r = post(officer, url + "assessments", {"answers": BEST})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["score"], body["level"], body["modern"], body["gaps"]) == (100.0, 5, True, [])
    assert body["business_status"] == "modern"
    weaker = {**BEST, "inovasi_produk": "tidak", "pemasaran_digital": "medsos", "pembukuan": "catat"}
    body = post(officer, url + "assessments", {"answers": weaker}).json()
    # innovation (15) lost whole, digital marketing (15) and bookkeeping (15) half: 100 - 15 - 7.5 - 7.5
    assert (body["score"], body["level"], body["innovation"], body["modern"]) == (70.0, 4, False, False)
    assert [g["question"] for g in body["gaps"]] == ["inovasi_produk", "pembukuan", "pemasaran_digital"]
    assert body["recommended_topics"] == ["inovasi-produk", "pembukuan", "pemasaran-digital"]
    assert body["business_status"] == "operating"
    f = officer.get("/api/v1/dashboard/funnel?region=18.09.01").json()
    assert (f["registered"], f["operating"], f["modern"]) == (1, 1, 0)


def test_it_refuses_incomplete_or_unknown_answers(businesses, officer):
    url = f"/api/v1/businesses/{businesses['gedong'].pk}/assessments"
    r = post(officer, url, {"answers": {**BEST, "sop": "kadang", "warna": "hijau"}})
    assert r.status_code == 422
    got = messages(r)
    assert any("“kadang”" in m for m in got) and any("“warna”" in m for m in got)
    answers = dict(BEST)
    del answers["kpi"]
    assert any(m.endswith("pilih jawaban.") for m in messages(post(officer, url, {"answers": answers})))


def test_it_gives_the_funnel_of_a_region_with_its_children(businesses, personas, api_client_for):
    admin = api_client_for(personas["admin_pesawaran"])
    Business.objects.update(registered_on=date(2025, 1, 1))
    followers.businesses_changed(Business.objects.values_list("pk", flat=True))
    for key in ("gedong", "pesawaran_other"):
        services.visit_record(
            actor=personas["admin_pesawaran"],
            business=businesses[key],
            data={"date": timezone.localdate().isoformat(), "outcome": "operating"},
        )
    body = admin.get("/api/v1/dashboard/funnel").json()
    assert body["region"] == "18.09" and body["as_of"] == timezone.localdate().isoformat()
    assert (body["registered"], body["operating"], body["modern"]) == (2, 2, 0)
    by = {c["code"]: c for c in body["by_child"]}
    assert by["18.09.01"]["operating"] == 1 and by["18.09.02"]["operating"] == 1
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    past = admin.get(f"/api/v1/dashboard/funnel?as_of={yesterday}").json()
    assert (past["registered"], past["operating"]) == (2, 0)
    r = admin.get("/api/v1/dashboard/funnel?as_of=kemarin")
    assert r.status_code == 422
    assert admin.get("/api/v1/dashboard/funnel?size_class=raksasa").status_code == 422
    assert admin.get("/api/v1/dashboard/funnel?region=18.01").status_code == 404
    mikro = admin.get("/api/v1/dashboard/funnel?size_class=kecil").json()
    assert mikro["registered"] == 0


def test_it_refuses_a_visit_dated_before_the_business_was_registered(businesses, officer):
    b = businesses["gedong"]
    b.registered_on = date(2025, 1, 10)
    b.save()
    r = post(officer, f"/api/v1/businesses/{b.pk}/visits", {"date": "2025-01-09", "outcome": "operating"})
    assert messages(r) == [id_(services.DATE_BEFORE_REGISTRATION) % {"day": "10/01/2025"}]
