"""Backups that restore: a filled server backed up, restored into a new empty database, compared row for row;
a damaged archive, a non-empty target and another key refused with their exit codes, nothing written."""

import tarfile

import pytest

from naikkelas.ops import backup

SAMPLE = """
import json
from naikkelas.ops.backup import table_counts
from naikkelas.registry.models import Business, Person
persons = Person.objects.exclude(nik_encrypted="").order_by("pk")[:300]
print(json.dumps({
    "counts": table_counts(),
    "niks": {p.pk: p.get_nik() for p in persons},
    "businesses": list(Business.objects.order_by("pk").values_list("pk", "name", "village_id", "status")[:300]),
}))
"""


def _archive(folder):
    archives = sorted(folder.glob("naikkelas-*.tar"))
    assert len(archives) == 1, archives
    return archives[0]


@pytest.fixture
def filled(new_server, regions_package):
    """An office's server with the demo in it (both regencies) and an uploaded file in its media folder."""
    server = new_server("office")
    server.run("migrate", "-v0")
    server.run("load_regions", "--only", "18", "--source", str(regions_package))
    server.run("load_demo", "--scale", "0.02")
    minutes = server.folder / "media" / "supervision" / "rat" / "2026" / "notulen-rat.pdf"
    minutes.parent.mkdir(parents=True, exist_ok=True)
    minutes.write_bytes(b"%PDF-1.4 notulen RAT " * 100)
    return server


@pytest.mark.slow
def test_a_backup_restores_into_a_new_database_with_the_same_rows_and_niks(filled, new_server):
    done = filled.run("backup", "--to", str(filled.folder / "arsip"))
    archive = _archive(filled.folder / "arsip")
    assert str(archive) in done.stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = backup.verify(archive)
        key = filled.env.get("NAIKKELAS_SECRET", "naikkelas-local-personal-data-key").encode()
        assert all(key not in tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert "manifest.json" in names and manifest["database"] in names
    assert "media/supervision/rat/2026/notulen-rat.pdf" in names

    before = filled.python(SAMPLE)
    assert len(before["niks"]) > 50 and all(len(nik) == 16 for nik in before["niks"].values())

    fresh = new_server("restored")
    restored = fresh.run("restore", str(archive))
    assert "Dipulihkan" in restored.stdout
    after = fresh.python(SAMPLE)
    assert after == before  # every table's count, the businesses and the decrypted NIKs
    copy = fresh.folder / "media" / "supervision" / "rat" / "2026" / "notulen-rat.pdf"
    assert copy.read_bytes() == (filled.folder / "media/supervision/rat/2026/notulen-rat.pdf").read_bytes()

    # The restored server runs: its own backup of it verifies.
    fresh.run("backup", "--to", str(fresh.folder / "arsip"))
    assert "Arsip utuh" in fresh.run("restore", "--check", str(_archive(fresh.folder / "arsip"))).stdout

    # Restoring again into the now filled database is refused, and nothing in it changes.
    again = fresh.run("restore", str(archive), check=False)
    assert again.returncode == backup.EXIT_NOT_EMPTY and "tidak kosong" in again.stderr
    assert fresh.python(SAMPLE) == before


@pytest.mark.slow
def test_a_damaged_archive_or_another_key_is_refused_before_anything_is_written(filled, new_server, tmp_path):
    filled.run("backup", "--to", str(filled.folder / "arsip"))
    archive = _archive(filled.folder / "arsip")
    target = new_server("target")

    damaged = tmp_path / "damaged.tar"
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:  # a byte inside the database's own data (not a tar header)
        member = tar.getmember(backup.verify(archive)["database"])
    data[member.offset_data + member.size // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    refused = target.run("restore", str(damaged), check=False)
    assert refused.returncode == backup.EXIT_DAMAGED and "Checksum" in refused.stderr
    assert "Traceback" not in refused.stderr

    other = target.run("restore", str(archive), check=False, NAIKKELAS_SECRET="kunci-lain")
    assert other.returncode == backup.EXIT_OTHER_KEY and "kunci NIK lain" in other.stderr

    not_ours = tmp_path / "bukan.tar"
    not_ours.write_bytes(b"bukan arsip")
    assert target.run("restore", str(not_ours), check=False).returncode == backup.EXIT_DAMAGED

    # Nothing was written by the refusals: the target restores cleanly afterwards, with the old key listed.
    done = target.run(
        "restore",
        str(archive),
        NAIKKELAS_SECRET="kunci-baru",
        NAIKKELAS_OLD_SECRETS="naikkelas-local-personal-data-key",
    )
    assert "Dipulihkan" in done.stdout


def test_rotation_keeps_the_newest_archives(tmp_path):
    for stamp in ("20261101-010000", "20261102-010000", "20261103-010000", "20261104-010000"):
        (tmp_path / f"naikkelas-{stamp}.tar").write_bytes(b"x")
    (tmp_path / "catatan.txt").write_text("bukan arsip")
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["naikkelas-20261101-010000.tar", "naikkelas-20261102-010000.tar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "catatan.txt",
        "naikkelas-20261103-010000.tar",
        "naikkelas-20261104-010000.tar",
    ]
    assert backup.prune(tmp_path, keep=0) == []
