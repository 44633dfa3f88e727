"""Figures kept by apps above the registry (the lifecycle funnel) follow the registry's business writes here.

Apps depend downward, so the registry cannot import them; they sign up once at start-up (AppConfig.ready) and
every registry write path calls `businesses_changed` explicitly, inside its own transaction, with the ids it
created, changed or deleted. A follower reads the businesses again itself (a deleted id is simply gone).
"""

from collections.abc import Callable, Iterable

_changed: list[Callable[[Iterable[int]], object]] = []
_rebuilt: list[Callable[[], object]] = []


def follow(*, changed: Callable[[Iterable[int]], object], rebuilt: Callable[[], object]) -> None:
    if changed not in _changed:
        _changed.append(changed)
    if rebuilt not in _rebuilt:
        _rebuilt.append(rebuilt)


# Ids handed to a follower at a time: an import of 300,000 rows would otherwise ask SQLite for more query
# parameters than it takes ("too many SQL variables").
BATCH = 5000


def businesses_changed(ids: Iterable[int]) -> None:
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        part = ids[start : start + BATCH]
        for fn in _changed:
            fn(part)


def businesses_rebuilt() -> None:
    """After a bulk load that bypassed the services (demo, recount)."""
    for fn in _rebuilt:
        fn()
