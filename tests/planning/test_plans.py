"""The office's plans: a Renstra or Renja on the nomenclature of urusan 2.17, with indicators, targets, budget and
spending per quarter; the Renja read from and written to the XLSX offices type (merged cells, a two-row header,
subtotals), round trip included; bad input named by field or by Excel row and column, nothing half-saved."""

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from naikkelas.planning import nomenclature, plans, renja
from naikkelas.planning.models import Plan, PlanBudget, PlanNode, PlanTarget


@pytest.fixture
def renja_pesawaran(personas):
    actor = personas["admin_pesawaran"]
    plan = plans.plan_create(actor=actor, data={"region": "18.09", "kind": "renja", "first_year": "2026"})
    training = plans.plan_node_add(
        actor=actor, plan=plan, data={"code": "2.17.07.2.01.0015", "bidang": "Bidang UMKM"}
    )
    plans.plan_target_save(actor=actor, node=training, data={"name": "Jumlah SDM UMKM yang dilatih", "unit": "orang",
                                                            "baseline": "450", "target_2026": "500"})  # fmt: skip
    plans.plan_target_save(
        actor=actor, node=training, data={"indicator_code": "SDM-01", "target_2026": "520"}
    )
    plans.plan_budget_save(actor=actor, node=training, data={"year": "2026", "pagu": "Rp 1.448.000.000",
                                                             "q1": "200.000.000", "q2": "350000000"})  # fmt: skip
    health = plans.plan_node_add(
        actor=actor, plan=plan, data={"code": "2.17.04.2.01.0001", "bidang": "Bidang Koperasi"}
    )
    plans.plan_target_save(actor=actor, node=health, data={"indicator_code": "KOP-03", "target_2026": "80,5"})
    plans.plan_budget_save(
        actor=actor, node=health, data={"year": "2026", "pagu": "20000000", "q3": "20000000"}
    )
    program = PlanNode.objects.get(plan=plan, code="2.17.07")
    plans.plan_budget_save(actor=actor, node=program, data={"year": "2026", "pagu": "2087000000"})
    return plan


def _tree(plan: Plan) -> list:
    return [
        (n.code, n.name, n.level, n.bidang, n.sasaran, n.parent.code if n.parent else "",
         [(t.indicator_code, t.name, t.unit, t.baseline, t.targets) for t in n.targets.all()],
         [(b.year, b.pagu, b.q1, b.q2, b.q3, b.q4) for b in n.budgets.all()])
        for n in plan.nodes.order_by("code")
    ]  # fmt: skip


def test_a_sub_kegiatan_brings_its_kegiatan_and_program_with_the_nomenclature_names(renja_pesawaran):
    codes = list(renja_pesawaran.nodes.order_by("code").values_list("code", "level"))
    assert codes == [("2.17.04", "program"), ("2.17.04.2.01", "kegiatan"), ("2.17.04.2.01.0001", "sub_kegiatan"),
                     ("2.17.07", "program"), ("2.17.07.2.01", "kegiatan"), ("2.17.07.2.01.0015", "sub_kegiatan")]  # fmt: skip
    node = renja_pesawaran.nodes.get(code="2.17.07.2.01.0015")
    assert node.name == nomenclature.entry("2.17.07.2.01.0015").name and node.parent.code == "2.17.07.2.01"
    target = node.targets.get(indicator_code="SDM-01")
    assert target.name == "SDM UMKM terlatih" and target.unit == "orang" and target.targets == {"2026": "520"}
    budget = node.budgets.get()
    assert (budget.pagu, budget.spent) == (Decimal(1_448_000_000), Decimal(550_000_000))


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2.17.99.2.01", "tidak ada dalam nomenklatur urusan 2.17"),
        ("9.99", "tidak ada dalam nomenklatur urusan 2.17"),
        ("2.17.07.1.01.0002", "kegiatan provinsi"),  # a province's sub-kegiatan in a regency's plan
    ],
)
def test_a_code_outside_the_nomenclature_or_the_office_tier_is_refused(
    renja_pesawaran, personas, code, words
):
    with pytest.raises(ValidationError) as refused:
        plans.plan_node_add(actor=personas["admin_pesawaran"], plan=renja_pesawaran, data={"code": code})
    assert words in refused.value.message_dict["code"][0]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": "Koperasi dibina", "target_2026": "seratus"}, "target_2026", "Target 2026"),
        ({"name": "Koperasi dibina", "baseline": "banyak"}, "baseline", "Kondisi awal"),
        ({"indicator_code": "KOP-99"}, "indicator_code", "Indikator tidak dikenal: KOP-99"),
        ({"unit": "unit"}, "name", "Indikator"),
    ],
)
def test_a_bad_target_is_named_by_field_and_nothing_is_saved(renja_pesawaran, personas, data, field, words):
    node = renja_pesawaran.nodes.get(code="2.17.04.2.01.0001")
    before = PlanTarget.objects.count()
    with pytest.raises(ValidationError) as refused:
        plans.plan_target_save(actor=personas["admin_pesawaran"], node=node, data=data)
    assert words in refused.value.message_dict[field][0]
    assert PlanTarget.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"year": "2026", "pagu": "dua juta"}, "pagu", "Pagu"),
        ({"year": "2026"}, "pagu", "Pagu"),
        ({"year": "2026", "pagu": "10.000.000", "q1": "6.000.000", "q2": "5.000.000"}, "q4", "melebihi pagu"),
        ({"year": "2031", "pagu": "10"}, "year", "2026–2026"),
        ({"year": "2026", "pagu": "10", "q2": "lima"}, "q2", "triwulan 2"),
    ],
)
def test_a_bad_budget_is_named_by_field_and_nothing_is_saved(renja_pesawaran, personas, data, field, words):
    node = renja_pesawaran.nodes.get(code="2.17.04.2.01.0001")
    with pytest.raises(ValidationError) as refused:
        plans.plan_budget_save(actor=personas["admin_pesawaran"], node=node, data=data)
    assert words in refused.value.message_dict[field][0], refused.value.message_dict
    budget = node.budgets.get()
    assert (budget.pagu, budget.q3) == (Decimal(20_000_000), Decimal(20_000_000))


def test_another_regency_cannot_touch_the_plan(renja_pesawaran, personas):
    node = renja_pesawaran.nodes.get(code="2.17.04.2.01.0001")
    with pytest.raises(PermissionDenied):
        plans.plan_node_add(
            actor=personas["admin_lamsel"], plan=renja_pesawaran, data={"code": "2.17.05.2.01.0001"}
        )
    with pytest.raises(PermissionDenied):
        plans.plan_budget_save(actor=personas["admin_lamsel"], node=node, data={"year": "2026", "pagu": "1"})
    with pytest.raises(PermissionDenied):
        plans.plan_target_save(actor=personas["petugas"], node=node, data={"name": "x"})
    with pytest.raises(ValidationError):
        plans.plan_create(
            actor=personas["admin_lamsel"], data={"region": "18.09", "kind": "renja", "first_year": "2027"}
        )


def _save(path, data: bytes):
    path.write_bytes(data)
    return path


def test_the_renja_workbook_round_trips(renja_pesawaran, personas, tmp_path):
    data = renja.renja_workbook(renja_pesawaran, 2026)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Renja").to_python()
    assert sheet[0][0] == "RENCANA KERJA (RENJA) TAHUN 2026" and sheet[-1][0] == "JUMLAH"
    assert sheet[-1][8] == 2_087_000_000  # the total is the programs' budgets
    # Lampung Selatan's office takes Pesawaran's table as the start of its own Renja: the same tree comes back.
    other = plans.plan_create(
        actor=personas["admin_lampung"], data={"region": "18.01", "kind": "renja", "first_year": "2026"}
    )
    result = renja.renja_import(actor=personas["admin_lampung"], plan=other, year=2026,
                                path=_save(tmp_path / "renja.xlsx", data), file_label="renja.xlsx")  # fmt: skip
    assert result.problems == [] and result.nodes == 6 and result.targets == 3
    assert _tree(other) == _tree(renja_pesawaran)
    # Exported again: the same workbook cells.
    again = CalamineWorkbook.from_filelike(io.BytesIO(renja.renja_workbook(other, 2026))).get_sheet_by_name(
        "Renja"
    )
    assert (
        again.to_python()[2:] == sheet[2:] and sheet[1] != again.to_python()[1]
    )  # only the office's name differs


def _typed_renja(path, rows):
    """A Renja as an office types it: a title, a two-row header with the quarters under a merged heading, the
    column numbers, the urusan row, each node's cells merged over its indicators, subtotals and a signature."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("RENJA 2026")
    sheet.write(0, 0, "RENJA DINAS KOPERASI, UKM KABUPATEN PESAWARAN TAHUN 2026")
    header = ["KODE", "PROGRAM/ KEGIATAN/ SUB KEGIATAN", "INDIKATOR KINERJA", "SATUAN", "TARGET 2026",
              "PAGU INDIKATIF (Rp)", None, None, None, None, "PENANGGUNG JAWAB"]  # fmt: skip
    for col, text in enumerate(header):
        if text and col not in (5,):
            sheet.merge_range(2, col, 3, col, text)
    sheet.merge_range(2, 5, 2, 9, "ANGGARAN (Rp)")
    for col, text in enumerate(["PAGU", "TW I", "TW II", "TW III", "TW IV"], start=5):
        sheet.write(3, col, text)
    for col in range(11):
        sheet.write(4, col, col + 1)
    sheet.write_row(5, 0, ["2.17", "URUSAN PEMERINTAHAN BIDANG KOPERASI, USAHA KECIL, DAN MENENGAH"])
    row = 6
    for cells in rows:
        if cells[0] == "merge":
            _tag, code, name, indicators, money, bidang = cells
            span = len(indicators)

            def put(col, value, span=span, row=row):
                if span > 1:
                    sheet.merge_range(row, col, row + span - 1, col, value)
                else:
                    sheet.write(row, col, value)

            put(0, code)
            put(1, name)
            for col, value in enumerate(money, start=5):
                put(col, value)
            put(10, bidang)
            for k, (indicator, unit, target) in enumerate(indicators):
                sheet.write_row(row + k, 2, [indicator, unit, target])
            row += span
        else:
            sheet.write_row(row, 0, cells)
            row += 1
    sheet.write(row + 2, 7, "Kepala Dinas Koperasi, UKM")
    book.close()
    return path


def test_an_office_typed_renja_with_merged_cells_and_subtotals_is_read(personas, tmp_path):
    plan = plans.plan_create(
        actor=personas["admin_pesawaran"], data={"region": "18.09", "kind": "renja", "first_year": "2026"}
    )
    path = _typed_renja(tmp_path / "renja-kantor.xlsx", [
        ["2.17.07", "PROGRAM PEMBERDAYAAN UMKM", None, None, None, 2_087_000_000, 0, 0, 0, 0, "Bidang UMKM"],
        ["2.17.07.2.01", "Pemberdayaan Usaha Mikro ...", None, None, None, 2_087_000_000],
        ["merge", "2.17.07.2.01.15", "Peningkatan Pemahaman ...",
         [("Jumlah SDM yang Memahami Pengetahuan Usaha Mikro", "Orang", 500), ("Peserta naik level", "%", "12,5")],
         [1_448_000_000, 300_000_000, 400_000_000, 0, 0], "Bidang UMKM"],
        ["Jumlah Program", None, None, None, None, 2_087_000_000],
        ["merge", "2.17.04.2.01.0001", "Penilaian Kesehatan",
         [("Jumlah koperasi dinilai kesehatannya", "Unit", 185)], [20_000_000, 0, 5_000_000, 0, 0], "Bidang Koperasi"],
        ["TOTAL", None, None, None, None, 2_107_000_000],
    ])  # fmt: skip
    result = renja.renja_import(
        actor=personas["admin_pesawaran"], plan=plan, year=2026, path=path, file_label="x"
    )
    assert result.problems == [], result.problems
    node = plan.nodes.get(code="2.17.07.2.01.0015")  # "…01.15" typed short: padded to the nomenclature's 0015
    assert [(t.name, t.unit, t.targets) for t in node.targets.all()] == [
        ("Jumlah SDM yang Memahami Pengetahuan Usaha Mikro", "Orang", {"2026": "500"}),
        ("Peserta naik level", "%", {"2026": "12.5"}),
    ]
    assert node.bidang == "Bidang UMKM" and node.budgets.get().quarters == [300_000_000, 400_000_000, 0, 0]
    assert plan.nodes.get(code="2.17.07").budgets.get().pagu == 2_087_000_000
    assert plan.nodes.get(code="2.17.04.2.01.0001").targets.get().targets == {"2026": "185"}
    assert sorted(plan.nodes.values_list("code", flat=True)) == [
        "2.17.04", "2.17.04.2.01", "2.17.04.2.01.0001", "2.17.07", "2.17.07.2.01", "2.17.07.2.01.0015"]  # fmt: skip


def test_a_bad_renja_is_refused_by_row_and_column_and_nothing_is_written(personas, tmp_path):
    plan = plans.plan_create(
        actor=personas["admin_pesawaran"], data={"region": "18.09", "kind": "renja", "first_year": "2026"}
    )
    path = _typed_renja(tmp_path / "renja-salah.xlsx", [
        ["merge", "2.17.07.2.01.0015", "Pelatihan", [("Jumlah SDM", "Orang", "lima ratus")],
         [1_000_000, 0, 0, 0, 0], "Bidang UMKM"],
        ["merge", "2.17.99.2.01.0001", "Kode karangan", [("Sesuatu", "Unit", 1)], [1, 0, 0, 0, 0], ""],
        ["merge", "2.17.04.2.01.0001", "Penilaian", [("Koperasi dinilai", "Unit", 10)],
         [20_000_000, 15_000_000, 10_000_000, 0, 0], ""],
        ["merge", "2.17.05.2.01.0001", "Diklat", [("Orang dilatih", "Orang", 10)], ["dua juta", 0, 0, 0, 0], ""],
    ])  # fmt: skip
    result = renja.renja_import(
        actor=personas["admin_pesawaran"], plan=plan, year=2026, path=path, file_label="x"
    )
    found = {(p["row"], p["column"].split(" ")[0]): p["reason"] for p in result.problems}
    assert set(found) == {(7, "E"), (8, "A"), (9, "J"), (10, "F")}, result.problems
    assert "Target 2026" in found[(7, "E")]
    assert "tidak ada dalam nomenklatur" in found[(8, "A")]
    assert "melebihi pagu" in found[(9, "J")]
    assert "Pagu" in found[(10, "F")]
    assert not plan.nodes.exists() and not PlanBudget.objects.exists()


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken zip"])
def test_a_file_that_is_no_renja_gets_a_message(personas, tmp_path, content):
    plan = plans.plan_create(
        actor=personas["admin_pesawaran"], data={"region": "18.09", "kind": "renja", "first_year": "2026"}
    )
    with pytest.raises(ValidationError) as refused:
        renja.renja_import(actor=personas["admin_pesawaran"], plan=plan, year=2026,
                           path=_save(tmp_path / "x.xlsx", content), file_label="x.xlsx")  # fmt: skip
    assert refused.value.message_dict["file"][0]
    assert not plan.nodes.exists()


def test_the_office_types_a_realisation_and_an_explanation_on_the_plan_page(renja_pesawaran, personas):
    from django.test import Client

    page = Client()
    page.force_login(personas["admin_pesawaran"])
    target = PlanTarget.objects.get(name="Jumlah SDM UMKM yang dilatih")
    html = page.get(f"/rencana/rencana/{renja_pesawaran.pk}/?tahun=2026").content.decode()
    assert (
        f'data-target="{target.pk}"' in html and 'name="target_2026" inputmode="decimal" value="500"' in html
    )
    answer = page.post(f"/rencana/indikator-rencana/{target.pk}/?tahun=2026", {
        "name": target.name, "unit": "orang", "baseline": "450", "target_2026": "500", "realised_2026": "480",
        "explanation_2026": "Dua angkatan digabung."})  # fmt: skip
    assert answer.status_code == 302
    target.refresh_from_db()
    assert (target.realised, target.explanations) == ({"2026": "480"}, {"2026": "Dua angkatan digabung."})
    refused = page.post(
        f"/rencana/indikator-rencana/{target.pk}/", {"name": target.name, "target_2026": "banyak"}
    )
    assert refused.status_code == 422 and "Target 2026: bukan angka." in refused.content.decode()
    lamsel = Client()
    lamsel.force_login(personas["admin_lamsel"])
    assert lamsel.post(f"/rencana/indikator-rencana/{target.pk}/", {"name": "x"}).status_code == 404
