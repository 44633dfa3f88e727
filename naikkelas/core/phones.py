"""Phone numbers to E.164 (+62…) with the phonenumbers library, region ID."""

import phonenumbers
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Phone number is not a valid Indonesian number (example: 0812-3456-7890).")


class PhoneError(ValueError):
    pass


def phone_to_e164(raw: object) -> str:
    """'0812 3456 7890', '62812…', '+62 812…' and '812…' (a number that lost its leading 0) all give +62812…."""
    text = str(raw or "").strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text.startswith("+") and digits.startswith("8"):
        text = "0" + digits  # Excel dropped the leading zero
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
