"""Region codes are handled by regions.codes alone: its helpers, held to the shape of Kemendagri codes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.regions import codes

VILLAGE = "18.09.01.2003"


def test_it_cuts_a_code_to_each_level_above_it():
    assert (codes.regency_of(VILLAGE), codes.district_of(VILLAGE)) == ("18.09", "18.09.01")
    assert codes.cut(VILLAGE, codes.PROVINCE) == "18"
    assert codes.district_of("18.09") == ""  # a regency has no district above it
    assert [codes.level_of(c) for c in ("", "18", "18.09", "18.09.01", VILLAGE)] == [0, 1, 2, 3, 4]
    assert codes.parent_of(VILLAGE) == "18.09.01" and codes.parent_of("18") == ""


@pytest.mark.parametrize(("code", "length"), [("", 2), ("18", 5), ("18.09", 8), ("18.09.01", 13)])
def test_it_knows_the_length_of_the_codes_one_level_down(code, length):
    assert codes.child_length(code) == length


def test_a_code_lies_within_itself_and_its_ancestors_only():
    assert codes.code_within(VILLAGE, "18.09") and codes.code_within("18.09", "18.09")
    assert not codes.code_within("18.091", "18.09")  # a sibling whose code merely starts the same
    assert not codes.code_within("", "18") and not codes.code_within("18", "18.09")
    assert codes.related("18", VILLAGE) and codes.related(VILLAGE, "18")


@given(st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=3), st.integers(1000, 3999))
def test_every_ancestor_holds_the_code_and_the_common_code_of_one_is_itself(parts, village):
    code = ".".join(
        [f"{parts[0] + 10:02d}", *(f"{p:02d}" for p in parts[1:])]
        + ([str(village)] if len(parts) == 3 else [])
    )
    ancestors = codes.ancestor_codes(code)
    assert ancestors[-1] == code and all(codes.code_within(code, a) for a in ancestors)
    assert [codes.level_of(a) for a in ancestors] == list(range(1, len(ancestors) + 1))
    assert codes.common_code([code]) == code and codes.common_code([code, ancestors[0]]) == ancestors[0]
