"""core.bulk.among: a dense set of ids as a range, a sparse one as a list; callers keep only the ids asked for."""

import pytest

from naikkelas.core.bulk import among
from naikkelas.registry.models import Business
from tests.conftest import make_business


def test_dense_ids_are_a_range_and_sparse_ones_a_list():
    assert among("pk", [10, 11, 13]).children == [("pk__gte", 10), ("pk__lte", 13)]
    assert among("pk", [1, 500]).children == [("pk__in", [1, 500])]
    assert among("pk", []).children == [("pk__in", [])]


@pytest.mark.django_db
def test_a_range_finds_every_id_asked_for(villages):
    village = villages["gedong"]
    ids = [make_business(f"Usaha {i}", village).pk for i in range(6)]
    asked = [ids[0], ids[2], ids[3]]  # dense: a range, which also brings ids[1]
    found = set(Business.objects.filter(among("pk", asked)).values_list("pk", flat=True))
    assert set(asked) <= found <= set(ids[:4])
