"""naikkelas backup: the database and the uploaded files in one archive with checksums; old archives rotated."""

from django.core.management.base import BaseCommand, CommandError

from naikkelas.ops import backup


class Command(BaseCommand):
    help = (
        "Write one archive (database, uploaded files, manifest with checksums; never the NIK key) into --to or "
        "NAIKKELAS_BACKUP_DIR, then keep only the newest NAIKKELAS_BACKUP_KEEP archives."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", help="folder for the archive (default NAIKKELAS_BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="archives to keep in that folder (0: all)")

    def handle(self, *args, **opts):
        try:
            archive = backup.create(opts["to"], opts["keep"], out=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=exc.code) from exc
        self.stdout.write(str(archive))
