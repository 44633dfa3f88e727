"""Searching businesses by name, owner name and NIB at a province's size.

Each business keeps `search_text` (its name, its owner's name and NIB, lower-cased), kept by the services. A
trigram index answers "contains" on it: PostgreSQL's pg_trgm GIN index, or on SQLite an FTS5 trigram table kept in
step by triggers. Words shorter than three letters, or a SQLite built without FTS5, fall back to
a plain scan, which is correct but slow on a million rows.
"""

import re

from django.db import OperationalError, connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from naikkelas.core import personal

FTS_TABLE = "registry_business_fts"

SQLITE_TRIGGERS = {
    "registry_business_fts_ai": """CREATE TRIGGER IF NOT EXISTS registry_business_fts_ai AFTER INSERT ON registry_business
        BEGIN INSERT INTO registry_business_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    "registry_business_fts_ad": """CREATE TRIGGER IF NOT EXISTS registry_business_fts_ad AFTER DELETE ON registry_business
        BEGIN INSERT INTO registry_business_fts(registry_business_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    "registry_business_fts_au": """CREATE TRIGGER IF NOT EXISTS registry_business_fts_au
        AFTER UPDATE OF search_text ON registry_business BEGIN
        INSERT INTO registry_business_fts(registry_business_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO registry_business_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
}


def ensure_search_index(conn) -> str:
    """Create the trigram index if it is missing; returns what it did. Safe to call after every migrate.

    On SQLite a migration that alters registry_business rebuilds the table and drops its triggers, so this runs
    after every `migrate` (registry.apps) and not only in the migration that first made the index.
    """
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS business_search_trgm ON registry_business USING gin (search_text gin_trgm_ops)"
            )
            return "postgresql trigram index"
        if conn.vendor != "sqlite":
            return "none"
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if "registry_business" not in present:
            return "none"
        if FTS_TABLE in present and set(SQLITE_TRIGGERS) <= present:
            return "present"
        try:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS registry_business_fts USING fts5(search_text, "
                "content='registry_business', content_rowid='id', tokenize='trigram')"
            )
        except OperationalError:
            return "none"  # an SQLite without FTS5 trigrams: search scans search_text instead
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute("INSERT INTO registry_business_fts(registry_business_fts) VALUES ('rebuild')")
        return "sqlite fts5 rebuilt"


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
