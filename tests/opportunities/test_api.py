"""The opportunities API: scoped as the pages, the services' Indonesian refusals by field, a manager's offer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.opportunities.conftest import opportunity_data

pytestmark = pytest.mark.django_db


def test_the_office_posts_ranks_invites_and_closes(
    personas, villages, businesses, cooperatives, api_client_for
):
    admin = api_client_for(personas["admin_pesawaran"])
    buyer = admin.post(
        "/api/v1/buyers", {"name": "Hotel Teluk", "kind": "horeka"}, content_type="application/json"
    )
    assert buyer.status_code == 201 and buyer.json()["region"] == "18.09"
    today = timezone.localdate()
    data = opportunity_data(buyer=buyer.json()["id"], delivery_village=villages["gedong"].code,
                            deadline=str(today), delivery_on=str(today), quantity="")  # fmt: skip
    bad = admin.post("/api/v1/opportunities", data, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "quantity"
    made = admin.post("/api/v1/opportunities", {**data, "quantity": 200}, content_type="application/json")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    ranked = admin.get(f"/api/v1/opportunities/{pk}/suppliers").json()
    assert ranked["items"][0]["supplier"] == f"business:{businesses['gedong'].pk}"  # Keripik Pisang Bu Siti
    assert ranked["items"][0]["gaps"]  # no PIRT
    # Another regency's admin sees nothing of it.
    other = api_client_for(personas["admin_lamsel"])
    assert other.get(f"/api/v1/opportunities/{pk}").status_code == 404
    assert other.get("/api/v1/opportunities").json()["count"] == 0
    # The cooperative's manager answers.
    manager = api_client_for(personas["coop_manager"])
    assert manager.get("/api/v1/opportunities").json()["count"] == 1
    offer = manager.post(f"/api/v1/opportunities/{pk}/offers", {
        "supplier": f"cooperative:{cooperatives['gedong'].pk}", "price": "50.000", "quantity": 100,
        "available_on": str(today)}, content_type="application/json")  # fmt: skip
    assert offer.status_code == 201 and offer.json()["value"] == 5_000_000
    outside = manager.post(f"/api/v1/opportunities/{pk}/offers", {
        "supplier": f"cooperative:{cooperatives['lamsel'].pk}", "price": 1, "quantity": 1,
        "available_on": str(today)}, content_type="application/json")  # fmt: skip
    assert outside.status_code == 403
    closed = admin.post(f"/api/v1/opportunities/{pk}/outcome", {"outcome": "deal", "deal_value": "5 jt",
                        "winning_offer": offer.json()["id"]}, content_type="application/json")  # fmt: skip
    assert closed.status_code == 200 and closed.json()["deal_value"] == 5_000_000
    figures = admin.get("/api/v1/opportunities/figures").json()
    assert (figures["deals"], figures["deal_value"]) == (1, 5_000_000)
    assert other.get("/api/v1/opportunities/figures?region=18.09").status_code == 403


def test_partnerships_through_the_api(personas, villages, businesses, cooperatives, api_client_for):
    admin, other = api_client_for(personas["admin_pesawaran"]), api_client_for(personas["admin_lamsel"])
    data = {"partner": "Roastery Way Ratai", "partner_kind": "perusahaan", "pattern": "rantai_pasok",
            "starts_on": "2026-03-01", "contract_value": "Rp 120.000.000",
            "cooperatives": [cooperatives["gedong"].pk]}  # fmt: skip
    bad = admin.post("/api/v1/partnerships", {**data, "pattern": "x"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "pattern"
    made = admin.post("/api/v1/partnerships", data, content_type="application/json")
    assert made.status_code == 201 and made.json()["region"] == "18.09", made.json()
    pk = made.json()["id"]
    stolen = other.post("/api/v1/partnerships", {**data, "region": "18.01"}, content_type="application/json")
    assert stolen.status_code in (403, 422)  # a Pesawaran cooperative in a Lampung Selatan partnership
    sale = admin.post(f"/api/v1/partnerships/{pk}/sales", {"month": "2026-03", "amount": "8.500.000"},
                      content_type="application/json")  # fmt: skip
    assert sale.status_code == 201 and sale.json() == {
        "month": "2026-03-01",
        "typed": 8_500_000,
        "cash_book": 0,
    }
    assert admin.get(f"/api/v1/partnerships/{pk}/sales").json()["count"] == 1
    assert other.get(f"/api/v1/partnerships/{pk}").status_code == 404
    assert other.get("/api/v1/partnerships").json()["count"] == 0
    summary = admin.get("/api/v1/partnerships/summary?year=2026").json()
    district = villages["gedong"].code[:8]
    assert (summary["started"], summary["contract_value"], summary["sales"]) == (1, 120_000_000, 8_500_000)
    assert {r["region"]: r["started"] for r in summary["regions"]}[district] == 1
    assert other.get("/api/v1/partnerships/summary?region=18.09").status_code == 403
    assert admin.get("/api/v1/partnerships/summary?year=1900").status_code == 422
    owner = api_client_for(personas["owner"])
    assert owner.get("/api/v1/partnerships").status_code == 403


def test_events_through_the_api(personas, villages, businesses, cooperatives, api_client_for):
    admin = api_client_for(personas["admin_pesawaran"])
    buyer = admin.post(
        "/api/v1/buyers", {"name": "Hotel Teluk", "kind": "horeka"}, content_type="application/json"
    )
    day = str(timezone.localdate() + timedelta(days=10))
    past = admin.post("/api/v1/events", {"title": "Temu Bisnis", "place": "Aula", "held_on": "2000-01-01"},
                      content_type="application/json")  # fmt: skip
    assert past.status_code == 422 and past.json()["detail"][0]["field"] == "held_on"
    made = admin.post("/api/v1/events", {"title": "Temu Bisnis", "place": "Aula", "held_on": day,
                                         "buyers": [buyer.json()["id"]]}, content_type="application/json")  # fmt: skip
    assert made.status_code == 201 and made.json()["buyers"] == [buyer.json()["id"]], made.json()
    pk = made.json()["id"]
    owner = api_client_for(personas["owner"])
    mine = owner.post(f"/api/v1/events/{pk}/registrations", {"supplier": f"business:{businesses['gedong'].pk}"},
                      content_type="application/json")  # fmt: skip
    assert mine.status_code == 201 and mine.json()["wants"] == [buyer.json()["id"]]
    theirs = owner.post(f"/api/v1/events/{pk}/registrations",
                        {"supplier": f"cooperative:{cooperatives['gedong'].pk}"}, content_type="application/json")  # fmt: skip
    assert theirs.status_code == 403
    assert owner.get(f"/api/v1/events/{pk}/registrations").status_code == 403  # the office's list
    assert admin.post(f"/api/v1/events/{pk}/schedule").json() == {"scheduled": 1}
    meeting = admin.get(f"/api/v1/events/{pk}/meetings").json()["items"][0]
    assert meeting["supplier"] == "Keripik Pisang Bu Siti" and meeting["starts_at"] == "09:00"
    no_money = admin.post(f"/api/v1/events/{pk}/meetings/{meeting['id']}/outcome",
                          {"outcome": "deal", "value": "banyak"}, content_type="application/json")  # fmt: skip
    assert no_money.status_code == 422
    done = admin.post(f"/api/v1/events/{pk}/meetings/{meeting['id']}/outcome",
                      {"outcome": "deal", "value": "Rp 4.000.000"}, content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["value"] == 4_000_000
    summary = admin.get(f"/api/v1/events/{pk}/summary").json()
    assert (summary["suppliers"], summary["deals"], summary["value"]) == (1, 1, 4_000_000)
    assert api_client_for(personas["admin_lamsel"]).get(f"/api/v1/events/{pk}").status_code == 404
