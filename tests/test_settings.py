"""Settings from the environment: safe local defaults, strict production, translations complete."""

import os
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "x" * 64 + "production-secret-key-with-enough-entropy-1234567890",
    "NAIKKELAS_SECRET": "y" * 48,
    "ALLOWED_HOSTS": "naikkelas.example.go.id",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "var" / "check.sqlite3"),
}


def _manage(*args, env_extra):
    drop = ("DEBUG", "SECRET_KEY", "NAIKKELAS_SECRET", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_it_passes_the_deploy_check_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {**PRODUCTION}
    env.pop("SECRET_KEY")
    result = _manage("check", env_extra=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_it_rejects_a_misspelt_boolean():
    result = _manage("check", env_extra={"DEBUG": "ya"})
    assert result.returncode != 0 and "DEBUG must be True or False" in result.stderr


def test_it_has_an_indonesian_translation_for_every_message_and_a_compiled_catalogue():
    po_path = ROOT / "naikkelas" / "locale" / "id" / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as f:
        catalog = read_po(f)
    missing = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert missing == []
    with po_path.with_suffix(".mo").open("rb") as f:
        compiled = read_mo(f)

    def key(m):
        return tuple(m.id) if isinstance(m.id, list | tuple) else m.id

    def text(m):
        return tuple(m.string) if isinstance(m.string, list | tuple) else m.string

    source = {key(m): text(m) for m in catalog if m.id}
    assert source == {key(m): text(m) for m in compiled if m.id}


def test_the_web_server_refuses_to_start_without_its_keys_and_names_the_setting():
    """gunicorn as the service starts it, with NAIKKELAS_SECRET missing: it stops with the setting named."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "NAIKKELAS_SECRET")}
    env.update({**PRODUCTION, "NAIKKELAS_SECRET": ""})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "naikkelas.wsgi:application",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode != 0
    assert "naikkelas: NAIKKELAS_SECRET (the key of the stored NIKs) must be set" in result.stderr
    assert "Traceback" not in result.stderr
    worker = _manage("worker", env_extra={**PRODUCTION, "NAIKKELAS_SECRET": ""})
    assert worker.returncode == 2 and "NAIKKELAS_SECRET" in worker.stderr and "Traceback" not in worker.stderr
