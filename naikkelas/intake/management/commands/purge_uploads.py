"""naikkelas purge_uploads: delete uploaded import files that are done or older than NAIKKELAS_INTAKE_FILE_HOURS.

Run it daily (cron or a systemd timer); every new upload runs it too."""

from django.core.management.base import BaseCommand

from naikkelas.intake.services import purge_upload_files


class Command(BaseCommand):
    help = "Delete uploaded import files that are no longer needed (they hold people's NIKs)."

    def handle(self, *args, **opts):
        count = purge_upload_files()
        self.stdout.write(f"{count} berkas impor dihapus.")
