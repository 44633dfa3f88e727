"""An office upgrading: a database at the first migration of every app, with an office's data in it, brought to
the current release by `naikkelas upgrade` (backup, migrations with their data steps, collectstatic, recount)."""

import pytest

from naikkelas.ops.management.commands.upgrade import release_notes
from tests.conftest import VALID_NIK_WOMAN

# The apps holding the office's data, each at its first migration; the apps that came later are not there yet.
# (Another app's first migration may need a later registry migration: those are left for the upgrade.)
APPS = ["core", "regions", "accounts", "registry"]

FIRST_STATE = f"""
import django
django.setup()
from django.core.management import call_command
for app in {APPS!r}:
    call_command("migrate", app, "0001", verbosity=0)
"""

# Written with the models as the first migrations knew them (the historical models), not today's.
OLD_DATA = f"""
import json
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from naikkelas.core import personal

loader = MigrationExecutor(connection).loader
old = loader.project_state(sorted(loader.applied_migrations)).apps
Region, Person, Business = (old.get_model(*name.split(".")) for name in ("regions.Region", "registry.Person", "registry.Business"))
parent = None
for code, name, level in (("18", "LAMPUNG", 1), ("18.09", "KAB. PESAWARAN", 2), ("18.09.01", "Gedong Tataan", 3),
                          ("18.09.01.2007", "Bagelen", 4)):
    parent = Region.objects.create(code=code, name=name, level=level, parent=parent)
siti = Person.objects.create(name="Siti Rahayu", nik_encrypted=personal.encrypt("{VALID_NIK_WOMAN}"),
                             nik_hash=personal.keyed_hash("{VALID_NIK_WOMAN}"), nik_masked="1809xxxxxxxx0001", gender="P")
for name, status in (("Keripik Pisang Bu Siti", "operating"), ("Kue Bu Siti", "registered")):
    Business.objects.create(name=name, owner=siti, village=parent, status=status, size_class="mikro", sector="Makanan olahan")
assert ("registry", "0002_business_tally") not in loader.applied_migrations
print(json.dumps(len(loader.applied_migrations)))
"""

AFTER = f"""
import json
import django
django.setup()
from django.utils import timezone
from naikkelas.registry.models import Business, BusinessTally
from naikkelas.registry.search import business_search_q
siti = Business.objects.get(name="Keripik Pisang Bu Siti")
print(json.dumps({{
    "found_by_name": list(Business.objects.filter(business_search_q("keripik")).values_list("name", flat=True)),
    "found_by_nik": Business.objects.filter(business_search_q("{VALID_NIK_WOMAN}")).count(),
    "nik": siti.owner.get_nik(),
    "registered_on_filled": siti.registered_on == timezone.localdate(siti.created_at),
    "tallied": sum(BusinessTally.objects.values_list("count", flat=True)),
}}))
"""


@pytest.mark.slow
def test_an_office_database_from_the_first_migrations_upgrades_with_its_data(new_server):
    server = new_server("upgrade")
    server.python(FIRST_STATE + "print(1)")
    assert server.python(OLD_DATA) >= len(APPS)
    done = server.run("upgrade", "--to", str(server.folder / "arsip"))
    out = done.stdout
    assert "1. Cadangan" in out and "2. Migrasi" in out and "Rekap jumlah usaha dihitung ulang" in out
    assert "## 0.2.0" in out and "## 0.1.0" in out  # every release's note: the database knew no version
    assert len(list((server.folder / "arsip").glob("naikkelas-*.tar"))) == 1
    assert server.python(AFTER) == {
        "found_by_name": ["Keripik Pisang Bu Siti"],
        "found_by_nik": 2,
        "nik": VALID_NIK_WOMAN,
        "registered_on_filled": True,
        "tallied": 2,
    }
    again = server.run("upgrade", "--no-backup").stdout
    assert (
        "0 migrasi menunggu" in again and "Catatan rilis" not in again
    )  # nothing new since the last upgrade


def test_release_notes_are_those_after_the_last_version():
    assert [n.split()[1] for n in release_notes("0.1.0", "0.2.0")] == ["0.2.0"]
    assert [n.split()[1] for n in release_notes(None, "0.2.0")] == ["0.2.0", "0.1.0"]
    assert release_notes("0.2.0", "0.2.0") == []
