"""The SQLite store: versioned corpora in one file, the embedded default (base.py has what
every backend shares). One process, or several on one disk: SQLite takes one writer at a time,
and the locks are files' flocks, freed by the kernel when their holder dies."""
from __future__ import annotations

import os
import shlex
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from index.errors import StoreConflict, StoreError, UnreadableStoreError
from index.store.base import Reader, Store
from index.store.schema import migrate
from index.store.snapshots import kind_of


class SQLiteConnection(sqlite3.Connection):
    """sqlite3's connection, with what the SQL of base.py asks of every backend's."""
    begin_read = "BEGIN"
    begin_write = "BEGIN IMMEDIATE"  # one writer at a time; the others wait on the lock

    def has_table(self, name: str) -> bool:
        return self.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


class FileLocked:
    """A named lock as a file beside the store (filelock: an flock)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(path)

    def acquire(self, timeout: float) -> bool:
        try:
            self._lock.acquire(timeout=timeout, poll_interval=0.1)
            return True
        except Timeout:
            return False

    def release(self) -> None:
        self._lock.release()


_READERS: dict[tuple[str, str], Reader] = {}  # (path, the file's identity) -> the process's reading connection
_READERS_LOCK = threading.Lock()


class SQLiteStore(Store):
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.name = str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    @contextmanager
    def connect(self, write: bool = False):
        """A connection, with the file's failures as one StoreError that says what to do: a
        corrupt file (truncated, overwritten, not an index) and a read-only one, which still
        answers questions but refuses changes."""
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreError(f"no index at {self.path}")
        try:
            conn = self._open(write)
        except sqlite3.Error as exc:
            raise self._explain(exc, write) from None
        try:
            yield conn
        except sqlite3.IntegrityError as exc:
            raise StoreConflict(f"{self.path}: {exc}; nothing was changed") from None
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc, write) from None
        finally:
            conn.close()

    def stamp(self) -> tuple[int, ...]:
        """What changes whenever anything is written to the file (its and its WAL's modification
        time and size): cheaper than a query, to tell whether the live version may have moved."""
        out: list[int] = []
        for path in self._files():
            try:
                st = path.stat()
                out += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                out += [0, 0]
        return tuple(out)

    def check_writable(self) -> None:
        """StoreError unless a change can be written: the file (if any) and its folder writable."""
        folder = self.path.parent if self.path.parent.exists() else Path(".")
        if (self.path.exists() and not os.access(self.path, os.W_OK)) or not os.access(folder, os.W_OK):
            raise self._read_only()

    def reader(self) -> Reader:
        """The process's one lasting connection for reading this file, shared by its loaded
        versions (one connection, not one each: a thousand corpora must not exhaust the process's
        file descriptors), usable from any thread under its lock. A file replaced at the same path
        gets a connection of its own."""
        with self.connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'file'").fetchone() \
                if conn.has_table("meta") else None
        key = (str(self.path.resolve()), row[0] if row else f"inode {self.path.stat().st_ino}")
        with _READERS_LOCK:
            found = _READERS.get(key)
            if found is None:
                try:
                    found = Reader(self._open(write=False, shared=True), threading.RLock())
                except sqlite3.Error as exc:
                    raise self._explain(exc, write=False) from None
                for other in [k for k in _READERS if k[0] == key[0]]:
                    del _READERS[other]  # the file at this path was replaced
                _READERS[key] = found
            return found

    def _open(self, write: bool, shared: bool = False) -> sqlite3.Connection:
        if not write and not os.access(self.path, os.W_OK):
            # Read-only: WAL cannot be switched on or its shared memory made; the file is
            # read as it is, as nobody can change it.
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?immutable=1", uri=True, factory=SQLiteConnection,
                                   isolation_level=None, check_same_thread=not shared)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=not shared,
                               factory=SQLiteConnection)
        try:
            conn.create_function("kind_of", 1, kind_of)  # sources of versions from before they were recorded
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            if write:
                migrate(conn, self.path)
        except BaseException:
            conn.close()
            raise
        return conn

    def _read_only(self) -> StoreError:
        return StoreError(f"{self.path} is read-only: questions are answered from it, but changes "
                          "are refused; make the file and its folder writable to change the content")

    def _explain(self, exc: sqlite3.Error, write: bool) -> StoreError:
        message = str(exc)
        if "readonly" in message or (write and not os.access(self.path, os.W_OK)):
            return self._read_only()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in message:
            return StoreError(f"{self.path} is busy: another process holds it; try again")
        path = shlex.quote(str(self.path))
        return UnreadableStoreError(f"{self.path} is not a readable Verbatim index ({message}). Nothing was "
                          f"changed. Move it aside (documents added by hand are in it) and rebuild: "
                          f"mv {path} {shlex.quote(f'{self.path}.broken')} && {self.build_command()}")

    @property
    def index_option(self) -> str:
        return f" --index {shlex.quote(str(self.path))}"

    def lock(self, name: str) -> FileLocked:
        """The lock file beside the store, reused by every change: `X.corpus-default.lock` (no spaces)."""
        return FileLocked(self.path.with_name(f"{self.path.name}.{'-'.join(name.split())}.lock"))

    def vacuum(self) -> None:
        """Give the space of deleted rows back to the file system (rewrites the file)."""
        with self.connect(write=True) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def size(self) -> int:
        return sum(p.stat().st_size for p in self._files() if p.exists())

    def _files(self) -> tuple[Path, Path]:
        """The file and its write-ahead log, where changes sit until a checkpoint."""
        return self.path, self.path.with_name(self.path.name + "-wal")
