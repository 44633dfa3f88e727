"""What every benchmark does first: Django with DEBUG off, on a fresh SQLite file or a fresh PostgreSQL
database named naikkelas_bench at $BENCH_PG (default postgres://postgres@127.0.0.1:5432)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(backend: str, keep: bool = False) -> None:
    """keep: use the database left by an earlier run instead of a fresh one (PostgreSQL's naikkelas_bench, or
    SQLite's file in the temporary directory)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "naikkelas.settings"
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("NAIKKELAS_SECRET", "bench-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "False"
    os.environ["NAIKKELAS_DATA_DIR"] = tempfile.mkdtemp(prefix="naikkelas-bench-")
    if backend == "sqlite":
        path = Path(tempfile.gettempdir()) / "naikkelas-bench.sqlite3"
        if not keep:
            path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        base = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
        if not keep:
            subprocess.run(
                ["psql", f"{base}/postgres", "-qc", "DROP DATABASE IF EXISTS naikkelas_bench"], check=True
            )
            subprocess.run(["psql", f"{base}/postgres", "-qc", "CREATE DATABASE naikkelas_bench"], check=True)
        os.environ["DATABASE_URL"] = f"{base}/naikkelas_bench"
    import django

    django.setup()
