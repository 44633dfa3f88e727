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


@pytest.mark.parametrize(
    "code",
    ["18.09.01.2007", "1809012007", 1809012007, 1809012007.0, " 18.09.01.2007 "],
)
def test_a_kemendagri_code_dotted_or_not_finds_its_village(resolver, code):
    result = resolver.by_code(code, "a name that says otherwise")  # the code beats the name
    assert result.region is not None and result.region.code == "18.09.01.2007" and not result.warning


def test_a_district_code_narrows_the_name(resolver):
    assert resolver.by_code("180901", "Bagelen").region.code == "18.09.01.2007"
    assert resolver.by_code("18.09.01", "Bagelen").region.code == "18.09.01.2007"
    result = resolver.by_code("18.09.01", "")
    assert result.region is None and "18.09.01" in result.error and "Gedong Tataan" in result.error


def test_codes_that_do_not_resolve_say_why(resolver):
    lamsel = Region.objects.filter(code__startswith="18.01.", level=4).order_by("code").first()
    outside = resolver.by_code(lamsel.code.replace(".", ""))  # a Lampung Selatan village, undotted
    assert outside.region is None and "Pesawaran" in outside.error and lamsel.name in outside.error
    assert resolver.by_code("18.09.01.9999").region is None  # dotted: no BPS reading
    assert "12ab" in resolver.by_code("12ab").error
    bps_elsewhere = resolver.by_code("1801010001", "Bagelen")
    assert bps_elsewhere.region is None and "Pesawaran" in bps_elsewhere.error


def test_a_bps_code_is_read_through_the_names_and_says_so(resolver):
    # BPS numbers Gedong Tataan's villages otherwise (district 010 …): 1809010007 is no Kemendagri village.
    result = resolver.by_code("1809010007", "Bagelen", "Gedong Tataan")
    assert (
        result.region.code == "18.09.01.2007"
        and "1809010007" in result.warning
        and "Bagelen" in result.warning
    )
    assert resolver.by_code("1809010007", "").region is None
    # A column marked BPS is never read as Kemendagri, even when the digits happen to be a Kemendagri village.
    marked = resolver.by_code("1809012007", "Sukadadi", bps=True)
    assert marked.region.code == "18.09.01.2005" and "BPS" in marked.warning
