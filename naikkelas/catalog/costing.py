"""The cost-and-price calculator (HPP, harga pokok produksi): pure arithmetic over a batch, checked by hand.

A batch uses ingredients and packaging (quantity × unit price), labour and overhead, and yields a number of
units. Cost per unit = batch cost ÷ yield. Margin is the share of the price that is left after the unit cost
(gross margin): price = cost ÷ (1 − margin), margin = (price − cost) ÷ price. Break-even: the units a month
that cover the month's fixed costs at the margin each unit leaves.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

D = Decimal


@dataclass(frozen=True)
class Line:
    name: str
    quantity: Decimal
    unit_price: int  # Rupiah per unit of quantity
    kind: str = "bahan"  # bahan (ingredient) or kemasan (packaging)

    @property
    def cost(self) -> Decimal:
        return self.quantity * self.unit_price


@dataclass
class Scenario:
    name: str
    lines: list[Line] = field(default_factory=list)
    labour: int = 0  # per batch
    overhead: int = 0  # per batch (gas, electricity, transport)
    yield_units: int = 1  # units a batch makes
    price: int | None = None  # the selling price, when known
    target_margin: Decimal | None = None  # per cent, when the price is to be found
    units_per_month: int = 0
    fixed_per_month: int = 0  # rent, equipment, permits: costs that do not grow with the units made

    @property
    def batch_cost(self) -> Decimal:
        return sum((line.cost for line in self.lines), D(0)) + self.labour + self.overhead

    @property
    def unit_cost(self) -> Decimal:
        return (self.batch_cost / self.yield_units).quantize(D("0.01"), ROUND_HALF_UP)

    @property
    def selling_price(self) -> int:
        """The price given, or the price that leaves the target margin, rounded up to Rp 100 (as stalls price)."""
        if self.price is not None:
            return self.price
        margin = (self.target_margin or D(0)) / 100
        if margin >= 1:
            raise ValueError("margin must be below 100 %")
        exact = self.unit_cost / (1 - margin)
        return int((exact / 100).to_integral_value(ROUND_CEILING) * 100)

    @property
    def margin(self) -> Decimal | None:
        """Per cent of the price left after the unit cost."""
        price = self.selling_price
        if not price:
            return None
        return ((price - self.unit_cost) * 100 / price).quantize(D("0.1"), ROUND_HALF_UP)

    @property
    def profit_per_unit(self) -> Decimal:
        return self.selling_price - self.unit_cost

    @property
    def profit_per_month(self) -> Decimal:
        return self.profit_per_unit * self.units_per_month - self.fixed_per_month

    @property
    def break_even_units(self) -> int | None:
        """Units a month that cover the fixed costs; None when each unit loses money."""
        if self.profit_per_unit <= 0:
            return None
        return math.ceil(D(self.fixed_per_month) / self.profit_per_unit)


@dataclass(frozen=True)
class Comparison:
    base: Scenario
    better: Scenario

    @property
    def added_per_unit(self) -> Decimal:
        """What the better version leaves per unit beyond the plain one."""
        return self.better.profit_per_unit - self.base.profit_per_unit

    @property
    def added_per_month(self) -> Decimal:
        return self.better.profit_per_month - self.base.profit_per_month
