"""A fried-banana seller keeps their books and figures; their field officer watches who falls behind."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from naikkelas.core.models import AuditLog
from naikkelas.performance import books, selectors, services
from naikkelas.performance.constants import Light
from naikkelas.performance.formulas import FormulaError, evaluate, parse
from naikkelas.performance.models import Entry, MonthlyReport
from naikkelas.registry.selectors import business_list

pytestmark = pytest.mark.django_db
THIS_MONTH = timezone.localdate().replace(day=1)


def month_ago(n: int) -> date:
    return selectors.add_months(THIS_MONTH, -n)


def id_(text) -> str:
    with translation.override("id"):
        return str(text)


def values(report: MonthlyReport) -> dict[str, Decimal]:
    return {v.kpi.key: v.value for v in report.values.select_related("kpi")}


def test_it_reads_formulas_safely():
    assert evaluate("(omzet - hpp) / omzet * 100", {"omzet": Decimal(4000), "hpp": Decimal(1000)}) == Decimal(
        "75.00"
    )
    assert evaluate("(omzet - hpp) / omzet * 100", {"omzet": Decimal(0), "hpp": Decimal(0)}) is None
    assert evaluate("omzet - hpp", {"omzet": Decimal(1)}) is None
    for bad in ("__import__('os')", "omzet ** 2", "omzet.real", "'a' + omzet"):
        with pytest.raises(FormulaError):
            parse(bad)


def test_it_fills_the_month_from_the_owners_books(businesses, personas):
    b, owner = businesses["gedong"], personas["owner"]
    today = timezone.localdate()
    for amount, kind, category in [
        ("250.000", "sale", "jual_tunai"),
        ("150000", "sale", "jual_online"),
        ("100.000", "expense", "bahan_baku"),
        ("20.000", "expense", "kemasan"),
        ("30.000", "expense", "transport"),
    ]:
        books.entry_add(
            actor=owner,
            business=b,
            data={"day": today.isoformat(), "kind": kind, "category": category, "amount": amount},
        )
    got = values(MonthlyReport.objects.get(business=b, month=THIS_MONTH))
    assert got["omzet"] == 400_000 and got["hpp"] == 120_000 and got["laba_bersih"] == 250_000
    assert got["penjualan_online"] == Decimal("37.50") and got["margin_kotor"] == Decimal("70.00")
    books.entry_delete(actor=owner, entry=Entry.objects.get(category="transport"))
    assert values(MonthlyReport.objects.get(business=b))["laba_bersih"] == 280_000


def test_it_refuses_impossible_figures_in_indonesian(businesses, personas):
    b, owner = businesses["gedong"], personas["owner"]
    with pytest.raises(ValidationError) as err:
        services.report_save(
            actor=owner,
            business=b,
            month=THIS_MONTH.isoformat()[:7],
            values={"omzet": "-5.000", "margin_kotor": "120", "pelanggan": "banyak"},
            source="owner",
        )
    messages = err.value.message_dict
    assert messages["omzet"] == [
        id_(services.BELOW_MINIMUM) % {"kpi": "Omzet (penjualan) bulanan", "limit": "0", "value": "-5000"}
    ]
    assert "margin_kotor" in messages and "pelanggan" in messages
    future = selectors.add_months(THIS_MONTH, 1).strftime("%Y-%m")
    with pytest.raises(ValidationError) as err:
        services.report_save(actor=owner, business=b, month=future, values={"omzet": 1}, source="owner")
    assert "month" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        books.entry_add(
            actor=owner,
            business=b,
            data={
                "kind": "sale",
                "category": "bahan_baku",
                "amount": "0",
                "day": (timezone.localdate() + timedelta(days=1)).isoformat(),
            },
        )
    assert set(err.value.message_dict) == {"category", "amount", "day"}
    assert not MonthlyReport.objects.exists() and not Entry.objects.exists()


def test_it_keeps_the_history_of_a_corrected_month(businesses, personas):
    b, officer = businesses["gedong"], personas["petugas"]
    services.report_save(
        actor=officer,
        business=b,
        month=month_ago(1),
        values={"omzet": "3.000.000", "hpp": "1.200.000", "pelanggan": 80},
        source="officer",
    )
    services.report_save(
        actor=officer, business=b, month=month_ago(1), values={"omzet": "3.300.000"}, source="officer"
    )
    got = values(MonthlyReport.objects.get(business=b))
    assert got["omzet"] == 3_300_000 and got["pelanggan"] == 80  # the figures not given stay
    assert got["margin_kotor"] == Decimal("63.64")
    change = AuditLog.objects.filter(object_type="performance.monthlyreport", action="update").get()
    assert change.before["omzet"] == "3000000" and change.after["omzet"] == "3300000"


def test_it_measures_attainment_against_the_target_in_force(businesses, personas):
    b, owner = businesses["gedong"], personas["owner"]
    month = month_ago(1)
    services.target_set(
        actor=owner,
        business=b,
        kpi_key="omzet",
        start=month.strftime("%Y-%m"),
        end=f"{month.year}-12",
        value="4.000.000",
    )
    services.target_set(
        actor=owner,
        business=b,
        kpi_key="hpp",
        start=month.strftime("%Y-%m"),
        end=month.strftime("%Y-%m"),
        value="1.000.000",
    )
    services.report_save(
        actor=owner,
        business=b,
        month=month,
        values={"omzet": "3.400.000", "hpp": "1.250.000"},
        source="owner",
    )
    lines = {line.kpi.key: line for line in selectors.month_table(business=b, month=month)}
    assert (lines["omzet"].percent, lines["omzet"].light) == (Decimal("85.0"), Light.AMBER)
    assert (lines["hpp"].percent, lines["hpp"].light) == (Decimal("80.0"), Light.AMBER)  # lower is better
    services.report_save(actor=owner, business=b, month=month, values={"omzet": "4.100.000"}, source="owner")
    lines = {line.kpi.key: line for line in selectors.month_table(business=b, month=month)}
    assert lines["omzet"].light == Light.GREEN
    with pytest.raises(ValidationError):
        services.target_set(actor=owner, business=b, kpi_key="omzet", start="2026-05", end="2026-01", value=1)


def test_it_flags_a_business_declining_three_months_running_or_missing_a_report(businesses, personas):
    officer = personas["petugas"]
    b = businesses["gedong"]
    for n, omzet in ((4, 5_000_000), (3, 4_500_000), (2, 4_000_000), (1, 3_000_000)):
        services.report_save(
            actor=officer, business=b, month=month_ago(n), values={"omzet": omzet}, source="officer"
        )
    flags = selectors.flags(user=officer)
    assert (
        [f.business for f in flags] == [b] and flags[0].declining[-1] == 3_000_000 and flags[0].missed is None
    )
    services.report_save(
        actor=officer, business=b, month=month_ago(1), values={"omzet": 4_200_000}, source="officer"
    )
    assert selectors.flags(user=officer) == []
    MonthlyReport.objects.filter(month=month_ago(1)).delete()
    flags = selectors.flags(user=officer)
    assert flags[0].missed == month_ago(1) and flags[0].declining == []
    assert selectors.flags(user=personas["admin_lamsel"]) == []  # not theirs


def test_it_serves_reports_targets_and_the_cash_book_over_the_api(businesses, personas, api_client_for):
    b = businesses["gedong"]
    owner = api_client_for(personas["owner"])
    url = f"/api/v1/businesses/{b.pk}"
    month = month_ago(1).strftime("%Y-%m")
    r = owner.put(
        f"{url}/reports/{month}",
        json.dumps({"values": {"omzet": "2.500.000", "hpp": 1_000_000}}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["values"]["margin_kotor"] == 60.0
    r = owner.post(
        f"{url}/targets",
        json.dumps({"kpi": "omzet", "start": month, "end": month, "value": 2_000_000}),
        content_type="application/json",
    )
    assert r.status_code == 201
    kpis = {k["kpi"]: k for k in owner.get(f"{url}/reports").json()["items"][0]["kpis"]}
    assert kpis["omzet"]["attainment_pct"] == 125.0 and kpis["omzet"]["light"] == "green"
    r = owner.post(
        f"{url}/transactions",
        json.dumps({"kind": "sale", "category": "jual_tunai", "amount": 75000}),
        content_type="application/json",
    )
    assert r.status_code == 201
    entry = r.json()["id"]
    assert owner.get(f"{url}/transactions").json()["items"][0]["amount"] == 75000
    r = owner.post(
        f"{url}/transactions",
        json.dumps({"kind": "sale", "category": "jual_tunai", "amount": -1}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert owner.delete(f"{url}/transactions/{entry}").status_code == 204
    other = f"/api/v1/businesses/{businesses['pesawaran_other'].pk}/transactions"
    assert owner.get(other).status_code == 404  # an owner sees only their own
    coop = api_client_for(personas["coop_manager"])
    assert coop.get(f"{url}/reports").status_code == 404


def test_it_lets_an_officer_give_the_owner_a_phone_login_and_reset_it(businesses, personas, client):
    b = businesses["pesawaran_other"]  # its owner has no login yet
    officer = Client()
    officer.force_login(personas["admin_pesawaran"])
    r = officer.post(
        f"/usaha/{b.pk}/akun-pemilik/", {"phone": "0812-3456-7890", "password": "pisang-goreng-77"}
    )
    assert r.status_code == 302
    b.owner.refresh_from_db()
    assert b.owner.user.username == "+6281234567890" and b.owner.user.role == "business_owner"
    # The owner types the number as they know it.
    assert client.login(username="0812 3456 7890", password="pisang-goreng-77")
    assert [x.pk for x in business_list(user=b.owner.user)] == [b.pk]
    officer.post(f"/usaha/{b.pk}/akun-pemilik/", {"phone": "081234567890", "password": "kopi-robusta-88"})
    assert not client.login(username="081234567890", password="pisang-goreng-77")
    assert client.login(username="+62 812-3456-7890", password="kopi-robusta-88")
    weak = officer.post(
        f"/usaha/{b.pk}/akun-pemilik/", {"phone": "081234567890", "password": "123"}, follow=True
    )
    assert "kopi" not in weak.content.decode() and client.login(
        username="081234567890", password="kopi-robusta-88"
    )
    owner = Client()
    owner.force_login(personas["owner"])
    assert (
        owner.post(
            f"/usaha/{businesses['gedong'].pk}/akun-pemilik/", {"phone": "0812", "password": "x"}
        ).status_code
        == 403
    )


def test_it_prints_the_month_as_a_one_page_statement(businesses, personas):
    from weasyprint import HTML

    from naikkelas.performance.views import statement_context

    b, owner = businesses["gedong"], personas["owner"]
    today = timezone.localdate()
    for amount, kind, category in [
        ("1.250.000", "sale", "jual_tunai"),
        ("400.000", "expense", "bahan_baku"),
        ("150.000", "expense", "sewa"),
    ]:
        books.entry_add(
            actor=owner,
            business=b,
            data={"day": today.isoformat(), "kind": kind, "category": category, "amount": amount},
        )
    context = statement_context(b, THIS_MONTH)
    assert (context["totals"]["sales"], context["gross"], context["totals"]["profit"]) == (
        1_250_000,
        850_000,
        700_000,
    )
    c = Client()
    c.force_login(owner)
    r = c.get(f"/usaha/{b.pk}/buku/laporan-{THIS_MONTH:%Y-%m}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    from django.template.loader import render_to_string

    html = render_to_string("performance/statement.html", context)
    assert "Rp 850.000" in html and "Rp 700.000" in html
    assert len(HTML(string=html).render().pages) == 1
    assert c.get(f"/usaha/{b.pk}/buku/laporan-2026-13.pdf").status_code == 400
    assert c.get(f"/usaha/{businesses['lamsel'].pk}/buku/laporan-{THIS_MONTH:%Y-%m}.pdf").status_code == 404


def test_it_lets_a_business_adopt_an_sop_which_answers_the_scorecard(businesses, personas):
    import io

    from PIL import Image

    from naikkelas.lifecycle import services as lifecycle
    from naikkelas.performance.models import SopAdoption, SopTemplate
    from tests.lifecycle.test_api import BEST

    b, owner = businesses["gedong"], personas["owner"]
    hygiene = SopTemplate.objects.get(key="higiene-produksi-pangan")
    assert len(hygiene.step_list) == 7
    photo = io.BytesIO()
    Image.new("RGB", (2000, 1500), (250, 250, 250)).save(photo, "JPEG")
    photo.seek(0)
    photo.name = "dinding-dapur.jpg"
    c = Client()
    c.force_login(owner)
    r = c.post(
        f"/usaha/{b.pk}/sop/",
        {"template": hygiene.pk, "adopted_on": timezone.localdate().isoformat(), "evidence": photo},
    )
    assert r.status_code == 302
    adoption = SopAdoption.objects.get(business=b)
    assert adoption.evidence.width == 1280
    again = c.post(f"/usaha/{b.pk}/sop/", {"template": hygiene.pk})
    assert again.status_code == 200 and SopAdoption.objects.count() == 1
    # The scorecard proposes "written SOPs in use" with the reason, and takes it when left out.
    officer = Client()
    officer.force_login(personas["petugas"])
    form = officer.get(f"/usaha/{b.pk}/penilaian/").content.decode()
    assert "Higiene produksi pangan olahan" in form
    answers = {k: v for k, v in BEST.items() if k != "sop"}
    assessment, result = lifecycle.assessment_record(actor=personas["petugas"], business=b, answers=answers)
    assert assessment.answers.get(question__key="sop").option.key == "tertulis" and result.score == 100
    # A new version is published beside the old; the adoption keeps its version.
    admin = Client()
    admin.force_login(personas["admin_pesawaran"])
    admin.post(
        f"/sop/{hygiene.pk}/", {"title": hygiene.title, "steps": hygiene.steps + "\nCatat suhu kulkas."}
    )
    v2 = SopTemplate.objects.get(key=hygiene.key, version=2)
    assert len(v2.step_list) == 8 and adoption.template.version == 1
    assert officer.post(f"/sop/{hygiene.pk}/", {"title": "x", "steps": "y"}).status_code == 403
    pdf = c.get(f"/sop/{v2.pk}/cetak.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_it_shows_the_office_kpi_medians_by_region_sector_and_size(businesses, personas):
    import io

    from python_calamine import CalamineWorkbook

    from tests.conftest import make_business

    admin = personas["admin_pesawaran"]
    month = month_ago(1)
    extra = make_business("Kopi Bubuk Pak Udin", businesses["gedong"].village, sector="Makanan olahan")
    figures = {"gedong": 3_000_000, "pesawaran_other": 9_000_000, "lamsel": 50_000_000}
    for key, omzet in figures.items():
        services.report_save(
            actor=personas["national"],
            business=businesses[key],
            month=month,
            values={"omzet": omzet},
            source="officer",
        )
    services.report_save(
        actor=admin, business=extra, month=month, values={"omzet": 5_000_000}, source="officer"
    )
    c = Client()
    c.force_login(admin)
    page = c.get(f"/kinerja/ringkasan/?kpi=omzet&bulan={month:%Y-%m}").content.decode()
    assert 'id="overall-median">5.000.000' in page  # 3, 5 and 9 million: Lampung Selatan is not theirs
    r = c.get(f"/kinerja/ringkasan.xlsx?kpi=omzet&bulan={month:%Y-%m}&by=region")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.getvalue())).get_sheet_by_index(0).to_python()
    by_code = {row[1]: row for row in rows[1:] if len(row) > 2 and row[1]}
    assert by_code["18.09.01"][2:4] == [2, 4_000_000.0] and by_code["18.09.02"][2:4] == [1, 9_000_000.0]
    page = c.get(f"/kinerja/ringkasan/?kpi=omzet&bulan={month:%Y-%m}&by=sector").content.decode()
    assert "Makanan olahan" in page
    officer = Client()
    officer.force_login(personas["petugas"])
    page = officer.get(f"/kinerja/ringkasan/?kpi=omzet&bulan={month:%Y-%m}").content.decode()
    assert 'id="overall-median">4.000.000' in page  # Gedong Tataan only
    owner = Client()
    owner.force_login(personas["owner"])
    assert owner.get("/kinerja/ringkasan/").status_code == 403


def test_it_imports_monthly_reports_from_a_spreadsheet_all_or_nothing(businesses, personas, tmp_path):
    import xlsxwriter

    from naikkelas.performance.models import MonthlyReport

    m1, m2 = month_ago(2), month_ago(1)
    path = tmp_path / "laporan.xlsx"

    def write(rows):
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("Laporan")
        sheet.write_row(0, 0, ["LAPORAN BULANAN UMKM BINAAN"])
        for r, row in enumerate(
            [["ID USAHA", "NIB", "BULAN", "OMZET", "HPP", "JUMLAH PELANGGAN"], *rows], start=2
        ):
            sheet.write_row(r, 0, row)
        book.close()

    gedong, other = businesses["gedong"], businesses["pesawaran_other"]
    write(
        [
            [gedong.pk, "", f"{m1:%Y-%m}", "2.500.000", "900.000", 60],
            ["", gedong.nib, f"{m2:%m/%Y}", 2_800_000, 1_000_000, 64],
            [other.pk, "", f"{m2:%Y-%m}", "-10", "", ""],
            [businesses["lamsel"].pk, "", f"{m2:%Y-%m}", 1, 1, 1],
        ]
    )
    c = Client()
    c.force_login(personas["admin_pesawaran"])
    with open(path, "rb") as f:
        page = c.post("/kinerja/impor/", {"file": f}).content.decode()
    assert not MonthlyReport.objects.exists()  # two rows refused: nothing saved
    assert ">6<" in page and "OMZET" in page  # row 6 (as Excel numbers it), column OMZET
    assert ">7<" in page and "ID USAHA" in page  # Lampung Selatan: not in this admin's area
    write(
        [
            [gedong.pk, "", f"{m1:%Y-%m}", "2.500.000", "900.000", 60],
            ["", gedong.nib, f"{m2:%m/%Y}", 2_800_000, 1_000_000, 64],
        ]
    )
    with open(path, "rb") as f:
        c.post("/kinerja/impor/", {"file": f})
    reports = {r.month: values(r) for r in MonthlyReport.objects.filter(business=gedong)}
    assert reports[m1]["omzet"] == 2_500_000 and reports[m2]["pelanggan"] == 64
    assert reports[m2]["margin_kotor"] == Decimal("64.29")
    assert MonthlyReport.objects.get(business=gedong, month=m2).source == "import"


def test_it_lets_an_admin_add_a_derived_kpi_that_reports_then_compute(businesses, personas):
    from naikkelas.performance.models import Kpi

    c = Client()
    c.force_login(personas["admin_pesawaran"])
    bad = c.post("/kinerja/iku/", {"key": "Omzet Online", "name": "", "unit": "%", "formula": "omzet ** 2"})
    assert bad.status_code == 200 and not Kpi.objects.filter(name="").exists()
    unknown = c.post(
        "/kinerja/iku/",
        {
            "key": "laba_per_pelanggan",
            "name": "Laba per pelanggan",
            "unit": "Rp",
            "formula": "laba_bersih / tamu",
        },
    )
    assert "tamu" in unknown.content.decode()
    r = c.post(
        "/kinerja/iku/",
        {
            "key": "laba_per_pelanggan",
            "name": "Laba per pelanggan",
            "unit": "Rp",
            "direction": "higher",
            "formula": "laba_bersih / pelanggan",
            "active": "on",
        },
    )
    assert r.status_code == 302
    services.report_save(
        actor=personas["owner"],
        business=businesses["gedong"],
        month=month_ago(1),
        values={"laba_bersih": "1.200.000", "pelanggan": 80},
        source="owner",
    )
    got = values(MonthlyReport.objects.get(business=businesses["gedong"]))
    assert got["laba_per_pelanggan"] == Decimal("15000.00")
    officer = Client()
    officer.force_login(personas["petugas"])
    assert officer.get("/kinerja/iku/").status_code == 403


def test_the_kpi_page_sets_a_target_at_its_own_address(personas, businesses):
    from django.test import Client

    from naikkelas.performance.models import Target

    c = Client()
    c.force_login(personas["owner"])
    url = f"/usaha/{businesses['gedong'].pk}/kinerja/target/"
    refused = c.post(url, {"kpi": "omzet", "start": "2026-05", "end": "2026-01", "value": "1"})
    assert refused.status_code == 200 and str(services.TARGET_RANGE) in refused.content.decode()
    done = c.post(url, {"kpi": "omzet", "start": "2026-01", "end": "2026-12", "value": "4.000.000"})
    assert done.status_code == 302 and Target.objects.get().value == 4_000_000
    assert c.get(url).status_code == 405
