"""The cost-and-price calculator on the office's own example, worked by hand: a fried banana sold for Rp 1.000
against one with a chocolate-cheese topping in a box."""

from decimal import Decimal as D

import pytest

from naikkelas.catalog.costing import Comparison, Line, Scenario

FRYING = [
    Line("Pisang kepok", D(50), 300),
    Line("Tepung terigu (kg)", D("0.5"), 12_000),
    Line("Minyak goreng (liter)", D("0.5"), 16_000),
]


def plain(**extra):
    return Scenario(
        "Biasa",
        FRYING + [Line("Plastik", D(50), 50, "kemasan")],
        labour=10_000,
        overhead=6_000,
        yield_units=50,
        price=1_000,
        units_per_month=1_000,
        **extra,
    )


def topped(**extra):
    lines = FRYING + [
        Line("Meses cokelat (kg)", D("0.25"), 40_000),
        Line("Keju parut (blok)", D(1), 20_000),
        Line("Kotak kertas", D(50), 1_000, "kemasan"),
    ]
    return Scenario(
        "Cokelat keju, kotak",
        lines,
        labour=10_000,
        overhead=6_000,
        yield_units=50,
        price=5_000,
        units_per_month=1_000,
        **extra,
    )


def test_the_plain_fried_banana_barely_pays():
    s = plain()
    # 15.000 + 6.000 + 8.000 + 2.500 of materials, 10.000 labour, 6.000 gas: 47.500 for 50 pieces.
    assert s.batch_cost == 47_500 and s.unit_cost == D("950.00")
    assert s.margin == D("5.0") and s.profit_per_unit == 50 and s.profit_per_month == 50_000


def test_topping_and_a_box_add_value_per_unit_and_per_month():
    s = topped()
    # + 10.000 chocolate sprinkles + 20.000 cheese + 50.000 boxes, no plastic: 125.000 for 50 pieces.
    assert s.batch_cost == 125_000 and s.unit_cost == 2_500
    assert s.margin == D("50.0") and s.profit_per_unit == 2_500
    comparison = Comparison(plain(), s)
    assert comparison.added_per_unit == 2_450 and comparison.added_per_month == 2_450_000


def test_it_finds_the_price_for_a_target_margin_rounded_up_to_rp_100():
    s = plain(target_margin=D(20))
    s.price = None
    # 950 ÷ (1 − 0,20) = 1.187,5 → Rp 1.200, which leaves (1.200 − 950) ÷ 1.200 = 20,8 %.
    assert s.selling_price == 1_200 and s.margin == D("20.8")


def test_it_counts_the_units_a_month_that_cover_the_fixed_costs():
    assert topped(fixed_per_month=300_000).break_even_units == 120  # 300.000 ÷ 2.500
    assert plain(fixed_per_month=300_000).break_even_units == 6_000  # 300.000 ÷ 50
    losing = plain()
    losing.price = 900
    assert losing.break_even_units is None and losing.profit_per_unit < 0
    assert topped(fixed_per_month=300_000).profit_per_month == 2_500_000 - 300_000


def test_a_margin_of_100_percent_is_refused():
    s = plain(target_margin=D(100))
    s.price = None
    with pytest.raises(ValueError):
        s.selling_price  # noqa: B018
