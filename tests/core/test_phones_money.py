import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.core.money import MoneyError, parse_rupiah, rupiah
from naikkelas.core.phones import PhoneError, phone_to_e164


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


@pytest.mark.parametrize("raw", ["1,5", "abc", "1.50.000", 12.5, True])
def test_it_refuses_ambiguous_or_fractional_money(raw):
    with pytest.raises(MoneyError):
        parse_rupiah(raw)


@given(st.integers(min_value=0, max_value=10**15))
def test_it_reads_back_any_amount_written_with_thousand_dots(amount):
    assert parse_rupiah(f"Rp {amount:,}".replace(",", ".")) == amount


def test_it_shows_rupiah_the_indonesian_way():
    assert rupiah(1_500_000) == "Rp 1.500.000"
