"""Health rating of savings-and-loan cooperatives as swappable methods.

A method takes a year's financial report (a dict of REPORT_ITEMS) and the supervisor's management answers and
returns every aspect with the ratios and scores behind it. Ship a newer regulation's method by adding a module
with a `METHOD` beside ksp2016 and listing it in METHODS; ratings keep the code of the method that made them.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass
class Component:
    key: str
    name: str
    formula: str
    weight: Decimal
    ratio: Decimal | None  # per cent; None when it cannot be computed
    value: int | Decimal  # the regulation's "nilai" (0–100)
    note: str = ""

    @property
    def score(self) -> Decimal:
        return (self.weight * Decimal(self.value) / 100).quantize(Decimal("0.01"))


@dataclass
class Aspect:
    key: str
    name: str
    weight: Decimal
    components: list[Component] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return sum((c.score for c in self.components), Decimal(0))

    @property
    def percent(self) -> Decimal:
        return (self.score * 100 / self.weight).quantize(Decimal("0.1")) if self.weight else Decimal(0)


@dataclass
class Rating:
    method: str
    score: Decimal
    category: str
    aspects: list[Aspect]

    def as_json(self) -> dict:
        return {
            "method": self.method,
            "score": str(self.score),
            "category": self.category,
            "aspects": [
                {
                    "key": a.key, "name": a.name, "weight": str(a.weight), "score": str(a.score),
                    "components": [asdict(c) | {"weight": str(c.weight), "value": str(c.value), "ratio": None if c.ratio is None else str(c.ratio),
                                                "score": str(c.score)} for c in a.components],
                }
                for a in self.aspects
            ],
        }  # fmt: skip


def methods() -> dict:
    from naikkelas.supervision.health import ksp2016

    return {ksp2016.METHOD.code: ksp2016.METHOD}


DEFAULT_METHOD = "ksp2016"
