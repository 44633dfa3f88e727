"""The scorecard shipped with naikkelas: nine areas of modern management, traditional (1) to modern (5)."""

from django.db import migrations

# key, topic, weight, question (id), question (en), options: (key, label id, label en, value, is_innovation)
QUESTIONS = [
    ("pembukuan", "pembukuan", 15,
     "Apakah usaha mencatat keuangan dan memisahkan uang usaha dari uang rumah tangga?",
     "Does the business keep books and separate business money from household money?",
     [("tidak", "Tidak mencatat; uang usaha dan rumah tangga tercampur", "No records; business and household money mixed", 0, False),
      ("catat", "Mencatat penjualan/pengeluaran, uang masih tercampur", "Records sales/expenses, money still mixed", 50, False),
      ("pisah", "Pembukuan rutin dan rekening/kas usaha terpisah", "Regular books and separate business account/cash", 100, False)]),
    ("sop", "sop", 10,
     "Apakah usaha memakai SOP tertulis (produksi, kebersihan, kas, pelayanan)?",
     "Does the business use written SOPs (production, hygiene, cash, service)?",
     [("tidak", "Tidak ada SOP", "No SOPs", 0, False),
      ("lisan", "Ada kebiasaan tetap, belum tertulis", "Fixed habits, not written down", 40, False),
      ("tertulis", "SOP tertulis dan dijalankan", "Written SOPs in use", 100, False)]),
    ("kpi", "kpi", 10,
     "Apakah usaha menetapkan target dan memantau kinerja (omzet, laba, pelanggan) tiap bulan?",
     "Does the business set targets and track performance (sales, profit, customers) monthly?",
     [("tidak", "Tidak ada target", "No targets", 0, False),
      ("kadang", "Ada target, jarang dipantau", "Targets, rarely tracked", 50, False),
      ("bulanan", "Target dan laporan kinerja bulanan", "Monthly targets and performance reports", 100, False)]),
    ("pemasaran_digital", "pemasaran-digital", 15,
     "Bagaimana usaha memasarkan dan menjual secara daring?",
     "How does the business market and sell online?",
     [("tidak", "Tidak memakai media daring", "No online presence", 0, False),
      ("medsos", "Promosi di WhatsApp/media sosial", "Promotes on WhatsApp/social media", 50, False),
      ("marketplace", "Berjualan di marketplace/toko daring secara rutin", "Sells regularly on a marketplace/online shop", 100, False)]),
    ("kemasan_merek", "kemasan-merek", 10,
     "Bagaimana kemasan dan merek produk?",
     "How are the product's packaging and brand?",
     [("polos", "Tanpa kemasan/label", "No packaging or label", 0, False),
      ("sederhana", "Kemasan sederhana dengan label", "Simple packaging with a label", 50, False),
      ("menarik", "Kemasan menarik, merek dan informasi produk lengkap", "Attractive packaging, brand and full product information", 100, False)]),
    ("inovasi_produk", "inovasi-produk", 15,
     "Apakah usaha membuat produk baru atau memperbaiki produk dalam 12 bulan terakhir?",
     "Has the business made a new or improved product in the last 12 months?",
     [("tidak", "Tidak ada", "None", 0, False),
      ("rencana", "Sedang merencanakan/mencoba", "Planning or trying one", 30, False),
      ("ya", "Ya, sudah dijual", "Yes, already on sale", 100, True)]),
    ("legalitas", "legalitas", 10,
     "Dokumen legal yang dimiliki (NIB, PIRT, halal)?",
     "Which legal documents does it hold (NIB, PIRT, halal)?",
     [("tidak", "Belum ada", "None yet", 0, False),
      ("nib", "NIB saja", "NIB only", 50, False),
      ("lengkap", "NIB dan izin produk (PIRT/halal/BPOM) sesuai jenis usaha", "NIB and product permits (PIRT/halal/BPOM) as the business needs", 100, False)]),
    ("pembayaran_digital", "pembayaran-digital", 7,
     "Apakah usaha menerima pembayaran digital (QRIS, transfer)?",
     "Does the business accept digital payments (QRIS, transfer)?",
     [("tidak", "Tunai saja", "Cash only", 0, False),
      ("transfer", "Transfer bank/e-wallet", "Bank transfer/e-wallet", 50, False),
      ("qris", "QRIS", "QRIS", 100, False)]),
    ("pelatihan_sdm", "pelatihan-sdm", 8,
     "Apakah pemilik atau karyawan mengikuti pelatihan usaha dalam 2 tahun terakhir?",
     "Did the owner or staff attend business training in the last 2 years?",
     [("tidak", "Belum pernah", "Never", 0, False),
      ("sekali", "Sekali", "Once", 50, False),
      ("rutin", "Dua kali atau lebih", "Twice or more", 100, False)]),
]


def create(apps, schema_editor):
    Instrument = apps.get_model("lifecycle", "Instrument")
    Question = apps.get_model("lifecycle", "Question")
    Option = apps.get_model("lifecycle", "Option")
    if Instrument.objects.exists():
        return
    instrument = Instrument.objects.create(
        name="Kartu Skor Modernisasi UMKM", version=1, status="active",
        level_cutoffs=[20, 40, 60, 80], modern_level=4, innovation_required=True,
    )
    for order, (key, topic, weight, text, text_en, options) in enumerate(QUESTIONS):
        q = Question.objects.create(instrument=instrument, key=key, topic=topic, weight=weight,
                                    text=text, text_en=text_en, order=order)
        for o, (okey, label, label_en, value, innovation) in enumerate(options):
            Option.objects.create(question=q, key=okey, label=label, label_en=label_en, value=value,
                                  is_innovation=innovation, order=o)


class Migration(migrations.Migration):
    dependencies = [("lifecycle", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
