"""Programmes shipped with naikkelas, one per scorecard gap plus cooperative management, each with a short test."""

from django.db import migrations

PROGRAMMES = [
    ("Pembukuan sederhana dan pemisahan keuangan", "pembukuan", "umkm", [
        ("Uang usaha sebaiknya …", ["dicampur dengan uang belanja rumah", "dipisah dan dicatat setiap hari", "disimpan tanpa dicatat"], 1),
        ("Laba bersih adalah …", ["penjualan dikurangi semua biaya", "seluruh uang di laci", "harga jual satu produk"], 0),
        ("HPP adalah …", ["harga pokok: biaya bahan dan kemasan per produk terjual", "pajak penjualan", "gaji pemilik"], 0),
    ]),
    ("Pemasaran digital dan jualan daring", "pemasaran-digital", "umkm", [
        ("Foto produk yang baik …", ["gelap dan buram", "terang, fokus, latar bersih", "diambil dari internet"], 1),
        ("Pesan via WhatsApp sebaiknya dibalas …", ["dalam hitungan jam pada jam buka", "seminggu sekali", "tidak perlu"], 0),
    ]),
    ("Kemasan dan merek", "kemasan-merek", "umkm", [
        ("Label pangan olahan memuat …", ["nama, berat bersih, komposisi, alamat, tanggal kedaluwarsa", "hanya nama", "hanya harga"], 0),
    ]),
    ("Sertifikasi halal dan legalitas usaha (NIB, PIRT)", "legalitas", "umkm", [
        ("NIB diterbitkan melalui …", ["OSS", "kelurahan", "bank"], 0),
    ]),
    ("Menyusun dan menjalankan SOP", "sop", "umkm", [
        ("SOP yang baik ditulis …", ["langkah demi langkah, jelas dan dipasang di tempat kerja", "panjang dan rumit", "hanya diingat pemilik"], 0),
    ]),
    ("Inovasi produk dan nilai tambah", "inovasi-produk", "umkm", [
        ("Pisang goreng Rp 1.000 bisa bernilai tambah dengan …", ["topping dan kemasan menarik", "menurunkan mutu", "menjual lebih sedikit"], 0),
    ]),
    ("Manajemen koperasi dan RAT", "manajemen-koperasi", "koperasi", [
        ("RAT koperasi primer diadakan paling lambat …", ["3 bulan setelah tutup buku", "2 tahun sekali", "kapan saja"], 0),
    ]),
]


def create(apps, schema_editor):
    Programme = apps.get_model("training", "Programme")
    TestQuestion = apps.get_model("training", "TestQuestion")
    if Programme.objects.exists():
        return
    for name, topic, audience, questions in PROGRAMMES:
        p = Programme.objects.create(name=name, topic=topic, audience=audience)
        for order, (text, options, correct) in enumerate(questions):
            TestQuestion.objects.create(programme=p, text=text, options=options, correct=correct, order=order)


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
