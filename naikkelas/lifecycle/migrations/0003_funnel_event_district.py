from django.db import migrations, models
from django.db.models.functions import Substr


def fill(apps, schema_editor):
    apps.get_model("lifecycle", "FunnelEvent").objects.update(district_code=Substr("village_code", 1, 8))


class Migration(migrations.Migration):
    dependencies = [("lifecycle", "0002_default_instrument")]

    operations = [
        migrations.AddField(
            model_name="funnelevent",
            name="district_code",
            field=models.CharField(default="", max_length=8),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="funnelevent",
            index=models.Index(fields=["district_code", "day"], name="funnel_event_district_day"),
        ),
    ]
