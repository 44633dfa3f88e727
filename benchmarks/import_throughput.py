"""Benchmark: importing an office's messy list, end to end (read, parse, check, match, write), at scale.

Generates N messy rows (benchmarks/messy.py) as CSV and XLSX, imports them into SQLite and PostgreSQL and prints
rows per second and peak memory (each import runs in its own process, whose peak RSS is reported, with its
reader process's, and the two together as sampled proportional set size, which counts shared pages once); measures the
floor: the same final rows the import wrote (persons, businesses, first statuses, sources) loaded again into the
same tables with all their indexes and constraints, by COPY on PostgreSQL and by INSERT … SELECT from an attached
copy on SQLite, in one transaction; imports the same CSV again unchanged; and, at 100,000 rows on PostgreSQL,
times the same import with its writes switched off (reading, checking, matching
alone); undoes both imports (timed); compares with django-import-export (the clean columns through a ModelResource, its bulk mode) and with a plain
psycopg COPY of the clean columns into a table without indexes.

    pip install -e ".[dev,bench]"
    .venv/bin/python benchmarks/import_throughput.py                       # 1,000,000 rows, both databases
    .venv/bin/python benchmarks/import_throughput.py --rows 100000 --backends postgres
    .venv/bin/python benchmarks/import_throughput.py --layout sidt --rows 100000      # the ministry's layout

PostgreSQL: a database naikkelas_bench_import is dropped and created at $BENCH_PG
(default postgres://postgres@127.0.0.1:5432). Not part of the test run.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
PG = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "naikkelas_bench_import"


def _django(database_url: str, data_dir: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = "naikkelas.settings"
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("NAIKKELAS_SECRET", "bench-secret")
    os.environ["DATABASE_URL"] = database_url
    os.environ["NAIKKELAS_DATA_DIR"] = data_dir
    os.environ["NAIKKELAS_INTAKE_MAX_MB"] = "1000"  # a million rows is well over the upload limit of 50 MB
    import django

    django.setup()


def _setup(database_url: str, data_dir: str) -> list[tuple[str, str, str]]:
    """Migrate, load Lampung's region tree, make the importing admin; returns Pesawaran's places."""
    _django(database_url, data_dir)
    from django.core.management import call_command

    from naikkelas.accounts.constants import Role
    from naikkelas.accounts.models import User
    from naikkelas.regions.models import Level, Region

    call_command("migrate", verbosity=0)
    cached = sorted((ROOT / "var" / "packages").glob("idn-area-data-*.tgz"))
    call_command(
        "load_regions", "--only", "18", *(["--source", str(cached[-1])] if cached else []), verbosity=0
    )
    User.objects.get_or_create(
        username="bench.kab", defaults={"role": Role.REGENCY_ADMIN, "region_id": "18.09"}
    )
    names = dict(
        Region.objects.filter(level=Level.DISTRICT, code__startswith="18.09.").values_list("code", "name")
    )
    return [
        (parent[-2:], names[parent], name, code)
        for parent, name, code in Region.objects.filter(
            level=Level.VILLAGE, code__startswith="18.09."
        ).values_list("parent_id", "name", "code")
    ]


def _clear() -> None:
    from django.db import connection

    tables = [
        "intake_recordsource",
        "intake_importupload",
        "intake_importbatch",
        "registry_statuschange",
        "registry_legaldocument",
        "registry_business",
        "registry_businesstally",
        "registry_person",
        "core_auditlog",
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608


def _pss_mb(pid: int | str) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration, ValueError):
        return 0.0


def _watch_pss(peak: list[float]) -> None:
    """Sampled four times a second: this process's proportional set size plus its children's (the reader
    process shares pages with it since the fork; PSS counts each shared page once across both, unlike RSS)."""
    while True:
        children = []
        for task in Path("/proc/self/task").glob("*/children"):
            children += task.read_text().split()
        peak[0] = max(peak[0], _pss_mb("self") + sum(_pss_mb(pid) for pid in children))
        time.sleep(0.25)


def child(args) -> None:
    """One measurement in a fresh process: prints JSON with seconds, rows per second and peak RSS."""
    _django(args.database_url, args.data_dir)
    pss = [0.0]
    if Path("/proc/self/smaps_rollup").exists():
        threading.Thread(target=_watch_pss, args=(pss,), daemon=True).start()
    from naikkelas.accounts.models import User
    from naikkelas.intake.services import import_businesses

    if args.what == "clear":
        _clear()
        print(json.dumps({}))
        return
    admin = User.objects.get(username="bench.kab")
    started = time.perf_counter()
    if args.what == "naikkelas":
        report = import_businesses(actor=admin, path=args.file)
        counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": len(report.rejected),
            "warnings": len(report.warnings),
            "rows": report.rows,
        }
    elif args.what == "no-writes":
        # Everything the import does before it writes (read, parse, check, resolve, match, warn), with the writer's
        # writing switched off: a measure of the work that no choice of writes can take away.
        from naikkelas.intake import writers

        for name in ("write", "finish"):
            setattr(writers.BusinessWriter, name, lambda self, *a, **k: None)
        writers.Writer.same_as_before = lambda self, rows: None
        report = import_businesses(actor=admin, path=args.file, dry_run=True)
        counts = {"rows": report.rows, "rejected": len(report.rejected), "warnings": len(report.warnings)}
    elif args.what == "import-export":
        counts = _import_export(args.file)
    elif args.what == "floor":
        counts, started = _floor(args.data_dir)
    elif args.what == "undo":  # every import not undone yet, newest first (as the page's undo does each)
        from naikkelas.intake.models import ImportBatch
        from naikkelas.intake.services import undo_batch

        counts = {"deleted": 0, "restored": 0}
        for batch in ImportBatch.objects.filter(undone_at=None).order_by("-pk"):
            done = undo_batch(actor=admin, batch=batch)
            counts = {k: counts[k] + done[k] for k in counts}
        counts["rows"] = max(counts["deleted"], 1)
    else:
        counts = _copy(args.file)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The second process that reads a big file (intake/rows.py), if there was one: its own peak.
    reader_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows = counts.get("rows") or args.rows
    print(json.dumps({"seconds": seconds, "rows_per_s": rows / seconds, "peak_mb": peak_mb, "reader_mb": reader_mb,
                      "pss_mb": pss[0], **counts}))  # fmt: skip


CLEAN = ["name", "owner_id", "village_id", "sector", "kbli", "address", "annual_revenue", "employees", "nib"]


def _clean_export(path: Path) -> None:
    """The clean columns of what the import made: the same rows, in the form the others need."""
    import csv

    from naikkelas.registry.models import Business

    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(CLEAN)
        for row in Business.objects.order_by("id").values_list(*CLEAN).iterator(chunk_size=10_000):
            out.writerow(["" if v is None else v for v in row])


def _import_export(path: Path) -> dict:
    import tablib
    from import_export import resources

    from naikkelas.registry.models import Business

    class BusinessResource(resources.ModelResource):
        class Meta:
            model = Business
            fields = ["id", *(c.removesuffix("_id") for c in CLEAN)]
            import_id_fields = ["id"]
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_unchanged = False
            report_skipped = False

    from naikkelas.registry.models import Person

    data = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    data.append_col([None] * len(data), header="id")
    # One owner for every row (the owners the clean export names were cleared with the businesses): it only
    # makes the resource's work lighter.
    del data["owner_id"]
    data.append_col([Person.objects.get(name="bench").pk] * len(data), header="owner")
    data.headers = [h.removesuffix("_id") for h in data.headers]
    result = BusinessResource().import_data(data, dry_run=False, raise_errors=True)
    return {"rows": len(data), "created": result.totals.get("new", 0)}


def _copy(path: Path) -> dict:
    from django.db import connection

    columns = ", ".join(CLEAN)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(
            "CREATE TABLE bench_copy (name text, owner_id bigint, village_id text, sector text, kbli text, "
            "address text, annual_revenue bigint, employees integer, nib text)"
        )
        with (
            path.open("rb") as f,
            cursor.cursor.copy(f"COPY bench_copy ({columns}) FROM STDIN WITH (FORMAT csv, HEADER)") as copy,
        ):
            while block := f.read(1 << 20):
                copy.write(block)
        cursor.execute("SELECT count(*) FROM bench_copy")
        return {"rows": cursor.fetchone()[0]}


# What an import writes row by row, parents first (the import also writes one batch, one audit entry and the tallies).
FLOOR_TABLES = ["registry_person", "registry_business", "registry_statuschange", "intake_recordsource"]


def _floor(data_dir: str) -> tuple[dict, float]:
    """Take the import's final rows out of their tables and time loading them back in one transaction, into the
    same tables with every index and constraint; returns the counts and the time the load started."""
    from django.db import connection, transaction

    counts = {}
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "sqlite":
            copy_of = Path(data_dir) / "floor.sqlite3"
            copy_of.unlink(missing_ok=True)
            raw.execute("ATTACH DATABASE ? AS floor", [str(copy_of)])
            for table in FLOOR_TABLES:
                raw.execute(f"CREATE TABLE floor.{table} AS SELECT * FROM main.{table}")  # noqa: S608
            with transaction.atomic():
                for table in reversed(FLOOR_TABLES):
                    raw.execute(f"DELETE FROM main.{table}")  # noqa: S608
            started = time.perf_counter()
            with transaction.atomic():
                for table in FLOOR_TABLES:
                    raw.execute(f"INSERT INTO main.{table} SELECT * FROM floor.{table}")  # noqa: S608
                    counts[table] = raw.rowcount
            return {"rows": counts["registry_business"], "tables": counts}, started
        dumps = {}
        for table in FLOOR_TABLES:
            dumps[table] = Path(data_dir) / f"{table}.copy"
            with dumps[table].open("wb") as f, raw.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                for block in copy:
                    f.write(block)
        with transaction.atomic():
            for table in reversed(FLOOR_TABLES):
                raw.execute(f"DELETE FROM {table}")  # noqa: S608
        for table in FLOOR_TABLES:  # no dead rows left in the indexes the load writes into
            raw.execute(f"VACUUM ANALYZE {table}")
        started = time.perf_counter()
        with transaction.atomic():
            for table in FLOOR_TABLES:
                with (
                    dumps[table].open("rb") as f,
                    raw.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy,
                ):
                    while block := f.read(1 << 20):
                        copy.write(block)
                raw.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
                counts[table] = raw.fetchone()[0]
        for path in dumps.values():
            path.unlink()
        return {"rows": counts["registry_business"], "tables": counts}, started


def measure(what: str, database_url: str, data_dir: str, file: Path, rows: int) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            what,
            "--database-url",
            database_url,
            "--data-dir",
            data_dir,
            "--file",
            str(file),
            "--rows",
            str(rows),
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"{what} on {file.name} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(label: str, m: dict) -> None:
    extra = ", ".join(
        f"{k} {m[k]:,}"
        for k in ("created", "updated", "unchanged", "rejected", "warnings", "deleted", "restored")
        if k in m
    )
    reader = f" + reader {m['reader_mb']:,.0f} MB" if m.get("reader_mb", 0) > 1 else ""
    pss = f" (together {m['pss_mb']:,.0f} MB PSS)" if reader and m.get("pss_mb") else ""
    print(
        f"  {label:<44} {m['seconds']:8.1f} s {m['rows_per_s']:10,.0f} rows/s  peak {m['peak_mb']:6,.0f} MB"
        f"{reader}{pss}  {extra}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--compare-rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--layout", default="office", choices=["office", "sidt"],
                        help="sidt: the SIDT-KUMKM export's 49 columns (CSV only)")  # fmt: skip
    parser.add_argument("--child")
    parser.add_argument("--database-url")
    parser.add_argument("--data-dir")
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.child:
        args.what = args.child
        return child(args)

    work = Path(tempfile.mkdtemp(prefix="naikkelas-import-bench-"))
    print(f"naikkelas import benchmark: {args.rows:,} messy rows; files in {work}", flush=True)
    files: dict[str, Path] = {}
    for backend in args.backends.split(","):
        data_dir = str(work / f"data-{backend}")
        if backend == "sqlite":
            url = f"sqlite:///{work / 'bench.sqlite3'}"
        else:
            subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
            subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
            url = f"{PG}/{PG_DB}"
        places = (
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import sys, json; sys.path[:0] = {[str(ROOT), str(ROOT / 'benchmarks')]!r}; "
                    f"import import_throughput as b; print(json.dumps(b._setup({url!r}, {data_dir!r})))",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        places = [tuple(p) for p in json.loads(places)]
        if not files:
            import messy

            if args.layout == "sidt":
                args.formats = "csv"
            for fmt in args.formats.split(","):
                started = time.perf_counter()
                write = messy.write_sidt_csv if args.layout == "sidt" else getattr(messy, f"write_{fmt}")
                files[fmt] = write(work / f"umkm-{args.rows}.{fmt}", args.rows, places)
                size = files[fmt].stat().st_size / 1e6
                print(
                    f"  generated {fmt}: {size:,.0f} MB in {time.perf_counter() - started:.0f} s", flush=True
                )
            if "csv" in files and args.compare_rows:
                write = messy.write_sidt_csv if args.layout == "sidt" else messy.write_csv
                files["compare"] = write(work / f"umkm-{args.compare_rows}.csv", args.compare_rows, places)
        print(f"\n{backend}:", flush=True)
        for fmt in args.formats.split(","):
            measure("clear", url, data_dir, files[fmt], 0)
            first = measure("naikkelas", url, data_dir, files[fmt], args.rows)
            _line(f"{fmt.upper()} {args.rows:,} rows, first import", first)
            floor = measure("floor", url, data_dir, files[fmt], args.rows)
            how = "COPY" if backend == "postgres" else "INSERT ... SELECT"
            _line(f"floor: its final rows by {how}, same tables", floor)
            print(f"    ({', '.join(f'{t} {n:,}' for t, n in floor['tables'].items())})", flush=True)
            again = measure("naikkelas", url, data_dir, files[fmt], args.rows)
            _line(f"{fmt.upper()} same file again (unchanged)", again)
            undo = measure("undo", url, data_dir, files[fmt], args.rows)
            _line("undo of both imports (records deleted a second)", undo)
            measure("clear", url, data_dir, files[fmt], 0)  # the first import's empty registry again
            alone = measure("no-writes", url, data_dir, files[fmt], args.rows)
            _line("first import with its writes switched off", alone)
            print(
                f"    = {alone['seconds'] / floor['seconds']:.2f}x the floor's time before anything is written",
                flush=True,
            )
            print(
                f"  first import / floor: {first['seconds'] / floor['seconds']:.2f}x the floor's time; "
                f"unchanged again: {first['seconds'] / again['seconds']:.1f}x faster than the first",
                flush=True,
            )
        if backend == "postgres" and "compare" in files:
            n = args.compare_rows
            measure("clear", url, data_dir, files["compare"], 0)
            ours = measure("naikkelas", url, data_dir, files["compare"], n)
            clean = work / "clean.csv"
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import sys; sys.path[:0] = {[str(ROOT), str(ROOT / 'benchmarks')]!r}; "
                    f"import import_throughput as b; b._django({url!r}, {data_dir!r}); b._clean_export(__import__('pathlib').Path({str(clean)!r}))",
                ],
                check=True,
            )
            measure("clear", url, data_dir, files["compare"], 0)
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import sys; sys.path[:0] = {[str(ROOT), str(ROOT / 'benchmarks')]!r}; import import_throughput as b; b._django({url!r}, {data_dir!r}); from naikkelas.registry.models import Person; Person.objects.create(name='bench')",
                ],
                check=True,
            )
            ie = measure("import-export", url, data_dir, clean, n)
            cp = measure("copy", url, data_dir, clean, n)
            print(f"\n  compared at {n:,} rows (PostgreSQL):", flush=True)
            _line("naikkelas import (messy CSV, end to end)", ours)
            _line("django-import-export 4 (clean CSV, bulk mode)", ie)
            _line("psycopg COPY (clean CSV, no indexes)", cp)
            print(
                f"  naikkelas / django-import-export: {ours['rows_per_s'] / ie['rows_per_s']:.1f}x; "
                f"COPY / naikkelas: {cp['rows_per_s'] / ours['rows_per_s']:.1f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
