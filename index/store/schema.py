"""The store's tables and their upgrades, written for SQLite and turned into PostgreSQL's
(`postgres_schema`). Each schema version only adds tables, so an older store upgrades in place
when it is next written."""
from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from index.errors import StoreError
from index.ingest.reading import SUFFIXES

SCHEMA_VERSION = 10  # 2: sources, originals, excluded; 3: vectors; 4: word_frequencies; 5: answers, votes, threads;
# 6: term_indexes, term_parts, postings, words (the inverted index, index/store/postings.py);
# staged_documents, staged_passages (a version being written, index/store/staging.py); 7: cooldowns;
# 8: vector_sets, vector_parts, vector_graphs (passage vectors written at build time, index/store/vectors.py);
# 9: scopes (the documents a channel answers from, index/store/scopes.py);
# 10: feeds, feed_entries (followed feeds, index/store/feeds.py); asked (questions kept for /content gaps,
# index/store/asked.py), asked_salt (its members' hashes' secret)
# (tables added; older files upgrade in place)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS texts (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    corpus TEXT NOT NULL,
    number INTEGER NOT NULL,
    created_at REAL NOT NULL,
    author TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL,
    UNIQUE (corpus, number)
);
CREATE TABLE IF NOT EXISTS documents (
    version_id INTEGER NOT NULL REFERENCES versions(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES texts(sha256),
    title TEXT, byline TEXT, date TEXT, source TEXT,
    blocks TEXT NOT NULL,
    PRIMARY KEY (version_id, name)
);
CREATE TABLE IF NOT EXISTS passages (
    version_id INTEGER NOT NULL REFERENCES versions(id),
    position INTEGER NOT NULL,
    document TEXT NOT NULL,
    section TEXT,
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentences TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
);
CREATE INDEX IF NOT EXISTS documents_by_position ON documents (version_id, position);
CREATE TABLE IF NOT EXISTS live (corpus TEXT PRIMARY KEY, version_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    corpus TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS originals (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL, sha256 TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, sha256)
);
CREATE TABLE IF NOT EXISTS vector_sets (
    key TEXT PRIMARY KEY, complete INTEGER NOT NULL, started_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS vector_parts (
    key TEXT NOT NULL, part INTEGER NOT NULL, hashes BLOB NOT NULL, vectors BLOB NOT NULL, PRIMARY KEY (key, part)
);
CREATE TABLE IF NOT EXISTS vector_graphs (key TEXT PRIMARY KEY, graph BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS word_frequencies (word TEXT PRIMARY KEY, zipf REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    version_id INTEGER NOT NULL REFERENCES versions(id),
    name TEXT NOT NULL,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    original TEXT REFERENCES originals(sha256),
    added_by TEXT,
    added_at REAL,
    PRIMARY KEY (version_id, name)
);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    corpus TEXT NOT NULL,
    version INTEGER,
    question TEXT NOT NULL,
    answer TEXT,
    refused INTEGER NOT NULL,
    passage TEXT
);
CREATE TABLE IF NOT EXISTS threads (
    thread_id TEXT PRIMARY KEY,
    answer_id INTEGER NOT NULL REFERENCES answers(id)
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id INTEGER NOT NULL REFERENCES answers(id),
    user_id TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('helpful', 'wrong')),
    at REAL NOT NULL,
    PRIMARY KEY (answer_id, user_id)
);
CREATE TABLE IF NOT EXISTS staged_documents (
    build TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT, byline TEXT, date TEXT, source TEXT,
    blocks TEXT NOT NULL,
    origin TEXT NOT NULL, kind TEXT NOT NULL, original TEXT, added_by TEXT, added_at REAL,
    started_at REAL NOT NULL,
    PRIMARY KEY (build, position)
);
CREATE INDEX IF NOT EXISTS staged_documents_by_name ON staged_documents (build, name);
CREATE TABLE IF NOT EXISTS staged_passages (
    build TEXT NOT NULL,
    position INTEGER NOT NULL,
    document TEXT NOT NULL,
    section TEXT,
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentences TEXT NOT NULL,
    PRIMARY KEY (build, position)
);
CREATE TABLE IF NOT EXISTS term_indexes (
    key TEXT PRIMARY KEY, complete INTEGER NOT NULL, started_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS term_parts (
    key TEXT NOT NULL,
    part INTEGER NOT NULL,
    first INTEGER NOT NULL,
    lengths BLOB NOT NULL,
    sentences INTEGER NOT NULL,
    sentence_terms INTEGER NOT NULL,
    PRIMARY KEY (key, part)
);
CREATE TABLE IF NOT EXISTS postings (
    key TEXT NOT NULL,
    term TEXT NOT NULL,
    part INTEGER NOT NULL,
    passages BLOB NOT NULL,
    counts BLOB NOT NULL,
    sentences INTEGER NOT NULL,
    zipf REAL,
    PRIMARY KEY (key, term, part)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS words (
    key TEXT NOT NULL, word TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (key, word)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cooldowns (key TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS scopes (
    corpus TEXT NOT NULL,
    channel TEXT NOT NULL,
    documents TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at REAL NOT NULL,
    PRIMARY KEY (corpus, channel)
);
CREATE TABLE IF NOT EXISTS feeds (
    corpus TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at REAL NOT NULL,
    last_poll REAL,
    last_success REAL,
    entries_added INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    last_error TEXT,
    next_poll REAL NOT NULL,
    PRIMARY KEY (corpus, url)
);
CREATE TABLE IF NOT EXISTS feed_entries (
    corpus TEXT NOT NULL,
    feed TEXT NOT NULL,
    link TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    document TEXT NOT NULL,
    added_at REAL NOT NULL,
    PRIMARY KEY (corpus, feed, link)
);
CREATE INDEX IF NOT EXISTS feed_entries_by_text ON feed_entries (corpus, sha256);
CREATE TABLE IF NOT EXISTS asked (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    corpus TEXT NOT NULL,
    version INTEGER,
    asker TEXT NOT NULL,
    question TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'passages', 'refused')),
    document TEXT,
    section TEXT,
    paragraph INTEGER
);
CREATE INDEX IF NOT EXISTS asked_by_time ON asked (at);
CREATE INDEX IF NOT EXISTS asked_by_outcome ON asked (corpus, outcome, at);
CREATE TABLE IF NOT EXISTS asked_salt (one INTEGER PRIMARY KEY CHECK (one = 1), salt TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS excluded (
    version_id INTEGER NOT NULL REFERENCES versions(id),
    name TEXT NOT NULL,
    PRIMARY KEY (version_id, name)
);
"""


def postgres_schema() -> str:
    """The same tables in PostgreSQL's types. Text compares by code point (COLLATE "C"), as in
    SQLite: the index reads ranges of terms. `kind_of` is the SQL twin of snapshots.kind_of."""
    schema = (SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
              .replace(" BLOB", " BYTEA").replace(" REAL", " DOUBLE PRECISION").replace(" TEXT", ' TEXT COLLATE "C"')
              .replace(") WITHOUT ROWID;", ");"))
    cases = " ".join(f"WHEN lower(name) LIKE '%{suffix}' THEN '{kind}'" for suffix, kind in SUFFIXES.items())
    return schema + (f"CREATE OR REPLACE FUNCTION kind_of(name TEXT) RETURNS TEXT LANGUAGE SQL IMMUTABLE "
                     f"AS $$ SELECT CASE {cases} ELSE 'text' END $$;\n")


def check_schema(found: str | None, where: str) -> bool:
    """Whether the store's schema is older than this Verbatim's (to upgrade); refuses a newer one."""
    if found is not None and int(found) > SCHEMA_VERSION:
        raise StoreError(f"{where} was written by a newer Verbatim (schema {found})")
    return found is None or int(found) < SCHEMA_VERSION


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Create what is missing; refuse a file written by a newer Verbatim. A current file is only
    read (every write connection comes here: a question's cooldown and remembered answer too)."""
    row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone() if conn.has_table("meta") else None
    if not check_schema(row[0] if row else None, str(path)):
        return
    conn.executescript(SCHEMA)
    # The file's identity: a file replaced at the same path is another file (Store.reader).
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('file', ?)", (uuid.uuid4().hex,))
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
