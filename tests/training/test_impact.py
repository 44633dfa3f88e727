"""The difference-in-differences estimator on generated data: it recovers a known effect, does not invent one,
and its 95 % interval covers the truth about 95 % of the time."""

import random

from naikkelas.training.impact import Unit, did


def generate(rng: random.Random, effect: float, n_cells: int = 30, per_cell: int = 12) -> list[Unit]:
    """Cells differ in level and trend (what matching removes); participants gain `effect` on top."""
    units = []
    for cell in range(n_cells):
        level = rng.uniform(1_000_000, 10_000_000)
        trend = rng.uniform(-300_000, 600_000)
        for i in range(per_cell):
            treated = i < per_cell // 3
            before = level + rng.gauss(0, 400_000) + (200_000 if treated else 0)  # participants start higher
            after = before + trend + rng.gauss(0, 300_000) + (effect if treated else 0)
            units.append(Unit(cell, treated, before, after))
    return units


def test_it_recovers_a_known_effect():
    est = did(generate(random.Random(1), effect=500_000))
    assert est.low < 500_000 < est.high
    assert est.significant and est.low > 0
    assert abs(est.effect - 500_000) < 100_000
    assert (est.treated, est.controls, est.unmatched) == (120, 240, 0)


def test_it_does_not_invent_an_effect():
    est = did(generate(random.Random(2), effect=0))
    assert est.low < 0 < est.high and not est.significant


def test_its_interval_covers_the_truth_about_95_percent_of_the_time():
    hits = sum(
        1
        for seed in range(200)
        if (e := did(generate(random.Random(seed), effect=250_000))).low < 250_000 < e.high
    )
    assert 180 <= hits <= 200  # 95 % nominal; a broken standard error lands far outside


def test_a_naive_before_after_comparison_would_be_fooled_but_matching_is_not():
    # All cells trend upward strongly: participants' raw change is large even with no effect.
    units = generate(random.Random(3), effect=0)
    treated_change = [u.change for u in units if u.treated]
    assert sum(treated_change) / len(treated_change) > 100_000
    assert not did(units).significant


def test_it_leaves_out_participants_without_a_comparison():
    units = [Unit("a", True, 1, 3), Unit("a", False, 1, 2), Unit("b", True, 5, 9)]
    est = did(units)
    assert (est.treated, est.controls, est.unmatched) == (1, 1, 1) and est.effect == 1
    assert did([Unit("x", True, 1, 2)]).effect is None


def test_an_estimate_from_too_few_businesses_is_never_significant():
    """One participant against one comparison once showed a "significant" effect of −2,7 levels."""
    from naikkelas.training.impact import MIN_UNITS

    one = did([Unit("a", True, 4, 1.3), Unit("a", False, 2, 2), Unit("a", False, 2, 2.01)])
    assert one.effect is not None and one.low is not None and one.high < 0  # the interval alone would say so
    assert not one.enough and not one.significant
    many = did(
        [
            Unit(k, t, 0, (1 if t else 0) + i / 100)
            for k in "ab"
            for t in (True, False)
            for i in range(MIN_UNITS)
        ]
    )
    assert many.enough and many.significant
