"""The head of a regency office, on a desktop, prepares the LKPJ: opens the head of office's page, drills down to
a district, opens the DPRD's points there and downloads the LKPJ material; the RAT figure in the PDF is the
page's (and the indicator's own)."""

import io
import re
from datetime import date

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from pypdf import PdfReader

from naikkelas.accounts.constants import Role
from naikkelas.planning import plans
from naikkelas.planning.indicators import BY_CODE
from naikkelas.planning.models import PokokPikiran
from naikkelas.regions.models import Region
from naikkelas.registry.models import Cooperative
from naikkelas.supervision.models import AnnualMeeting
from tests.conftest import first_village, make_user
from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e
DAY = "2026-06-30"  # a fixed day (past on any day this test runs): the figures do not move with the calendar


def test_the_head_of_office_drills_to_a_district_and_downloads_the_lkpj(page, live_server):
    head = make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    for district, held in (("18.09.01", [date(2026, 3, 10), date(2026, 3, 20), date(2026, 5, 10)]),
                           ("18.09.02", [date(2026, 3, 1)])):  # fmt: skip
        for n, day in enumerate(held):
            coop = Cooperative.objects.create(name=f"Koperasi {district} {n}", type="produsen", level="primer",
                                              village=first_village(district), legal_entity_date=date(2020, 1, 1))  # fmt: skip
            AnnualMeeting.objects.create(cooperative=coop, book_year=2025, held_on=day)
    plan = plans.plan_create(actor=head, data={"region": "18.09", "kind": "renja", "first_year": "2026"})
    node = plans.plan_node_add(
        actor=head, plan=plan, data={"code": "2.17.03.2.01.0004", "bidang": "Bidang Koperasi"}
    )
    plans.plan_target_save(actor=head, node=node, data={"indicator_code": "KOP-02", "target_2026": "80"})
    plans.plan_budget_save(actor=head, node=node, data={"year": "2026", "pagu": "21000000", "q1": "6000000"})
    point = PokokPikiran.objects.create(region_id="18.09", number=3, text="Melakukan pengawasan terhadap koperasi.",
                                        given_on=date(2026, 3, 12), indicator_codes=["KOP-02"], komisi="Komisi II")  # fmt: skip
    point.nodes.add(node)

    log_in(page, live_server, "admin.pesawaran")
    page.set_viewport_size({"width": 1366, "height": 800})  # the office's desktop
    page.goto(f"{live_server.url}/rencana/dasbor/?per={DAY}")
    regency = page.inner_text("#targets tr[data-indicator='KOP-02']")
    assert "80" in regency and "75" in regency  # target 80 %, three of four on time: 75 %
    assert (
        page.locator("#targets tr[data-indicator='KOP-02'] .light.hijau").count() == 1
    )  # 93,75 % of the target: green

    page.click("#drill a:has-text('Gedong Tataan')")
    page.wait_for_selector("h1:has-text('Gedong Tataan')")
    assert page.locator("#drill").count() == 1  # its villages

    page.click("#to-points")
    page.wait_for_selector(f"#point-{point.pk}")
    on_page = page.inner_text(f"#point-{point.pk} tr.answer[data-code='KOP-02'] td.value")
    rat = BY_CODE["KOP-02"].compute("18.09.01", date(2026, 6, 30))
    with translation.override("id"):
        figure = floatformat(rat.value, "-2g")
    assert figure == "66,67" and on_page.startswith(figure)  # two of three held their RAT on time
    assert "Rp 21.000.000" in page.inner_text(f"#point-{point.pk}")  # what was planned for the point

    with page.expect_download() as download:
        page.click("#lkpj")
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115 - read at once
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert (
        "Gedong Tataan" in text
        and "30 Juni 2026" in text
        and "Melakukan pengawasan terhadap koperasi." in text
    )
    in_pdf = re.search(r"KOP-02 Persentase koperasi yang melaksanakan RAT tepat waktu ([0-9.,–]+) %", text)
    assert in_pdf and in_pdf.group(1) == figure, text[:2000]
