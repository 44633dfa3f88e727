"""The JSON API: token auth, regions, businesses and cooperatives, Indonesian errors, OpenAPI."""

import pytest
from django.core.management import call_command
from django.test import Client

from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.registry.models import Business, Person
from naikkelas.registry.tallies import tally_rebuild
from tests.conftest import VALID_NIK_WOMAN

ITEM_KEYS = {
    "id",
    "name",
    "owner_name",
    "nik_masked",
    "nib",
    "sector",
    "kbli",
    "village_code",
    "address",
    "phone",
    "founded",
    "employees",
    "assets",
    "annual_revenue",
    "size_class",
    "status",
}


def test_it_prints_a_working_token_and_the_same_one_again(personas, businesses, capsys):
    call_command("api_token", "admin.pesawaran")
    token = capsys.readouterr().out.strip()
    call_command("api_token", "admin.pesawaran")
    assert capsys.readouterr().out.strip() == token
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/businesses")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_it_fails_the_token_command_for_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_token", "tidak.ada")


def test_it_lists_provinces_without_a_parent(db):
    body = Client().get("/api/v1/regions").json()
    assert {"code": "18", "name": "Lampung", "level": "province"} in body["items"]
    assert body["count"] == len(body["items"])


def test_it_lists_the_children_of_a_region(db):
    body = Client().get("/api/v1/regions?parent=18.09").json()
    assert body["count"] == 11  # Pesawaran's 11 districts
    assert {"code": "18.09.01", "name": "Gedong Tataan", "level": "district"} in body["items"]
    villages = Client().get("/api/v1/regions?parent=18.09.01").json()
    assert all(
        item["level"] == "village" and item["code"].startswith("18.09.01.") for item in villages["items"]
    )


def test_it_rejects_a_malformed_parent_code(db):
    response = Client().get("/api/v1/regions?parent=18-09")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "parent"


def test_it_returns_the_documented_item_shape(personas, businesses, api_client_for):
    body = api_client_for(personas["admin_lampung"]).get("/api/v1/businesses").json()
    assert set(body) == {"count", "page", "page_size", "items"}
    assert set(body["items"][0]) >= ITEM_KEYS


def test_it_filters_by_query_region_status_sector_and_size(personas, businesses, api_client_for):
    client = api_client_for(personas["admin_lampung"])
    Business.objects.filter(pk=businesses["lamsel"].pk).update(
        status="operating", size_class="kecil", kbli="56102"
    )
    tally_rebuild()  # written around the services, as a bulk loader would

    def names(query):
        return {i["name"] for i in client.get(f"/api/v1/businesses?{query}").json()["items"]}

    assert names("q=keripik") == {"Keripik Pisang Bu Siti"}
    assert names("q=budi") == {"Kopi Robusta Pak Budi"}  # owner name
    assert names("q=1234567890123") == {"Keripik Pisang Bu Siti"}  # NIB
    assert names("region=18.09") == {"Keripik Pisang Bu Siti", "Kopi Robusta Pak Budi"}
    assert names("region=18.09.01") == {"Keripik Pisang Bu Siti"}
    assert names(f"region={businesses['gedong'].village_id}") == {"Keripik Pisang Bu Siti"}
    assert names("region=36") == set()  # outside scope stays invisible even when asked for
    assert names("status=operating") == {"Warung Makan Seruit"}
    assert client.get("/api/v1/businesses?status=operating").json()["count"] == 1
    assert names("size_class=kecil") == {"Warung Makan Seruit"}
    assert names("sector=Makanan%20olahan") == {"Keripik Pisang Bu Siti"}
    assert names("sector=561") == {"Warung Makan Seruit"}  # KBLI prefix


def test_it_pages_results(personas, businesses, api_client_for):
    client = api_client_for(personas["national"])
    first = client.get("/api/v1/businesses?page=1&page_size=3").json()
    second = client.get("/api/v1/businesses?page=2&page_size=3").json()
    assert first["count"] == second["count"] == 4
    assert len(first["items"]) == 3 and len(second["items"]) == 1
    assert client.get("/api/v1/businesses?page_size=1000").status_code == 422
    assert client.get("/api/v1/businesses?page=0").status_code == 422
    bad = client.get("/api/v1/businesses?status=bangkrut")
    assert bad.status_code == 422
    assert bad.json()["detail"] == [{"field": "status", "message": "status: nilai “bangkrut” tidak dikenal."}]


def test_it_finds_an_owner_by_full_nik_without_storing_it(personas, villages, api_client_for):
    client = api_client_for(personas["admin_pesawaran"])
    created = client.post(
        "/api/v1/businesses",
        {
            "name": "Keripik Bu Siti",
            "owner_name": "Siti",
            "owner_nik": VALID_NIK_WOMAN,
            "village_code": villages["gedong"].code,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    refused = client.get(f"/api/v1/businesses?q={VALID_NIK_WOMAN}")  # a NIK never travels in a URL
    assert refused.status_code == 422 and "POST /api/v1/businesses/search" in refused.content.decode()
    found = client.post(
        "/api/v1/businesses/search", {"q": VALID_NIK_WOMAN}, content_type="application/json"
    ).json()
    assert [i["name"] for i in found["items"]] == ["Keripik Bu Siti"]
    assert found["items"][0]["nik_masked"] == "1809xxxxxxxx0001"


def test_it_creates_a_business_and_normalises_the_phone(personas, villages, api_client_for):
    response = api_client_for(personas["petugas"]).post(
        "/api/v1/businesses",
        {
            "name": "Kopi Bubuk Pak Slamet",
            "owner_name": "Slamet",
            "village_code": villages["gedong"].code,
            "phone": "0812 3456 7890",
            "annual_revenue": 24_000_000,
            "assets": "Rp 5.000.000",
            "employees": 1,
            "nib": "9120001234567",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["phone"] == "+6281234567890"
    assert body["size_class"] == "mikro"
    assert body["assets"] == 5_000_000


def test_it_rejects_bad_input_in_indonesian_naming_each_field(personas, villages, api_client_for):
    response = api_client_for(personas["admin_pesawaran"]).post(
        "/api/v1/businesses",
        {
            "name": "X",
            "owner_name": "Y",
            "owner_nik": "123",
            "nib": "12",
            "phone": "000",
            "annual_revenue": -5,
            "village_code": villages["lamsel"].code,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = {d["field"]: d["message"] for d in response.json()["detail"]}
    assert set(detail) == {"owner_nik", "nib", "phone", "annual_revenue", "village"}
    assert detail["nib"] == "NIB harus tepat 13 digit."
    assert detail["annual_revenue"] == "Omzet tahunan tidak boleh negatif."
    assert "di luar wilayah kerja Anda" in detail["village"]
    assert Business.objects.count() == 0 and Person.objects.count() == 0


def test_it_answers_in_english_when_asked(personas, villages, api_client_for):
    response = api_client_for(personas["admin_pesawaran"]).post(
        "/api/v1/businesses",
        {"name": "X", "owner_name": "Y", "nib": "12", "village_code": villages["gedong"].code},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["detail"] == [{"field": "nib", "message": "NIB must be exactly 13 digits."}]


def test_it_rejects_a_wrongly_typed_body_with_the_field_named(personas, businesses, api_client_for):
    response = api_client_for(personas["admin_pesawaran"]).patch(
        f"/api/v1/businesses/{businesses['gedong'].pk}", {"owner_id": "abc"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "owner_id"
    assert "tidak valid" in response.json()["detail"][0]["message"]


def test_it_patches_only_the_given_fields_and_keeps_history(personas, businesses, api_client_for):
    business = businesses["gedong"]
    response = api_client_for(personas["petugas"]).patch(
        f"/api/v1/businesses/{business.pk}",
        {"status": "operating", "employees": 4, "note": "Kunjungan"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "operating"
    assert response.json()["name"] == "Keripik Pisang Bu Siti"
    assert business.status_history.get(status="operating").note == "Kunjungan"


def test_it_reveals_a_nik_through_the_api_only_with_an_audit_entry(personas, villages, api_client_for):
    client = api_client_for(personas["admin_pesawaran"])
    created = client.post(
        "/api/v1/businesses",
        {
            "name": "A",
            "owner_name": "Siti",
            "owner_nik": VALID_NIK_WOMAN,
            "village_code": villages["gedong"].code,
        },
        content_type="application/json",
    )
    business_id = created.json()["id"]
    assert client.post(f"/api/v1/businesses/{business_id}/owner-nik").json() == {"nik": VALID_NIK_WOMAN}
    assert (
        AuditLog.objects.filter(action=AuditAction.VIEW_NIK, actor=personas["admin_pesawaran"]).count() == 1
    )


def test_it_forbids_an_owner_from_creating_records(personas, villages, api_client_for):
    response = api_client_for(personas["owner"]).post(
        "/api/v1/businesses",
        {"name": "A", "owner_name": "B", "village_code": villages["gedong"].code},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_it_creates_gets_and_patches_cooperatives(personas, villages, api_client_for):
    client = api_client_for(personas["admin_pesawaran"])
    created = client.post(
        "/api/v1/cooperatives",
        {"name": "KSP Maju", "type": "simpan_pinjam", "members": 45, "village_code": villages["gedong"].code},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    coop_id = created.json()["id"]
    assert client.get(f"/api/v1/cooperatives/{coop_id}").json()["members"] == 45
    patched = client.patch(
        f"/api/v1/cooperatives/{coop_id}",
        {"members": 60, "level": "sekunder"},
        content_type="application/json",
    )
    assert patched.json()["members"] == 60 and patched.json()["level"] == "sekunder"
    bad = client.patch(
        f"/api/v1/cooperatives/{coop_id}",
        {"members": -1, "nik_koperasi": "12"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["detail"]} == {"members", "nik_koperasi"}


def test_it_publishes_the_openapi_document(db):
    spec = Client().get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/regions",
        "/api/v1/businesses",
        "/api/v1/businesses/{business_id}",
        "/api/v1/cooperatives",
        "/api/v1/cooperatives/{cooperative_id}",
    ]:
        assert path in spec["paths"], path
    assert "patch" in spec["paths"]["/api/v1/businesses/{business_id}"]


def test_it_refuses_a_page_number_beyond_any_list(businesses, personas, api_client_for):
    client = api_client_for(personas["admin_pesawaran"])
    r = client.get("/api/v1/businesses?page=283230065524994671116288")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] in ("page", "body")
    assert client.get("/api/v1/businesses?page=1000000").status_code == 200


def _list_endpoints(schema: dict) -> list[tuple[str, dict]]:
    """Every GET whose answer holds a list: (path, the operation)."""
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if not operation:
            continue
        responses = {str(code): answer for code, answer in operation["responses"].items()}
        body = responses.get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        body = components[body["$ref"].rsplit("/", 1)[-1]] if "$ref" in body else body
        assert body.get("type") != "array", f"{path} answers a bare list: page it (api.schemas.Page)"
        if body.get("properties", {}).get("items", {}).get("type") == "array":
            found.append((path, operation))
    return found


def test_every_list_endpoint_pages_with_the_same_parameters_and_answer(db):
    from naikkelas.api.api import api

    lists = _list_endpoints(api.get_openapi_schema())
    assert len(lists) >= 18  # regions, businesses, cooperatives and every app's lists
    for path, operation in lists:
        names = {p["name"] for p in operation.get("parameters", [])}
        assert {"page", "page_size"} <= names, f"{path} does not take page and page_size"
        assert "422" in {str(code) for code in operation["responses"]}, (
            f"{path} does not document paging errors"
        )


def test_a_page_says_its_total_its_number_and_its_size(personas, businesses, api_client_for):
    from naikkelas.performance import books as performance

    owner = personas["owner"]
    for day in ("2026-01-05", "2026-01-06", "2026-01-07"):
        performance.entry_add(
            actor=owner,
            business=businesses["gedong"],
            data={"day": day, "kind": "sale", "category": "jual_tunai", "amount": "10.000"},
        )
    client = api_client_for(owner)
    url = f"/api/v1/businesses/{businesses['gedong'].pk}/transactions"
    first = client.get(url, {"page_size": 2}).json()
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (3, 1, 2, 2)
    second = client.get(url, {"page_size": 2, "page": 2}).json()
    assert len(second["items"]) == 1 and {e["id"] for e in first["items"]}.isdisjoint(
        {e["id"] for e in second["items"]}
    )
    too_big = client.get(url, {"page_size": 101})
    assert too_big.status_code == 422 and too_big.json()["detail"][0]["field"] == "page_size"
