"""Search by words instead of trigrams: intersecting word postings stays fast for common words."""

from django.db import migrations


def to_words(apps, schema_editor):
    from naikkelas.registry.search import ensure_search_index

    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        for sql in [
            "DROP TRIGGER IF EXISTS registry_business_fts_ai",
            "DROP TRIGGER IF EXISTS registry_business_fts_ad",
            "DROP TRIGGER IF EXISTS registry_business_fts_au",
            "DROP TABLE IF EXISTS registry_business_fts",
        ]:
            schema_editor.execute(sql)
    elif conn.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS business_search_trgm")
    ensure_search_index(conn)


def drop_words(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        for sql in [
            "DROP TRIGGER IF EXISTS registry_business_words_ai",
            "DROP TRIGGER IF EXISTS registry_business_words_ad",
            "DROP TRIGGER IF EXISTS registry_business_words_au",
            "DROP TABLE IF EXISTS registry_business_words",
        ]:
            schema_editor.execute(sql)
    elif conn.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS business_search_tsv")
        schema_editor.execute("ALTER TABLE registry_business DROP COLUMN IF EXISTS search_tsv")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_business_list_indexes")]

    operations = [migrations.RunPython(to_words, drop_words)]
