"""Data quality per region and source: each gap counted as defined, linked to the filtered list that holds exactly
those records (the worklist), within the user's area; as XLSX too."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from python_calamine import CalamineWorkbook

from naikkelas.intake import quality
from naikkelas.intake.models import DuplicateCluster, DuplicateRun
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business
from tests.conftest import make_business

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


@pytest.fixture
def records(villages, businesses, personas):
    gedong = villages["gedong"]
    made = {
        "full": make_business(
            "Kopi Lengkap", gedong, kbli="10761", address="Jl. Raya 1", phone="081211112222"
        ),
        "unmapped": make_business("Kode Aneh", gedong, kbli="34567", address="Jl. Raya 2"),
        "twin": make_business("Kopi Lengkap Ibu", gedong, address="Jl. Raya 1"),
    }
    Business.objects.filter(pk=made["full"].pk).update(owner=made["full"].owner)
    made["full"].owner.nik_hash, made["full"].owner.phone = "h" * 64, "+6281211112222"
    made["full"].owner.save()
    VerificationVisit.objects.create(business=made["full"], visited_on=date(2026, 5, 1), outcome="operating")
    VerificationVisit.objects.create(business=made["twin"], visited_on=date(2024, 1, 1), outcome="operating")
    run = DuplicateRun.objects.create(region_code="18.09", records=3, threshold=0.9)
    DuplicateCluster.objects.create(run=run, members=sorted([made["full"].pk, made["twin"].pk]), probability=0.95,
                                    region_code=gedong.code)  # fmt: skip
    return made


@time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False)
def test_gaps_counted_and_linked_to_the_records_to_fix(records, businesses, villages, personas):
    district = Region.objects.get(code=villages["gedong"].code[:8])
    mine = Business.objects.filter(village__code__startswith=district.code + ".")
    [row] = quality.by_region(mine, [district], TODAY)
    assert row.total == 4  # Keripik Pisang Bu Siti and the three above
    assert (row.gaps["kbli"], row.gaps["kbli_unmapped"], row.gaps["duplicate"], row.gaps["unverified"]) == (
        2, 1, 2, 3)  # fmt: skip
    assert row.complete == 1 and row.complete_share == 25.0 and row.mappable_share == 50.0
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    page = client.get("/impor/kualitas/?region=18.09").content.decode()
    assert f"?region={district.code}&amp;gap=kbli_unmapped" in page and 'id="quality-sources"' in page
    listed = client.get(f"/usaha/?region={district.code}&gap=kbli_unmapped").content.decode()
    assert "Kode Aneh" in listed and "Kopi Lengkap" not in listed
    worklist = client.get(f"/usaha/?region={district.code}&gap=unverified").content.decode()
    assert "Kode Aneh" in worklist and "Kopi Lengkap Ibu" in worklist and "Kopi Lengkap<" not in worklist
    book = client.get("/impor/kualitas.xlsx?region=18.09").getvalue()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "Wilayah atau sumber" and any(r[0] == district.name and r[1] == 4 for r in sheet)
    # Exported with the indicators too, as a second sheet of their workbook.
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(client.get("/rencana/indikator.xlsx?wilayah=18.09").getvalue())
    )
    assert book.sheet_names == ["Indikator", "Kualitas data (hari ini)"]
    second = book.get_sheet_by_name("Kualitas data (hari ini)").to_python()
    assert any(r[0] == district.name and r[1] == 4 for r in second)


@time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False)
def test_each_sees_the_quality_of_its_own_area(records, businesses, personas, api_client_for):
    client = Client()
    client.force_login(personas["admin_lamsel"])  # Pesawaran asked for: Lampung Selatan shown
    page = client.get("/impor/kualitas/?region=18.09").content.decode()
    assert "Gedong Tataan" not in page and "Lampung Selatan" in page
    client.force_login(personas["petugas"])  # a field officer: the districts in their care
    assert client.get("/impor/kualitas/").status_code == 200
    client.force_login(personas["owner"])
    assert client.get("/impor/kualitas/").status_code == 403
    api = api_client_for(personas["admin_pesawaran"])
    assert api.get("/api/v1/businesses?gap=kbli_unmapped").json()["count"] == 1
    assert api.get("/api/v1/businesses?gap=lainnya").status_code == 422
