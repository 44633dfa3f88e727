from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.core import personal


def test_it_parses_a_womans_nik():
    info = personal.nik_parse("1809015708850001", today=date(2026, 1, 1))
    assert info.gender == "P"
    assert info.birth_date == date(1985, 8, 17)
    assert info.district == "18.09.01"
    assert info.regency == "18.09"


def test_it_parses_a_mans_nik_with_spaces_and_dots():
    info = personal.nik_parse("1801 0112 0390 0002", today=date(2026, 1, 1))
    assert info.gender == "L"
    assert info.birth_date == date(1990, 3, 12)
    assert personal.nik_parse("1801.0112.0390.0002").nik == "1801011203900002"


def test_it_puts_two_digit_years_after_this_year_in_the_last_century():
    assert personal.nik_parse("1809011201050003", today=date(2026, 1, 1)).birth_date == date(2005, 1, 12)
    assert personal.nik_parse("1809011201300003", today=date(2026, 1, 1)).birth_date == date(1930, 1, 12)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("180901570885000", personal.NIK_NOT_16_DIGITS),
        ("18090157088500011", personal.NIK_NOT_16_DIGITS),
        ("18090157088500a1", personal.NIK_NOT_16_DIGITS),
        ("1809013208850001", personal.NIK_BAD_DATE),  # day 32
        ("1809017208850001", personal.NIK_BAD_DATE),  # woman, day 32
        ("1809013002850001", personal.NIK_BAD_DATE),  # 30 February
        ("1809011213850001", personal.NIK_BAD_DATE),  # month 13
        ("1809011203900000", personal.NIK_BAD_SERIAL),
    ],
)
def test_it_rejects_a_broken_nik_with_the_reason(raw, message):
    with pytest.raises(personal.NikError) as exc:
        personal.nik_parse(raw)
    assert str(exc.value) == str(message)


def test_it_masks_all_but_the_first_and_last_four_digits():
    assert personal.nik_mask("1809015708850001") == "1809xxxxxxxx0001"


def test_it_encrypts_so_that_the_raw_nik_is_not_in_the_token():
    token = personal.encrypt("1809015708850001")
    assert "1809015708850001" not in token
    assert personal.decrypt(token) == "1809015708850001"


def test_it_hashes_the_same_nik_the_same_way_and_others_differently():
    assert personal.keyed_hash("1809015708850001") == personal.keyed_hash("1809015708850001")
    assert personal.keyed_hash("1809015708850001") != personal.keyed_hash("1809015708850002")


def test_it_refuses_to_decrypt_under_another_key(settings):
    token = personal.encrypt("1809015708850001")
    settings.NAIKKELAS_SECRET = "another-key"
    with pytest.raises(ValueError):
        personal.decrypt(token)


@given(
    birth=st.dates(min_value=date(1931, 1, 1), max_value=date(2025, 12, 31)),
    female=st.booleans(),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_it_recovers_birth_date_and_gender_from_any_valid_nik(birth, female, serial):
    day = birth.day + (40 if female else 0)
    nik = f"180901{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    info = personal.nik_parse(nik, today=date(2026, 1, 1))
    assert info.birth_date == birth
    assert info.gender == ("P" if female else "L")
    assert personal.nik_mask(nik)[:4] == "1809"
