import pytest

from naikkelas.registry.rules import MILIAR, size_class_for


@pytest.mark.parametrize(
    ("revenue", "size"),
    [
        (0, "mikro"),
        (2 * MILIAR, "mikro"),
        (2 * MILIAR + 1, "kecil"),
        (15 * MILIAR, "kecil"),
        (15 * MILIAR + 1, "menengah"),
        (50 * MILIAR, "menengah"),
        (50 * MILIAR + 1, "besar"),
    ],
)
def test_it_classifies_by_annual_sales_at_the_exact_boundaries(revenue, size):
    assert size_class_for(assets=None, annual_revenue=revenue) == size


@pytest.mark.parametrize(
    ("assets", "size"),
    [
        (1 * MILIAR, "mikro"),
        (1 * MILIAR + 1, "kecil"),
        (5 * MILIAR, "kecil"),
        (5 * MILIAR + 1, "menengah"),
        (10 * MILIAR, "menengah"),
        (10 * MILIAR + 1, "besar"),
    ],
)
def test_it_classifies_by_capital_when_sales_are_unknown(assets, size):
    assert size_class_for(assets=assets, annual_revenue=None) == size


def test_it_prefers_annual_sales_for_a_running_business():
    assert size_class_for(assets=6 * MILIAR, annual_revenue=1 * MILIAR) == "mikro"


def test_it_leaves_the_class_empty_when_nothing_is_known():
    assert size_class_for(assets=None, annual_revenue=None) == ""
