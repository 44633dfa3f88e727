from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_upload_problem_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordsource",
            name="digest",
            field=models.CharField(blank=True, default="", max_length=24),
        ),
    ]
