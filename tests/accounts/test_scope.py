"""Every role sees exactly its own records, through pages, the API and exports; the rest answers 404."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import VISIBLE, VISIBLE_COOPS

ROLES = list(VISIBLE)


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_each_role_only_its_businesses_on_the_list_page(role, personas, businesses):
    response = _login(personas[role]).get(reverse("business_list"))
    assert response.status_code == 200
    shown = {key for key, b in businesses.items() if b.name in response.content.decode()}
    assert shown == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_404_for_a_business_page_out_of_scope(role, personas, businesses):
    client = _login(personas[role])
    for key, business in businesses.items():
        status = client.get(reverse("business_detail", args=[business.pk])).status_code
        assert status == (200 if key in VISIBLE[role] else 404), key


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_404_for_an_edit_page_out_of_scope(role, personas, businesses):
    client = _login(personas[role])
    for key, business in businesses.items():
        if key not in VISIBLE[role]:
            assert client.get(reverse("business_edit", args=[business.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_it_limits_the_api_list_and_detail_to_scope(role, personas, businesses, api_client_for):
    client = api_client_for(personas[role])
    body = client.get("/api/v1/businesses?page_size=100").json()
    assert {item["name"] for item in body["items"]} == {businesses[k].name for k in VISIBLE[role]}
    assert body["count"] == len(VISIBLE[role])
    for key, business in businesses.items():
        status = client.get(f"/api/v1/businesses/{business.pk}").status_code
        assert status == (200 if key in VISIBLE[role] else 404), key


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_404_to_an_api_patch_out_of_scope(role, personas, businesses, api_client_for):
    client = api_client_for(personas[role])
    for key, business in businesses.items():
        if key in VISIBLE[role]:
            continue
        response = client.patch(
            f"/api/v1/businesses/{business.pk}", {"name": "Dibajak"}, content_type="application/json"
        )
        assert response.status_code == 404
        business.refresh_from_db()
        assert business.name != "Dibajak"


@pytest.mark.parametrize("role", ROLES)
def test_it_exports_only_what_the_role_may_see(role, personas, businesses, tmp_path):
    response = _login(personas[role]).get(reverse("business_export"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    names = {row["nama_usaha"] for row in csv.DictReader(io.StringIO(text))}
    assert names == {businesses[k].name for k in VISIBLE[role]}
    xlsx = _login(personas[role]).get(reverse("business_export_xlsx"))
    path = tmp_path / "usaha.xlsx"
    path.write_bytes(xlsx.getvalue())
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert {r[1] for r in rows[1:]} == {businesses[k].name for k in VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_it_limits_cooperatives_in_pages_api_and_exports(role, personas, cooperatives, api_client_for):
    expected = {cooperatives[k].name for k in VISIBLE_COOPS[role]}
    client = _login(personas[role])
    page = client.get(reverse("cooperative_list")).content.decode()
    assert {c.name for c in cooperatives.values() if c.name in page} == expected
    api = api_client_for(personas[role]).get("/api/v1/cooperatives").json()
    assert {item["name"] for item in api["items"]} == expected
    text = b"".join(client.get(reverse("cooperative_export")).streaming_content).decode("utf-8-sig")
    assert {row["nama_koperasi"] for row in csv.DictReader(io.StringIO(text))} == expected
    for key, coop in cooperatives.items():
        status = client.get(reverse("cooperative_detail", args=[coop.pk])).status_code
        assert status == (200 if key in VISIBLE_COOPS[role] else 404)


def test_it_sends_anonymous_visitors_to_the_login_page(businesses):
    response = Client().get(reverse("business_detail", args=[businesses["gedong"].pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_refuses_the_api_without_a_token(businesses):
    response = Client().get("/api/v1/businesses")
    assert response.status_code == 401


def test_it_refuses_a_wrong_token(businesses):
    response = Client(HTTP_AUTHORIZATION="Bearer nk_wrong").get("/api/v1/businesses")
    assert response.status_code == 401


def test_it_shows_the_audit_log_to_admins_within_their_region_only(personas, businesses, villages):
    from naikkelas.registry.services import business_update

    business_update(actor=personas["admin_lampung"], business=businesses["lamsel"], data={"employees": "4"})
    business_update(actor=personas["admin_pesawaran"], business=businesses["gedong"], data={"employees": "3"})
    lamsel_page = _login(personas["admin_lamsel"]).get(reverse("audit_log")).content.decode()
    assert "Warung Makan Seruit" in lamsel_page
    assert "Keripik Pisang Bu Siti" not in lamsel_page
    assert _login(personas["petugas"]).get(reverse("audit_log")).status_code == 404
    assert _login(personas["owner"]).get(reverse("audit_log")).status_code == 404
