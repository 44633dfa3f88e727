"""naikkelas load_demo: generate the demo regencies, their field work and the accounts (idempotent).

It lives in the dashboard app, the top of the app stack, because it fills every app below it."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from naikkelas.catalog.demo import demo_catalog
from naikkelas.financing.demo import demo_financing
from naikkelas.intake.demo import demo_duplicates, demo_intake
from naikkelas.lifecycle.demo import demo_field_work
from naikkelas.opportunities.demo import demo_opportunities
from naikkelas.performance.demo import demo_performance
from naikkelas.planning.demo import demo_planning, demo_plans
from naikkelas.registry.demo import DEMO_PASSWORD, demo_load
from naikkelas.supervision.demo import demo_supervision
from naikkelas.training.demo import demo_training


class Command(BaseCommand):
    help = "Generate demo data for Kabupaten Pesawaran (18.09) and Lampung Selatan (18.01), their visits and assessments, and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="share of the full size (1.0: 7,000 + 500 businesses); tests load a smaller demo",
        )

    def handle(self, *args, scale: float, **opts):
        translation.activate(settings.LANGUAGE_CODE)
        if not 0 < scale <= 1:
            raise CommandError("--scale: isi angka di atas 0 sampai 1, misalnya 0.1.")
        password = os.getenv("NAIKKELAS_DEMO_PASSWORD", DEMO_PASSWORD)
        # One day for the whole demo: every part tells its story relative to it, so the demo loads the same
        # way on any day (and does not straddle midnight).
        today = timezone.localdate()
        try:
            result = demo_load(password=password, today=today, scale=scale)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        # The logins first: the accounts exist now, whatever happens to the steps below.
        self.stdout.write(f"Akun demo (kata sandi untuk semua: {password}):")
        for username, role, region in result.accounts:
            self.stdout.write(f"  {username:<22} {role:<32} {region}")
        visits = demo_field_work(today=today)
        reports = demo_performance(today=today)
        trainees = demo_training(today=today)
        applications = demo_financing(today=today)
        meetings = demo_supervision(today=today)
        products = demo_catalog()
        listed = demo_intake(today=today)
        groups = demo_duplicates()
        points = demo_planning(today=today)
        renja = demo_plans(today=today)
        wanted = demo_opportunities(today=today)
        self.stdout.write(
            f"Data demo: {result.created_businesses} usaha dan {result.created_cooperatives} koperasi baru, "
            f"{visits} kunjungan verifikasi, {reports} laporan bulanan, {trainees} peserta pelatihan, "
            f"{applications} pengajuan modal, {meetings} RAT koperasi, {products} produk katalog baru dan "
            f"berkas impor berisi {listed} baris yang sudah diperiksa; {groups} kelompok kemungkinan ganda menunggu "
            f"diperiksa; {points} pokok pikiran DPRD Banten untuk admin.banten; {renja} Renja dinas tahun ini; "
            f"{wanted} peluang usaha dari pembeli di Pesawaran."
        )
