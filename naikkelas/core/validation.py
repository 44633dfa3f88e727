"""One reader per kind of input, as offices type it into forms and spreadsheets, read the Indonesian way.

Forms, the API, imports and every app's services read money, dates, months, years, numbers, counts, percentages,
phones, NIKs, NIBs, KBLI codes and coordinates here and nowhere else, so "1,5 jt" means the same on every page.

Every reader takes a value as a form, JSON or a spreadsheet cell gives it (str, int, float, Decimal, date,
datetime or None), returns the clean value or None for an empty one, and raises ParseError with one
Indonesian-first (translatable) reason otherwise. `form_value` turns that reason into the ValidationError a
service raises, naming the field.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core.personal import NikError, nik_parse
from naikkelas.core.phones import PhoneError, phone_to_e164

NOT_MONEY = _("not an amount of money")
NOT_DATE = _("not a date (use day/month/year)")
NOT_COUNT = _("not a whole number")
NIK_SCIENTIFIC = _("the NIK was turned into a rounded number by Excel (e.g. 1,80901E+15); type it as text")
NIK_ROUNDED = _("the NIK is too long for an Excel number and lost its last digits; type it as text")
NOT_PHONE = _("not a valid Indonesian phone number")
MONEY_FRACTION = _("a Rupiah amount has no fraction (write 1,5 jt or 1.500.000)")
MONEY_TOO_LARGE = _("more than Rp 1,000 trillion: not an amount a business of this registry has")
COUNT_TOO_LARGE = _("more than 999,999: not a count of people or units")
TOO_LONG = _("too long for this column (%(n)d characters)")
EXCEL_ERROR = _("the cell holds the Excel error %(error)s; fix the formula or type the value")

MAX_MONEY = 10**15  # Rupiah; a conglomerate's turnover is below it
MAX_COUNT = 10**6
# Longest text a value of each kind may have before any pattern looks at it: a pattern's work then stays small
# whatever a cell holds (Excel allows 32,767 characters).
MAX_VALUE_CHARS = 60
EXCEL_ERRORS = re.compile(
    r"#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!)"
)
# Invisible characters (zero-width, bidirectional controls, soft hyphen, BOM) and control characters.
INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)

EMPTY = {"", "-", "--", "—", "–", "n/a", "na", "tidak ada", "belum ada", "0000-00-00"}
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, counting its phantom 29 February 1900


class ParseError(ValueError):
    pass


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in EMPTY)


def excel_error(value) -> str | None:
    """The Excel error a cell holds (#N/A, #REF! …), if it holds one."""
    if (
        isinstance(value, str)
        and "#" in value
        and len(value) <= 16
        and EXCEL_ERRORS.fullmatch(value.strip().upper())
    ):
        return value.strip().upper()
    return None


def visible_text(value) -> str:
    """A text cell without invisible or control characters, its spaces folded."""
    return " ".join(INVISIBLE.sub("", str(value)).split())


def _short(value) -> str:
    """The cell as text for a pattern to read, refused when longer than any value of its kind."""
    text = str(value).strip()
    if len(text) > MAX_VALUE_CHARS:
        raise ParseError(str(TOO_LONG) % {"n": len(text)})
    return text


def _finite(value: float) -> float:
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError(NOT_MONEY)
    return value


# Money ---------------------------------------------------------------------------------------------------------

UNITS = [
    (re.compile(r"(triliun|trilyun|t)$"), 10**12),
    (re.compile(r"(miliar|milyar|mlyr|mly|m)$"), 10**9),
    (re.compile(r"(juta|jt|jta)$"), 10**6),
    (re.compile(r"(ribu|rb|k)$"), 10**3),
]


def _decimal_indonesian(text: str, *, has_unit: bool) -> Decimal:
    """'1.500.000' → 1500000; '1,5' → 1.5; '1.5' with a unit → 1.5; '1,500,000' → 1500000."""
    if re.fullmatch(r"\d+", text):
        return Decimal(text)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.500.000 or 1.500.000,50
        whole, _sep, frac = text.partition(",")
        return Decimal(whole.replace(".", "") + ("." + frac if frac else ""))
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):  # 1,500,000 typed the English way
        return Decimal(text.replace(",", ""))
    if re.fullmatch(r"\d+,\d+", text):  # 1,5
        return Decimal(text.replace(",", "."))
    if re.fullmatch(r"\d+\.\d+", text):  # 1.5 (a decimal point) or 1500000.0 from a float
        whole, frac = text.split(".")
        if len(frac) == 3 and not has_unit:
            return Decimal(whole + frac)  # 1.500 without a unit is one thousand five hundred
        return Decimal(text)
    raise InvalidOperation(text)


def parse_money(value) -> int | None:
    """Rupiah as integers: 'Rp 1.500.000,-', '1,5 jt', '750rb', '2 M', 1500000.0 → int."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError(NOT_MONEY)
    if isinstance(value, int | float):
        if isinstance(value, float):
            _finite(value)
        if abs(value) >= MAX_MONEY:
            raise ParseError(MONEY_TOO_LARGE)
        if value != int(value):
            raise ParseError(MONEY_FRACTION)
        return int(value)
    text = re.sub(r"\s*(,-+|,00|\.-+|-+)$", "", _short(value).lower())  # "Rp 1.500.000,-"
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("()-+ ")
    text = re.sub(r"^(rp\.?|idr)\s*", "", text).strip()
    text = re.sub(r"\s*(per|/)\s*(bulan|bln|tahun|thn)$", "", text)  # the column says which period
    multiplier = 1
    for pattern, factor in UNITS:
        unit = pattern.search(text)
        if unit and re.search(r"\d\s*" + pattern.pattern, text):
            text = text[: unit.start()].strip()
            multiplier = factor
            break
    text = text.replace(" ", "")
    try:
        amount = _decimal_indonesian(text, has_unit=multiplier > 1) * multiplier
    except InvalidOperation:
        raise ParseError(NOT_MONEY) from None
    if amount.is_nan() or amount.is_infinite():
        raise ParseError(NOT_MONEY)
    if abs(amount) >= MAX_MONEY:
        raise ParseError(MONEY_TOO_LARGE)
    if amount != amount.to_integral_value():  # "1,5" alone: 1,5 juta or a Rupiah and a half? Ask.
        raise ParseError(MONEY_FRACTION)
    result = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -result if negative else result


# Dates ---------------------------------------------------------------------------------------------------------

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip


def _year(two_or_four: str, today: date) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def parse_date(value, *, today: date | None = None) -> date | None:
    """25/02/2022, 25-2-22, 25.02.2022, 2022-02-25, '25 Februari 2022', an Excel serial or a date cell."""
    if _blank(value):
        return None
    today = today or date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 2958465 and value == value:  # Excel's range of serials (NaN compares false)
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ParseError(NOT_DATE)
    text = re.sub(r"\s+", " ", _short(value).lower()).rstrip(".")
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})", text):
            return date(_year(m[3], today), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})[ \-]([a-z]+)\.?[ \-,]*(\d{4}|\d{2})", text)
        if m and m[2] in MONTHS:
            return date(_year(m[3], today), MONTHS[m[2]], int(m[1]))
        if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial that arrived as text
            return EXCEL_EPOCH + timedelta(days=int(float(text)))
    except ValueError:
        pass
    raise ParseError(NOT_DATE)


def parse_moment(value) -> datetime | None:
    """A day and a time of day in Jakarta, as a form's datetime-local field sends it ("2026-12-01T14:30") or as
    typed ("1/12/2026 14.30", "2026-12-01 14:30"); a day alone is its start. An aware datetime, or ParseError."""
    if _blank(value):
        return None
    text = re.sub(r"\s+", " ", _short(value).strip().lower())
    m = re.fullmatch(r"(.+?)(?:[ t](\d{1,2})[:.](\d{2})(?:[:.]\d{2})?)?", text)
    if not m:
        raise ParseError(NOT_DATE)
    day = parse_date(m[1])
    hour, minute = int(m[2] or 0), int(m[3] or 0)
    if hour > 23 or minute > 59:
        raise ParseError(NOT_DATE)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), ZoneInfo("Asia/Jakarta"))


# NIK, phone, counts ---------------------------------------------------------------------------------------------


def parse_nik(value) -> str | None:
    """A NIK typed as text, with spaces or dots, with a leading apostrophe, or turned into a number by Excel."""
    if _blank(value):
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or value >= 2**53:
            raise ParseError(NIK_ROUNDED)
        value = f"{value:.0f}"
    elif isinstance(value, int):
        value = str(value)
    text = _short(value).lstrip("'`")
    if re.search(r"\d[.,]?\d*e\+?\d+", text.lower()):
        raise ParseError(NIK_SCIENTIFIC)
    if re.fullmatch(r"\d{16}\.0+", text):
        text = text.split(".")[0]
    try:
        return nik_parse(text).nik
    except NikError as exc:
        raise ParseError(str(exc)) from None


def parse_phone(value) -> str | None:
    """To E.164; '0812… / 0813…' takes the first number; 81234567890.0 from Excel is recovered."""
    if _blank(value):
        return None
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 10**16:
            raise ParseError(NOT_PHONE)
        value = f"{value:.0f}"
    text = _short(value).lstrip("'")
    if re.fullmatch(r"\+?\d{8,15}\.0", text):  # a number Excel wrote out as text: "81234567890.0"
        text = text[:-2]
    first = re.split(r"\s*(?:/|;|,|\bdan\b|\batau\b)\s*", text)[0]
    try:
        return phone_to_e164(first) or None
    except PhoneError:
        raise ParseError(NOT_PHONE) from None


WORD_NUMBERS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
}


def parse_count(value) -> int | None:
    """'3 orang', '3', 3.0, 'tiga orang' → 3."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError(NOT_COUNT)
    if isinstance(value, int | float):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise ParseError(NOT_COUNT)
        if float(value).is_integer() and value >= 0:
            return _bounded_count(int(value))
        raise ParseError(NOT_COUNT)
    text = _short(value).lower()
    text = re.sub(r"\s*(orang|org|jiwa|karyawan|pekerja|tk|unit)\.?$", "", text).strip()
    if text in WORD_NUMBERS:
        return WORD_NUMBERS[text]
    if re.fullmatch(r"[0-9]+(\.0+)?", text):  # ASCII digits only: "¹" is a digit to str.isdigit, not to int()
        return _bounded_count(int(text.split(".")[0]))
    raise ParseError(NOT_COUNT)


def _bounded_count(count: int) -> int:
    if count >= MAX_COUNT:
        raise ParseError(COUNT_TOO_LARGE)
    return count


# Numbers, months, years, codes, coordinates ---------------------------------------------------------------------

NOT_NUMBER = _("not a number")
NOT_MONTH = _("not a month (use YYYY-MM, e.g. 2026-03, or MM/YYYY)")
NOT_YEAR = _("not a year (four digits, e.g. 2025)")
NOT_PERCENT = _("not a percentage from 0 to 100")
NOT_NIB = _("an NIB has 13 digits")
NOT_KBLI = _("a KBLI code has 5 digits (KBLI 2020)")
NOT_COORDINATE = _("not a coordinate from %(low)s to %(high)s")
LATITUDE = (-90, 90)
LONGITUDE = (-180, 180)


def parse_number(value) -> Decimal | None:
    """A figure: 1.500.000 · 1500000 · 12,5 · 12.5 · -250.000 · Rp 2.000.000 · 45 % · 1,500,000."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError(NOT_NUMBER)
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        text = re.sub(r"^(rp\.?|idr)", "", _short(value).lower().replace(" ", "").replace("%", ""))
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.500.000 or 1.500.000,50
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d+,\d+", text):  # 12,5
            text = text.replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):  # 1,500,000
            text = text.replace(",", "")
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise ParseError(NOT_NUMBER)
        number = Decimal(text)
    if not number.is_finite() or abs(number) >= MAX_MONEY:
        raise ParseError(NOT_NUMBER)
    return number


def parse_percent(value) -> Decimal | None:
    """45 · 45,5 · '45 %' → Decimal from 0 to 100."""
    try:
        number = parse_number(value)
    except ParseError:
        raise ParseError(NOT_PERCENT) from None
    if number is not None and not (0 <= number <= 100):
        raise ParseError(NOT_PERCENT)
    return number


def parse_month(value) -> date | None:
    """2026-03 · 2026-03-15 · 03/2026 · 3-2026 · 'Maret 2026' · a date → the first of that month."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = re.sub(r"\s+", " ", _short(value).lower())
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text):
            return date(int(m[1]), int(m[2]), 1)
        if m := re.fullmatch(r"(\d{1,2})[/\-.](\d{4})", text):
            return date(int(m[2]), int(m[1]), 1)
        if (m := re.fullmatch(r"([a-z]+)\.?[ \-,]*(\d{4})", text)) and m[1] in MONTHS:
            return date(int(m[2]), MONTHS[m[1]], 1)
    except ValueError:
        pass
    raise ParseError(NOT_MONTH)


def parse_year(value) -> int | None:
    """2025 · '2025' · 2025.0 (a spreadsheet cell)."""
    if _blank(value):
        return None
    text = _short(value).removesuffix(".0") if not isinstance(value, bool) else ""
    if not re.fullmatch(r"(19|20)\d\d", text):
        raise ParseError(NOT_YEAR)
    return int(text)


def parse_nib(value) -> str | None:
    """Nomor Induk Berusaha from OSS: 13 digits, typed with spaces or dots, or turned into a number by Excel."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = f"{value:.0f}"
    digits = re.sub(r"[\s.\-']", "", _short(value))
    if not re.fullmatch(r"\d{13}", digits):
        raise ParseError(NOT_NIB)
    return digits


def parse_kbli(value) -> str | None:
    """A KBLI 2020 code: five digits (a leading zero kept, as Excel loses it: 1071 → 01071 is not guessed)."""
    if _blank(value):
        return None
    text = _short(value).removesuffix(".0").replace(".", "").replace(" ", "")
    if not re.fullmatch(r"\d{5}", text):
        raise ParseError(NOT_KBLI)
    return text


def parse_coordinate(value, low: float, high: float) -> Decimal | None:
    """A latitude or longitude in decimal degrees (a comma or a point), within [low, high], to 6 places."""
    if _blank(value):
        return None
    text = _short(value).replace(",", ".") if not isinstance(value, bool) else "x"
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not (low <= number <= high):
        raise ParseError(str(NOT_COORDINATE) % {"low": low, "high": high})
    return number.quantize(Decimal("0.000001"))


def parse_latitude(value) -> Decimal | None:
    return parse_coordinate(value, *LATITUDE)


def parse_longitude(value) -> Decimal | None:
    return parse_coordinate(value, *LONGITUDE)


def form_value(read, value, field: str, label, **kwargs):
    """Read a form or API value; a failure becomes the ValidationError of the field: "<label>: <reason>."."""

    try:
        return read(value, **kwargs)
    except ParseError as exc:
        reason = str(exc)
        raise ValidationError({field: [f"{label}: {reason}{'' if reason.endswith('.') else '.'}"]}) from None
