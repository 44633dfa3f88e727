import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.core.money import rupiah
from naikkelas.core.phones import PhoneError, _fast_mobile, library_e164, phone_to_e164
from naikkelas.core.validation import ParseError as MoneyError
from naikkelas.core.validation import parse_money as parse_rupiah


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+6281234567890",
        "6281234567890",
        "81234567890",
        81234567890,
    ],
)
def test_it_normalises_indonesian_mobile_numbers_to_e164(raw):
    assert phone_to_e164(raw) == "+6281234567890"


def test_it_keeps_a_landline_with_its_area_code():
    assert phone_to_e164("(0721) 123456") == "+62721123456"


@pytest.mark.parametrize("raw", ["12345", "hello", "0812", "+1 202 555 0100"])
def test_it_rejects_what_is_not_a_phone_number(raw):
    with pytest.raises(PhoneError):
        phone_to_e164(raw)


MOBILE_LIKE = st.builds(
    lambda second, rest: "8" + second + rest,
    st.sampled_from("0123456789"),
    st.text(alphabet="0123456789", min_size=5, max_size=12),
)


@settings(max_examples=400)
@given(
    prefix=st.sampled_from(["", "0", "62", "+62", "+62 ", "(0", "0062", "+620", "620"]),
    body=st.one_of(MOBILE_LIKE, st.text(alphabet="0123456789", min_size=6, max_size=13)),
    separator=st.sampled_from(["", " ", "-", "."]),
)
def test_the_fast_mobile_path_agrees_with_the_phonenumbers_library(prefix, body, separator):
    """phone_to_e164 answers common mobile numbers without the library's full parse; it must never differ."""
    typed = prefix + separator.join([body[:3], body[3:7], body[7:]])
    digits = "".join(ch for ch in typed if ch.isdigit())
    library_text = "0" + digits if not typed.startswith("+") and digits.startswith("8") else typed
    try:
        expected = library_e164(library_text)
    except PhoneError:
        expected = None
    try:
        got = phone_to_e164(typed)
    except PhoneError:
        got = None
    assert got == expected


@pytest.mark.parametrize("typed", ["081234567890", "+62 812-3456-7890", "+6285212345678", "0877 1234 5678"])
def test_common_mobile_numbers_take_the_fast_path(typed):
    digits = "".join(ch for ch in typed if ch.isdigit())
    assert _fast_mobile(typed, digits) == library_e164(typed)


def test_it_treats_empty_as_no_phone():
    assert phone_to_e164("") == ""
    assert phone_to_e164(None) == ""


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.500.000", 1_500_000),
        ("Rp 1.500.000,-", 1_500_000),
        ("1500000", 1_500_000),
        (2_000_000_000, 2_000_000_000),
        ("Rp1.000,00", 1000),
        ("", None),
        (None, None),
        ("-5.000", -5000),
    ],
)
def test_it_parses_rupiah_as_written(raw, value):
    assert parse_rupiah(raw) == value


@pytest.mark.parametrize("raw", ["1,5", "abc", "1.50.000", 12.5, "12,5", True])
def test_it_refuses_ambiguous_or_fractional_money(raw):
    with pytest.raises(MoneyError):
        parse_rupiah(raw)


@given(st.integers(min_value=0, max_value=10**15 - 1))  # from Rp 1.000 triliun on, not a business's figure
def test_it_reads_back_any_amount_written_with_thousand_dots(amount):
    assert parse_rupiah(f"Rp {amount:,}".replace(",", ".")) == amount


def test_it_shows_rupiah_the_indonesian_way():
    assert rupiah(1_500_000) == "Rp 1.500.000"
