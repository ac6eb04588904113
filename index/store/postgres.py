"""The PostgreSQL store: the same versioned corpora on a server that several bot processes
share (VERBATIM_DATABASE_URL). base.py has what every backend shares; this module has the
server's side of it: pooled connections that take the store's SQL, advisory locks (freed by the
server when their holder's connection dies, a killed process included), and a stamp read from
the versions table, so that each process sees what another published at its next question.
"""
from __future__ import annotations

import hashlib
import threading
import time
import uuid
from contextlib import contextmanager
from functools import lru_cache

from index.errors import StoreConflict, StoreError
from index.store.base import Reader, Store
from index.store.schema import SCHEMA_VERSION, check_schema, postgres_schema

POOL_SIZE = 8  # connections a process keeps open for writing; more wait for one
CONNECT_SECONDS = 10


def _psycopg():
    try:
        import psycopg
        import psycopg_pool
    except ImportError:
        raise StoreError("VERBATIM_DATABASE_URL needs PostgreSQL's driver: pip install -e '.[postgres]'") from None
    return psycopg, psycopg_pool


@lru_cache(maxsize=512)
def _sql(query: str) -> str:
    """The store's SQL (`?` parameters, as SQLite's) in psycopg's (`%s`, a literal % doubled)."""
    return query.replace("%", "%%").replace("?", "%s")


def lock_key(name: str) -> int:
    """An advisory lock's 64-bit key for a name."""
    return int.from_bytes(hashlib.blake2b(f"verbatim {name}".encode(), digest_size=8).digest(), "big", signed=True)


class PostgresConnection:
    """A psycopg connection that takes the SQL the store writes for SQLite."""
    begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ"  # one snapshot for the whole read
    # One writer at a time, as in SQLite: the store's rows were written for that.
    begin_write = f"BEGIN; SELECT pg_advisory_xact_lock({lock_key('writing')})"

    def __init__(self, conn):
        self.raw = conn

    def execute(self, query: str, params=()):
        return self.raw.execute(_sql(query), params) if params else self.raw.execute(query)

    def executemany(self, query: str, rows) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(_sql(query), list(rows))

    def has_table(self, name: str) -> bool:
        return self.raw.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]


class AdvisoryLock:
    """A named lock as a session advisory lock on a connection of its own, held until released
    or until the connection ends (the server frees it when a killed holder's socket closes)."""

    def __init__(self, store: "PostgresStore", name: str):
        self.store, self.key = store, lock_key(name)
        self._conn = None

    def acquire(self, timeout: float) -> bool:
        if self._conn is None:
            self._conn = self.store.open_connection()
        deadline = None if timeout < 0 else time.monotonic() + timeout
        while not self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]:
            if deadline is not None and time.monotonic() >= deadline:
                self._close()
                return False
            time.sleep(0.1)
        return True

    def release(self) -> None:
        self._close()  # ending the session frees its advisory locks

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


_POOLS: dict[str, object] = {}
_READERS: dict[str, Reader] = {}
_SHARED_LOCK = threading.Lock()
_MIGRATED: set[str] = set()


class PostgresStore(Store):
    def __init__(self, url: str):
        self.url = url
        self.name = _redacted(url)

    def exists(self) -> bool:
        return True  # the database is the server's; a store without tables yet reads as empty

    def open_connection(self):
        """A new autocommit connection of this process's own."""
        psycopg, _ = _psycopg()
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_SECONDS)
        except psycopg.Error as exc:
            raise self._explain(exc) from None

    @contextmanager
    def connect(self, write: bool = False):
        psycopg, _ = _psycopg()
        try:
            with self._pool().connection(timeout=CONNECT_SECONDS * 3) as raw:
                conn = PostgresConnection(raw)
                if write:
                    self._migrate(conn)
                yield conn
        except psycopg.IntegrityError as exc:
            raise StoreConflict(f"{self.name}: {str(exc).splitlines()[0]}; nothing was changed") from None
        except psycopg.Error as exc:
            raise self._explain(exc) from None

    def _pool(self):
        _, psycopg_pool = _psycopg()
        with _SHARED_LOCK:
            pool = _POOLS.get(self.url)
            if pool is None:
                pool = psycopg_pool.ConnectionPool(self.url, min_size=0, max_size=POOL_SIZE, open=True,
                                                   kwargs={"autocommit": True, "connect_timeout": CONNECT_SECONDS})
                _POOLS[self.url] = pool
            return pool

    def reader(self) -> Reader:
        """The process's one lasting connection for reading (a new one if the last one broke)."""
        with _SHARED_LOCK:
            found = _READERS.get(self.url)
            if found is None or found.conn.raw.closed or found.conn.raw.broken:
                found = Reader(PostgresConnection(self.open_connection()), threading.RLock())
                _READERS[self.url] = found
            return found

    def stamp(self) -> tuple:
        """The highest version id: one query before each question (autocommit: a failed one leaves nothing)."""
        psycopg, _ = _psycopg()
        reader = self.reader()
        with reader.lock:
            try:
                return tuple(reader.conn.execute("SELECT COALESCE(MAX(id), 0) FROM versions").fetchone())
            except psycopg.errors.UndefinedTable:
                return (0,)  # no tables yet

    def check_writable(self) -> None:
        pass  # the server says so at the first write, if the role may not write

    def lock(self, name: str) -> AdvisoryLock:
        return AdvisoryLock(self, name)

    def vacuum(self) -> None:
        with self.connect(write=True) as conn:
            conn.execute("VACUUM")

    def size(self) -> int:
        with self.connect() as conn:
            return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]

    def close(self) -> None:
        """Close this process's connections to the store (its pool and reading connection)."""
        with _SHARED_LOCK:
            pool, reader = _POOLS.pop(self.url, None), _READERS.pop(self.url, None)
            _MIGRATED.discard(self.url)
        if pool is not None:
            pool.close()
        if reader is not None:
            reader.conn.raw.close()

    def _migrate(self, conn: PostgresConnection) -> None:
        """Create the tables once per process, under a lock: two processes starting at once
        would otherwise race on the catalogue."""
        if self.url in _MIGRATED:
            return
        conn.execute("BEGIN")
        try:
            conn.execute(f"SELECT pg_advisory_xact_lock({lock_key('schema')})")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if check_schema(row[0] if row else None, self.name):
                conn.execute(postgres_schema())
                conn.execute("INSERT INTO meta VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = "
                             "excluded.value", (str(SCHEMA_VERSION),))
                conn.execute("INSERT INTO meta VALUES ('file', ?) ON CONFLICT DO NOTHING", (uuid.uuid4().hex,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        _MIGRATED.add(self.url)

    def _explain(self, exc) -> StoreError:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(f"PostgreSQL at {self.name}: {message}. Nothing was changed; check that the server "
                          "runs and VERBATIM_DATABASE_URL is right")


def _redacted(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
