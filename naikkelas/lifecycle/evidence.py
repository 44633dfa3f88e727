"""What the office already knows about a business that answers a scorecard question (an adopted SOP answers
"uses SOPs"). Apps above the lifecycle sign up at start-up (AppConfig.ready) with a question key and a function
of the business that returns a note when the evidence is there; the assessment form then proposes the
question's best answer with that note, and an assessment that leaves the question out takes it."""

from collections.abc import Callable

from naikkelas.lifecycle.models import Instrument, Option, Question
from naikkelas.registry.models import Business

_sources: dict[str, Callable[[Business], str | None]] = {}


def provide(question_key: str, fn: Callable[[Business], str | None]) -> None:
    _sources[question_key] = fn


def suggestions(business: Business, instrument: Instrument) -> dict[str, tuple[Option, str]]:
    """Question key → (the proposed answer, why)."""
    out = {}
    for question in instrument.questions.filter(key__in=list(_sources)).prefetch_related("options"):
        note = _sources[question.key](business)
        if note:
            best = max(question.options.all(), key=lambda o: o.value, default=None)
            if best is not None:
                out[question.key] = (best, note)
    return out


def fill_in(business: Business, instrument: Instrument, answers: dict[str, str]) -> dict[str, str]:
    """The answers with any question left out answered from evidence."""
    filled = dict(answers)
    for key, (option, _note) in suggestions(business, instrument).items():
        if not filled.get(key):
            filled[key] = option.key
    return filled


__all__ = ["provide", "suggestions", "fill_in", "Question"]
