"""Thousands of hostile and broken files through `naikkelas import` (tests/intake/hostile.py): prints how many
were processed and refused, and counts tracebacks, time-outs, memory blow-ups and partial writes (each must be 0).

    DEBUG=1 .venv/bin/python benchmarks/fuzz_import.py --files 2000

Files run in batches inside child processes on a fresh SQLite database holding Lampung's regions; each file has a
time limit (SIGALRM) and each child's peak memory is read back (wait4). A refused file (exit 2) must leave the
database as it was.
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(listing: str, limit: int, dry_run: bool = False) -> None:
    """Import the files the listing names (JSON lines of seed, kind, path); print one JSON line per file."""
    import io
    from contextlib import redirect_stderr

    import django

    django.setup()
    from django.core.management import call_command

    from naikkelas.intake.models import ImportBatch
    from naikkelas.registry.models import Business, Person

    class TimedOut(Exception):
        pass

    def alarm(_signum, _frame):
        raise TimedOut

    signal.signal(signal.SIGALRM, alarm)
    for line in Path(listing).read_text().splitlines():
        item = json.loads(line)
        seed, kind, path = item["seed"], item["kind"], item["path"]
        before = (Business.all_objects.count(), Person.all_objects.count(), ImportBatch.objects.count())
        err, out = io.StringIO(), io.StringIO()
        outcome, started = "processed", time.monotonic()
        signal.alarm(limit)
        try:
            with redirect_stderr(err):
                call_command(
                    "import",
                    str(path),
                    "--user",
                    "admin.pesawaran",
                    *(["--dry-run"] if dry_run else []),
                    stdout=out,
                    stderr=err,
                )
        except SystemExit as exc:
            outcome = "refused" if exc.code == 2 else f"exit {exc.code}"
        except TimedOut:
            outcome = "timeout"
        except BaseException as exc:  # noqa: BLE001 - what the run counts as a traceback
            outcome = f"traceback {type(exc).__name__}"
        finally:
            signal.alarm(0)
        after = (Business.all_objects.count(), Person.all_objects.count(), ImportBatch.objects.count())
        partial = outcome != "processed" and after != before
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            json.dumps(
                {
                    "seed": seed,
                    "kind": kind,
                    "outcome": outcome,
                    "partial": partial,
                    "peak_mb": rss,
                    "seconds": round(time.monotonic() - started, 3),
                    "summary": (out.getvalue() or err.getvalue()).strip()[-160:],
                }
            ),
            flush=True,
        )


def make(listing: Path, first: int, count: int) -> None:
    from tests.intake.hostile import generate

    with listing.open("w") as out:
        for seed in range(first, first + count):
            here = listing.parent / "files" / str(seed)
            here.mkdir(parents=True)
            kind, path = generate(seed, here)
            out.write(json.dumps({"seed": seed, "kind": kind, "path": str(path)}) + "\n")


def _database(data: Path) -> dict:
    """A fresh SQLite database in `data` with Lampung's regions and a regency admin of Pesawaran."""
    env = {**os.environ, "NAIKKELAS_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data}/fuzz.sqlite3"}
    naikkelas = [sys.executable, "-m", "naikkelas.cli"]
    subprocess.run([*naikkelas, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*naikkelas, "load_regions", "--only", "18"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [
            *naikkelas,
            "shell",
            "-c",
            "from naikkelas.accounts.models import User; "
            "from naikkelas.regions.models import Region; User.objects.create_user('admin.pesawaran', "
            "role='regency_admin', region=Region.objects.get(code='18.09'))",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    return env


def largest(folder: Path, mb: int) -> list[tuple[str, Path]]:
    """The largest legitimate-looking files under the size limit, one of each shape that costs a reader most:
    dense workbooks of numbers and of distinct texts (the Rust reader holds a whole sheet), a long CSV, a CSV of
    cells at Excel's 32,767-character limit, and a dense ODS. Each is sized to just under `mb` megabytes."""
    import random
    import zipfile

    import xlsxwriter

    rng = random.Random(17)
    header = [
        "NAMA USAHA",
        "NAMA PEMILIK",
        "DESA",
        "KECAMATAN",
        "OMZET PER BULAN",
        "TENAGA KERJA",
        "ALAMAT",
        "NO HP",
        "JENIS USAHA",
        "NIB",
        "KETERANGAN",
        "ASET",
    ]
    limit = mb * 1024 * 1024 * 0.97
    made = []

    def row(i: int, distinct: bool) -> list:
        if distinct:
            return [
                f"Usaha {i} {rng.random():.12f}",
                f"Pemilik {i}",
                "Bagelen",
                "Gedong Tataan",
                f"{rng.randrange(10**9)}",
                rng.randrange(100),
                f"Jl. {rng.random():.15f}",
                f"08{rng.randrange(10**10):010d}",
                "Kuliner",
                f"{rng.randrange(10**13):013d}",
                f"catatan {rng.random():.15f}",
                rng.random() * 10**9,
            ]
        return [
            f"Usaha {i}",
            "Ani",
            "Bagelen",
            "Gedong Tataan",
            rng.randrange(10**9),
            rng.randrange(100),
            "-",
            rng.randrange(10**11),
            "Kuliner",
            rng.randrange(10**13),
            "",
            rng.random() * 10**9,
        ]

    def xlsx(name: str, distinct: bool) -> None:
        # Rows per megabyte from a small sample, then the whole file (xlsxwriter's constant-memory mode).
        path = folder / f"{name}.xlsx"
        rows = 2000
        for _size in ("sample", "full"):
            workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
            sheet = workbook.add_worksheet("Data")
            sheet.write_row(0, 0, header)
            for i in range(1, rows + 1):
                sheet.write_row(i, 0, row(i, distinct))
            workbook.close()
            rows = int(rows * limit / path.stat().st_size)
        made.append((name, path))

    xlsx("xlsx-dense-numbers", distinct=False)
    xlsx("xlsx-distinct-texts", distinct=True)

    path = folder / "csv-long.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        i = 0
        while out.tell() < limit:
            i += 1
            out.write(",".join(str(v) for v in row(i, True)) + "\n")
    made.append(("csv-long", path))

    path = folder / "csv-longest-cells.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("NAMA USAHA,DESA,KETERANGAN\n")
        i = 0
        while out.tell() < limit:
            i += 1
            out.write(f"Usaha {i},Bagelen,{'x' * 32_700}\n")
    made.append(("csv-longest-cells", path))

    # ODS: content.xml written in one stream, rows of 12 cells, deflated, until the zip reaches the limit.
    path = folder / "ods-dense.ods"
    cell = '<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    head = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
        for h in header
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
            'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>',
        )
        with zf.open("content.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
                b'<office:body><office:spreadsheet><table:table table:name="Data">'
            )
            out.write(f"<table:table-row>{head}</table:table-row>".encode())
            i = 0
            while path.stat().st_size < limit * 0.98 and i < 3_000_000:
                i += 1
                cells = "".join(cell.format(v=rng.randrange(10**9)) for _ in range(12))
                out.write(f"<table:table-row>{cells}</table:table-row>".encode())
            out.write(b"</table:table></office:spreadsheet></office:body></office:document-content>")
    made.append(("ods-dense", path))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60, help="time limit per file (--largest: 900)")
    parser.add_argument("--memory-mb", type=int, default=1024, help="peak memory limit per child process")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument(
        "--largest",
        action="store_true",
        help="instead: the largest legitimate files under the size limit, one per shape",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(args.child, args.seconds, args.dry_run)
        return
    if args.generate:
        make(Path(args.generate[0]), int(args.generate[1]), int(args.generate[2]))
        return
    if args.largest:
        run_largest(args)
        return

    data = Path(tempfile.mkdtemp(prefix="fuzz-data-"))
    env = _database(data)
    outcomes, kinds, peaks, slowest = Counter(), Counter(), [], (0.0, None)
    partial = tracebacks = timeouts = blowups = 0
    started = time.monotonic()
    for first in range(0, args.files, args.batch):
        count = min(args.batch, args.files - first)
        listing = data / f"batch-{first}.jsonl"
        # Files are made in a process of their own: Linux counts a child's peak memory from what its parent held
        # when it was started, so the parent stays small and each child's peak is its import's.
        subprocess.run(
            [sys.executable, __file__, "--generate", str(listing), str(first), str(count)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", str(listing), "--seconds", str(args.seconds)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        lines = proc.stdout.read().splitlines()
        _pid, status, usage = os.wait4(proc.pid, 0)
        peak_mb = usage.ru_maxrss / 1024
        peaks.append(peak_mb)
        if peak_mb > args.memory_mb or os.waitstatus_to_exitcode(status) not in (0,):
            blowups += 1
        done = set()
        for line in lines:
            if not line.startswith("{"):
                continue
            item = json.loads(line)
            done.add(item["seed"])
            kinds[item["kind"]] += 1
            outcomes[item["outcome"]] += 1
            partial += item["partial"]
            tracebacks += item["outcome"].startswith(("traceback", "exit"))
            timeouts += item["outcome"] == "timeout"
            if item["seconds"] > slowest[0]:
                slowest = (item["seconds"], item["kind"])
        missing = count - len(done)
        tracebacks += missing  # a child that died took its files with it
    print(f"files: {sum(kinds.values())} of {args.files} in {time.monotonic() - started:.0f} s")
    print("classes: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print("outcomes: " + ", ".join(f"{k} {n}" for k, n in outcomes.most_common()))
    print(f"tracebacks: {tracebacks}")
    print(f"time-outs (> {args.seconds} s): {timeouts}; slowest file {slowest[0]:.2f} s ({slowest[1]})")
    print(f"memory blow-ups (> {args.memory_mb} MB per child): {blowups}; peak {max(peaks):.0f} MB")
    print(f"partial writes: {partial}")
    print(f"(resource limits: {resource.getrlimit(resource.RLIMIT_AS)})")
    sys.exit(1 if tracebacks or timeouts or blowups or partial else 0)


def run_largest(args) -> None:
    import django
    from django.conf import settings  # the limits as this machine sets them

    django.setup()
    mb = settings.INTAKE_MAX_MB
    data = Path(tempfile.mkdtemp(prefix="fuzz-largest-"))
    env = _database(data)
    folder = data / "files"
    folder.mkdir()
    made = largest(folder, mb)
    print(
        f"largest files under the {mb} MB limit (INTAKE_MAX_CELLS {settings.INTAKE_MAX_CELLS:,}), each "
        f"imported as a dry run in a child process:"
    )
    worst = 0.0
    for seed, (name, path) in enumerate(made):
        listing = data / f"{name}.jsonl"
        listing.write_text(json.dumps({"seed": seed, "kind": name, "path": str(path)}) + "\n")
        errors = data / f"{name}.err"
        with errors.open("w") as err:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(listing),
                    "--seconds",
                    str(max(args.seconds, 900)),
                    "--dry-run",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
            out = proc.stdout.read()
            _pid, _status, usage = os.wait4(proc.pid, 0)
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        item = lines[0] if lines else {"outcome": "died", "seconds": 0, "summary": errors.read_text()[-300:]}
        item["peak_mb"] = usage.ru_maxrss / 1024  # the child's whole life, reading included
        worst = max(worst, item["peak_mb"])
        print(
            f"  {name:<20} {path.stat().st_size / 2**20:5.1f} MB  {item['outcome']:<10} "
            f"{item['seconds']:7.1f} s  peak {item['peak_mb']:5.0f} MB  {item.get('summary', '')}",
            flush=True,
        )
    print(f"worst peak: {worst:.0f} MB (bound {args.memory_mb} MB)")
    sys.exit(1 if worst > args.memory_mb else 0)


if __name__ == "__main__":
    main()
