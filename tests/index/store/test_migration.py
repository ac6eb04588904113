"""`python -m index migrate`: an SQLite store moved into a real PostgreSQL server answers the
same, keeps every version, audit entry and vote, and goes on numbering; a database that already
holds content is refused and left as it was."""
from __future__ import annotations

import os
import subprocess
import sys

from index.engine import Engine
from index.loading import LOADED
from index.settings import IndexSettings
from index.store import answers, asked
from index.store.postgres import PostgresStore
from index.store.sqlite import SQLiteStore
from tests.index.conftest import CONTENT, ROOT

QUESTIONS = ["How many people died?", "Who said there can be no tolerance of terrorism?",
             "How many passengers did the Astrid carry?", "What is the capital of Peru?"]


def migrate(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VERBATIM_DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "index", "migrate", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_migrated_store_answers_and_remembers_the_same(tmp_path, postgres_url):
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "i.sqlite3", content=[CONTENT], reader=False)
    sqlite = Engine(SQLiteStore(settings.index_path), settings=settings)
    sqlite.build()
    extra = tmp_path / "ferry.txt"
    extra.write_text("Ferry news\n\nThe ferry Astrid carried 412 passengers across the Kettle Sound on Monday.\n")
    sqlite.content.add_files("default", "mod", [extra])
    answer_id = sqlite.remember(sqlite.ask(QUESTIONS[0]))
    sqlite.vote(answer_id, "member-1", "wrong")
    sqlite.content.scope("default", "mod", "42", "ferry.txt")
    asked.keep(sqlite.store, "default", 2, "member-1", QUESTIONS[3], asked.REFUSED, None)
    kept_before = asked.questions(sqlite.store)

    result = migrate("--index", str(settings.index_path), "--to", postgres_url)
    assert result.returncode == 0, result.stderr
    assert "2 versions" in result.stdout

    LOADED.clear()
    store = PostgresStore(postgres_url)
    postgres = Engine(store, settings=settings.model_copy(update={"index_path": tmp_path / "unused.sqlite3"}))
    assert [postgres.ask(q).to_json() for q in QUESTIONS] == [sqlite.ask(q).to_json() for q in QUESTIONS]
    assert [v.number for v in store.history()] == [2, 1]
    assert store.audit_log() == SQLiteStore(settings.index_path).audit_log()
    assert answers.remembered(store, answer_id).wrong == 1
    assert postgres.content.scope_of("default", "42") == ("ferry.txt",)  # channel scopes too
    assert asked.questions(store) == kept_before  # kept questions, and their secret: the same hash
    assert asked.asker_hash(store, "member-1") == kept_before[0].asker
    assert store.original(store.load().source("ferry.txt").original) == extra.read_bytes()
    # It goes on from there: the next version and the next answer take new numbers.
    postgres.content.remove("default", "mod", "ferry.txt")
    assert store.live_version().number == 3
    assert postgres.remember(postgres.ask(QUESTIONS[1])) > answer_id
    assert asked.keep(store, "default", 3, "member-2", QUESTIONS[1], asked.ANSWERED, None) > kept_before[0].id


def test_a_database_with_content_is_refused_and_left_as_it_was(tmp_path, postgres_url):
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "i.sqlite3", content=[CONTENT], reader=False)
    Engine(SQLiteStore(settings.index_path), settings=settings).build()
    assert migrate("--index", str(settings.index_path), "--to", postgres_url).returncode == 0
    again = migrate("--index", str(settings.index_path), "--to", postgres_url)
    assert again.returncode == 2
    assert "already holds content" in again.stderr and "Traceback" not in again.stderr
    assert [v.number for v in PostgresStore(postgres_url).history()] == [1]


def test_migrate_says_where_to_when_no_database_is_named(tmp_path):
    result = migrate("--index", str(tmp_path / "i.sqlite3"))
    assert result.returncode == 2 and "--to postgresql://" in result.stderr
