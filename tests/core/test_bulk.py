"""core.bulk.among: a dense set of ids as a range, a sparse one as a list; callers keep only the ids asked for.
core.bulk.delete_set: Django's cascade, by set."""

import contextlib
import io
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.db.models.deletion import Collector, ProtectedError

from naikkelas.core.bulk import among, delete_set
from naikkelas.registry.models import Business
from tests.conftest import make_business


def test_dense_ids_are_a_range_and_sparse_ones_a_list():
    assert among("pk", [10, 11, 13]).children == [("pk__gte", 10), ("pk__lte", 13)]
    assert among("pk", [1, 500]).children == [("pk__in", [1, 500])]
    assert among("pk", []).children == [("pk__in", [])]


@pytest.mark.django_db
def test_a_range_finds_every_id_asked_for(villages):
    village = villages["gedong"]
    ids = [make_business(f"Usaha {i}", village).pk for i in range(6)]
    asked = [ids[0], ids[2], ids[3]]  # dense: a range, which also brings ids[1]
    found = set(Business.objects.filter(among("pk", asked)).values_list("pk", flat=True))
    assert set(asked) <= found <= set(ids[:4])


class _Back(Exception):
    """Rolls one way of deleting back before the other is tried."""


def _what_django_deletes(queryset) -> Counter:
    """What Django's delete() would remove, by model, without removing it (its own collector)."""
    collector = Collector(using=queryset.db, origin=queryset)
    collector.collect(queryset)
    counts = Counter({model._meta.label: len(objs) for model, objs in collector.data.items() if objs})
    for qs in collector.fast_deletes:
        counts[qs.model._meta.label] += qs.count()
    return +counts


def _every_row() -> dict:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models(include_auto_created=True)}


@pytest.mark.slow
@pytest.mark.django_db
def test_a_set_wise_delete_removes_what_django_would_on_the_demos_graph():
    """On the demo (visits, assessments, KPIs, cash books, products, training, opportunities, aid): deleting the
    busiest businesses set-wise removes the same rows, model by model, as Django's own delete() does; what
    protects a business (a capital-aid application) refuses it and leaves every row in place."""
    with time_machine.travel(datetime(2030, 2, 28, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        call_command("load_demo", scale=0.02, stdout=io.StringIO())
    unprotected = Business.objects.filter(applications__isnull=True)
    busy = list(
        unprotected.annotate(
            n=Count("visits", distinct=True)
            + Count("products", distinct=True)
            + Count("book_entries", distinct=True)
        )
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[:40]
    )
    targets = Business.objects.filter(pk__in=busy)
    expected = _what_django_deletes(targets)
    assert expected["registry.Business"] == 40 and len(expected) >= 5  # a graph worth comparing
    before = _every_row()
    with contextlib.suppress(_Back), transaction.atomic():
        got = delete_set(Business.objects.filter(pk__in=busy))
        after = _every_row()
        raise _Back
    assert +got == expected, (got, expected)
    assert {k: before[k] - after[k] for k in before if before[k] != after[k]} == dict(expected)

    protected = Business.objects.filter(applications__isnull=False).values_list("pk", flat=True)[:1]
    assert protected
    with pytest.raises(ProtectedError):
        delete_set(Business.objects.filter(pk__in=[*busy[:3], *protected]))
    assert _every_row() == before


@pytest.mark.django_db(transaction=True)
def test_a_bulk_table_gives_unnamed_fields_their_defaults():
    """A writer naming only some fields still writes a valid row: the others get the model's defaults, as Django's
    own insert gives them (a field added later, such as Person.education, broke the benchmarks' writers)."""
    from naikkelas.core.bulk import BulkTable
    from naikkelas.registry.models import Person

    table = BulkTable(Person, ["id", "name"])
    [pk] = table.allocate(1)
    with transaction.atomic():
        assert table.insert([(pk, "Siti Aminah")]) == 1
    person = Person.objects.get(pk=pk)
    assert (person.name, person.education, person.phone, person.nik_hash) == ("Siti Aminah", "", "", "")
    assert person.created_at is not None and person.updated_at is not None
