"""naikkelas load_demo: generate the demo regencies, their field work and the accounts (idempotent).

It lives in the dashboard app, the top of the app stack, because it fills every app below it."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from naikkelas.catalog.demo import demo_catalog
from naikkelas.financing.demo import demo_financing
from naikkelas.lifecycle.demo import demo_field_work
from naikkelas.performance.demo import demo_performance
from naikkelas.registry.demo import DEMO_PASSWORD, demo_load
from naikkelas.supervision.demo import demo_supervision
from naikkelas.training.demo import demo_training


class Command(BaseCommand):
    help = "Generate demo data for Kabupaten Pesawaran (18.09) and Lampung Selatan (18.01), their visits and assessments, and demo accounts."

    def handle(self, *args, **opts):
        translation.activate(settings.LANGUAGE_CODE)
        password = os.getenv("NAIKKELAS_DEMO_PASSWORD", DEMO_PASSWORD)
        try:
            result = demo_load(password=password)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        visits = demo_field_work()
        reports = demo_performance()
        trainees = demo_training()
        applications = demo_financing()
        meetings = demo_supervision()
        products = demo_catalog()
        self.stdout.write(
            f"Data demo: {result.created_businesses} usaha dan {result.created_cooperatives} koperasi baru, "
            f"{visits} kunjungan verifikasi, {reports} laporan bulanan, {trainees} peserta pelatihan, "
            f"{applications} pengajuan modal, {meetings} RAT koperasi dan {products} produk katalog baru."
        )
        self.stdout.write(f"Akun demo (kata sandi untuk semua: {password}):")
        for username, role, region in result.accounts:
            self.stdout.write(f"  {username:<22} {role:<32} {region}")
