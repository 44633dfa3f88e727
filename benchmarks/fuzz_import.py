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


def child(listing: str, limit: int) -> None:
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
        err = io.StringIO()
        outcome, started = "processed", time.monotonic()
        signal.alarm(limit)
        try:
            with redirect_stderr(err):
                call_command(
                    "import", str(path), "--user", "admin.pesawaran", stdout=io.StringIO(), stderr=err
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
        print(json.dumps({"seed": seed, "kind": kind, "outcome": outcome, "partial": partial, "peak_mb": rss,
                          "seconds": round(time.monotonic() - started, 3)}), flush=True)  # fmt: skip


def make(listing: Path, first: int, count: int) -> None:
    from tests.intake.hostile import generate

    with listing.open("w") as out:
        for seed in range(first, first + count):
            here = listing.parent / "files" / str(seed)
            here.mkdir(parents=True)
            kind, path = generate(seed, here)
            out.write(json.dumps({"seed": seed, "kind": kind, "path": str(path)}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60, help="time limit per file")
    parser.add_argument("--memory-mb", type=int, default=1024, help="peak memory limit per child process")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(args.child, args.seconds)
        return
    if args.generate:
        make(Path(args.generate[0]), int(args.generate[1]), int(args.generate[2]))
        return

    data = Path(tempfile.mkdtemp(prefix="fuzz-data-"))
    env = {**os.environ, "NAIKKELAS_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data}/fuzz.sqlite3"}
    naikkelas = [sys.executable, "-m", "naikkelas.cli"]
    subprocess.run([*naikkelas, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*naikkelas, "load_regions", "--only", "18"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([*naikkelas, "shell", "-c", "from naikkelas.accounts.models import User; "
                    "from naikkelas.regions.models import Region; User.objects.create_user('admin.pesawaran', "
                    "role='regency_admin', region=Region.objects.get(code='18.09'))"], env=env, check=True, cwd=ROOT)  # fmt: skip
    outcomes, kinds, peaks, slowest = Counter(), Counter(), [], (0.0, None)
    partial = tracebacks = timeouts = blowups = 0
    started = time.monotonic()
    for first in range(0, args.files, args.batch):
        count = min(args.batch, args.files - first)
        listing = data / f"batch-{first}.jsonl"
        # Files are made in a process of their own: Linux counts a child's peak memory from what its parent held
        # when it was started, so the parent stays small and each child's peak is its import's.
        subprocess.run([sys.executable, __file__, "--generate", str(listing), str(first), str(count)], env=env,
                       cwd=ROOT, check=True)  # fmt: skip
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(listing),
                                 "--seconds", str(args.seconds)], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
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


if __name__ == "__main__":
    main()
