from datetime import date

import pytest

from naikkelas.opportunities import services
from naikkelas.regions.models import Region

TODAY = date(2026, 11, 30)  # a fixed day: nothing here depends on the calendar


def opportunity_data(**changes) -> dict:
    data = {
        "title": "Keripik pisang", "quantity": "200", "unit": "kg", "frequency": "bulanan", "documents": ["pirt"],
        "channel": "offtake", "region": "18.09", "delivery_village": "", "deadline": "2026-12-14",
        "delivery_on": "2026-12-30", "price_max": "60.000",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def hotel(personas, villages):
    buyer = services.buyer_create(
        actor=personas["admin_pesawaran"], data={"name": "Hotel Teluk", "kind": "horeka", "region": "18.09"}
    )
    assert Region.objects.filter(code=villages["gedong"].code).exists()
    return services.opportunity_create(
        actor=personas["admin_pesawaran"], buyer=buyer, today=TODAY,
        data=opportunity_data(delivery_village=villages["gedong"].code),
    )  # fmt: skip
