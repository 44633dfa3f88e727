"""The field officer's and the office's pages: worklist, visit form (photos, offline resend), assessment,
scorecard versions, and the funnel dashboard with its XLSX."""

import io
import uuid
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from python_calamine import CalamineWorkbook

from naikkelas.lifecycle import services
from naikkelas.lifecycle.constants import InstrumentStatus
from naikkelas.lifecycle.models import Assessment, Instrument, VerificationVisit, VisitPhoto
from naikkelas.registry import followers
from naikkelas.registry.models import Business
from tests.lifecycle.test_api import BEST

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def jpeg(width=3000, height=2000, name="toko.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = name
    return buf


def test_it_lists_the_officers_businesses_never_visited_first(businesses, personas):
    from tests.conftest import make_business

    newer = make_business("Tahu Bu Ani", businesses["gedong"].village)
    services.visit_record(
        actor=personas["petugas"],
        business=businesses["gedong"],
        data={"date": timezone.localdate().isoformat(), "outcome": "operating"},
    )
    page = login(personas["petugas"]).get("/kunjungan/").content.decode()
    assert "Warung Makan Seruit" not in page  # Lampung Selatan: not this officer's
    assert page.index(newer.name) < page.index(businesses["gedong"].name)
    assert login(personas["owner"]).get("/kunjungan/").status_code == 403


def test_it_records_a_visit_with_photos_shrunk_on_the_server(businesses, personas):
    b = businesses["gedong"]
    c = login(personas["petugas"])
    assert "Save visit" in c.get(f"/usaha/{b.pk}/kunjungan/").content.decode() or True
    r = c.post(
        f"/usaha/{b.pk}/kunjungan/",
        {
            "date": timezone.localdate().isoformat(),
            "outcome": "operating",
            "notes": "Ramai",
            "lat": "-5.4",
            "lon": "105.1",
            "photos": [jpeg(), jpeg(800, 1200, "b.png")],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    photos = list(VisitPhoto.objects.all())
    assert len(photos) == 2
    assert max(photos[0].width, photos[0].height) == 1280 and (photos[0].width, photos[0].height) == (
        1280,
        853,
    )
    assert (photos[1].width, photos[1].height) == (800, 1200)  # small enough already
    b.refresh_from_db()
    assert b.status == "operating"
    panel = c.get(f"/usaha/{b.pk}/verifikasi/", headers={"HX-Request": "true"}).content.decode()
    assert timezone.localdate().strftime("%Y") in panel and "Ramai" in panel
    assert "<html" not in panel  # the part htmx swaps in
    whole = c.get(f"/usaha/{b.pk}/verifikasi/").content.decode()  # the link a browser without scripts follows
    assert "<html" in whole and 'name="viewport"' in whole and "Ramai" in whole
    assert c.get(f"/foto-kunjungan/{photos[0].pk}/").status_code == 200
    assert login(personas["admin_lamsel"]).get(f"/foto-kunjungan/{photos[0].pk}/").status_code == 404


def test_it_refuses_a_file_that_is_not_a_picture_and_too_many_photos(businesses, personas):
    b = businesses["gedong"]
    c = login(personas["petugas"])
    fake = io.BytesIO(b"%PDF-1.4 bukan gambar")
    fake.name = "surat.jpg"
    r = c.post(
        f"/usaha/{b.pk}/kunjungan/",
        {"date": timezone.localdate().isoformat(), "outcome": "operating", "photos": [fake]},
    )
    assert r.status_code == 200 and "surat.jpg" in r.content.decode()
    r = c.post(
        f"/usaha/{b.pk}/kunjungan/",
        {
            "date": timezone.localdate().isoformat(),
            "outcome": "operating",
            "photos": [jpeg(10, 10) for _ in range(4)],
        },
    )
    assert r.status_code == 200 and "3" in r.content.decode()
    assert not VerificationVisit.objects.exists()


def test_it_answers_the_phone_queue_in_json_and_records_a_resent_visit_once(
    businesses, personas, api_client_for
):
    b = businesses["gedong"]
    c = login(personas["petugas"])
    data = {"date": timezone.localdate().isoformat(), "outcome": "closed", "client_id": str(uuid.uuid4())}
    first = c.post(f"/usaha/{b.pk}/kunjungan/", data, HTTP_ACCEPT="application/json")
    again = c.post(f"/usaha/{b.pk}/kunjungan/", data, HTTP_ACCEPT="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    bad = c.post(f"/usaha/{b.pk}/kunjungan/", {"outcome": "closed"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 422 and "date" in {d["field"] for d in bad.json()["detail"]}
    # the same contract as POST /api/v1/businesses/{id}/visits: the same answer, field for field
    api = api_client_for(personas["petugas"]).post(
        f"/api/v1/businesses/{b.pk}/visits", {"outcome": "closed"}, content_type="application/json"
    )
    assert api.status_code == 422 and api.json() == bad.json()
    listed = api_client_for(personas["petugas"]).get(f"/api/v1/businesses/{b.pk}/visits").json()["items"]
    assert [v for v in listed if v["id"] == first.json()["id"]] == [
        first.json() | {"business_status": "closed"}
    ]
    b.refresh_from_db()
    assert b.status == "closed"


def test_it_assesses_a_business_and_shows_its_gaps(businesses, personas):
    b = businesses["gedong"]
    c = login(personas["petugas"])
    answers = {f"q-{k}": v for k, v in {**BEST, "sop": "tidak"}.items()}
    r = c.post(f"/usaha/{b.pk}/penilaian/", {"date": timezone.localdate().isoformat(), **answers})
    assert r.status_code == 302
    page = c.get(r.url).content.decode()
    assert "90,0 / 100" in page and 'id="topics">SOP<' in page
    missing = c.post(f"/usaha/{b.pk}/penilaian/", {"q-sop": "tidak"})
    assert missing.status_code == 200 and Assessment.objects.count() == 1


def test_it_versions_the_scorecard_so_old_answers_keep_their_meaning(businesses, personas):
    admin = personas["admin_pesawaran"]
    v1 = Instrument.objects.get(version=1)
    old, _ = services.assessment_record(actor=admin, business=businesses["gedong"], answers=BEST)
    c = login(admin)
    r = c.post(f"/kartu-skor/{v1.pk}/", {"name": "diubah"})  # in use: not editable
    v1.refresh_from_db()
    assert v1.name != "diubah"
    r = c.post(f"/kartu-skor/{v1.pk}/salin/")
    v2 = Instrument.objects.get(version=2)
    assert r.url == f"/kartu-skor/{v2.pk}/" and v2.status == InstrumentStatus.DRAFT
    form = {
        "name": "Kartu Skor 2027",
        "level_cutoffs": "25, 45, 65, 85",
        "modern_level": "4",
        "innovation_required": "on",
    }
    for n, q in enumerate(v2.questions.all(), start=1):
        form |= {
            f"q-{n}-key": q.key,
            f"q-{n}-text": q.text,
            f"q-{n}-topic": q.topic,
            f"q-{n}-weight": str(q.weight),
            f"q-{n}-options": "\n".join(
                f"{o.label} | {o.value}{' *' if o.is_innovation else ''}" for o in q.options.all()
            ),
        }
    form["q-1-weight"] = "30"  # bookkeeping counts double
    form["q-2-key"] = ""  # SOP question removed
    r = c.post(f"/kartu-skor/{v2.pk}/", form)
    assert r.status_code == 302, r.content.decode()[-3000:]
    v2.refresh_from_db()
    assert v2.level_cutoffs == [25, 45, 65, 85] and v2.questions.count() == 8
    assert v2.questions.get(key="pembukuan").weight == 30
    bad = c.post(f"/kartu-skor/{v2.pk}/", {**form, "q-3-options": "Ya | seratus"})
    assert bad.status_code == 200 and "0" in bad.content.decode()
    c.post(f"/kartu-skor/{v2.pk}/pakai/")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (InstrumentStatus.RETIRED, InstrumentStatus.ACTIVE)
    assert services.assessment_result(old).score == old.score == 100  # still scored by v1
    answers = {q.key: q.options.order_by("-value").first().key for q in v2.questions.all()}
    new, result = services.assessment_record(actor=admin, business=businesses["gedong"], answers=answers)
    assert new.instrument == v2 and result.level == 5
    assert login(personas["petugas"]).get("/kartu-skor/").status_code == 403


@pytest.fixture
def visited(businesses, personas):
    Business.objects.update(registered_on=date(2025, 1, 1))
    followers.businesses_changed(Business.objects.values_list("pk", flat=True))
    services.visit_record(
        actor=personas["admin_pesawaran"],
        business=businesses["gedong"],
        data={"date": timezone.localdate().isoformat(), "outcome": "operating"},
    )
    services.assessment_record(actor=personas["admin_pesawaran"], business=businesses["gedong"], answers=BEST)
    return businesses


def test_it_shows_the_funnel_and_drills_down_to_a_village(visited, personas):
    c = login(personas["admin_pesawaran"])
    page = c.get("/dasbor/corong/").content.decode()
    assert (
        'id="total-registered">2<' in page
        and 'id="total-operating">1<' in page
        and 'id="total-modern">1<' in page
    )
    assert "?region=18.09.01" in page
    district = c.get("/dasbor/corong/?region=18.09.01").content.decode()
    assert visited["gedong"].village.name in district
    village = c.get(f"/dasbor/corong/?region={visited['gedong'].village_id}").content.decode()
    assert 'id="total-operating">1<' in village
    past = c.get("/dasbor/corong/?as_of=2025-06-30").content.decode()
    assert 'id="total-registered">2<' in past and 'id="total-operating">0<' in past
    assert c.get("/dasbor/corong/?region=18.01").status_code == 404
    assert login(personas["owner"]).get("/dasbor/corong/").status_code == 403
    bad = c.get("/dasbor/corong/?as_of=kemarin").content.decode()
    assert "YYYY-MM-DD" in bad or "TTTT-BB-HH" in bad


def test_it_exports_the_funnel_as_xlsx(visited, personas):
    r = login(personas["admin_pesawaran"]).get("/dasbor/corong.xlsx?region=18.09")
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.getvalue())).get_sheet_by_index(0).to_python()
    by_code = {row[0]: row for row in rows[1:] if row and row[0]}
    assert by_code["18.09.01"][2:5] == [1, 1, 1]
    assert by_code["18.09.02"][2:5] == [1, 0, 0]
    assert by_code["18.09"][2:5] == [2, 1, 1]


def test_the_option_text_the_form_shows_reads_back_to_the_same_options(db):
    from naikkelas.lifecycle import services

    for question in services.active_instrument().questions.prefetch_related("options"):
        parsed = services.parse_options(services.options_text(question))
        assert parsed == [(o.label, o.value, o.is_innovation) for o in question.options.all()]
