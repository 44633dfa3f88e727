"""naikkelas rotate_secret: move every stored NIK (and API token) to the key in NAIKKELAS_SECRET."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from naikkelas.ops import rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every NIK and API token and re-compute every NIK look-up hash under NAIKKELAS_SECRET, reading "
        "the old values with the keys in NAIKKELAS_OLD_SECRETS. Safe to stop and start again. --check verifies "
        "that nothing is left under an old key (exit 4 if something is)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="verify only; change nothing")
        parser.add_argument("--batch", type=int, default=2000, help="rows per transaction")

    def handle(self, *args, **opts):
        if opts["check"]:
            tally = rotation.check()
            if tally.stale:
                raise CommandError(
                    f"{len(tally.stale)} nilai masih memakai kunci lama (mis. {', '.join(tally.stale[:5])}): "
                    "jalankan naikkelas rotate_secret.",
                    returncode=rotation.EXIT_NOT_DONE,
                )
            self.stdout.write(
                f"Semua {tally.persons:,} NIK dan {tally.tokens:,} token API memakai kunci sekarang. "
                "NAIKKELAS_OLD_SECRETS boleh dikosongkan (lihat deploy/README.md tentang sertifikat)."
            )
            return
        if not settings.NAIKKELAS_OLD_SECRETS:
            self.stdout.write(
                "NAIKKELAS_OLD_SECRETS kosong: hanya memeriksa bahwa semua nilai memakai kunci sekarang."
            )
        try:
            tally = rotation.rotate(batch=max(opts["batch"], 1), out=self.stdout.write)
        except rotation.RotationError as exc:
            raise CommandError(str(exc), returncode=exc.code) from exc
        self.stdout.write(
            f"Selesai: {tally.persons_moved:,} dari {tally.persons:,} NIK dan {tally.tokens_moved:,} dari "
            f"{tally.tokens:,} token API dienkripsi ulang. Periksa dengan: naikkelas rotate_secret --check"
        )
