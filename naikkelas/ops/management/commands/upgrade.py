"""naikkelas upgrade: after installing a new release — backup, migrate, collectstatic, recount, release notes."""

import io
import re
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from naikkelas.ops import backup
from naikkelas.ops.models import Heartbeat

CHANGELOG = Path(settings.BASE_DIR) / "CHANGELOG.md"
# Apps whose migrations change what the business tallies and the funnel count: a recount follows them.
RECOUNT_AFTER = {"registry", "lifecycle", "regions"}


def release_notes(since: str | None, until: str) -> list[str]:
    """The CHANGELOG sections of the releases after `since` up to `until` (all of them when `since` is unknown)."""
    if not CHANGELOG.exists():
        return []
    sections = re.split(r"^## ", CHANGELOG.read_text(), flags=re.M)[1:]

    def key(version: str) -> tuple:
        return tuple(int(part) for part in re.findall(r"\d+", version)[:3])

    notes = []
    for section in sections:
        version = section.split()[0]
        if key(version) <= key(until) and (since is None or key(version) > key(since)):
            notes.append("## " + section.strip())
    return notes


class Command(BaseCommand):
    help = (
        "Bring the database and static files up to the installed release: a backup first, then the migrations, "
        "collectstatic, a recount of the tallies when the registry changed, and the release notes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-backup", action="store_true", help="skip the backup (one was just made)")
        parser.add_argument("--to", help="folder for the backup (default NAIKKELAS_BACKUP_DIR)")

    def handle(self, *args, **opts):
        version = metadata.version("naikkelas")
        call_command("check", stdout=io.StringIO())  # a wrong setting stops here, before anything changes
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        tables = connection.introspection.table_names()
        if not tables:
            raise CommandError("Basis data masih kosong: untuk pemasangan baru jalankan `naikkelas migrate`.")
        # A database from before 0.2.0 has no heartbeat table yet: no version recorded, the backup not either.
        has_ops = Heartbeat._meta.db_table in tables
        last = has_ops and Heartbeat.objects.filter(name="version").values_list("detail", flat=True).first()
        since = (last or {}).get("version")
        self.stdout.write(f"naikkelas {since or '(versi lama)'} → {version}: {len(plan)} migrasi menunggu.")
        if not opts["no_backup"]:
            try:
                archive = backup.create(opts["to"], record=has_ops)
            except backup.BackupError as exc:
                raise CommandError(
                    f"Cadangan gagal, tidak ada yang diubah: {exc}", returncode=exc.code
                ) from exc
            self.stdout.write(f"1. Cadangan: {archive}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"2. Migrasi: {len(plan)} diterapkan.")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("3. Berkas statis dikumpulkan.")
        if {migration.app_label for migration, _backwards in plan} & RECOUNT_AFTER:
            call_command("recount", stdout=io.StringIO())
            self.stdout.write("4. Rekap jumlah usaha dihitung ulang.")
        else:
            self.stdout.write("4. Rekap tidak perlu dihitung ulang.")
        Heartbeat.objects.update_or_create(
            name="version", defaults={"at": timezone.now(), "detail": {"version": version}}
        )
        notes = release_notes(since, version)
        if notes:
            self.stdout.write("\nCatatan rilis:\n\n" + "\n\n".join(notes))
        self.stdout.write("\nSelesai. Mulai ulang layanan: systemctl restart naikkelas-web naikkelas-worker")
