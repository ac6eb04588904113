"""One change to a corpus at a time, across threads and processes, by the store's named lock
(a file's flock for SQLite, an advisory lock for PostgreSQL): freed when its holder dies, so a
killed build never leaves the corpus locked."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from index.errors import ContentError
from index.store.base import Store

Waiting = Callable[[str], None]


@contextmanager
def change_lock(store: Store, corpus: str, on_wait: Waiting | None = None,
                timeout: float | None = None) -> Iterator[None]:
    """Held while one change runs. A caller that has to wait is told so through `on_wait`;
    after `timeout` seconds (None: no limit) it gives up with ContentError."""
    lock = store.lock(f"corpus {corpus}")
    if not lock.acquire(timeout=0):
        if on_wait is not None:
            on_wait(f"another change to corpus {corpus} is running; waiting…")
        if not lock.acquire(timeout=-1 if timeout is None else timeout):
            raise ContentError(f"another change to corpus {corpus} is still running after "
                               f"{timeout:g} s; try again when it is done")
    try:
        yield
    finally:
        lock.release()
