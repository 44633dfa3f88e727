"""Backups that restore: one archive with the database and the uploaded files, a manifest and checksums.

An archive is a plain tar named naikkelas-YYYYMMDD-HHMMSS.tar (UTC) holding:
- manifest.json: format, when, the app version, the database engine, the migrations applied, a row count per
  table, each file's size and SHA-256, and the NIK key's fingerprint (a check value, never the key);
- database.dump (PostgreSQL, pg_dump's compressed custom format) or database.sqlite3 (SQLite's online backup);
- media/…: the uploaded files (photos, RAT minutes, import files still kept).
The NIK key (NAIKKELAS_SECRET) is never written into an archive: keep it apart (deploy/README.md).
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from naikkelas.core import personal
from naikkelas.ops.models import Heartbeat

FORMAT = 1
ARCHIVE_RE = re.compile(r"^naikkelas-\d{8}-\d{6}\.tar$")
CHUNK = 1 << 20

# Exit codes of `naikkelas backup` and `naikkelas restore`, for scripts and timers.
EXIT_FAILED = 1  # a tool failed (pg_dump, pg_restore, the disk)
EXIT_DAMAGED = 3  # not an archive of ours, or a checksum does not match
EXIT_NOT_EMPTY = 4  # the database or media folder to restore into is not empty
EXIT_OTHER_KEY = 5  # made under another NIK key (restore with --accept-other-key)
EXIT_MISMATCH = 6  # restored, but the row counts differ from the manifest


class BackupError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


def _say(out: Callable[[str], None] | None, text: str) -> None:
    if out:
        out(text)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env() -> dict:
    """pg_dump and pg_restore read the connection from libpq's variables: no password on a command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} tidak ditemukan: pasang paket postgresql-client (versi sama dengan server)."
        )
    return path


def _run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(
            f"{Path(args[0]).name} gagal (kode {done.returncode}): {done.stderr.strip()[-2000:]}"
        )


def table_counts() -> dict[str, int]:
    """Rows per table of every installed model (and the migration record): compared after a restore."""
    present = set(connection.introspection.table_names())  # an old database (before an upgrade) lacks some
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model is not Heartbeat  # heartbeats: the server's
    } & present
    counts = {}
    with connection.cursor() as cursor:  # every row, whatever a model's default manager leaves out
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our names
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _dump_database(work: Path) -> Path:
    if _engine() == "postgresql":
        target = work / "database.dump"
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])
        return target
    target = work / "database.sqlite3"
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # consistent while the app writes (SQLite's online backup)
    finally:
        copy.close()
        source.close()
    return target


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (f"media/{path.relative_to(root).as_posix()}", path)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def create(
    to: Path | str | None = None,
    keep: int | None = None,
    out: Callable[[str], None] | None = None,
    record: bool = True,
) -> Path:
    """Write one archive into `to` (default NAIKKELAS_BACKUP_DIR), then keep only the newest `keep` archives."""
    folder = Path(to or settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = timezone.now()
    final = folder / f"naikkelas-{now.astimezone(UTC):%Y%m%d-%H%M%S}.tar"
    if final.exists():
        raise BackupError(f"{final} sudah ada; tunggu satu detik dan coba lagi.")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".naikkelas-backup-") as work:
        _say(out, "Menyalin basis data …")
        database = _dump_database(Path(work))
        entries = [(database.name, database), *_media_files()]
        _say(out, f"Menghitung checksum {len(entries)} berkas …")
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(),
            "version": metadata.version("naikkelas"),
            "engine": _engine(),
            "database": database.name,
            "migrations": _migrations(),
            "counts": table_counts(),
            "key_fingerprint": personal.key_fingerprint(),
            "files": [
                {"name": name, "size": path.stat().st_size, "sha256": _sha256(path)} for name, path in entries
            ],
        }
        manifest_path = Path(work) / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, indent=1))
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            tar.add(manifest_path, arcname="manifest.json")
            for name, path in entries:
                tar.add(path, arcname=name, recursive=False)
        os.chmod(partial, 0o600)
        os.replace(partial, final)  # whole or nothing: a half-written archive never carries the final name
    if record:  # /healthz reads it
        Heartbeat.objects.update_or_create(
            name="backup",
            defaults={"at": now, "detail": {"archive": final.name, "size": final.stat().st_size}},
        )
    removed = prune(folder, keep if keep is not None else settings.BACKUP_KEEP)
    _say(out, f"Arsip {final} ({final.stat().st_size:,} bita); {len(removed)} arsip lama dihapus.")
    return final


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives of ours in `folder` (0 keeps all)."""
    if keep <= 0:
        return []
    archives = sorted(p for p in folder.iterdir() if ARCHIVE_RE.match(p.name))
    old = archives[:-keep]
    for path in old:
        path.unlink()
    return old


def _safe(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def verify(archive: Path | str) -> dict:
    """The archive's manifest once every file in it matches its size and checksum; BackupError otherwise."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Arsip {archive} tidak ada.", EXIT_DAMAGED)
    try:
        with tarfile.open(archive, "r:") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if "manifest.json" not in members:
                raise BackupError(
                    f"{archive.name} bukan arsip naikkelas: manifest.json tidak ada.", EXIT_DAMAGED
                )
            manifest = json.load(tar.extractfile(members["manifest.json"]))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"Format arsip {manifest.get('format')!r} tidak dikenal.", EXIT_DAMAGED)
            listed = {f["name"]: f for f in manifest["files"]}
            extra = set(members) - set(listed) - {"manifest.json"}
            if extra:
                raise BackupError(f"Arsip memuat berkas di luar manifest: {sorted(extra)[:3]}", EXIT_DAMAGED)
            for name, entry in listed.items():
                member = members.get(name)
                if member is None or not member.isfile() or not _safe(name):
                    raise BackupError(f"Berkas {name} dari manifest tidak ada di arsip.", EXIT_DAMAGED)
                digest = hashlib.sha256()
                fh = tar.extractfile(member)
                while block := fh.read(CHUNK):
                    digest.update(block)
                if member.size != entry["size"] or digest.hexdigest() != entry["sha256"]:
                    raise BackupError(f"Checksum {name} tidak cocok: arsip rusak atau diubah.", EXIT_DAMAGED)
    except (tarfile.TarError, json.JSONDecodeError, KeyError, TypeError, OSError) as exc:
        raise BackupError(
            f"{archive.name} tidak terbaca sebagai arsip naikkelas: {exc}", EXIT_DAMAGED
        ) from exc
    return manifest


def database_tables() -> list[str]:
    return connection.introspection.table_names()


def restore(
    archive: Path | str, *, accept_other_key: bool = False, out: Callable[[str], None] | None = None
) -> dict:
    """Restore an archive into an empty database and an empty media folder; nothing is overwritten.

    Checks everything it can before it writes: the checksums, the engine, the key, that the database has no table
    and the media folder no file. The database is restored in one transaction (PostgreSQL) or put in place whole
    (SQLite); the media folder is filled from a copy beside it and renamed in place at the end."""
    archive = Path(archive)
    _say(out, f"Memeriksa {archive.name} …")
    manifest = verify(archive)
    if manifest["engine"] != _engine():
        raise BackupError(
            f"Arsip ini dari {manifest['engine']}, sedangkan DATABASE_URL menunjuk {_engine()}.", EXIT_FAILED
        )
    known_keys = {personal.key_fingerprint(secret) for secret in personal.secrets_in_use()}
    if manifest["key_fingerprint"] not in known_keys and not accept_other_key:
        raise BackupError(
            "Arsip ini dibuat dengan kunci NIK lain: NIK di dalamnya tak akan terbaca dengan NAIKKELAS_SECRET "
            "sekarang. Pasang kunci yang dipakai saat itu (atau cantumkan di NAIKKELAS_OLD_SECRETS), atau "
            "ulangi dengan --accept-other-key bila memang disengaja.",
            EXIT_OTHER_KEY,
        )
    tables = database_tables()
    if tables:
        raise BackupError(
            f"Basis data tujuan tidak kosong ({len(tables)} tabel). Pemulihan hanya mengisi basis data kosong: "
            "buat yang baru (createdb) dan arahkan DATABASE_URL ke sana.",
            EXIT_NOT_EMPTY,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(
            f"Folder media {media} tidak kosong; pulihkan ke folder data yang baru.", EXIT_NOT_EMPTY
        )
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".naikkelas-restore-") as work:
        work = Path(work)
        with tarfile.open(archive, "r:") as tar:
            _say(out, "Membuka arsip …")
            tar.extractall(work, members=[tar.getmember(f["name"]) for f in manifest["files"]], filter="data")
        _say(out, "Memulihkan basis data …")
        _restore_database(work / manifest["database"])
        if (work / "media").is_dir():
            if media.is_dir():
                shutil.rmtree(media)  # checked above: only empty folders
            os.replace(work / "media", media)
    counts = table_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Dipulihkan, tetapi jumlah baris berbeda dari manifest: {wrong}", EXIT_MISMATCH)
    _say(
        out,
        f"Dipulihkan: {sum(counts.values()):,} baris di {len(counts)} tabel, {len(manifest['files']) - 1} berkas.",
    )
    return manifest


def _restore_database(dump: Path) -> None:
    if _engine() == "postgresql":
        connection.close()
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                settings.DATABASES["default"]["NAME"],
                str(dump),
            ]
        )
        return
    target = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    for suffix in ("-wal", "-shm"):  # an empty database's journal files belong to the file being replaced
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(dump, f"{target}.restoring")
    os.replace(f"{target}.restoring", target)


def last_backup() -> datetime | None:
    beat = Heartbeat.objects.filter(name="backup").first()
    return beat.at if beat else None
