"""The pre-aggregated counts stay equal to the real counts through every kind of write."""

import random

from django.core.management import call_command
from django.db.models import Count, Sum

from naikkelas.registry import selectors, services
from naikkelas.registry.models import Business, BusinessTally
from naikkelas.registry.selectors import BusinessFilters


def real_counts() -> dict:
    rows = Business.objects.values_list("village_id", "status", "size_class", "sector").annotate(
        n=Count("id")
    )
    return {r[:4]: r[4] for r in rows}


def tally_counts() -> dict:
    rows = BusinessTally.objects.filter(count__gt=0).values_list(
        "village_id", "status", "size_class", "sector", "count"
    )
    return {r[:4]: r[4] for r in rows}


def test_it_keeps_tallies_equal_to_real_counts_through_random_writes(personas, villages):
    rng = random.Random(3)
    actor = personas["admin_lampung"]
    places = [villages["gedong"], villages["pesawaran_other"], villages["lamsel"]]
    created = []
    for i in range(40):
        if created and rng.random() < 0.6:
            business = rng.choice(created)
            change = rng.choice(
                [
                    {"status": rng.choice(["registered", "operating", "modern", "closed"])},
                    {"annual_revenue": str(rng.choice([10_000_000, 3_000_000_000, 20_000_000_000]))},
                    {"sector": rng.choice(["Makanan olahan", "Kerajinan", ""])},
                    {"village": rng.choice(places).code},
                    {"employees": str(rng.randint(0, 9))},
                ]
            )
            services.business_update(actor=actor, business=business, data=change)
        else:
            created.append(
                services.business_create(
                    actor=actor,
                    data={
                        "name": f"Usaha {i}",
                        "owner_name": f"Pemilik {i}",
                        "village": rng.choice(places).code,
                        "sector": rng.choice(["Makanan olahan", "Kerajinan"]),
                        "annual_revenue": "50.000.000",
                    },
                )
            )
    assert tally_counts() == real_counts()


def test_it_counts_lists_from_the_tallies_like_the_real_query(personas, businesses):
    for role in ["national", "admin_lampung", "admin_pesawaran", "petugas", "owner", "outsider"]:
        for filters in [
            BusinessFilters(),
            BusinessFilters(region="18.09"),
            BusinessFilters(status="registered"),
            BusinessFilters(sector="makanan olahan"),
            BusinessFilters(q="kopi"),
        ]:
            user = personas[role]
            expected = selectors.business_list(user=user, filters=filters).count()
            assert selectors.business_count(user=user, filters=filters) == expected, (role, filters)


def test_it_rebuilds_tallies_from_scratch(personas, businesses):
    BusinessTally.objects.update(count=99)
    call_command("recount")
    assert tally_counts() == real_counts()
    assert BusinessTally.objects.aggregate(n=Sum("count"))["n"] == Business.objects.count()


def test_it_gives_the_same_rows_whichever_index_the_query_is_steered_to(personas, businesses):
    for role in ["national", "admin_lampung", "admin_pesawaran", "petugas", "owner"]:
        for filters in [
            BusinessFilters(),
            BusinessFilters(region="18.09"),
            BusinessFilters(region="18.09.01"),
        ]:
            user = personas[role]
            narrow = list(selectors.business_list(user=user, filters=filters, expected=1))
            wide = list(selectors.business_list(user=user, filters=filters, expected=10**9))
            assert narrow == wide, (role, filters)
