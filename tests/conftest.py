"""Personas shared by the suite.

admin_lampung sees all of Lampung (18); admin_pesawaran sees 18.09 only; admin_lamsel sees 18.01 only;
petugas sees district 18.09.01 (Gedong Tataan) only; owner sees the one business they own; coop_manager sees
the one cooperative they manage; outsider (public) sees nothing; national (superuser) sees everything.
"""

import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from naikkelas.accounts.constants import Role
from naikkelas.accounts.models import User
from naikkelas.regions.models import Level, Region
from naikkelas.regions.services import fetch_package, regions_load
from naikkelas.registry import followers
from naikkelas.registry.models import Business, Cooperative, Person
from naikkelas.registry.search import search_text_for
from naikkelas.registry.tallies import tally_change, tally_key

# CI replays the same examples every run (a red CI must mean a change broke something); local runs explore.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.getenv("CI"):
    hypothesis_settings.load_profile("ci")

# Lampung for the personas, Banten (36) for a province nobody here is assigned to.
TEST_PROVINCES = ["18", "36"]
VALID_NIK_WOMAN = "1809015708850001"  # Gedong Tataan, born 17-08-1985, woman (day + 40)
VALID_NIK_MAN = "1801041203900002"  # Natar (18.01.04), born 12-03-1990, man


@pytest.fixture(scope="session")
def regions_package():
    return fetch_package()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, regions_package):
    with django_db_blocker.unblock():
        regions_load(source=regions_package, only=TEST_PROVINCES)


def first_village(prefix: str) -> Region:
    return Region.objects.filter(code__startswith=prefix + ".", level=Level.VILLAGE).order_by("code").first()


def make_user(username, role, region=None, districts=(), **extra) -> User:
    user = User.objects.create_user(
        username=username, password="rahasia-123", role=role, region=region, **extra
    )
    if districts:
        user.districts.set(districts)
    return user


@pytest.fixture
def villages(db):
    return {
        "gedong": first_village("18.09.01"),
        "pesawaran_other": first_village("18.09.02"),
        "lamsel": first_village("18.01"),
        "banten": first_village("36.01.01"),
    }


@pytest.fixture
def personas(db):
    regions = Region.objects.in_bulk(["18", "18.09", "18.01", "18.09.01"])
    return {
        "national": User.objects.create_superuser("nasional", password="rahasia-123"),
        "admin_lampung": make_user("admin.lampung", Role.PROVINCE_ADMIN, regions["18"]),
        "admin_pesawaran": make_user("admin.pesawaran", Role.REGENCY_ADMIN, regions["18.09"]),
        "admin_lamsel": make_user("admin.lamsel", Role.REGENCY_ADMIN, regions["18.01"]),
        "petugas": make_user("petugas.gedongtataan", Role.FIELD_OFFICER, districts=[regions["18.09.01"]]),
        "owner": make_user("pemilik", Role.BUSINESS_OWNER),
        "coop_manager": make_user("koperasi", Role.COOPERATIVE_MANAGER),
        "outsider": make_user("warga", Role.PUBLIC),
    }


def make_business(name, village, owner_name="Siti Rahayu", **extra) -> Business:
    """A business written directly (faster than the service), its tally and funnel kept as the services keep them."""
    person = Person.objects.create(name=owner_name)
    text = search_text_for(name=name, owner_name=owner_name, nib=extra.get("nib", ""))
    business = Business.objects.create(name=name, owner=person, village=village, search_text=text, **extra)
    tally_change(None, tally_key(business))
    followers.businesses_changed([business.pk])
    return business


@pytest.fixture
def businesses(villages, personas):
    """One business in each place; the owner persona owns the Gedong Tataan one."""
    items = {
        "gedong": make_business(
            "Keripik Pisang Bu Siti", villages["gedong"], nib="1234567890123", sector="Makanan olahan"
        ),
        "pesawaran_other": make_business(
            "Kopi Robusta Pak Budi", villages["pesawaran_other"], "Budi Santoso"
        ),
        "lamsel": make_business("Warung Makan Seruit", villages["lamsel"], "Ahmad Hidayat"),
        "banten": make_business("Emping Melinjo Banten", villages["banten"], "Ratna Dewi"),
    }
    items["gedong"].owner.user = personas["owner"]
    items["gedong"].owner.save()
    return items


@pytest.fixture
def cooperatives(villages, personas):
    items = {
        key: Cooperative.objects.create(name=f"KSP {key}", type="simpan_pinjam", village=village)
        for key, village in villages.items()
    }
    items["gedong"].managers.add(personas["coop_manager"])
    return items


# Who sees which of the four places, for every role: the expectation every scope test checks.
VISIBLE = {
    "national": {"gedong", "pesawaran_other", "lamsel", "banten"},
    "admin_lampung": {"gedong", "pesawaran_other", "lamsel"},
    "admin_pesawaran": {"gedong", "pesawaran_other"},
    "admin_lamsel": {"lamsel"},
    "petugas": {"gedong"},
    "owner": {"gedong"},  # businesses only
    "coop_manager": set(),
    "outsider": set(),
}
VISIBLE_COOPS = {**VISIBLE, "owner": set(), "coop_manager": {"gedong"}}


@pytest.fixture
def api_client_for():
    from django.test import Client

    from naikkelas.accounts.services import api_token_get_or_create

    def make(user):
        token = api_token_get_or_create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


@pytest.fixture
def load_cmd():
    return call_command


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's cost is for production; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, tmp_path):
    """Background tasks run inside the request that enqueues them; uploads and the cache go to a temp folder.

    The browser tests switch to the database backend with a real worker (tests/e2e/conftest.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
