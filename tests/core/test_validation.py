"""Cell values as offices type them: money, dates, NIKs, phones, counts."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.core.validation import (
    ParseError,
    parse_count,
    parse_date,
    parse_money,
    parse_nik,
    parse_phone,
)

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Rp 1.500.000,-", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1,5 jt", 1_500_000),
        ("1,5jt", 1_500_000),
        ("1.5 juta", 1_500_000),
        ("750rb", 750_000),
        ("750 ribu", 750_000),
        ("2 M", 2_000_000_000),
        ("2,5 miliar", 2_500_000_000),
        ("1.500", 1_500),
        ("1,500,000", 1_500_000),
        (1500000.0, 1_500_000),
        (2500000, 2_500_000),
        ("1500000.0", 1_500_000),
        ("Rp 500.000,00", 500_000),
        ("IDR 12.000", 12_000),
        ("12 jt/bulan", 12_000_000),
        ("0", 0),
        ("-", None),
        ("", None),
        (None, None),
        ("-5.000", -5_000),
        ("Rp. 1.000", 1_000),
    ],
)
def test_it_reads_money_as_offices_write_it(raw, value):
    assert parse_money(raw) == value


@pytest.mark.parametrize("raw", ["abc", "1,5,5", "Rp", "1.50.0", "satu juta", True])
def test_it_refuses_what_is_not_money(raw):
    with pytest.raises(ParseError):
        parse_money(raw)


@given(st.integers(min_value=0, max_value=10**13))
def test_it_reads_back_any_amount_written_with_thousand_dots(amount):
    assert parse_money("Rp " + f"{amount:,}".replace(",", ".") + ",-") == amount


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9))
def test_it_reads_decimal_juta_written_with_a_comma(whole, tenth):
    assert parse_money(f"{whole},{tenth} jt") == whole * 1_000_000 + tenth * 100_000


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("25/02/2022", date(2022, 2, 25)),
        ("25-2-22", date(2022, 2, 25)),
        ("25.02.2022", date(2022, 2, 25)),
        ("2022-02-25", date(2022, 2, 25)),
        ("25 Februari 2022", date(2022, 2, 25)),
        ("25 Feb 2022", date(2022, 2, 25)),
        ("5 Agustus 1999", date(1999, 8, 5)),
        ("1 Nopember 2020", date(2020, 11, 1)),
        (44617, date(2022, 2, 25)),
        (44617.0, date(2022, 2, 25)),
        ("44617", date(2022, 2, 25)),
        (datetime(2022, 2, 25, 10, 0), date(2022, 2, 25)),
        ("12/05/85", date(1985, 5, 12)),
        ("", None),
        ("-", None),
    ],
)
def test_it_reads_dates_day_first(raw, value):
    assert parse_date(raw, today=TODAY) == value


@pytest.mark.parametrize("raw", ["31/02/2022", "kemarin", "2022", "13/13/2013", "Februari 2022"])
def test_it_refuses_what_is_not_a_date(raw):
    with pytest.raises(ParseError):
        parse_date(raw, today=TODAY)


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2026, 11, 22)))
def test_it_reads_back_any_date_in_the_common_forms(day):
    assert parse_date(day.strftime("%d/%m/%Y"), today=TODAY) == day
    assert parse_date(day.strftime("%Y-%m-%d"), today=TODAY) == day
    assert parse_date((day - date(1899, 12, 30)).days, today=TODAY) == day


@pytest.mark.parametrize(
    "raw",
    [
        "1809015708850001",
        "1809 0157 0885 0001",
        "1809.0157.0885.0001",
        "'1809015708850001",
        1809015708850001,
        1809015708850001.0,
        "1809015708850001.0",
    ],
)
def test_it_reads_a_nik_however_excel_left_it(raw):
    assert parse_nik(raw) == "1809015708850001"


@pytest.mark.parametrize("raw", ["1.80902E+15", "1,80902E+15", 9.7e15, "12345", "1809013208850001"])
def test_it_explains_a_broken_nik(raw):
    with pytest.raises(ParseError):
        parse_nik(raw)


@given(
    st.dates(min_value=date(1931, 1, 1), max_value=date(2025, 12, 31)),
    st.booleans(),
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(["{}", "{} ", "'{}", "{:.4}-{}"]),
)
def test_it_reads_any_valid_nik_in_any_of_the_typed_forms(birth, female, serial, form):
    nik = f"180901{birth.day + (40 if female else 0):02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    typed = form.format(nik[:4], nik[4:]) if form.startswith("{:.4}") else form.format(nik)
    assert parse_nik(typed) == nik
    assert parse_nik(int(nik)) == nik


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "81234567890",
        81234567890,
        81234567890.0,
        "+62 812-3456-7890",
        "0812 3456 7890 / 0813 1111 2222",
        "'081234567890",
    ],
)
def test_it_reads_phones_to_e164(raw):
    assert parse_phone(raw) == "+6281234567890"


def test_it_refuses_a_broken_phone():
    with pytest.raises(ParseError):
        parse_phone("12345")


@pytest.mark.parametrize(
    ("raw", "value"), [("3 orang", 3), ("3", 3), (3.0, 3), ("tiga orang", 3), ("12 org", 12), ("", None)]
)
def test_it_reads_counts(raw, value):
    assert parse_count(raw) == value


@pytest.mark.parametrize("raw", ["banyak", 2.5, -1, "3,5 orang"])
def test_it_refuses_what_is_not_a_count(raw):
    with pytest.raises(ParseError):
        parse_count(raw)


# --- The readers every app uses (core.validation): each held to its spec ---------------------------------------

from decimal import Decimal  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402

from naikkelas.core import validation  # noqa: E402

INDONESIAN_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
READERS = [
    validation.parse_money,
    validation.parse_date,
    validation.parse_count,
    validation.parse_phone,
    validation.parse_nik,
    validation.parse_number,
    validation.parse_percent,
    validation.parse_month,
    validation.parse_year,
    validation.parse_nib,
    validation.parse_kbli,
    validation.parse_latitude,
    validation.parse_longitude,
]


def _indonesian(number: Decimal) -> str:
    whole, _sep, frac = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return ("-" if number < 0 else "") + grouped + ("," + frac if frac else "")


@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.none(), st.booleans(), st.dates()))
def test_every_reader_answers_any_input_with_a_value_or_its_reason(value):
    for read in READERS:
        try:
            read(value)
        except validation.ParseError as exc:
            assert str(exc)  # a sentence, never an empty refusal


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_a_number_reads_back_in_the_indonesian_and_the_plain_way(number):
    assert validation.parse_number(_indonesian(number)) == number
    assert validation.parse_number(f"{number:f}") == number


@given(st.integers(min_value=0, max_value=10**14))
def test_money_reads_rupiah_as_people_write_it(amount):
    written = f"{amount:,}".replace(",", ".")
    assert validation.parse_money(f"Rp {written},-") == amount
    assert validation.parse_money(str(amount)) == amount


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9))
def test_money_reads_juta_and_ribu(whole, tenth):
    assert validation.parse_money(f"{whole},{tenth} jt") == whole * 10**6 + tenth * 10**5
    assert validation.parse_money(f"{whole}rb") == whole * 1000


def test_the_forms_the_cash_book_and_the_catalogue_read_money_alike(businesses, personas):
    from naikkelas.performance import books as performance
    from naikkelas.registry import validation as registry

    assert registry.money("1,5 jt", "Omzet") == validation.parse_money("1,5 jt") == 1_500_000
    entry = performance.entry_add(
        actor=personas["owner"],
        business=businesses["gedong"],
        data={"kind": "sale", "category": "jual_tunai", "amount": "750rb"},
    )
    assert entry.amount == 750_000


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=1, max_value=12))
def test_a_month_reads_in_every_form_offices_type(year, month):
    first = date(year, month, 1)
    for text in (
        f"{year}-{month:02d}",
        f"{month:02d}/{year}",
        f"{month}-{year}",
        f"{INDONESIAN_MONTHS[month - 1]} {year}",
        f"{year}-{month:02d}-15",
    ):
        assert validation.parse_month(text) == first, text


@given(st.integers(min_value=1900, max_value=2099))
def test_a_year_is_four_digits(year):
    assert validation.parse_year(str(year)) == validation.parse_year(float(year)) == year


@pytest.mark.parametrize("text", ["25", "1899", "2100", "20255", "dua ribu", "2025a"])
def test_a_year_refuses_what_is_not_one(text):
    with pytest.raises(validation.ParseError):
        validation.parse_year(text)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_an_nib_is_thirteen_digits_and_a_kbli_code_five(digits):
    spaced = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    if len(digits) == 13:
        assert validation.parse_nib(spaced) == digits
    else:
        with pytest.raises(validation.ParseError):
            validation.parse_nib(spaced)
    if len(digits) == 5:
        assert validation.parse_kbli(digits) == digits
    else:
        with pytest.raises(validation.ParseError):
            validation.parse_kbli(digits)


@given(st.decimals(min_value=-100, max_value=100, places=6, allow_nan=False))
def test_a_coordinate_reads_with_a_point_or_a_comma_inside_its_range(number):
    text = f"{number:f}"
    if -90 <= number <= 90:
        assert validation.parse_latitude(text) == validation.parse_latitude(text.replace(".", ",")) == number
    else:
        with pytest.raises(validation.ParseError):
            validation.parse_latitude(text)


@given(st.decimals(min_value=-50, max_value=150, places=1, allow_nan=False))
def test_a_percentage_is_from_0_to_100(number):
    text = _indonesian(number) + " %"
    if 0 <= number <= 100:
        assert validation.parse_percent(text) == number
    else:
        with pytest.raises(validation.ParseError):
            validation.parse_percent(text)


def test_a_form_value_names_its_field_and_gives_one_reason():
    with pytest.raises(ValidationError) as err:
        validation.form_value(validation.parse_month, "tiga belas", "month", "Bulan")
    assert err.value.message_dict == {"month": [f"Bulan: {validation.NOT_MONTH}."]}
    assert validation.form_value(validation.parse_month, "Maret 2026", "month", "Bulan") == date(2026, 3, 1)
