"""Keeping BusinessTally correct: services call tally_change on each write; bulk loaders call tally_rebuild."""

from collections.abc import Mapping

from django.db import connection, transaction
from django.db.models import Count

from naikkelas.registry.models import Business, BusinessTally

TallyKey = tuple[str, str, str, str]  # village code, status, size class, sector


def tally_key(business: Business) -> TallyKey:
    return (business.village_id, business.status, business.size_class or "", business.sector or "")


def tally_change(old: TallyKey | None, new: TallyKey | None) -> None:
    if old != new:
        tally_apply({k: d for k, d in ((old, -1), (new, +1)) if k is not None})


@transaction.atomic
def tally_rebuild() -> int:
    """Recount every tally from the businesses themselves; returns the number of tally rows."""
    BusinessTally.objects.all().delete()
    rows = (
        Business.objects.values("village_id", "status", "size_class", "sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    tallies = [
        BusinessTally(
            village_id=r["village_id"],
            status=r["status"],
            size_class=r["size_class"],
            sector=r["sector"],
            count=r["n"],
        )
        for r in rows.iterator(chunk_size=5000)
    ]
    BusinessTally.objects.bulk_create(tallies, batch_size=5000)
    return len(tallies)


def tally_apply(deltas: Mapping[TallyKey, int]) -> None:
    """Add counted changes: one upsert per key (a row another transaction creates first is added to, not
    duplicated). The services pass one or two keys per write; bulk writers count in memory and pass them all."""
    rows = [(*key, delta) for key, delta in deltas.items() if delta]
    if not rows:
        return
    table = BusinessTally._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f'INSERT INTO "{table}" (village_id, status, size_class, sector, count) '  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (village_id, status, size_class, sector) "
            f'DO UPDATE SET count = "{table}".count + excluded.count',
            rows,
        )
