"""The problems an import finds (rejected rows, warnings), kept in bounded memory whatever the file.

A `ProblemLog` keeps the first `keep` problems in memory (what the page shows and the batch stores) and writes
every problem, NIKs masked, as a JSON line to a temporary file on disk, from which the full list is read back
(the downloadable list, the rejected-rows XLSX, the command's --report). A file of two million bad rows costs
disk, not memory.
"""

import gzip
import itertools
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from naikkelas.core import personal


class ProblemLog:
    """A list-like log of problems: append/extend, len(), `head` (the first ones) and iteration over all.

    Problems wait in `pending` until `commit()` (the import commits after each chunk) sorts them by row: a chunk's
    rows are checked one by one but some are refused only when the chunk is written, and readers of the log (the
    rejected-rows XLSX) walk it beside the file, row by row."""

    def __init__(self, keep: int):
        self.keep = max(int(keep), 0)
        self.head: list[dict] = []
        self.pending: list[dict] = []
        self.total = 0
        self.rows = 0  # how many rows the problems are about (a row may have several)
        self._last_row = None
        self._spill: IO[bytes] | None = None

    def append(self, item: dict) -> None:
        self.pending.append(personal.mask_nik_runs(item))

    def extend(self, items: Iterable[dict]) -> None:
        for item in items:
            self.append(item)

    def commit(self) -> None:
        if not self.pending:
            return
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(prefix="naikkelas-problems-")  # noqa: SIM115 - lives with the log
        self.pending.sort(key=lambda item: item.get("row") or 0)
        for item in self.pending:  # a row's problems all come in one commit (the chunk it is in)
            if item.get("row") != self._last_row:
                self.rows += 1
                self._last_row = item.get("row")
        room = self.keep - len(self.head)
        if room > 0:
            self.head.extend(self.pending[:room])
        self._spill.seek(0, 2)
        self._spill.writelines(
            json.dumps(item, ensure_ascii=False, default=str).encode() + b"\n" for item in self.pending
        )
        self.total += len(self.pending)
        self.pending = []

    def __len__(self) -> int:
        return self.total + len(self.pending)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: int) -> dict:
        """One of the first `keep` problems (the later ones are on disk only: iterate to reach them)."""
        self.commit()
        return self.head[index]

    def __repr__(self) -> str:
        return f"<ProblemLog {len(self)} problems, first {self.head[:3]!r}>"

    def __iter__(self) -> Iterator[dict]:
        """Every problem, by row, read back from disk one at a time."""
        self.commit()
        if self._spill is None:
            return
        self._spill.flush()
        self._spill.seek(0)
        for line in self._spill:
            yield json.loads(line)

    def close(self) -> None:
        self.pending = []
        if self._spill is not None:
            self._spill.close()
            self._spill = None


def by_row(problems: Iterable[dict]) -> Iterator[tuple[int, list[dict]]]:
    """(row, its problems) for problems sorted by row, as a ProblemLog gives them."""
    for row, items in itertools.groupby(problems, key=lambda item: item.get("row") or 0):
        yield row, list(items)


KIND_REJECTED, KIND_WARNING = "rejected", "warning"


def write_problem_file(fp: IO[bytes], rejected: ProblemLog, warnings: ProblemLog) -> None:
    """Every problem as gzipped JSON lines, rejected first then warnings, each with its kind."""
    with gzip.GzipFile(fileobj=fp, mode="wb", mtime=0) as out:
        for kind, log in ((KIND_REJECTED, rejected), (KIND_WARNING, warnings)):
            for item in log:
                out.write(json.dumps({"kind": kind, **item}, ensure_ascii=False).encode() + b"\n")


def read_problem_file(fp: IO[bytes]) -> Iterator[dict]:
    """The problems written by write_problem_file, one at a time."""
    with gzip.GzipFile(fileobj=fp, mode="rb") as lines:
        for line in lines:
            yield json.loads(line)
