"""search_text on businesses, filled in, and a trigram index over it for the database in use."""

from django.db import OperationalError, migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Lower

FTS = "registry_business_fts"

SQLITE_FTS = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='registry_business', content_rowid='id', "
    "tokenize='trigram')",
    f"""CREATE TRIGGER registry_business_fts_ai AFTER INSERT ON registry_business BEGIN
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"""CREATE TRIGGER registry_business_fts_ad AFTER DELETE ON registry_business BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    f"""CREATE TRIGGER registry_business_fts_au AFTER UPDATE OF search_text ON registry_business BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS registry_business_fts_ai",
    "DROP TRIGGER IF EXISTS registry_business_fts_ad",
    "DROP TRIGGER IF EXISTS registry_business_fts_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS business_search_trgm ON registry_business USING gin (search_text gin_trgm_ops)",
]


def fill_search_text(apps, schema_editor):
    Business = apps.get_model("registry", "Business")
    Person = apps.get_model("registry", "Person")
    owner_name = Subquery(Person.objects.filter(pk=OuterRef("owner_id")).values("name")[:1])
    Business.objects.update(search_text=Lower(Concat("name", Value(" "), owner_name, Value(" "), "nib")))


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FTS, "postgresql": POSTGRES_INDEX}.get(vendor, [])
    if vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            try:
                cursor.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x, tokenize='trigram')")
                cursor.execute("DROP TABLE temp.fts5_probe")
            except OperationalError:
                return  # an SQLite without FTS5 trigrams: search falls back to scanning search_text
    for sql in statements:
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = SQLITE_DROP if vendor == "sqlite" else ["DROP INDEX IF EXISTS business_search_trgm"]
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_business_tally")]

    operations = [
        migrations.AddField(
            model_name="business", name="search_text", field=models.TextField(blank=True, editable=False)
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
