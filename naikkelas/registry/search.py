"""Searching businesses by name, owner name and NIB at a province's size.

Each business keeps `search_text` (its name, its owner's name and NIB, lower-cased), kept by the services. A
trigram index answers "contains" on it: PostgreSQL's pg_trgm GIN index, or on SQLite an FTS5 trigram table kept in
step by triggers (migration 0003). Words shorter than three letters, or a SQLite built without FTS5, fall back to
a plain scan, which is correct but slow on a million rows.
"""

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from naikkelas.core import personal

FTS_TABLE = "registry_business_fts"


def search_text_for(*, name: str, owner_name: str, nib: str) -> str:
    return " ".join(part for part in (name, owner_name, nib) if part).lower()


def _sqlite_has_fts() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def business_search_q(q: str) -> Q:
    digits = re.sub(r"[\s.\-]", "", q)
    if re.fullmatch(r"\d{16}", digits):
        # A full NIK is found through its keyed hash; the raw NIK is never stored.
        return Q(owner__nik_hash=personal.keyed_hash(digits))
    # LIKE wildcards are dropped rather than escaped: FTS5 does not use its index for LIKE ... ESCAPE.
    words = [w for w in q.lower().replace("%", " ").replace("_", " ").split() if w]
    cond = Q()
    fts_words = [w for w in words if len(w) >= 3]
    if fts_words and connection.vendor == "sqlite" and _sqlite_has_fts():
        where = " AND ".join(["search_text LIKE %s"] * len(fts_words))
        params = [f"%{w}%" for w in fts_words]
        # Only the fixed table name and placeholders are put into the SQL; the words travel as parameters.
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {where}"  # noqa: S608
        cond &= Q(id__in=RawSQL(sql, params))  # noqa: S611
        words = [w for w in words if len(w) < 3]
    for word in words:
        cond &= Q(search_text__contains=word)
    return cond
