"""SOP templates shipped with naikkelas, for the office to adapt: plain steps a small business can follow."""

from django.db import migrations

SOPS = [
    ("higiene-produksi-pangan", "Higiene produksi pangan olahan", "Makanan olahan",
     "Menjaga pangan yang dibuat aman dan bersih (dasar PIRT dan sertifikasi halal).",
     ["Cuci tangan dengan sabun sebelum produksi, setelah dari toilet dan setelah memegang bahan mentah.",
      "Pakai celemek, penutup kepala dan masker selama produksi; kuku pendek, tanpa perhiasan.",
      "Bersihkan meja, alat dan wadah sebelum dan sesudah dipakai; keringkan di rak tertutup.",
      "Pisahkan bahan mentah dari produk jadi; simpan bahan di wadah tertutup dan berlabel tanggal.",
      "Gunakan air bersih dan minyak goreng yang diganti sesuai jadwal (catat tanggal ganti).",
      "Dinginkan produk sebelum dikemas; kemas di tempat bersih, tertutup dari debu dan serangga.",
      "Catat setiap produksi: tanggal, jumlah, bahan yang dipakai, nama yang membuat."]),
    ("pengelolaan-kas", "Pengelolaan kas harian", "",
     "Memisahkan uang usaha dari uang rumah tangga dan tahu untung-rugi setiap hari.",
     ["Siapkan kas/dompet khusus usaha; uang rumah tangga tidak dicampur.",
      "Catat setiap penjualan dan pengeluaran hari itu juga di buku kas naikkelas.",
      "Hitung uang di kas setiap tutup usaha dan cocokkan dengan catatan; catat selisihnya.",
      "Ambil gaji pemilik dalam jumlah tetap, dicatat sebagai pengeluaran gaji.",
      "Setor kelebihan kas ke rekening usaha paling lambat seminggu sekali.",
      "Tiap akhir bulan cetak laporan bulanan dan bandingkan dengan target."]),
    ("pencatatan-stok", "Pencatatan stok bahan dan barang", "",
     "Tahu persediaan setiap saat agar tidak kehabisan atau membuang bahan.",
     ["Beri label nama dan tanggal masuk pada setiap bahan dan barang.",
      "Pakai yang lebih dulu masuk lebih dulu (FIFO).",
      "Catat barang masuk dan keluar setiap hari di kartu stok.",
      "Hitung stok fisik setiap minggu dan cocokkan dengan kartu stok.",
      "Tentukan batas minimum tiap bahan; pesan ulang saat stok mencapai batas itu.",
      "Catat bahan yang rusak atau kedaluwarsa beserta sebabnya."]),
    ("pelayanan-pelanggan", "Pelayanan pelanggan", "",
     "Pelanggan dilayani sama baiknya oleh siapa pun yang bertugas.",
     ["Sapa pelanggan dengan ramah dan sebutkan produk unggulan hari ini.",
      "Sampaikan harga dengan jelas; berikan nota untuk setiap pembelian.",
      "Layani pesanan WhatsApp paling lambat 1 jam pada jam buka; konfirmasi pesanan dan waktu ambil/antar.",
      "Catat keluhan pelanggan, tindak lanjuti hari itu, dan kabari pelanggan hasilnya.",
      "Minta ulasan atau testimoni dari pelanggan yang puas untuk promosi daring."]),
    ("pengemasan", "Pengemasan dan pelabelan produk", "",
     "Kemasan yang aman, menarik dan memuat informasi yang diwajibkan.",
     ["Gunakan kemasan food grade yang bersih dan tertutup rapat.",
      "Timbang atau hitung isi setiap kemasan sesuai berat bersih yang tertera.",
      "Label memuat: nama produk, merek, berat bersih, komposisi, nama dan alamat usaha, nomor PIRT/halal bila ada, tanggal produksi dan kedaluwarsa.",
      "Periksa segel dan label setiap kemasan sebelum dijual; pisahkan yang cacat.",
      "Simpan produk terkemas di tempat kering dan sejuk, jauh dari lantai dan dinding."]),
]


def create(apps, schema_editor):
    SopTemplate = apps.get_model("performance", "SopTemplate")
    for key, title, sector, purpose, steps in SOPS:
        SopTemplate.objects.get_or_create(key=key, version=1, defaults={
            "title": title, "sector": sector, "purpose": purpose, "steps": "\n".join(steps), "published": True})


class Migration(migrations.Migration):
    dependencies = [("performance", "0003_sop_library")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
