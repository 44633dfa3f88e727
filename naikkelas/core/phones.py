"""Phone numbers to E.164 (+62…) with the phonenumbers library, region ID."""

import re
from urllib.parse import quote

import phonenumbers
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Phone number is not a valid Indonesian number (example: 0812-3456-7890).")


class PhoneError(ValueError):
    pass


# The library's own pattern for Indonesian mobile numbers (national significant number): a number that matches it
# is a valid Indonesian mobile number without the library's full parse, which is slow for an import of a million
# rows. Anything else takes the full path. tests/core/test_phones_money.py checks that both paths agree.
_ID_MOBILE = re.compile(phonenumbers.PhoneMetadata.metadata_for_region("ID").mobile.national_number_pattern)
_TYPED = re.compile(r"\+?[\d\s().\-]+")


def _fast_mobile(text: str, digits: str) -> str | None:
    if not _TYPED.fullmatch(text):
        return None
    # "62…" without a plus is left to the library: it may be a national number that starts with 62.
    if text.startswith("+"):
        national = digits[2:] if digits.startswith("62") else None
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = None
    if national and national[0] == "8" and _ID_MOBILE.fullmatch(national):
        return "+62" + national
    return None


def phone_to_e164(raw: object) -> str:
    """'0812 3456 7890', '62812…', '+62 812…' and '812…' (a number that lost its leading 0) all give +62812…."""
    text = str(raw or "").strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text.startswith("+") and digits.startswith("8"):
        text = digits = "0" + digits  # Excel dropped the leading zero
    return _fast_mobile(text, digits) or library_e164(text)


def library_e164(text: str) -> str:
    """The full path through the phonenumbers library."""
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(PHONE_INVALID) from exc
    # Offices register Indonesian businesses; a foreign number is far more often a typo than real.
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "ID":
        raise PhoneError(PHONE_INVALID)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def whatsapp_link(phone: str, text: str) -> str:
    """A wa.me link to the number (E.164, with or without "+") with the message typed in: the officer, or a
    buyer, opens it and sends from their own WhatsApp."""
    return f"https://wa.me/{phone.lstrip('+')}?text={quote(text)}"
