"""When a cooperative's annual member meeting (RAT) is due, and who is late.

Books close on 31 December. A primary cooperative holds its RAT within 3 months after (by 31 March), a
secondary one within 6 months (by 30 June) — shared/DOMAIN.md's rule; the ministry's Permenkop 9/2018 on
cooperative administration sets the same limits. Missing it two years running can lead to dissolution.
"""

from dataclasses import dataclass
from datetime import date

from naikkelas.registry.constants import CooperativeLevel


def due_on(level: str, book_year: int) -> date:
    if level == CooperativeLevel.SECONDARY:
        return date(book_year + 1, 6, 30)
    return date(book_year + 1, 3, 31)


@dataclass(frozen=True)
class Standing:
    book_year: int
    due_on: date
    held_on: date | None

    @property
    def on_time(self) -> bool:
        return self.held_on is not None and self.held_on <= self.due_on

    def late(self, today: date) -> bool:
        """Held after the due date, or not held and the due date has passed."""
        if self.held_on is not None:
            return self.held_on > self.due_on
        return today > self.due_on

    def missing(self, today: date) -> bool:
        return self.held_on is None and today > self.due_on


def standing(level: str, book_year: int, held: dict[int, date]) -> Standing:
    return Standing(book_year, due_on(level, book_year), held.get(book_year))


def existed_in(legal_entity_date: date | None, book_year: int) -> bool:
    """A cooperative owes a RAT for every book year it existed in (founded on or before that year's end)."""
    return legal_entity_date is None or legal_entity_date.year <= book_year


@dataclass(frozen=True)
class Position:
    """A cooperative's RAT on the book year before `year` (due in `year`), and on the year before that."""

    this: Standing
    before: Standing | None  # None when the cooperative did not exist yet

    def missing_two_years(self, today: date) -> bool:
        return self.before is not None and self.this.missing(today) and self.before.missing(today)


def position(level: str, legal_entity_date: date | None, year: int, held: dict[int, date]) -> Position | None:
    """None when the cooperative owes no RAT due in `year` (it did not exist in the book year)."""
    if not existed_in(legal_entity_date, year - 1):
        return None
    before = standing(level, year - 2, held) if existed_in(legal_entity_date, year - 2) else None
    return Position(standing(level, year - 1, held), before)
