"""Writing many rows at once inside the caller's transaction: COPY on PostgreSQL, executemany on SQLite.

Ids are taken before the rows are written (from the table's sequence on PostgreSQL; on SQLite, after the write
lock is held, from the highest id ever given), so that rows pointing at each other (a business at its owner, a
source at its business) go out in one pass without reading anything back.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import connection
from django.db.models import Model, Q


def among(field: str, ids: Sequence[int]) -> Q:
    """Sorted ids as a range where they are dense (an import's records are), else as a list: a range is two
    parameters, a list of 5,000 costs more to build and send than the query takes to run. A range may bring
    records beside the ids: callers keep only the ids'."""
    if ids and ids[-1] - ids[0] < 2 * len(ids):
        return Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})
    return Q(**{f"{field}__in": ids})


class BulkTable:
    """Rows for one model's table, with the columns given by field name (attname for foreign keys)."""

    def __init__(self, model: type[Model], fields: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        self.columns = [model._meta.get_field(f).column for f in fields]
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
        """Write the rows (tuples in column order); returns how many."""
        columns = ", ".join(f'"{c}"' for c in self.columns)
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
