"""Text the office types in two languages (scorecard questions, KPI names): the one for the reader."""

from django.utils.translation import get_language


def in_reader_language(indonesian: str, english: str) -> str:
    """The English text for a reader in English when there is one, else the Indonesian."""
    return english if english and (get_language() or "id").startswith("en") else indonesian
