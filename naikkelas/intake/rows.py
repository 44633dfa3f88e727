"""A table's rows for the import loop, in chunks: read, digested and parsed in this process or, for a big file,
in a second one while this one checks, matches and writes (both cores).

The second process is forked: it inherits the table being read and what the step needs (parsers, the known
digests), reads the file, touches no database and no report, and sends each chunk through a pipe that holds a
few chunks at most (memory stays bounded). Anything it cannot do arrives here as an exception, raised inside the
import's transaction: nothing of the file is written.
"""

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings

from naikkelas.intake.reader import CORRUPT, ReadError, Table

CHUNK = 5000
# (Excel row, cells or None, digest, record known by the digest or None, parsed values or None)
Item = tuple[int, list | None, str, int | None, tuple | None]
Chunks = Iterator[tuple[list[Item], float]]  # a chunk's items and how far through the file reading has got


def chunks(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def beside(path: Path | str) -> bool:
    """Whether a file is big enough to be read in a second process (NAIKKELAS_INTAKE_PARALLEL_MB, 0: never)."""
    limit = settings.INTAKE_PARALLEL_MB
    return bool(
        limit
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and Path(path).stat().st_size > limit * 1024 * 1024
    )


def here(table: Table, step: Callable[[int, list], Item]) -> Chunks:
    for chunk in chunks(table.rows, CHUNK):
        yield [step(excel_row, cells) for excel_row, cells in chunk], table.fraction()


def in_second_process(table: Table, step: Callable[[int, list], Item]) -> Chunks:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_produce, args=(table, step, send, receive), name="naikkelas-import-reader"
    )
    child.start()
    del step  # the child has it; here it would only keep the known digests in memory twice
    send.close()  # the child's end: when the child is gone, recv() says so instead of waiting
    try:
        while True:
            try:
                message = receive.recv()
            except EOFError:  # the child died (killed, out of memory) without a word
                raise ReadError(str(CORRUPT)) from None
            if message is None:
                return
            if isinstance(message, BaseException):
                raise message
            yield message
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(table: Table, step: Callable[[int, list], Item], send, receive) -> None:
    # The reading end is the parent's alone: were it open here too, a parent that died would leave this process
    # waiting on a full pipe for ever, instead of failing on the next chunk and ending.
    receive.close()
    try:
        for message in here(table, step):
            send.send(message)
        send.send(None)
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the import, which rolls back
        try:
            send.send(exc)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text
            send.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
