"""The KPI library shipped with naikkelas: what a small business can track every month."""

from django.db import migrations

# key, name (id), name (en), unit, direction, formula, minimum, maximum
KPIS = [
    ("omzet", "Omzet (penjualan) bulanan", "Monthly revenue", "Rp", "higher", "", 0, None),
    ("hpp", "Harga pokok penjualan (HPP)", "Cost of goods sold", "Rp", "lower", "", 0, None),
    ("margin_kotor", "Margin kotor", "Gross margin", "%", "higher", "(omzet - hpp) / omzet * 100", None, 100),
    ("laba_bersih", "Laba bersih", "Net profit", "Rp", "higher", "", None, None),
    ("pelanggan", "Jumlah pelanggan", "Customers", "orang", "higher", "", 0, None),
    ("penjualan_online", "Porsi penjualan daring", "Share of sales online", "%", "higher", "", 0, 100),
    ("volume_produksi", "Volume produksi", "Production volume", "unit", "higher", "", 0, None),
    ("karyawan", "Tenaga kerja", "Employees", "orang", "higher", "", 0, None),
    ("produk_baru", "Produk baru", "New products", "produk", "higher", "", 0, None),
]


def create(apps, schema_editor):
    Kpi = apps.get_model("performance", "Kpi")
    for order, (key, name, name_en, unit, direction, formula, low, high) in enumerate(KPIS):
        Kpi.objects.get_or_create(key=key, defaults={
            "name": name, "name_en": name_en, "unit": unit, "direction": direction, "formula": formula,
            "minimum": low, "maximum": high, "order": order,
        })


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
