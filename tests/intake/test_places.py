"""Village and district names resolved inside Kabupaten Pesawaran (18.09), on the real region tree."""

import pytest

from naikkelas.intake.places import PlaceResolver
from naikkelas.regions.models import Region


@pytest.fixture
def resolver(db):
    return PlaceResolver(Region.objects.get(code="18.09"))


@pytest.mark.parametrize(
    ("village", "district", "code"),
    [
        ("Bagelen", "Gedong Tataan", "18.09.01.2007"),
        ("DS. BAGELEN", "KEC. GEDONG TATAAN", "18.09.01.2007"),
        ("desa bagelen", "", "18.09.01.2007"),
        ("Bagelen", "GEDONG  TATAAN", "18.09.01.2007"),
        ("Sukadadi", None, "18.09.01.2005"),
    ],
)
def test_it_finds_a_village_whatever_the_case_and_prefixes(resolver, village, district, code):
    result = resolver.village(village, district)
    assert result.region is not None and result.region.code == code
    assert result.error == "" and result.warning == ""


def test_it_reads_a_small_typo_and_says_how_it_read_it(resolver):
    result = resolver.village("Bagelan", "Gedong Tataan")
    assert result.region.code == "18.09.01.2007"
    assert "Bagelen" in result.warning


def test_it_refuses_to_guess_a_name_shared_by_two_districts(resolver):
    result = resolver.village("Sidodadi", None)
    assert result.region is None and "Sidodadi" in result.error and "–" in result.error


def test_it_picks_the_shared_name_in_the_named_district(resolver):
    sidodadi = Region.objects.filter(code__startswith="18.09.", name="Sidodadi").order_by("code")
    district = sidodadi[0].parent
    assert resolver.village("Sidodadi", district.name).region == sidodadi[0]


def test_it_reports_a_village_that_does_not_exist(resolver):
    result = resolver.village("Desa Antah Berantah", "Gedong Tataan")
    assert result.region is None and "Kabupaten Pesawaran" in result.error


def test_it_reports_a_district_of_another_regency(resolver):
    result = resolver.village("Hajimena", "Natar")  # Natar is in Lampung Selatan
    assert result.region is None and "Lampung Selatan" in result.error
