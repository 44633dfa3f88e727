"""The API's side of requests about personal data and the register: filed, listed with their clock, answered,
scoped to the office that serves the person."""

import pytest


@pytest.mark.django_db
def test_an_office_files_lists_and_answers_a_request_through_the_api(businesses, personas, api_client_for):
    owner = businesses["gedong"].owner
    office = api_client_for(personas["admin_pesawaran"])
    made = office.post("/api/v1/privacy/requests", {"person": owner.pk, "kind": "access", "details": "KTP dilihat"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["channel"] == "officer" and body["status"] == "open" and body["hours_left"] in (71, 72)
    again = office.post("/api/v1/privacy/requests", {"person": owner.pk, "kind": "access"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 422 and "sudah ada" in again.content.decode()
    listed = office.get("/api/v1/privacy/requests?status=open").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    refused = office.post(f"/api/v1/privacy/requests/{body['id']}/decision", {"done": False, "decision": "Tidak"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 422 and {d["field"] for d in refused.json()["detail"]} == {"article"}
    done = office.post(f"/api/v1/privacy/requests/{body['id']}/decision",
                       {"done": True, "decision": "Salinan diserahkan."}, content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "done"

    other = api_client_for(personas["admin_lamsel"])
    assert other.get(f"/api/v1/privacy/requests/{body['id']}").status_code == 404
    assert other.get("/api/v1/privacy/requests").json()["count"] == 0
    assert other.post("/api/v1/privacy/requests", {"person": owner.pk, "kind": "copy"},
                      content_type="application/json").status_code == 404  # fmt: skip
    register = office.get("/api/v1/privacy/register").json()
    assert register["count"] >= 8 and {"catalogue", "registry"} <= {a["code"] for a in register["items"]}
    assert next(a for a in register["items"] if a["code"] == "catalogue")["consent"] == "catalogue_contact"
    coop = api_client_for(personas["coop_manager"])
    assert coop.get("/api/v1/privacy/requests").status_code == 403


@pytest.mark.django_db
def test_a_restriction_through_the_api_says_what_it_did(businesses, personas, api_client_for):
    owner = businesses["gedong"].owner
    office = api_client_for(personas["admin_pesawaran"])
    made = office.post("/api/v1/privacy/requests", {"person": owner.pk, "kind": "restriction"},
                       content_type="application/json").json()  # fmt: skip
    assert made["outcome"] == []
    done = office.post(f"/api/v1/privacy/requests/{made['id']}/decision", {"done": True, "decision": "Dibatasi."},
                       content_type="application/json").json()  # fmt: skip
    rows = {row["label"]: row for row in done["outcome"]}
    assert rows["registry.Business"]["done"] == "restricted" and rows["registry.Business"]["count"] == 1
    owner.refresh_from_db()
    assert owner.restricted_at is not None
