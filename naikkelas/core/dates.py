"""Dates people type into forms (YYYY-MM-DD, the value of an <input type=date>)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from naikkelas.core import validation

DATE_INVALID = gettext_lazy("%(field)s: a date as YYYY-MM-DD, not in the future.")


def form_day(value, field: str, label, *, future_ok: bool = False) -> date:
    """The date, or a ValidationError on `field` naming `label`; a day after today is refused unless future_ok."""
    try:
        day = validation.parse_date(value)  # 2026-03-15 from a date input; 15/03/2026 and the like typed
    except validation.ParseError:
        day = None
    if day is None:
        raise ValidationError({field: [str(DATE_INVALID) % {"field": label}]})
    if not future_ok and day > timezone.localdate():
        raise ValidationError({field: [str(DATE_INVALID) % {"field": label}]})
    return day


def moment(at) -> str:
    """A moment as messages and answers give it: local time, "4 Maret 2027 09:00"."""
    return date_format(timezone.localtime(at), "j F Y H:i")
