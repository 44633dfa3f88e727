"""Keeping BusinessTally correct: services call tally_change on each write; bulk loaders call tally_rebuild."""

from collections.abc import Mapping

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F

from naikkelas.registry.models import Business, BusinessTally

TallyKey = tuple[str, str, str, str]  # village code, status, size class, sector


def tally_key(business: Business) -> TallyKey:
    return (business.village_id, business.status, business.size_class or "", business.sector or "")


def _add(key: TallyKey, delta: int) -> None:
    village, status, size_class, sector = key
    match = {"village_id": village, "status": status, "size_class": size_class, "sector": sector}
    if BusinessTally.objects.filter(**match).update(count=F("count") + delta):
        return
    try:
        with transaction.atomic():
            BusinessTally.objects.create(**match, count=delta)
    except IntegrityError:  # another transaction created the row first
        BusinessTally.objects.filter(**match).update(count=F("count") + delta)


def tally_change(old: TallyKey | None, new: TallyKey | None) -> None:
    if old == new:
        return
    if old is not None:
        _add(old, -1)
    if new is not None:
        _add(new, +1)


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
    """Add counted changes at once (bulk writers count in memory): one upsert per key, in one statement batch."""
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
