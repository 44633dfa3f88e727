"""Rupiah: stored as integers, shown the Indonesian way through Babel."""

from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language


def rupiah(amount: int | None) -> str:
    if amount is None:
        return "–"
    locale = "id_ID" if (get_language() or "id").startswith("id") else "en_ID"
    return format_currency(amount, "IDR", locale=locale, format="¤ #,##0", currency_digits=False)


def number(value: int | None) -> str:
    if value is None:
        return "–"
    locale = "id_ID" if (get_language() or "id").startswith("id") else "en_US"
    return format_decimal(value, locale=locale)


def percent(part, whole, digits: int = 1) -> str:
    """part/whole as a percentage written the reader's way: 44,5 % in Indonesian, 44.5% in English."""
    if not whole:
        return "–"
    locale = "id_ID" if (get_language() or "id").startswith("id") else "en_US"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    text = format_decimal(100 * float(part) / float(whole), format=pattern, locale=locale)
    return f"{text} %" if locale == "id_ID" else f"{text}%"


def digits(amount: int) -> str:
    """An amount grouped the Indonesian way, 1500000 → "1.500.000", for messages that put "Rp" before it."""
    return f"{amount:,}".replace(",", ".")
