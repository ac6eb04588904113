"""A throwaway PostgreSQL server for the tests: the one .ci/run started (TEST_DATABASE_URL),
or one started here from Debian's binaries in a temporary folder; a database of its own per test."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ADMIN_ENV = "TEST_DATABASE_URL"  # a server's maintenance database: postgresql://postgres@127.0.0.1:PORT/postgres
REQUIRED_ENV = "TEST_REQUIRE_POSTGRES"  # .ci/run sets it: no server is then a failure, not a skip


def binaries() -> Path | None:
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)),
                                           None)
    return Path(found).parent if found else None


class Server:
    """A cluster in a temporary folder, listening on a Unix socket there and on a free local port."""

    def __init__(self):
        self.bin = binaries()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL binaries (apt-get install postgresql)")
        self.folder = Path(tempfile.mkdtemp(prefix="verbatim-pg-"))
        self.port = _free_port()
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses root

    def start(self) -> str:
        if self._as_user:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--locale=C.UTF-8", "-E", "UTF8")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-w", "-o",
                  f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c max_connections=300", "start")
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as_user, str(self.bin / tool), *args], check=True, capture_output=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(admin_url: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    from index.store.postgres import PostgresStore

    PostgresStore(url).close()
    name = url.rsplit("/", 1)[1]
    for _ in range(3):
        try:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except psycopg.Error:
            time.sleep(0.2)
