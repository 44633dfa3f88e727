"""Exports in the national layouts, within scope: businesses in the SIDT-KUMKM layout (read back by the import as
the same businesses) and cooperatives in the ODS recap's columns, from the list pages and the API."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from python_calamine import CalamineWorkbook

from naikkelas.intake.columns import sidt_missing
from naikkelas.intake.services import import_businesses
from naikkelas.registry.models import Business
from naikkelas.registry.national import ODS_COLUMNS, SIDT_COLUMNS
from naikkelas.supervision.models import AnnualMeeting, FinancialReport

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_businesses_in_the_sidt_layout(personas, businesses, tmp_path, api_client_for):
    gedong = businesses["gedong"]
    Business.objects.filter(pk=gedong.pk).update(kbli="10794", legal_form="cv", workers_paid_women=3,
                                                 main_product="Keripik pisang", founded=date(2019, 3, 1))  # fmt: skip
    response = _client(personas["admin_pesawaran"]).get("/usaha/ekspor-sidt.csv")
    rows = _csv(response)
    assert list(rows[0]) == SIDT_COLUMNS and sidt_missing(SIDT_COLUMNS) == []  # the import reads it as SIDT
    names = {r["nama_usaha"] for r in rows}
    assert "Keripik Pisang Bu Siti" in names and "Warung Makan Seruit" not in names  # Lampung Selatan's
    row = next(r for r in rows if r["nama_usaha"] == "Keripik Pisang Bu Siti")
    assert (row["kode_desa"], row["kode_kabupaten"], row["nama_kabupaten"]) == (
        gedong.village_id.replace(".", ""), "1809", "Kabupaten Pesawaran")  # fmt: skip
    assert (row["kategori_kbli"], row["status_badan_usaha"], row["tk_dibayar_perempuan"]) == ("C", "CV", "3")
    assert (row["bulan_mulai_usaha"], row["tahun_mulai_usaha"]) == ("3", "2019")
    assert (
        row["nik"] in ("", gedong.owner.nik_masked) and row["jenis_kelamin"] == ""
    )  # nothing rebuilds a NIK
    book = _client(personas["admin_pesawaran"]).get("/usaha/ekspor-sidt.xlsx").getvalue()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_index(0).to_python()
    assert sheet[0] == SIDT_COLUMNS
    api = api_client_for(personas["admin_pesawaran"]).get("/api/v1/businesses/sidt?page_size=50").json()
    assert {r["nama_usaha"] for r in api["items"]} == names and api["count"] == len(rows)
    # Sent back up and read in again: the same businesses, unchanged.
    path = tmp_path / "kembali.csv"
    path.write_bytes(
        b"".join(_client(personas["admin_pesawaran"]).get("/usaha/ekspor-sidt.csv").streaming_content)
    )
    report = import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert (report.created, len(report.rejected), report.updated, report.unchanged) == (0, 0, 0, 2), (
        report.rejected
    )


@time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False)
def test_cooperatives_in_the_ods_layout(personas, cooperatives, api_client_for):
    coop = cooperatives["gedong"]
    AnnualMeeting.objects.create(cooperative=coop, book_year=2025, held_on=date(2026, 3, 20))
    FinancialReport.objects.create(cooperative=coop, year=2025, equity=40_000_000, total_assets=100_000_000,
                                   gross_participation=70_000_000, non_member_revenue=5_000_000, shu=9_000_000)  # fmt: skip
    rows = _csv(_client(personas["admin_pesawaran"]).get("/koperasi/ekspor-ods.csv"))
    assert list(rows[0]) == ODS_COLUMNS
    row = next(r for r in rows if r["nama_koperasi"] == coop.name)
    assert (row["tahun_buku"], row["rat"], row["tanggal_rat"]) == ("2025", "Ya", "2026-03-20")
    assert (row["modal_sendiri"], row["modal_luar"], row["volume_usaha"], row["shu"]) == (
        "40000000", "60000000", "75000000", "9000000")  # fmt: skip
    assert cooperatives["lamsel"].name not in {r["nama_koperasi"] for r in rows}
    api = api_client_for(personas["admin_lamsel"]).get("/api/v1/cooperatives/ods").json()
    assert coop.name not in {r["nama_koperasi"] for r in api["items"]}
