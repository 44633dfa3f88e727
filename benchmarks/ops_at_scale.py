"""Benchmark: an office's operations at scale on PostgreSQL — backup and restore at 1,000,000 businesses, and
the NIK key rotation at 100,000 persons with NIKs. Prints the time of each command, as the IT staff runs it.

    .venv/bin/python benchmarks/ops_at_scale.py                                  # 1,000,000 businesses, 100,000 NIKs
    .venv/bin/python benchmarks/ops_at_scale.py --businesses 100000 --niks 20000

Uses naikkelas_bench (dropped and made again) and naikkelas_bench_restored at $BENCH_PG. Not part of the tests.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup_django  # noqa: E402


def naikkelas(*args: str, **env: str) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "naikkelas.cli", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"naikkelas {' '.join(args)} → {done.returncode}: {done.stderr}")
    return time.monotonic() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--niks", type=int, default=100_000)
    args = parser.parse_args()
    setup_django("postgres")
    from django.core.management import call_command

    from naikkelas.regions.models import Level, Region
    from naikkelas.registry.models import Business, Person

    call_command("migrate", verbosity=0)
    cached = sorted((ROOT / "var" / "packages").glob("idn-area-data-*.tgz"))
    call_command(
        "load_regions", "--only", "18", *(["--source", str(cached[-1])] if cached else []), verbosity=0
    )
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="18.").values_list("code", flat=True)
    )
    rng = random.Random(11)
    started = time.monotonic()
    made = 0
    while made < args.businesses:
        n = min(20_000, args.businesses - made)
        persons = []
        for i in range(n):
            person = Person(name=f"Pemilik {made + i}")
            if made + i < args.niks:  # a valid NIK, different for each of the first 3.3 million
                rest, serial = divmod(made + i, 9999)
                person.set_nik(f"180901{rest % 28 + 1:02d}{rest // 28 % 12 + 1:02d}85{serial + 1:04d}")
            persons.append(person)
        persons = Person.objects.bulk_create(persons, batch_size=5000)
        Business.objects.bulk_create(
            [
                Business(
                    name=f"Usaha {made + i}",
                    owner_id=p.pk,
                    village_id=rng.choice(villages),
                    status="operating",
                    size_class="mikro",
                    annual_revenue=rng.randint(10, 900) * 1_000_000,
                    sector="Makanan olahan",
                )
                for i, p in enumerate(persons)
            ],
            batch_size=5000,
        )
        made += n
    niks = Person.objects.exclude(nik_encrypted="").count()
    print(f"filled: {made:,} businesses, {niks:,} persons with NIK in {time.monotonic() - started:.0f} s")

    folder = Path(tempfile.mkdtemp(prefix="naikkelas-bench-backup-"))
    figures = {"businesses": made, "persons_with_nik": niks}
    figures["backup_s"], _ = naikkelas("backup", "--to", str(folder))
    archive = next(folder.glob("naikkelas-*.tar"))
    figures["archive_mb"] = round(archive.stat().st_size / 1e6, 1)

    base = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    subprocess.run(
        ["psql", f"{base}/postgres", "-qc", "DROP DATABASE IF EXISTS naikkelas_bench_restored"], check=True
    )
    subprocess.run(
        ["psql", f"{base}/postgres", "-qc", "CREATE DATABASE naikkelas_bench_restored"], check=True
    )
    restored = {"DATABASE_URL": f"{base}/naikkelas_bench_restored", "NAIKKELAS_DATA_DIR": tempfile.mkdtemp()}
    figures["restore_s"], _ = naikkelas("restore", str(archive), **restored)

    old = os.environ["NAIKKELAS_SECRET"]
    keys = {"NAIKKELAS_SECRET": "bench-new-secret", "NAIKKELAS_OLD_SECRETS": old}
    figures["rotate_s"], out = naikkelas("rotate_secret", **keys)
    figures["rotate_check_s"], _ = naikkelas("rotate_secret", "--check", NAIKKELAS_SECRET="bench-new-secret")
    print(out.strip().splitlines()[-1])
    print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in figures.items()}, indent=1))


if __name__ == "__main__":
    main()
