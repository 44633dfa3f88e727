"""SIDT-KUMKM export files as the ministry hands them over (the 49 columns, snake_case headers), built by tests."""

import csv

from naikkelas.intake.columns import SIDT_HEADERS

HEADERS = [h.lower().replace(" ", "_") for h in SIDT_HEADERS]  # id_responden, tanggal_pendataan, nik, …


def sidt_row(**values) -> list:
    """A row with every column: the given ones (by normalised header, lower case), the rest empty."""
    row = dict.fromkeys(HEADERS, "")
    row.update(values)
    return [row[h] for h in HEADERS]


ROWS = [
    sidt_row(id_responden="R-001", nik="1809015708850001", nama_pemilik="SITI RAHAYU", jenis_kelamin="P",
             tanggal_lahir="17-08-1985", disabilitas="Tidak", pendidikan_terakhir="SMA/SMK", hp="0812-3456-7890",
             nib="1234567890123", nama_usaha="KERIPIK PISANG BU SITI", kegiatan_utama="Membuat keripik pisang",
             produk_utama="Keripik pisang coklat", kategori_kbli="C", kode_kbli="10794",
             status_badan_usaha="Tidak berbadan usaha", skala_usaha="Mikro", modal_awal="Rp 2.000.000",
             bulan_mulai_usaha="3", tahun_mulai_usaha="2019", omzet_setahun="60000000", aset="15.000.000",
             alamat_usaha="Jl. Raya Bagelen", rt_usaha="001", rw_usaha="002", kode_kabupaten="1809",
             kode_kecamatan="010", nama_kecamatan="GEDONG TATAAN", kode_desa="1809012007", nama_desa="BAGELEN",
             latitude="-5,3871", longitude="105.0912", tk_dibayar_laki="1", tk_dibayar_perempuan="2",
             tk_tidak_dibayar_laki="0", tk_tidak_dibayar_perempuan="1", tk_disabilitas_laki="0",
             tk_disabilitas_perempuan="1", jumlah_tk="4"),
    # No NIK; a BPS village code read through the names; gender and birth date from the file.
    sidt_row(id_responden="R-002", nama_pemilik="AHMAD FAUZI", jenis_kelamin="Laki-laki",
             tanggal_lahir="1979-02-01", disabilitas="Tuna daksa", pendidikan_terakhir="SD", hp="+62 813 1111 2222",
             nama_usaha="BENGKEL FAUZI", kegiatan_utama="Servis motor", produk_utama="Jasa servis",
             kode_kbli="45407", status_badan_usaha="CV", tahun_mulai_usaha="2015", kode_kecamatan="010",
             nama_kecamatan="Gedong Tataan", kode_desa="1809010005", nama_desa="Sukadadi", jumlah_tk="2"),
    # An unknown KBLI (reported, the row kept) and no place at all (refused).
    sidt_row(id_responden="R-003", nama_pemilik="RINA", nama_usaha="JAHIT RINA", kode_kbli="34567",
             kode_desa="1809012005"),
    sidt_row(id_responden="R-004", nama_pemilik="DEDI", nama_usaha="WARUNG DEDI", pendidikan_terakhir="Doktor"),
]  # fmt: skip


def sidt_csv(path, rows=ROWS, headers=HEADERS):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows(rows)
    return path
