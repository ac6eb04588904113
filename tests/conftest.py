"""Fixtures for every test: the store on each backend (SQLite and a real PostgreSQL server)."""
from __future__ import annotations

import os

import pytest

from tests import postgres_server

BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def postgres_admin():
    """The maintenance URL of a running PostgreSQL server; the test is skipped without one
    (failed under .ci/run, which starts one)."""
    url = os.environ.get(postgres_server.ADMIN_ENV)
    if url:
        yield url
        return
    try:
        server = postgres_server.Server()
        url = server.start()
    except Exception as exc:  # no binaries, or they would not start
        if os.environ.get(postgres_server.REQUIRED_ENV):
            pytest.fail(f"PostgreSQL is required here and did not start: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield url
    server.stop()


@pytest.fixture
def postgres_url(postgres_admin):
    """A fresh empty database of its own."""
    url = postgres_server.create_database(postgres_admin)
    yield url
    postgres_server.drop_database(postgres_admin, url)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def new_store(backend, tmp_path, request):
    """Makes an empty store of the test's backend (the same one each call)."""
    if backend == "postgres":
        from index.store.postgres import PostgresStore
        url = request.getfixturevalue("postgres_url")
        return lambda: PostgresStore(url)
    from index.store.sqlite import SQLiteStore
    return lambda: SQLiteStore(tmp_path / "index.sqlite3")
