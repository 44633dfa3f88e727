"""Writing many rows at once inside the caller's transaction: COPY on PostgreSQL, executemany on SQLite.

Ids are taken before the rows are written (from the table's sequence on PostgreSQL; on SQLite, after the write
lock is held, from the highest id ever given), so that rows pointing at each other (a business at its owner, a
source at its business) go out in one pass without reading anything back.
"""

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET_NULL, Model, Q, QuerySet, signals
from django.db.models.deletion import ProtectedError, get_candidate_relations_to_delete
from django.db.models.expressions import RawSQL
from django.utils import timezone


def among(field: str, ids: Sequence[int]) -> Q:
    """Sorted ids as a range where they are dense (an import's records are), else as a list: a range is two
    parameters, a list of 5,000 costs more to build and send than the query takes to run. A range may bring
    records beside the ids: callers keep only the ids'."""
    if ids and ids[-1] - ids[0] < 2 * len(ids):
        return Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})
    return Q(**{f"{field}__in": ids})


def one_parameter(ids: Sequence[int]) -> RawSQL:
    """Any number of ids as one query parameter, for `pk__in=` (a query's parameters are limited: SQLite's to
    32,766): a PostgreSQL array, or a JSON list SQLite reads with json_each."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])


def exactly(field: str, ids: Sequence[int], runs: int = 20) -> Q:
    """Sorted ids as the ranges of consecutive ones they make, when there are few (an import's new records are
    one or a few runs), else as a list; unlike among(), nothing beside the ids. A range stays two parameters
    however often a nested query repeats it."""
    ranges: list[tuple[int, int]] = []
    for i in ids:
        if ranges and i == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], i)
        else:
            ranges.append((i, i))
            if len(ranges) > runs:
                return Q(**{f"{field}__in": ids})
    q = Q(**{f"{field}__in": []})
    for low, high in ranges:
        q |= Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return q


SET_WISE = (CASCADE, SET_NULL, PROTECT, RESTRICT, DO_NOTHING)


def _signalled(model: type[Model]) -> bool:
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


def delete_set(queryset: QuerySet, depth: int = 0) -> Counter:
    """Delete the queryset's rows and what cascades from them, as Django's delete() would, but by set: one
    DELETE (or UPDATE, for SET_NULL) per table with the parent rows as a subquery, children first, instead of
    reading every related row into Python (undoing a million-row import took minutes that way). Only for models
    with no delete signals and relations that cascade, set null, protect or do nothing; anything else (a custom
    on_delete, a graph deeper than eight) is left to Django's delete(). Protected rows refuse the whole delete
    (ProtectedError): it runs in a savepoint, so nothing is half-deleted. Returns rows deleted by model label."""
    model = queryset.model
    deleted: Counter = Counter()
    with transaction.atomic(using=queryset.db):
        relations = list(get_candidate_relations_to_delete(model._meta))
        if depth > 8 or _signalled(model) or any(r.on_delete not in SET_WISE for r in relations):
            deleted.update(queryset.delete()[1])
            return deleted
        keys = queryset.values("pk")
        for rel in relations:
            related = rel.related_model._base_manager.using(queryset.db).filter(
                **{f"{rel.field.name}__in": keys}
            )
            if rel.on_delete is CASCADE:
                deleted.update(delete_set(related, depth + 1))
            elif rel.on_delete is SET_NULL:
                related.update(**{rel.field.name: None})
            elif rel.on_delete in (PROTECT, RESTRICT):  # RESTRICT held as strictly as PROTECT
                found = list(related[:5])
                if found:
                    raise ProtectedError(
                        f"{model._meta.label} rows are referenced by {rel.related_model._meta.label}",
                        set(found),
                    )
        # The subquery above read these rows while they existed; now they go, in one statement.
        n = queryset._raw_delete(queryset.db)
        if n:
            deleted[model._meta.label] += n
    return deleted


class BulkTable:
    """Rows for one model's table, with the columns given by field name (attname for foreign keys). The model's
    other fields that have a default get it in every row, as Django's own insert would give them (a field added to
    the model later does not break a writer that does not know it)."""

    def __init__(self, model: type[Model], fields: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        named = [model._meta.get_field(f) for f in fields]
        self.defaults = [
            f
            for f in model._meta.concrete_fields
            if f not in named and not f.primary_key and (f.has_default() or not f.null)
        ]
        self.columns = [f.column for f in named + self.defaults]
        self.sqlite = connection.vendor == "sqlite"
        self._next_id: int | None = None

    def allocate(self, n: int) -> list[int]:
        """n fresh primary keys for this table."""
        if n == 0:
            return []
        with connection.cursor() as cursor:
            if not self.sqlite:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, n],
                )
                return [row[0] for row in cursor.fetchall()]
            if self._next_id is None:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.table}"')  # noqa: S608
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                seq = cursor.fetchone()
                self._next_id = max(highest, seq[0] if seq else 0) + 1
            start = self._next_id
            self._next_id += n
            return list(range(start, start + n))

    def insert(self, rows: Iterable[Sequence]) -> int:
        """Write the rows (tuples in the named fields' order); returns how many."""
        columns = ", ".join(f'"{c}"' for c in self.columns)
        if self.defaults:
            now = timezone.now()
            rest = tuple(
                _sqlite_value(value) if self.sqlite else value
                for value in (
                    f.get_db_prep_save(
                        now
                        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                        else f.get_default(),
                        connection,
                    )
                    for f in self.defaults
                )
            )
            rows = (tuple(row) + rest for row in rows)
        count = 0
        with connection.cursor() as cursor:
            if self.sqlite:
                marks = ", ".join("?" * len(self.columns))
                prepared = [tuple(_sqlite_value(v) for v in row) for row in rows]
                # The raw sqlite3 cursor: same connection, same transaction, without Django's per-query wrapping.
                cursor.cursor.executemany(
                    f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})',  # noqa: S608
                    prepared,
                )
                return len(prepared)
            with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count


def _sqlite_value(value):
    # Django keeps dates as ISO text and aware datetimes as naive UTC text on SQLite.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value
