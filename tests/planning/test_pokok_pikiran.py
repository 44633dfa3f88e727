"""The DPRD's points (pokok pikiran): recorded by the office with the indicators that answer them; the page and the
API show each point with those indicators' values in the region; bad input named by field; scope kept."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import floatformat
from django.test import Client
from django.utils import translation

from naikkelas.planning import services
from naikkelas.planning.demo import BANTEN_POINTS, demo_planning
from naikkelas.planning.indicators import BY_CODE
from naikkelas.planning.models import PokokPikiran

POINT = {"region": "18.09", "number": "3", "given_on": "12/03/2025", "komisi": "Komisi II",
         "forum": "Forum Renja 2025", "text": "Melakukan pengawasan terhadap koperasi.",
         "indicator_codes": ["kop-02", "KOP-03", "KOP-02"]}  # fmt: skip


def test_a_point_shows_the_values_of_the_indicators_that_answer_it(office_records, personas, api_client_for):
    point = services.pokok_pikiran_record(actor=personas["admin_pesawaran"], data=POINT)
    assert point.indicator_codes == ["KOP-02", "KOP-03"] and point.given_on == date(2025, 3, 12)
    body = api_client_for(personas["admin_pesawaran"]).get("/api/v1/pokok-pikiran?as_of=2025-12-31").json()
    assert body["count"] == 1
    answers = {
        a["code"]: (a["value"], a["numerator"], a["denominator"]) for a in body["items"][0]["indicators"]
    }
    for code in ("KOP-02", "KOP-03"):
        value = BY_CODE[code].compute("18.09", date(2025, 12, 31))
        assert answers[code] == (value.value, value.numerator, value.denominator)
    page = Client()
    page.force_login(personas["admin_pesawaran"])
    html = page.get("/rencana/pokok-pikiran/?per=2025-12-31").content.decode()
    assert "Melakukan pengawasan terhadap koperasi." in html and 'data-code="KOP-02"' in html
    # Also shown to a district's page of the same regency; not to another regency's admin.
    assert "terhadap koperasi" in page.get("/rencana/pokok-pikiran/?wilayah=18.09.01").content.decode()
    lamsel = Client()
    lamsel.force_login(personas["admin_lamsel"])
    assert "terhadap koperasi" not in lamsel.get("/rencana/pokok-pikiran/").content.decode()
    # Recorded again (same day and number): updated, not doubled.
    services.pokok_pikiran_record(
        actor=personas["admin_pesawaran"], data={**POINT, "indicator_codes": ["KOP-04"]}
    )
    assert list(PokokPikiran.objects.values_list("indicator_codes", flat=True)) == [["KOP-04"]]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"indicator_codes": ["KOP-99"]}, "indicator_codes", "Indikator tidak dikenal: KOP-99"),
        ({"given_on": "kemarin"}, "given_on", "Tanggal"),
        ({"number": "satu atau dua"}, "number", "Nomor"),
        ({"text": " "}, "text", "tulis apa yang diminta DPRD"),
        ({"region": "18.01"}, "region", "di luar wilayah kerja Anda"),
    ],
)
def test_bad_input_is_named_by_field(personas, change, field, words):
    with pytest.raises(ValidationError) as refused:
        services.pokok_pikiran_record(actor=personas["admin_pesawaran"], data={**POINT, **change})
    assert words in " ".join(refused.value.message_dict[field]), refused.value.message_dict
    assert not PokokPikiran.objects.exists()


def test_only_office_admins_record_points(personas):
    with pytest.raises(PermissionDenied):
        services.pokok_pikiran_record(actor=personas["petugas"], data=POINT)


def test_the_demo_gives_banten_its_six_points_on_any_day(db):
    for day in (date(2026, 1, 5), date(2026, 11, 30)):
        assert demo_planning(today=day) == 6
    forums = set(PokokPikiran.objects.values_list("given_on", flat=True))
    assert forums == {date(2025, 3, 12), date(2026, 3, 12)}  # before March: last year's Forum Renja
    assert PokokPikiran.objects.filter(region_id="36").count() == 12
    assert all(code in BY_CODE for _text, codes in BANTEN_POINTS for code in codes)


def test_the_lkpj_pdf_holds_the_figures_the_page_shows(office_records, personas):
    import io
    import re

    from pypdf import PdfReader

    services.pokok_pikiran_record(actor=personas["admin_lampung"], data={**POINT, "region": "18"})
    page = Client()
    page.force_login(personas["admin_lampung"])
    html = page.get("/rencana/pokok-pikiran/?wilayah=18&per=2025-06-30").content.decode()
    answer = page.get("/rencana/bahan-lkpj.pdf?wilayah=18&per=2025-06-30")
    assert answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 2 and "Bahan LKPJ" in text and "30 Juni 2025" in text
    rat = BY_CODE["KOP-02"].compute("18", date(2025, 6, 30))
    with translation.override("id"):
        shown = f"{floatformat(rat.value, '-2')} %"  # as the page and the PDF print it: 37,50 %
    row = re.search(r'data-code="KOP-02">(.*?)</tr>', html, re.S).group(1)
    on_page = " ".join(re.sub(r"<[^>]+>", " ", row).replace("\xa0", " ").split())
    assert shown in on_page and shown in text  # the page's RAT figure is the PDF's
    assert f"{rat.numerator} / {rat.denominator}" in text
    assert "Cakupan data:" in text and "Melakukan pengawasan terhadap koperasi." in text
    assert page.get("/rencana/bahan-lkpj.pdf?wilayah=36").status_code == 404
