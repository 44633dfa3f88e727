"""The opportunities API: scoped as the pages, the services' Indonesian refusals by field, a manager's offer."""

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
