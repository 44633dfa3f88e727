"""The raw NIK appears nowhere in the database file: not in tables, indexes, the search index or the WAL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NIK = "1809015708850001"
SCRIPT = f"""
import django
django.setup()
from naikkelas.accounts.models import User
from naikkelas.regions.models import Region
from naikkelas.registry import services
from naikkelas.regions.services import regions_load
regions_load(source="{{source}}", only=["18.09"])
admin = User.objects.create_superuser("root", password="x")
village = Region.objects.filter(code__startswith="18.09.01.", level=4).first()
b = services.business_create(actor=admin, data={{{{"name": "Keripik", "owner_name": "Siti", "owner_nik": "{NIK}",
                                                "village": village.code}}}})
services.person_reveal_nik(actor=admin, person=b.owner)
services.business_update(actor=admin, business=b, data={{{{"owner_nik": "1809015708850002"}}}})
"""


def test_it_keeps_the_raw_nik_out_of_the_sqlite_file(tmp_path, regions_package):
    db = tmp_path / "nik.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "naikkelas.settings",
        "NAIKKELAS_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([sys.executable, "-m", "naikkelas.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [sys.executable, "-c", SCRIPT.format(source=regions_package)], env=env, cwd=ROOT, check=True
    )
    files = [p for p in tmp_path.iterdir() if p.name.startswith("nik.sqlite3")]
    data = b"".join(p.read_bytes() for p in files)
    assert b"Keripik" in data  # the file does hold the records
    assert b"1809xxxxxxxx0001" in data  # and the masked form
    for raw in (NIK, "1809015708850002"):
        assert raw.encode() not in data
        assert raw.encode("utf-16-le") not in data
