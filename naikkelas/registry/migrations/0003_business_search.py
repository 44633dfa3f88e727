"""search_text on businesses, filled in, and a trigram index over it for the database in use."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Lower

def fill_search_text(apps, schema_editor):
    Business = apps.get_model("registry", "Business")
    Person = apps.get_model("registry", "Person")
    owner_name = Subquery(Person.objects.filter(pk=OuterRef("owner_id")).values("name")[:1])
    Business.objects.update(search_text=Lower(Concat("name", Value(" "), owner_name, Value(" "), "nib")))


def create_index(apps, schema_editor):
    from naikkelas.registry.search import ensure_search_index

    ensure_search_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in [
            "DROP TRIGGER IF EXISTS registry_business_fts_ai",
            "DROP TRIGGER IF EXISTS registry_business_fts_ad",
            "DROP TRIGGER IF EXISTS registry_business_fts_au",
            "DROP TABLE IF EXISTS registry_business_fts",
        ]:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS business_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_business_tally")]

    operations = [
        migrations.AddField(
            model_name="business", name="search_text", field=models.TextField(blank=True, editable=False)
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
