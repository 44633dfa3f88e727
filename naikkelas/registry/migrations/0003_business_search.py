"""search_text on businesses, filled in; its index comes in 0005."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Lower

def fill_search_text(apps, schema_editor):
    Business = apps.get_model("registry", "Business")
    Person = apps.get_model("registry", "Person")
    owner_name = Subquery(Person.objects.filter(pk=OuterRef("owner_id")).values("name")[:1])
    Business.objects.update(search_text=Lower(Concat("name", Value(" "), owner_name, Value(" "), "nib")))


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_business_tally")]

    operations = [
        migrations.AddField(
            model_name="business", name="search_text", field=models.TextField(blank=True, editable=False)
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
