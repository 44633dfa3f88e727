"""The funnel: a business's stage history, and the pre-aggregated sums, against the definition applied to every
business (stages_on), after random visits, assessments, edits and deletions."""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.lifecycle import funnel
from naikkelas.lifecycle.constants import VisitOutcome
from naikkelas.lifecycle.models import Assessment, FunnelDelta, FunnelEvent, Instrument, VerificationVisit
from naikkelas.regions.models import Level, Region
from naikkelas.registry import followers
from naikkelas.registry.models import Business
from tests.conftest import make_business

START = date(2023, 1, 1)
days = st.integers(min_value=0, max_value=1400).map(lambda n: START + timedelta(days=n))
outcomes = st.sampled_from(VisitOutcome.values)


def test_it_counts_a_business_operating_for_a_year_after_an_operating_visit(settings):
    settings.FUNNEL_WINDOW_DAYS = 365
    visits = [(date(2024, 3, 1), VisitOutcome.OPERATING)]
    ratings = [(date(2024, 4, 1), True)]
    on = lambda day: funnel.stages_on(day, registered_on=date(2024, 1, 1), visits=visits, ratings=ratings)  # noqa: E731
    assert on(date(2023, 12, 31)) == (0, 0, 0)
    assert on(date(2024, 2, 29)) == (1, 0, 0)
    assert on(date(2024, 3, 1)) == (1, 1, 0)
    assert on(date(2024, 4, 1)) == (1, 1, 1)
    assert on(date(2025, 2, 28)) == (1, 1, 1)
    assert on(date(2025, 3, 1)) == (1, 0, 0)  # 365 days after the visit: no longer counted operating
    assert funnel.timeline(registered_on=date(2024, 1, 1), visits=visits, ratings=ratings) == {
        date(2024, 1, 1): (1, 0, 0),
        date(2024, 3, 1): (0, 1, 0),
        date(2024, 4, 1): (0, 0, 1),
        date(2025, 3, 1): (0, -1, -1),
    }


def test_it_ends_operating_on_a_visit_that_finds_the_business_closed():
    visits = [(date(2024, 3, 1), VisitOutcome.OPERATING), (date(2024, 6, 1), VisitOutcome.CLOSED)]
    changes = funnel.timeline(registered_on=date(2024, 1, 1), visits=visits, ratings=[])
    assert changes == {date(2024, 1, 1): (1, 0, 0), date(2024, 3, 1): (0, 1, 0), date(2024, 6, 1): (0, -1, 0)}


@given(
    registered_on=days,
    visits=st.lists(st.tuples(days, outcomes), max_size=6),
    ratings=st.lists(st.tuples(days, st.booleans()), max_size=4),
    probes=st.lists(days, min_size=1, max_size=8),
)
def test_it_changes_stage_exactly_where_the_definition_says(registered_on, visits, ratings, probes):
    visits = sorted(visits, key=lambda v: v[0])  # made in date order; same-day visits keep their order
    ratings = sorted(ratings, key=lambda r: r[0])
    changes = funnel.timeline(registered_on=registered_on, visits=visits, ratings=ratings)
    for probe in probes:
        summed = [sum(c[i] for d, c in changes.items() if d <= probe) for i in range(3)]
        expected = funnel.stages_on(probe, registered_on=registered_on, visits=visits, ratings=ratings)
        assert tuple(summed) == expected, (probe, changes)


def recount(region_code: str, as_of: date, sector: str = "", size_class: str = "") -> tuple[int, int, int]:
    """Every business's stages from the definition, summed: no FunnelEvent, no FunnelDelta."""
    total = [0, 0, 0]
    for b in Business.objects.filter(village__code__startswith=region_code):
        if sector and b.sector != sector or size_class and b.size_class != size_class:
            continue
        visits = list(b.visits.order_by("visited_on", "id").values_list("visited_on", "outcome"))
        ratings = list(b.assessments.order_by("assessed_on", "id").values_list("assessed_on", "modern"))
        stages = funnel.stages_on(as_of, registered_on=b.registered_on, visits=visits, ratings=ratings)
        total = [t + s for t, s in zip(total, stages, strict=True)]
    return tuple(total)


def as_tuple(counts) -> tuple[int, int, int]:
    return counts.registered, counts.operating, counts.modern


@pytest.fixture
def world(villages, personas):
    """60 businesses over three districts of two regencies, with a random history of visits and ratings."""
    rng = random.Random(7)
    places = [
        Region.objects.filter(code__startswith=p + ".", level=Level.VILLAGE).order_by("code")[i]
        for p in ("18.09.01", "18.09.02", "18.01.04")
        for i in range(2)
    ]
    instrument = Instrument.objects.get(version=1)
    made = []
    for n in range(60):
        b = make_business(
            f"Usaha {n}",
            rng.choice(places),
            sector=rng.choice(["Kuliner", "Kerajinan", ""]),
            size_class=rng.choice(["mikro", "kecil"]),
            registered_on=START + timedelta(days=rng.randint(0, 700)),
        )
        made.append(b)
    for _ in range(250):
        b = rng.choice(made)
        day = b.registered_on + timedelta(days=rng.randint(-30, 900))
        if rng.random() < 0.7:
            VerificationVisit.objects.create(
                business=b, visited_on=day, outcome=rng.choice(VisitOutcome.values + ["operating"] * 4)
            )
        else:
            Assessment.objects.create(
                business=b,
                instrument=instrument,
                assessed_on=day,
                score=50,
                level=3,
                modern=rng.random() < 0.5,
            )
        funnel.funnel_sync([b.pk])
    return {"rng": rng, "businesses": made, "places": places}


PROBES = [date(2023, 6, 30), date(2024, 2, 29), date(2024, 12, 31), date(2025, 7, 15), date(2026, 3, 1)]


def check_all(probes=PROBES):
    regions = Region.objects.in_bulk(["18", "18.09", "18.09.01", "18.01"])
    for as_of in probes:
        for code in ("18", "18.09", "18.09.01", "18.01"):
            for sector, size in (("", ""), ("Kuliner", ""), ("", "kecil"), ("Kerajinan", "mikro")):
                got = funnel.funnel_counts(region=regions[code], as_of=as_of, sector=sector, size_class=size)
                assert as_tuple(got.total) == recount(code, as_of, sector, size), (code, as_of, sector, size)
                for child, counts in got.children:
                    if counts.registered or sector == "":
                        assert as_tuple(counts) == recount(child.code, as_of, sector, size), child.code


@pytest.mark.django_db
def test_it_equals_a_recount_after_random_visits_and_assessments(world):
    check_all()


@pytest.mark.django_db
def test_it_still_equals_a_recount_after_edits_moves_and_deletions(world):
    rng = world["rng"]
    moved = world["businesses"][:10]
    for b in moved:
        b.village = rng.choice(world["places"])
        b.sector = rng.choice(["Kuliner", "Jasa"])
        b.size_class = "menengah"
        b.save()
    gone = [b.pk for b in world["businesses"][10:15]]
    Business.objects.filter(pk__in=gone).delete()
    followers.businesses_changed([b.pk for b in moved] + gone)
    check_all(PROBES[2:])
    assert not FunnelEvent.objects.filter(business_id__in=gone).exists()


@pytest.mark.django_db
def test_it_rebuilds_to_the_same_sums(world):
    kept = {
        (d.region_code, d.sector, d.size_class, d.grain, d.period): (d.registered, d.operating, d.modern)
        for d in FunnelDelta.objects.all()
    }
    funnel.funnel_rebuild()
    rebuilt = {
        (d.region_code, d.sector, d.size_class, d.grain, d.period): (d.registered, d.operating, d.modern)
        for d in FunnelDelta.objects.all()
    }
    assert {k: v for k, v in kept.items() if any(v)} == rebuilt
    check_all(PROBES[:2])


@pytest.mark.django_db
def test_it_gives_the_quarterly_trend_as_of_each_quarter_end(world):
    regency = Region.objects.get(code="18.09")
    district = Region.objects.get(code="18.09.01")
    for region in (regency, district):
        series = funnel.funnel_trend(region=region, until=date(2025, 8, 20), quarters=6)
        assert [d for d, _ in series] == [
            date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30),
            date(2025, 8, 20),
        ]  # fmt: skip
        for day, counts in series:
            assert as_tuple(counts) == recount(region.code, day), (region.code, day)


@pytest.mark.django_db
def test_it_lists_every_child_region_also_without_businesses(world):
    regency = Region.objects.get(code="18.09")
    got = funnel.funnel_counts(region=regency, as_of=date(2026, 1, 1))
    assert [c.code for c, _ in got.children] == list(
        Region.objects.filter(parent=regency).order_by("code").values_list("code", flat=True)
    )
    assert sum(c.registered for _, c in got.children) == got.total.registered > 0
