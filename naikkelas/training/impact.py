"""Did the training work? A difference-in-differences estimate against matched non-participants.

Each unit (a business) has a group key it is matched on (region, sector, size class, baseline level), an outcome
before and after, and whether it took part. Within each group, the change of participants is compared with the
change of non-participants; the estimate is the participants-weighted mean of those differences, and its
standard error combines the within-group variances of both changes (Welch-style, per group). Groups with no
non-participant (or no participant) are left out and counted as such.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Unit:
    key: Hashable  # the matching cell
    treated: bool
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Estimate:
    effect: float | None
    low: float | None  # 95 % confidence interval
    high: float | None
    treated: int  # participants behind the estimate
    controls: int  # matched non-participants behind it
    unmatched: int  # participants with no comparison in their group

    @property
    def significant(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)


def _variance(values: list[float], fallback: float) -> float:
    if len(values) < 2:
        return fallback
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def did(units: Iterable[Unit]) -> Estimate:
    cells: dict[Hashable, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for u in units:
        cells[u.key][0 if u.treated else 1].append(u.change)
    matched = {k: v for k, v in cells.items() if v[0] and v[1]}
    unmatched = sum(len(v[0]) for k, v in cells.items() if k not in matched)
    n_treated = sum(len(t) for t, _c in matched.values())
    if not n_treated:
        return Estimate(None, None, None, 0, 0, unmatched)
    # A cell with a single unit of a side borrows the pooled variance of that side.
    pooled_t = _variance([x for t, _c in matched.values() for x in t], 0.0)
    pooled_c = _variance([x for _t, c in matched.values() for x in c], 0.0)
    effect = variance = 0.0
    for treated, controls in matched.values():
        w = len(treated) / n_treated
        effect += w * (sum(treated) / len(treated) - sum(controls) / len(controls))
        variance += (
            w
            * w
            * (_variance(treated, pooled_t) / len(treated) + _variance(controls, pooled_c) / len(controls))
        )
    se = math.sqrt(variance)
    controls_n = sum(len(c) for _t, c in matched.values())
    return Estimate(effect, effect - Z95 * se, effect + Z95 * se, n_treated, controls_n, unmatched)
