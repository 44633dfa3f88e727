"""A NUL character anywhere in a request is refused with a clear 400, on every database (PostgreSQL refuses it)."""

import pytest
from django.test import Client

from naikkelas.registry.models import Business


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/businesses?region=%00",
        "/api/v1/businesses?q=a%00",
        "/api/v1/regions?parent=%00",
        "/api/v1/cooperatives?q=a%00",
    ],
)
def test_it_refuses_nul_in_api_queries(url, personas, businesses, api_client_for):
    response = api_client_for(personas["admin_pesawaran"]).get(url)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize("url", ["/usaha/?region=%00", "/usaha/?q=a%00b", "/koperasi/?q=%00"])
def test_it_refuses_nul_in_page_queries(url, personas, businesses):
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    assert client.get(url).status_code == 400


def test_it_refuses_nul_in_a_json_body_and_saves_nothing(personas, villages, api_client_for):
    response = api_client_for(personas["admin_pesawaran"]).post(
        "/api/v1/businesses",
        {"name": "A\x00B", "owner_name": "x", "village_code": villages["gedong"].code},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Business.objects.exists()


def test_it_refuses_nul_in_a_form(personas, villages):
    client = Client()
    client.force_login(personas["admin_pesawaran"])
    response = client.post(
        "/usaha/baru/", {"name": "A\x00B", "owner_name": "x", "village": villages["gedong"].code}
    )
    assert response.status_code == 400
    assert not Business.objects.exists()
