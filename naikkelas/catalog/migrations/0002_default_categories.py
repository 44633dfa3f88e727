"""The catalogue's categories, as UMKM products in a regency fall."""

from django.db import migrations

CATEGORIES = [
    ("makanan", "Makanan olahan", "Processed food"),
    ("camilan", "Camilan dan kue", "Snacks and cakes"),
    ("minuman", "Minuman dan kopi", "Drinks and coffee"),
    ("pertanian", "Hasil tani dan perikanan", "Farm and fishery produce"),
    ("kerajinan", "Kerajinan", "Crafts"),
    ("fesyen", "Fesyen dan kain", "Fashion and textiles"),
    ("kecantikan", "Kesehatan dan kecantikan", "Health and beauty"),
    ("jasa", "Jasa", "Services"),
    ("lainnya", "Lainnya", "Other"),
]


def create(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for order, (slug, name, name_en) in enumerate(CATEGORIES):
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
