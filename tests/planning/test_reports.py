"""The office's reports and the head of office's page: the same figures on the page, in the PDF, in the XLSX and
in the API; the ministry's recap counted from scratch; lights by the Permendagri 86/2017 scale; each region's
admin sees only their own plan and figures."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.test import Client
from django.utils import translation
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from naikkelas.planning import plans, reports
from naikkelas.planning.indicators import BY_CODE, DOWN, UP
from naikkelas.planning.models import PokokPikiran
from naikkelas.registry.models import Business, Cooperative
from naikkelas.supervision.models import AnnualMeeting
from tests.planning.test_indicators import _inside, _status_on

DAY = date(2025, 12, 31)


@pytest.fixture
def renja_2025(office_records, personas):
    """Pesawaran's Renja 2025: library indicators (RAT, operating, SOP) and a typed output indicator, budgets, and
    a DPRD point linked to the supervision entry."""
    actor = personas["admin_pesawaran"]
    plan = plans.plan_create(actor=actor, data={"region": "18.09", "kind": "renja", "first_year": "2025"})
    supervision = plans.plan_node_add(
        actor=actor, plan=plan, data={"code": "2.17.03.2.01.0004", "bidang": "Koperasi"}
    )
    plans.plan_target_save(
        actor=actor, node=supervision, data={"indicator_code": "KOP-02", "target_2025": "60"}
    )
    plans.plan_target_save(actor=actor, node=supervision, data={"name": "Koperasi diperiksa", "unit": "unit",
                                                                "target_2025": "40", "realised_2025": "38",
                                                                "explanation_2025": "Dua koperasi tidak ditemukan."})  # fmt: skip
    plans.plan_budget_save(actor=actor, node=supervision, data={"year": "2025", "pagu": "21000000", "q1": "5000000",
                                                                "q2": "5000000", "q3": "5000000", "q4": "4000000"})  # fmt: skip
    umkm = plans.plan_node_add(actor=actor, plan=plan, data={"code": "2.17.07.2.01.0004", "bidang": "UMKM"})
    plans.plan_target_save(actor=actor, node=umkm, data={"indicator_code": "UMKM-02", "target_2025": "45"})
    plans.plan_target_save(actor=actor, node=umkm, data={"indicator_code": "BIN-01", "target_2025": "30"})
    plans.plan_budget_save(
        actor=actor, node=umkm, data={"year": "2025", "pagu": "619000000", "q1": "100000000"}
    )
    for program in plan.nodes.filter(level="program"):
        plans.plan_budget_save(
            actor=actor, node=program, data={"year": "2025", "pagu": "640000000", "q1": "105000000"}
        )
    point = PokokPikiran.objects.create(region_id="18.09", number=1, text="Mengawasi koperasi.",
                                        given_on=date(2025, 3, 12), indicator_codes=["KOP-02", "KOP-01"])  # fmt: skip
    plans.pokok_pikiran_link(actor=actor, point=point, node_ids=[supervision.pk])
    return plan


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_lines_hold_the_computed_and_typed_figures_against_their_targets(renja_2025, personas):
    made = reports.report(
        user=personas["admin_pesawaran"], region="18.09", as_of="2025-12-31", last_year=True
    )
    by_name = {line.target.name: line for line in made.lines}
    rat = BY_CODE["KOP-02"].compute("18.09", DAY)
    line = by_name[BY_CODE["KOP-02"].name]
    assert (line.value, line.goal) == (rat.value, Decimal(60))
    assert line.achievement == (round(100 * rat.value / 60, 2) if rat.value is not None else None)
    assert line.last_year == BY_CODE["KOP-02"].compute("18.09", date(2024, 12, 31)).value
    typed = by_name["Koperasi diperiksa"]
    assert (typed.value, typed.achievement, typed.light, typed.explanation) == (
        38,
        95.0,
        "hijau",
        "Dua koperasi tidak ditemukan.",
    )
    assert (made.pagu, made.spent) == (Decimal(1_280_000_000), Decimal(210_000_000))  # the two programs
    point = made.points[0]
    assert (
        [n.node.code for n in point.nodes] == ["2.17.03.2.01.0004"]
        and point.pagu == 21_000_000
        and point.spent == 19_000_000
    )


@pytest.mark.parametrize(
    ("value", "goal", "direction", "achievement", "light"),
    [(91, 100, UP, 91.0, "hijau"), (90.9, 100, UP, 90.9, "kuning"), (66, 100, UP, 66.0, "kuning"),
     (65, 100, UP, 65.0, "merah"), (10, 5, DOWN, 50.0, "merah"), (5, 5, DOWN, 100.0, "hijau"),
     (None, 5, UP, None, ""), (3, None, UP, None, ""), (3, 0, UP, None, "")],
)  # fmt: skip
def test_achievement_and_its_light(value, goal, direction, achievement, light):
    got = reports.achievement_of(value, goal, direction)
    assert got == achievement and reports.light_of(got) == light


def _shown(value) -> str:
    """A figure as the pages and PDFs print it (Indonesian: 1.234,5)."""
    if value is None:
        return "–"
    with translation.override("id"):
        return floatformat(value, "-2g")


def _cell_values(html: str, attribute: str) -> dict[str, str]:
    found = {}
    for code, inner in re.findall(rf'<td[^>]*{attribute}="([^"]+)"[^>]*>(.*?)</td>', html, re.S):
        found.setdefault(code, " ".join(re.sub(r"<[^>]+>", " ", inner).split()))
    return found


def test_the_page_the_pdf_the_xlsx_and_the_api_show_the_same_figures(renja_2025, personas, api_client_for):
    page = _client(personas["admin_pesawaran"])
    query = "?wilayah=18.09&per=2025-12-31"
    api = api_client_for(personas["admin_pesawaran"])
    indicators = {
        i["code"]: i
        for i in api.get("/api/v1/indicators?region=18.09&as_of=2025-12-31&page_size=100").json()["items"]
    }
    assert (
        indicators["KOP-02"]["target"] == 60
        and indicators["UMKM-02"]["target"] == 45
        and indicators["KOP-01"]["target"] is None
    )
    for kind in ("lkjip", "lkpj", "rekap"):
        html = page.get(f"/rencana/laporan/{kind}/{query}").content.decode()
        pdf = page.get(f"/rencana/laporan/{kind}.pdf{query}")
        assert pdf["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(pdf.content))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert len(reader.pages) >= 1 and "31 Desember 2025" in text and "Kabupaten Pesawaran" in text
        book = CalamineWorkbook.from_filelike(
            io.BytesIO(page.get(f"/rencana/laporan/{kind}.xlsx{query}").getvalue())
        )
        sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
        if kind == "rekap":
            assert sheets["Koperasi"][0][0] == "Wilayah"
            assert len(sheets["Koperasi"]) == 1 + renja_2025.region.children.count()  # a row per district
            continue
        shown = _cell_values(html, "data-code")
        for row in sheets["Indikator"][1:]:
            code, value = row[0], row[2]
            expected = indicators[code]["value"]
            assert (value if value != "" else None) == (
                expected if expected is None else pytest.approx(expected)
            ), code
            figure = shown[code].split(" ")[0]
            assert figure == _shown(expected), code
        plan_rows = sheets["Rencana"][1:]
        entries = api.get(f"/api/v1/plans/{renja_2025.pk}/entries?year=2025&as_of=2025-12-31").json()["items"]
        api_lines = [
            (e["code"], i["name"], i["target"], i["value"], i["achievement"])
            for e in entries
            for i in e["indicators"]
        ]
        xlsx_lines, code = [], ""
        for row in plan_rows:
            code = row[0] or code
            if row[3]:  # code, name, sasaran, indicator, unit, target, realisation, achievement
                xlsx_lines.append((code, row[3], row[5] if row[5] != "" else None, row[6] if row[6] != "" else None,
                                   row[7] if row[7] != "" else None))  # fmt: skip
        assert xlsx_lines == api_lines
        rat = indicators["KOP-02"]["value"]
        if rat is not None:
            assert _shown(rat) in text  # the RAT figure of the page is in the PDF


def test_the_ministry_recap_equals_a_count_from_scratch(office_records, personas):
    region = office_records["gedong"].parent.parent.parent  # Lampung
    coops, umkm = reports.ministry_recap(region, DAY)
    for row in coops:
        mine = [c for c in Cooperative.objects.all() if _inside(c.village_id, row["region"].code)
                and (c.legal_entity_date is None or c.legal_entity_date <= DAY) and _status_on(c, DAY) != "dibubarkan"]  # fmt: skip
        held = {m.cooperative_id for m in AnnualMeeting.objects.filter(book_year=2024) if m.held_on <= DAY}
        assert row["active"] == sum(1 for c in mine if _status_on(c, DAY) == "aktif"), row
        assert row["inactive"] == len(mine) - row["active"]
        assert row["rat"] == sum(1 for c in mine if c.pk in held)
        assert row["members"] == sum(c.members for c in mine)
    assert sum(r["active"] + r["inactive"] for r in coops) > 0
    expected: dict = {}
    for b in Business.objects.all():
        if _inside(b.village_id, "18") and b.status != "closed":
            key = b.sector or "-"
            expected.setdefault(key, {}).setdefault(b.size_class or "unknown", 0)
            expected[key][b.size_class or "unknown"] += 1
    assert {
        u["sector"]: {k: v for k, v in u.items() if k not in ("sector", "total") and v} for u in umkm
    } == expected


def test_each_admin_sees_only_their_own_plan_and_reports(renja_2025, personas, api_client_for):
    lamsel = _client(personas["admin_lamsel"])
    assert lamsel.get(f"/rencana/rencana/{renja_2025.pk}/").status_code == 404
    assert lamsel.get(f"/rencana/rencana/{renja_2025.pk}/renja.xlsx").status_code == 404
    assert lamsel.get("/rencana/laporan/lkjip/?wilayah=18.09").status_code == 404
    assert lamsel.get("/rencana/dasbor/?wilayah=18.09").status_code == 404
    assert (
        "Renja"
        not in lamsel.get("/rencana/rencana/").content.decode().split('id="plans"')[1].split("</ul>")[0]
    )
    api = api_client_for(personas["admin_lamsel"])
    assert api.get(f"/api/v1/plans/{renja_2025.pk}/entries").status_code == 404
    assert api.get("/api/v1/plans").json()["count"] == 0
    assert _client(personas["owner"]).get("/rencana/dasbor/").status_code == 403
    province = api_client_for(personas["admin_lampung"])
    assert [p["id"] for p in province.get("/api/v1/plans?region=18.09").json()["items"]] == [renja_2025.pk]


def test_the_head_of_office_sees_lights_trend_and_each_district(renja_2025, personas):
    html = _client(personas["admin_pesawaran"]).get("/rencana/dasbor/?per=2025-12-31").content.decode()
    made = reports.report(user=personas["admin_pesawaran"], region="18.09", as_of="2025-12-31")
    for line in made.lines:
        assert f'data-indicator="{line.target.indicator_code or line.target.name}"' in html
        if line.light:
            assert f'class="light-{line.light}"' in html
    assert html.count("TW4:") == 3  # the year is over: four quarters for each of the three library indicators
    districts = re.findall(r'data-region="([0-9.]+)"', html)
    assert districts and all(d.startswith("18.09.") for d in districts)
    row = re.search(rf'data-region="{districts[0]}">(.*?)</tr>', html, re.S).group(1)
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", c).split())
        for c in re.findall(r'<td class="n">(.*?)</td>', row, re.S)
    ]
    expected = [BY_CODE[c].compute(districts[0], DAY).value for c in ("KOP-02", "UMKM-02", "BIN-01")]
    assert cells == [_shown(v) for v in expected]


def test_a_point_links_only_to_its_own_regions_plan_entries(renja_2025, personas):
    from django.core.exceptions import ValidationError

    other = plans.plan_create(
        actor=personas["admin_lampung"], data={"region": "18", "kind": "renja", "first_year": "2025"}
    )
    node = plans.plan_node_add(
        actor=personas["admin_lampung"], plan=other, data={"code": "2.17.04.1.01.0001"}
    )
    point = PokokPikiran.objects.get(region_id="18.09")
    with pytest.raises(ValidationError) as refused:
        plans.pokok_pikiran_link(actor=personas["admin_lampung"], point=point, node_ids=[node.pk])
    assert "rencana wilayah ini sendiri" in refused.value.messages[0]
    assert list(point.nodes.values_list("code", flat=True)) == ["2.17.03.2.01.0004"]
