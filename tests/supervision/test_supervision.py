"""Supervision: RAT due dates and compliance lists, financial reports by form, API and XLSX, ratings, visits
with follow-ups, the dashboard by region, and who may do what.

coop_manager manages KSP gedong (Gedong Tataan); petugas supervises Gedong Tataan; admin_pesawaran the regency."""

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from naikkelas.core.models import AuditLog
from naikkelas.registry.models import Cooperative
from naikkelas.supervision import rat, selectors, services
from naikkelas.supervision.models import FinancialReport, FollowUp, HealthRating
from tests.supervision.test_health import MANAGEMENT, REPORT

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_it_knows_when_a_rat_is_due():
    assert rat.due_on("primer", 2025) == date(2026, 3, 31)
    assert rat.due_on("sekunder", 2025) == date(2026, 6, 30)
    on_time = rat.standing("primer", 2025, {2025: date(2026, 3, 31)})
    late = rat.standing("primer", 2025, {2025: date(2026, 4, 1)})
    assert on_time.on_time and not on_time.late(TODAY)
    assert late.late(TODAY) and not late.missing(TODAY)
    pending = rat.standing("primer", 2025, {})
    assert (
        not pending.late(date(2026, 3, 31))
        and pending.late(date(2026, 4, 1))
        and pending.missing(date(2026, 4, 1))
    )


@pytest.fixture
def coops(cooperatives, villages):
    gedong, other = cooperatives["gedong"], cooperatives["pesawaran_other"]
    make = Cooperative.objects.create
    return {
        "gedong": gedong,
        "late": other,
        "secondary": make(
            name="Puskop Pesawaran", type="simpan_pinjam", level="sekunder", village=villages["gedong"]
        ),
        "silent": make(name="KSP Sepi", type="simpan_pinjam", village=villages["gedong"]),
        "new": make(
            name="KSP Baru",
            type="simpan_pinjam",
            village=villages["gedong"],
            legal_entity_date=date(2026, 2, 1),
        ),
        "dissolved": make(
            name="KSP Bubar", type="simpan_pinjam", village=villages["gedong"], status="dibubarkan"
        ),
    }


def record(personas, coop, year, held, who="admin_pesawaran"):
    return services.meeting_record(
        actor=personas[who], cooperative=coop, data={"book_year": year, "held_on": held}
    )


def test_it_lists_cooperatives_late_this_year_and_missing_two_years_running(personas, coops):
    record(personas, coops["gedong"], 2025, "2026-03-15", who="coop_manager")  # managers record their own RAT
    record(personas, coops["late"], 2025, "2026-05-02")
    record(personas, coops["late"], 2024, "2025-03-01")
    record(personas, coops["secondary"], 2025, "2026-06-20")  # a secondary cooperative has until 30 June
    result = selectors.compliance(user=personas["admin_pesawaran"], year=2026, today=TODAY)
    late = {c.name: s.held_on for c, s in result.late}
    assert late == {"KSP pesawaran_other": date(2026, 5, 2), "KSP Sepi": None}
    assert [c.name for c, _a, _b in result.missing_two_years] == ["KSP Sepi"]
    assert result.on_time == 2  # gedong and the secondary; KSP Baru, founded in 2026, owes no RAT for 2025
    # Field officers see their districts only; another regency sees none of it.
    assert {
        c.name for c, _s in selectors.compliance(user=personas["petugas"], year=2026, today=TODAY).late
    } == {"KSP Sepi"}
    assert {
        c.name for c, _s in selectors.compliance(user=personas["admin_lamsel"], year=2026, today=TODAY).late
    } == {"KSP lamsel"}


def test_it_checks_rat_records(personas, coops):
    with pytest.raises(ValidationError) as err:
        record(personas, coops["gedong"], 2025, "2025-12-20")  # before the books closed
    assert "held_on" in err.value.message_dict
    with pytest.raises(ValidationError):
        record(personas, coops["gedong"], 2025, "2099-01-01")
    with pytest.raises(ValidationError):
        record(personas, coops["gedong"], "dua ribu", "2026-01-10")
    with pytest.raises(PermissionDenied):  # a manager of another cooperative
        record(personas, coops["late"], 2025, "2026-03-01", who="coop_manager")
    minutes = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4", content_type="application/pdf")
    meeting = services.meeting_record(
        actor=personas["coop_manager"],
        cooperative=coops["gedong"],
        data={"book_year": "2025", "held_on": "2026-02-20", "members_present": "45"},
        files={"minutes": minutes},
    )
    assert meeting.minutes.name.endswith(".pdf") and meeting.members_present == 45
    url = f"/koperasi/{coops['gedong'].pk}/pengawasan/rat/{meeting.pk}/minutes/"
    officer, stranger = Client(), Client()
    officer.force_login(personas["petugas"])
    stranger.force_login(personas["admin_lamsel"])
    assert b"".join(officer.get(url).streaming_content) == b"%PDF-1.4"
    assert stranger.get(url).status_code == 404
    assert officer.get(url.replace("minutes", "attendance")).status_code == 404  # none uploaded
    again = record(personas, coops["gedong"], 2025, "2026-02-21")  # a correction, not a second RAT
    assert (
        again.pk == meeting.pk
        and AuditLog.objects.filter(object_type="supervision.annualmeeting").count() == 2
    )


def test_it_saves_a_years_report_and_rates_it_with_every_ratio_shown(personas, coops):
    data = {k: f"{v:,}".replace(",", ".") for k, v in REPORT.items()}  # typed the Indonesian way
    report = services.report_save(
        actor=personas["coop_manager"], cooperative=coops["gedong"], year="2025", data=data
    )
    assert report.total_assets == REPORT["total_assets"]
    with pytest.raises(ValidationError) as err:
        services.report_save(
            actor=personas["coop_manager"],
            cooperative=coops["gedong"],
            year=2025,
            data={**data, "equity": "banyak"},
        )
    assert list(err.value.message_dict) == ["equity"]
    with pytest.raises(PermissionDenied):  # managers report; the office rates
        services.rating_make(actor=personas["coop_manager"], report=report, management=MANAGEMENT)
    with pytest.raises(ValidationError):
        services.rating_make(actor=personas["petugas"], report=report, management={"general": 13})
    rating = services.rating_make(actor=personas["petugas"], report=report, management=MANAGEMENT)
    assert str(rating.score) == "89.65" and rating.category == "sehat"
    client = Client()
    client.force_login(personas["coop_manager"])  # a manager reads their own rating
    page = client.get(f"/pengawasan/penilaian/{rating.pk}/").content.decode()
    assert "89,65" in page and "Kas dan bank terhadap kewajiban lancar" in page and "12.00" in page
    outsider = Client()
    outsider.force_login(personas["admin_lamsel"])
    assert outsider.get(f"/pengawasan/penilaian/{rating.pk}/").status_code == 404


def _workbook(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Laporan")
    sheet.write_row(0, 0, ["LAPORAN KEUANGAN KOPERASI 2025"])
    sheet.write_row(
        2, 0, ["ID KOPERASI", "TAHUN BUKU", "Total aset", "Modal sendiri", "Kas dan bank", "SHU bersih"]
    )
    for n, row in enumerate(rows, start=3):
        sheet.write_row(n, 0, row)
    book.close()
    return out.getvalue()


def test_it_imports_reports_from_xlsx_all_or_nothing(personas, coops):
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    bad = _workbook(
        [
            [coops["gedong"].pk, 2025, "Rp 1.000.000.000", 450_000_000, 120_000_000, 30_000_000],
            [coops["late"].pk, 2025, "seribu", 1, 1, 1],
            [999999, 2025, 1, 1, 1, 1],
        ]
    )
    page = client.post(
        "/pengawasan/laporan/impor/", {"file": SimpleUploadedFile("lap.xlsx", bad)}
    ).content.decode()
    assert not FinancialReport.objects.exists()
    assert "seribu" in page and "999999" in page  # each refusal names the row's value
    good = _workbook(
        [
            [coops["gedong"].pk, 2025, "Rp 1.000.000.000", 450_000_000, 120_000_000, -5_000_000],
            [coops["late"].pk, 2024, 800_000_000, 200_000_000, 50_000_000, 10_000_000],
        ]
    )
    client.post("/pengawasan/laporan/impor/", {"file": SimpleUploadedFile("lap.xlsx", good)})
    saved = {(r.cooperative_id, r.year): (r.total_assets, r.shu) for r in FinancialReport.objects.all()}
    assert saved == {
        (coops["gedong"].pk, 2025): (1_000_000_000, -5_000_000),
        (coops["late"].pk, 2024): (800_000_000, 10_000_000),
    }
    lamsel = Client()
    lamsel.force_login(personas["admin_lamsel"])  # the same file from another regency: no such cooperatives
    page = lamsel.post(
        "/pengawasan/laporan/impor/", {"file": SimpleUploadedFile("lap.xlsx", good)}
    ).content.decode()
    assert FinancialReport.objects.count() == 2 and 'id="problems"' in page
    template = client.get("/pengawasan/laporan/impor/?template=1")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_records_a_visit_with_follow_ups_and_shows_them_on_the_dashboard(personas, coops):
    with pytest.raises(ValidationError):
        services.visit_record(
            actor=personas["petugas"],
            cooperative=coops["gedong"],
            visited_on="2026-11-01",
            summary="",
            findings=[{"text": ""}],
        )
    with pytest.raises(ValidationError):  # an action without an owner and deadline
        services.visit_record(
            actor=personas["petugas"],
            cooperative=coops["gedong"],
            visited_on="2026-11-01",
            summary="",
            findings=[{"text": "Buku kas tidak lengkap", "action": "Lengkapi"}],
        )
    visit = services.visit_record(
        actor=personas["petugas"],
        cooperative=coops["gedong"],
        visited_on="2026-11-01",
        summary="Pemeriksaan tahunan",
        findings=[
            {
                "text": "Buku kas tidak lengkap",
                "severity": "tinggi",
                "action": "Lengkapi buku kas",
                "owner": "Bendahara",
                "due_on": "2026-11-10",
            },
            {
                "text": "RAT belum dilaporkan ke ODS",
                "action": "Unggah ke ODS",
                "owner": "Ketua",
                "due_on": "2026-12-31",
            },
            {"text": "Papan nama usang"},
        ],
    )
    assert visit.findings.count() == 3 and FollowUp.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=personas["coop_manager"],
            cooperative=coops["gedong"],
            visited_on="2026-11-01",
            summary="",
            findings=[{"text": "x"}],
        )
    report = services.report_save(
        actor=personas["petugas"], cooperative=coops["gedong"], year=2025, data=REPORT
    )
    services.rating_make(actor=personas["petugas"], report=report, management=MANAGEMENT)
    record(personas, coops["gedong"], 2025, "2026-03-15")
    rows, total = selectors.dashboard(user=personas["admin_pesawaran"], today=TODAY)
    by_code = {r.code: r for r in rows}
    gedong = by_code["18.09.01"]
    # gedong, the secondary, the silent, the new one (the dissolved one is not supervised)
    assert gedong.cooperatives == 4 and gedong.savings_loan == 4
    assert gedong.rat_on_time == 1 and gedong.rat_late == 2 and gedong.missing_two_years == 2
    assert gedong.ratings["sehat"] == 1
    assert (gedong.open_actions, gedong.overdue_actions, gedong.visits_this_year) == (2, 1, 1)
    assert total.cooperatives == 5  # with KSP pesawaran_other in 18.09.02
    # The manager marks the overdue action done.
    overdue = FollowUp.objects.get(owner="Bendahara")
    services.follow_up_done(
        actor=personas["coop_manager"], follow_up=overdue, done_on="2026-11-20", note="Sudah"
    )
    rows, _total = selectors.dashboard(user=personas["admin_pesawaran"], today=TODAY)
    assert {r.code: r.overdue_actions for r in rows}["18.09.01"] == 0
    # The province sees regencies; a regency row leads to its districts.
    rows, _total = selectors.dashboard(user=personas["admin_lampung"], today=TODAY)
    assert {r.code for r in rows} == {"18.09", "18.01"}
    client = Client()
    client.force_login(personas["admin_lampung"])
    page = client.get("/pengawasan/?region=18.09").content.decode()
    assert "Gedong Tataan" in page.upper() or "GEDONG TATAAN" in page.upper()


def test_the_cooperative_page_records_a_rat_a_report_and_a_rating(personas, coops):
    client = Client()
    client.force_login(personas["petugas"])
    url = f"/koperasi/{coops['gedong'].pk}/pengawasan/"
    assert client.post(url + "rat/", {"book_year": "2025", "held_on": "2026-03-10"}).status_code == 302
    bad = client.post(url + "laporan/", {"year": "2025", "total_assets": "x"}).content.decode()
    assert 'role="alert"' in bad
    client.post(url + "laporan/", {"year": "2025", **{k: str(v) for k, v in REPORT.items()}})
    report = FinancialReport.objects.get()
    client.post(
        url + "penilaian/",
        {"report": report.pk, **{f"management_{k}": v for k, v in MANAGEMENT.items()}},
    )
    assert HealthRating.objects.get().score == report.ratings.get().score
    page = client.get(url).content.decode()
    assert "89,65" in page and "2025" in page


def test_it_serves_rat_reports_and_ratings_over_the_api(personas, coops, api_client_for):
    manager, officer = api_client_for(personas["coop_manager"]), api_client_for(personas["petugas"])
    coop = coops["gedong"].pk
    made = manager.post(
        f"/api/v1/cooperatives/{coop}/meetings",
        {"book_year": 2025, "held_on": "2026-03-01"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert manager.get(f"/api/v1/cooperatives/{coop}/meetings").json()["items"][0]["book_year"] == 2025
    saved = manager.post(
        f"/api/v1/cooperatives/{coop}/reports",
        {"year": 2025, "items": REPORT},
        content_type="application/json",
    )
    assert saved.status_code == 201 and saved.json()["items"]["cash_and_bank"] == REPORT["cash_and_bank"]
    assert (
        manager.post(
            f"/api/v1/cooperatives/{coop}/reports/2025/rating",
            {"management": MANAGEMENT},
            content_type="application/json",
        ).status_code
        == 403
    )
    rated = officer.post(
        f"/api/v1/cooperatives/{coop}/reports/2025/rating",
        {"management": MANAGEMENT},
        content_type="application/json",
    )
    assert rated.status_code == 201 and rated.json()["category"] == "sehat"
    aspects = {a["key"]: a["score"] for a in rated.json()["details"]["aspects"]}
    assert aspects["likuiditas"] == "13.75"
    assert (
        officer.post(
            f"/api/v1/cooperatives/{coop}/reports/2025/rating",
            {"method": "ksp2099"},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert (
        api_client_for(personas["admin_lamsel"]).get(f"/api/v1/cooperatives/{coop}/ratings").status_code
        == 404
    )
    late = officer.get("/api/v1/supervision/rat-late?year=2026").json()["items"]
    # As of the real today: the secondary's 30 June has passed too; KSP Baru owes nothing for 2025.
    assert {row["name"] for row in late} == {"KSP Sepi", "Puskop Pesawaran"}


def test_the_cooperative_page_records_a_visit_and_closes_its_follow_up_each_at_its_own_address(
    personas, coops
):
    client = Client()
    client.force_login(personas["petugas"])
    url = f"/koperasi/{coops['gedong'].pk}/pengawasan/"
    refused = client.post(
        url + "kunjungan/", {"visited_on": "2026-11-01", "finding_1": "Buku kas", "action_1": "x"}
    )
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    done = client.post(url + "kunjungan/", {"visited_on": "2026-11-01", "summary": "Periksa", "finding_1": "Buku kas",
                                            "action_1": "Lengkapi", "owner_1": "Bendahara", "due_1": "2026-11-20"})  # fmt: skip
    assert done.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (
        client.post(url + "tindak-lanjut/", {"follow_up": follow_up.pk, "done_on": "2026-11-05"}).status_code
        == 302
    )
    follow_up.refresh_from_db()
    assert follow_up.done_on == date(2026, 11, 5)
    assert client.get(url + "kunjungan/").status_code == 405
