"""KBLI 2020: a code is checked against its golongan pokok (or BPS's full table when the office names it), named
on the page, in the API and the export, proposes a sector, and an unknown one is refused by field or, in an
import, reported by row and dropped from the row."""

import csv
import io

import pytest
from django.test import Client
from django.utils import translation

from naikkelas.intake.services import import_businesses
from naikkelas.registry import kbli, services
from naikkelas.registry.models import Business
from tests.conftest import make_business


def test_the_shipped_table_has_every_category_and_golongan_pokok():
    titles, category_of, _detailed = kbli._table("")
    assert {c for c in titles if c.isalpha()} == set("ABCDEFGHIJKLMNOPQRSTU")
    assert len(category_of) == 88 and category_of["10"] == "C" and category_of["56"] == "I"


def test_look_up_by_golongan_pokok_and_with_the_full_table(tmp_path, settings):
    found, why = kbli.look_up("10794")
    assert why == "" and found.title == "Industri Makanan" and found.category == "C" and not found.exact
    assert kbli.look_up("34567")[0] is None and "34" in kbli.look_up("34567")[1]
    assert kbli.look_up("1079")[0] is None
    full = tmp_path / "kbli.csv"
    full.write_text("kode,judul\n10794,Industri Kerupuk Keripik Peyek dan Sejenisnya\n", encoding="utf-8")
    settings.NAIKKELAS_KBLI_EXTRA = str(full)
    found, _why = kbli.look_up("10794")
    assert found.exact and found.title.startswith("Industri Kerupuk")
    assert kbli.look_up("10799")[0] is None  # the full table details golongan pokok 10: a code must be in it
    assert kbli.look_up("56102")[0].title == "Penyediaan Makanan dan Minuman"  # 56 not detailed there


@pytest.mark.django_db
def test_the_registry_refuses_an_unknown_code_and_proposes_a_sector(personas, villages):
    admin = personas["admin_pesawaran"]
    data = {"name": "Kerupuk Bu Ani", "owner_name": "Ani", "village": villages["gedong"].code}
    with translation.override("id"), pytest.raises(Exception) as err:
        services.business_create(actor=admin, data={**data, "kbli": "34567"})
    assert "kbli" in err.value.message_dict and "34567" in err.value.message_dict["kbli"][0]
    made = services.business_create(actor=admin, data={**data, "kbli": "10794"})
    assert made.sector == "Industri Makanan"


@pytest.mark.django_db
def test_page_api_and_export_name_the_code(personas, villages, api_client_for):
    business = make_business("Kerupuk Bu Ani", villages["gedong"], kbli="10794")
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    assert "10794 · Industri Makanan" in client.get(f"/usaha/{business.pk}/").content.decode()
    api = api_client_for(personas["admin_pesawaran"]).get(f"/api/v1/businesses/{business.pk}").json()
    assert api["kbli_title"] == "Industri Makanan"
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/usaha/ekspor.csv").streaming_content).decode())))
    at = rows[0].index("judul_kbli")
    assert rows[0][at - 1] == "kbli" and rows[1][at] == "Industri Makanan"


@pytest.mark.django_db
def test_an_import_reports_an_unknown_code_and_keeps_the_row(personas, tmp_path):
    path = tmp_path / "umkm.csv"
    path.write_text("nama_usaha,nama_pemilik,kode_desa,kbli\nKerupuk Bu Ani,Ani,1809012007,10794\n"
                    "Jahit Pak Budi,Budi,1809012007,34567\n", encoding="utf-8")  # fmt: skip
    with translation.override("id"):
        report = import_businesses(actor=personas["admin_pesawaran"], path=path)
    assert dict(Business.objects.values_list("name", "kbli")) == {
        "Kerupuk Bu Ani": "10794",
        "Jahit Pak Budi": "",
    }
    assert Business.objects.get(name="Kerupuk Bu Ani").sector == "Industri Makanan"
    [warning] = [w for w in report.warnings if w["column"] == "kbli"]
    assert warning["row"] == 3 and "34567" in warning["reason"] and "tanpa kode" in warning["reason"]
