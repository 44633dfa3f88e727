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


class MoneyError(ValueError):
    pass


def parse_rupiah(raw: object) -> int | None:
    """'1.500.000', 'Rp 1.500.000,-', '1500000' or an int → 1500000; '' → None. Fractions of a Rupiah are refused."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise MoneyError(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not raw.is_integer():
            raise MoneyError(raw)
        return int(raw)
    text = str(raw).strip().lower().replace("rp", "").replace(" ", "").removesuffix(",-").removesuffix(",00")
    if not text:
        return None
    negative = text.startswith("-")
    text = text.lstrip("-")
    if not text.replace(".", "").isdigit() or (("." in text) and not _thousands(text)):
        raise MoneyError(raw)
    value = int(text.replace(".", ""))
    return -value if negative else value


def _thousands(text: str) -> bool:
    groups = text.split(".")
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
