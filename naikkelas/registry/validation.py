"""Turning what a person typed (form or JSON) into clean values, with Indonesian errors that name the field."""

import re
from collections.abc import Callable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts.scope import Scope
from naikkelas.core import personal, validation
from naikkelas.core.phones import PhoneError, phone_to_e164
from naikkelas.regions.models import Level, Region

REQUIRED = gettext_lazy("%(field)s is required.")
TOO_LONG = gettext_lazy("%(field)s is longer than %(n)d characters.")
NOT_WHOLE_NUMBER = gettext_lazy("%(field)s must be a whole number.")
NOT_MONEY = gettext_lazy("%(field)s must be an amount in Rupiah without decimals, e.g. 1.500.000.")
NEGATIVE = gettext_lazy("%(field)s cannot be negative.")
DIGITS = gettext_lazy("%(field)s must be exactly %(n)d digits.")
BAD_DATE = gettext_lazy("%(field)s is not a valid date (use DD/MM/YYYY).")
FUTURE_DATE = gettext_lazy("%(field)s cannot be in the future.")
BAD_CHOICE = gettext_lazy("%(field)s: unknown value “%(value)s”.")
BAD_COORDINATE = gettext_lazy("%(field)s must be a number between %(low)s and %(high)s.")
VILLAGE_UNKNOWN = gettext_lazy("%(field)s: region code %(value)s is not in the Kemendagri region tree.")
VILLAGE_NOT_VILLAGE = gettext_lazy("%(field)s: %(value)s is not a village (desa/kelurahan) code.")
OUT_OF_SCOPE = gettext_lazy("%(field)s: %(value)s is outside your working area.")
NIK_REGION = gettext_lazy("%(field)s: region prefix %(value)s is not a known province and regency.")
FIELD_PREFIX = gettext_lazy("%(field)s: %(message)s")
BAD_EMAIL = gettext_lazy("%(field)s: “%(value)s” is not an e-mail address.")


class FieldError(ValueError):
    pass


def _fail(template, label, **extra) -> FieldError:
    return FieldError(str(template) % {"field": label, **extra})


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(*, max_length: int, required: bool = False) -> Callable:
    def clean(value, label):
        if _blank(value):
            if required:
                raise _fail(REQUIRED, label)
            return ""
        value = " ".join(str(value).split())
        if len(value) > max_length:
            raise _fail(TOO_LONG, label, n=max_length)
        return value

    return clean


def digits(n: int) -> Callable:
    def clean(value, label):
        if _blank(value):
            return ""
        value = re.sub(r"[\s.\-]", "", str(value))
        if not re.fullmatch(rf"\d{{{n}}}", value):
            raise _fail(DIGITS, label, n=n)
        return value

    return clean


def kbli(value, label):
    """A KBLI 2020 code that the table knows (registry/kbli.py), or a message naming the field."""
    from naikkelas.registry import kbli as table

    code = digits(5)(value, label)
    if code:
        found, why = table.look_up(code)
        if found is None:
            raise FieldError(str(FIELD_PREFIX) % {"field": label, "message": why})
    return code


def whole_number(value, label):
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _fail(NOT_WHOLE_NUMBER, label)
    try:
        number = int(str(value).strip().replace(".", "")) if isinstance(value, str) else int(value)
        if not isinstance(value, str) and number != value:
            raise ValueError
    except (TypeError, ValueError):
        raise _fail(NOT_WHOLE_NUMBER, label) from None
    if number < 0:
        raise _fail(NEGATIVE, label)
    return number


def money(value, label):
    try:
        amount = validation.parse_money(value)  # "Rp 1.500.000,-", "1,5 jt", "750rb"
    except validation.ParseError:
        raise _fail(NOT_MONEY, label) from None
    if amount is not None and amount < 0:
        raise _fail(NEGATIVE, label)
    return amount


def any_date(value, label):
    if _blank(value):
        return None
    try:
        return validation.parse_date(value)  # 2026-03-15, 15/03/2026, 15-03-26, "15 Maret 2026" …
    except validation.ParseError:
        raise _fail(BAD_DATE, label) from None


def past_date(value, label, today: date | None = None):
    """A date not after today (an import passes its own today once: asking the clock costs more than the rest)."""
    day = any_date(value, label)
    if day is not None and day > (today or timezone.localdate()):
        raise _fail(FUTURE_DATE, label)
    return day


def choice(choices) -> Callable:
    allowed = frozenset(choices.values)  # once: an import asks a million times

    def clean(value, label):
        if _blank(value):
            return None
        if str(value) not in allowed:
            raise _fail(BAD_CHOICE, label, value=value)
        return str(value)

    return clean


def coordinate(low: int, high: int) -> Callable:
    def clean(value, label):
        try:
            return validation.parse_coordinate(value, low, high)
        except validation.ParseError:
            raise _fail(BAD_COORDINATE, label, low=low, high=high) from None

    return clean


def phone(value, label):
    try:
        return phone_to_e164(value)
    except PhoneError as exc:
        raise FieldError(str(FIELD_PREFIX) % {"field": label, "message": exc}) from None


def email(value, label):

    if _blank(value):
        return ""
    text = str(value).strip().lower()
    try:
        validate_email(text)
    except DjangoValidationError:
        raise _fail(BAD_EMAIL, label, value=text) from None
    return text


def nik(value, label):
    if _blank(value):
        return ""
    try:
        info = personal.nik_parse(value)
    except personal.NikError as exc:
        raise FieldError(str(FIELD_PREFIX) % {"field": label, "message": exc}) from None
    if not _regency_known(info.regency):
        # Districts split over the years while a NIK keeps its first district, so only the regency is checked.
        raise _fail(NIK_REGION, label, value=info.nik[:4])
    return info.nik


_KNOWN_REGENCIES: set[str] = set()


def _regency_known(code: str) -> bool:
    """Regencies found once are remembered (an import checks the same few hundred thousands of times); a code
    not found is asked again, so a region tree loaded later is seen."""
    if code not in _KNOWN_REGENCIES:
        if not Region.objects.filter(code=code, level=Level.REGENCY).exists():
            return False
        _KNOWN_REGENCIES.add(code)
    return True


def village_in_scope(scope: Scope) -> Callable:
    def clean(value, label):
        if _blank(value):
            raise _fail(REQUIRED, label)
        code = str(value.pk if isinstance(value, Region) else value).strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise _fail(VILLAGE_UNKNOWN, label, value=code)
        if region.level != Level.VILLAGE:
            raise _fail(VILLAGE_NOT_VILLAGE, label, value=code)
        if not scope.covers_region(code):
            raise _fail(OUT_OF_SCOPE, label, value=f"{region.name} ({code})")
        return region

    return clean


def clean_fields(data: Mapping, spec: Mapping[str, tuple[str, Callable]], *, partial: bool) -> dict:
    """Clean the fields present in data (all fields when not partial); raise one ValidationError for all."""
    cleaned, errors = {}, {}
    for name, (label, cleaner) in spec.items():
        if partial and name not in data:
            continue
        try:
            cleaned[name] = cleaner(data.get(name), str(label))
        except FieldError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return cleaned
