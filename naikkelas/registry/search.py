"""Searching businesses by the words of their name, their owner's name and NIB, at a province's size.

Each business keeps `search_text` (name, owner name and NIB, lower-cased), kept by the services. A full-text index
over its words answers a search as the intersection of each word's postings, so even two common words
("kopi siti") stay fast on a million rows: PostgreSQL's GIN index over a generated tsvector column, or on SQLite
an FTS5 table kept in step by triggers. Every word matches as a prefix: "kerip" finds "keripik", and a NIB is
found from its first digits. An SQLite built without FTS5 falls back to scanning search_text.
"""

import re

from django.db import OperationalError, connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from naikkelas.core import personal

FTS_TABLE = "registry_business_words"
SQLITE_TRIGGERS = {
    "registry_business_words_ai": """CREATE TRIGGER IF NOT EXISTS registry_business_words_ai
        AFTER INSERT ON registry_business BEGIN
        INSERT INTO registry_business_words(rowid, search_text) VALUES (new.id, new.search_text); END""",
    "registry_business_words_ad": """CREATE TRIGGER IF NOT EXISTS registry_business_words_ad
        AFTER DELETE ON registry_business BEGIN
        INSERT INTO registry_business_words(registry_business_words, rowid, search_text)
        VALUES ('delete', old.id, old.search_text); END""",
    "registry_business_words_au": """CREATE TRIGGER IF NOT EXISTS registry_business_words_au
        AFTER UPDATE OF search_text ON registry_business BEGIN
        INSERT INTO registry_business_words(registry_business_words, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO registry_business_words(rowid, search_text) VALUES (new.id, new.search_text); END""",
}
POSTGRES_STATEMENTS = [
    "ALTER TABLE registry_business ADD COLUMN IF NOT EXISTS search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS business_search_tsv ON registry_business USING gin (search_tsv)",
]


def search_text_for(*, name: str, owner_name: str, nib: str) -> str:
    return " ".join(part for part in (name, owner_name, nib) if part).lower()


def ensure_search_index(conn) -> str:
    """Create the word index if it is missing; returns what it found or did. Safe to call after every migrate.

    On SQLite a migration that alters registry_business rebuilds the table and drops its triggers, so this runs
    after every `migrate` (see registry.apps), not only in the migration that first made the index.
    """
    with conn.cursor() as cursor:
        # A database migrated only part of the way (an app at its first migration) has no search text yet.
        if "registry_business" not in conn.introspection.table_names(cursor) or "search_text" not in {
            column.name for column in conn.introspection.get_table_description(cursor, "registry_business")
        }:
            return "none"
        if conn.vendor == "postgresql":
            for sql in POSTGRES_STATEMENTS:
                cursor.execute(sql)
            return "postgresql"
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
                "CREATE VIRTUAL TABLE IF NOT EXISTS registry_business_words USING fts5(search_text, "
                "content='registry_business', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
            )
        except OperationalError:
            return "none"  # an SQLite without FTS5: search scans search_text instead
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute("INSERT INTO registry_business_words(registry_business_words) VALUES ('rebuild')")
        return "sqlite rebuilt"


def _sqlite_has_fts() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def business_search_q(q: str) -> Q:
    token = personal.nik_hash_of_token(q)
    if token:  # a NIK searched from a page: its keyed hash travels, not the NIK
        return Q(owner__nik_hash=token)
    nik = personal.nik_of(q)
    if nik:
        # A full NIK is found through its keyed hash; the raw NIK is never stored.
        return Q(owner__nik_hash__in=personal.lookup_hashes(nik))
    words = re.findall(r"\w+", q.lower())  # letters and digits only: nothing reaches the query syntax
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{w}:*" for w in words)
        return Q(RawSQL("search_tsv @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField()))
    if connection.vendor == "sqlite" and _sqlite_has_fts():
        match = " ".join(f'"{w}"*' for w in words)
        return Q(
            id__in=RawSQL(
                "SELECT rowid FROM registry_business_words WHERE registry_business_words MATCH %s", [match]
            )
        )
    cond = Q()
    for word in words:
        cond &= Q(search_text__contains=word)
    return cond
