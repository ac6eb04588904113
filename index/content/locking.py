"""One change to a corpus at a time, across threads and processes, by a file lock (filelock).
The lock is an flock: the kernel releases it when its holder dies, so a killed build never
leaves the corpus locked."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from index.errors import ContentError
from index.store.sqlite import Store

Waiting = Callable[[str], None]


def lock_path(store: Store, corpus: str) -> Path:
    return store.path.with_name(f"{store.path.name}.{corpus}.lock")


@contextmanager
def change_lock(store: Store, corpus: str, on_wait: Waiting | None = None,
                timeout: float | None = None) -> Iterator[None]:
    """Held while one change runs. A caller that has to wait is told so through `on_wait`;
    after `timeout` seconds (None: no limit) it gives up with ContentError."""
    path = lock_path(store, corpus)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(f"another change to corpus {corpus} is running; waiting…")
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout, poll_interval=0.1)
        except Timeout:
            raise ContentError(f"another change to corpus {corpus} is still running after "
                               f"{timeout:g} s; try again when it is done") from None
    try:
        yield
    finally:
        lock.release()
