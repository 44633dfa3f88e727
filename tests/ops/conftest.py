"""A server of its own for the operations tests: a fresh database (PostgreSQL when the suite runs on it, else an
SQLite file) and data folder, driven through the `naikkelas` command as an office's IT staff would."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


class Server:
    def __init__(self, folder: Path, database_url: str):
        self.folder = folder
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "naikkelas.settings",
            "NAIKKELAS_DATA_DIR": str(folder),
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def run(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "naikkelas.cli", *args],
            env={**self.env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if check and done.returncode:
            raise AssertionError(
                f"naikkelas {' '.join(args)} → {done.returncode}\n{done.stdout}\n{done.stderr}"
            )
        return done

    def python(self, code: str, **env: str) -> dict:
        """Run Python with this server's settings; it prints one JSON document."""
        done = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            env={**self.env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture
def new_server(tmp_path):
    """Makes fresh servers (each with an empty database); drops their PostgreSQL databases afterwards."""
    made = []
    admin = None
    if ON_POSTGRES:
        url = dj_database_url.parse(os.environ["DATABASE_URL"])
        admin = psycopg.connect(
            host=url["HOST"],
            port=url["PORT"] or 5432,
            user=url["USER"],
            password=url["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]

    def make(name: str) -> Server:
        folder = tmp_path / name
        folder.mkdir()
        if ON_POSTGRES:
            dbname = f"nk_ops_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE DATABASE "{dbname}"')
            made.append(dbname)
            return Server(folder, f"{base}/{dbname}")
        return Server(folder, f"sqlite:///{folder / 'naikkelas.sqlite3'}")

    yield make
    if admin is not None:
        for dbname in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()
