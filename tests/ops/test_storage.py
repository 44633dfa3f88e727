"""Media on S3-compatible storage (a real S3 server on loopback: moto's) with the same access checks, and the cache
and sessions on Redis (the machine's Redis at 127.0.0.1:6379), each chosen by a setting."""

import socket
import subprocess
import sys
import uuid

import boto3
import pytest
import redis
from django.core.cache import cache
from django.test import Client

from naikkelas.intake.models import ImportUpload
from naikkelas.registry.models import Business
from tests.intake.files import BAD_ROW, ROWS, office_workbook
from tests.ops.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def on_s3(settings, s3_server):
    bucket = f"naikkelas-{uuid.uuid4().hex[:8]}"
    keys = {
        "aws_access_key_id": "kantor",
        "aws_secret_access_key": "rahasia-kantor",
        "region_name": "us-east-1",
    }
    client = boto3.client("s3", endpoint_url=s3_server, **keys)
    client.create_bucket(Bucket=bucket)
    settings.DATA_DIR = settings.MEDIA_ROOT.rsplit("/", 1)[
        0
    ]  # this test's folder: the local copies land there
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": s3_server, "region_name": "us-east-1",
                "access_key": keys["aws_access_key_id"], "secret_key": keys["aws_secret_access_key"],
                "location": "media", "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
            },
        },
    }  # fmt: skip
    return client, bucket


def _objects(client, bucket) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_an_import_runs_from_a_bucket_and_its_file_stays_private(on_s3, personas, tmp_path, settings):
    client, bucket = on_s3
    office = Client()
    office.force_login(personas["admin_pesawaran"])
    with office_workbook(tmp_path / "umkm.xlsx", [*ROWS, BAD_ROW]).open("rb") as f:
        assert office.post("/impor/", {"file": f, "kind": "businesses"}).status_code == 302
    upload = ImportUpload.objects.get()
    stored = _objects(client, bucket)
    assert stored == [f"media/{upload.file.name}"] and not (tmp_path / "media").exists()
    grants = client.get_object_acl(Bucket=bucket, Key=stored[0])["Grants"]
    assert all("AllUsers" not in str(g["Grantee"]) for g in grants)  # not readable by anyone without the keys

    page = office.get(f"/impor/{upload.pk}/").content.decode()
    assert "Keripik Pisang Bu Siti" in page  # read from the bucket for the preview
    assert bucket not in page and "127.0.0.1:" not in page  # no link to the bucket, signed or not
    office.post(f"/impor/{upload.pk}/periksa/", {"sheet": "Data UMKM"})
    rejected = office.get(f"/impor/{upload.pk}/ditolak.xlsx")
    assert rejected.status_code == 200 and rejected["Content-Type"].startswith("application/vnd.openxml")
    office.post(f"/impor/{upload.pk}/jalankan/")
    upload.refresh_from_db()
    assert upload.status == "done" and Business.objects.count() == 2
    # The finished import's list (it holds NIKs) is gone from the bucket and from this machine's copy.
    assert not any(
        key.endswith(upload.original_name) or "imports/20" in key for key in _objects(client, bucket)
    )
    assert (
        not list((tmp_path / "remote-files").rglob("*.xlsx"))
        if (tmp_path / "remote-files").exists()
        else True
    )

    # Another regency's admin gets no access to the upload page nor its rejected rows.
    other = Client()
    other.force_login(personas["admin_lamsel"])
    assert other.get(f"/impor/{upload.pk}/").status_code in (403, 404)
    assert other.get(f"/impor/{upload.pk}/ditolak.xlsx").status_code in (403, 404)


def test_cache_and_sessions_live_in_redis_when_it_is_set(personas, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/3",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    direct = redis.Redis.from_url("redis://127.0.0.1:6379/3")
    direct.flushdb()
    cache.set("intake:progress:1", {"rows": 10})
    assert cache.get("intake:progress:1") == {"rows": 10} and direct.dbsize() == 1
    office = Client()
    assert office.post(
        "/masuk/", {"username": "admin.pesawaran", "password": "naikkelas-uji"}
    ).status_code in (
        200,
        302,
    )
    office.force_login(personas["admin_pesawaran"])
    assert office.get("/dasbor/beranda/").status_code == 200
    assert any(
        b"session" in key for key in direct.keys("*")
    )  # the login's session is in Redis, not the database
    direct.flushdb()


def test_the_settings_read_the_storage_and_redis_variables(tmp_path):
    script = "import django; django.setup(); from django.conf import settings as s; print(s.STORAGES['default']['BACKEND'], s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    env = {"DEBUG": "1", "NAIKKELAS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "naikkelas.settings",
           "PATH": "/usr/bin:/bin", "NAIKKELAS_STORAGE": "s3", "NAIKKELAS_S3_BUCKET": "arsip",
           "NAIKKELAS_REDIS_URL": "redis://127.0.0.1:6379/0"}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cache",
    ]
    env.pop("NAIKKELAS_S3_BUCKET")
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0 and "NAIKKELAS_S3_BUCKET" in done.stderr
