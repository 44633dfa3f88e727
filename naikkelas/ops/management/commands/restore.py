"""naikkelas restore ARCHIVE: a backup into an empty database and media folder, checked before anything is written."""

from django.core.management.base import BaseCommand, CommandError

from naikkelas.ops import backup


class Command(BaseCommand):
    help = (
        "Restore an archive of `naikkelas backup` into the empty database DATABASE_URL names and an empty media "
        "folder. Exit codes: 3 damaged archive, 4 target not empty, 5 made under another NIK key, 6 counts differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--check", action="store_true", help="only verify the archive's checksums")
        parser.add_argument(
            "--accept-other-key", action="store_true", help="restore although the archive's NIK key differs"
        )

    def handle(self, *args, **opts):
        try:
            if opts["check"]:
                manifest = backup.verify(opts["archive"])
                self.stdout.write(
                    f"Arsip utuh: {len(manifest['files'])} berkas, dibuat {manifest['created']}, "
                    f"versi {manifest['version']}, {manifest['engine']}."
                )
                return
            backup.restore(opts["archive"], accept_other_key=opts["accept_other_key"], out=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=exc.code) from exc
