"""Scoring an assessment against its instrument: score 0–100, level 1–5, modern or not, and the gaps."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from naikkelas.lifecycle.models import Instrument, Option, Question

DEFAULT_CUTOFFS = [20, 40, 60, 80]


@dataclass(frozen=True)
class Gap:
    question: Question
    option: Option
    lost: Decimal  # points of the 100 this answer leaves on the table

    @property
    def topic(self) -> str:
        return self.question.topic


@dataclass(frozen=True)
class Result:
    score: Decimal
    level: int
    innovation: bool
    modern: bool
    gaps: list[Gap]

    @property
    def topics(self) -> list[str]:
        """Training topics for the gaps, biggest gap first, each once."""
        seen: list[str] = []
        for gap in self.gaps:
            if gap.topic not in seen:
                seen.append(gap.topic)
        return seen


def level_for(score: Decimal, cutoffs: list[int]) -> int:
    return 1 + sum(1 for cut in (cutoffs or DEFAULT_CUTOFFS) if score >= cut)


def score(instrument: Instrument, chosen: dict[Question, Option]) -> Result:
    """`chosen` holds one option for every question of the instrument (the caller checks completeness)."""
    total_weight = sum(q.weight for q in chosen) or 1
    earned = Decimal(0)
    gaps = []
    for question, option in chosen.items():
        share = Decimal(question.weight) / total_weight
        earned += share * option.value
        if option.value < 100:
            gaps.append(Gap(question, option, (share * (100 - option.value)).quantize(Decimal("0.1"))))
    value = earned.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    level = level_for(value, instrument.level_cutoffs)
    innovation = any(option.is_innovation for option in chosen.values())
    modern = level >= instrument.modern_level and (innovation or not instrument.innovation_required)
    gaps.sort(key=lambda g: (-g.lost, g.question.order, g.question.pk or 0))
    return Result(value, level, innovation, modern, gaps)
