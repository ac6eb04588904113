"""Channel scopes on a made-up two-document corpus, on SQLite and PostgreSQL: a scoped channel's
questions are answered from its documents alone (retrieval and refusals see nothing else), bad
names change nothing, and the scope outlives reindexes, removals and the process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.engine import Engine
from index.errors import ContentError, EngineError
from index.loading import LOADED
from index.settings import IndexSettings
from tests.index.conftest import ROOT

NORTH = ("North Cape notes\n\nThe lighthouse keeper Amina Oyelaran counted 4,312 migrating storks over North Cape "
         "in the spring of 2019.\n\nShe kept the tally in a green notebook.\n")
SOUTH = ("South Cape notes\n\nThe ferry captain Tomas Reyes counted 1,870 migrating storks over South Cape in the "
         "autumn of 2020.\n\nHe kept the tally on the back of a timetable.\n")
ABOUT_NORTH = "How many storks did Amina Oyelaran count?"
ABOUT_SOUTH = "How many storks did Tomas Reyes count?"
CHANNEL = "1234"


def capes_in(parent: Path) -> Path:
    """The made-up content: two documents that answer the same kind of question differently."""
    folder = parent / "capes"
    folder.mkdir()
    for name, text in (("north.txt", NORTH), ("south.txt", SOUTH)):
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def capes(tmp_path) -> Path:
    return capes_in(tmp_path)


@pytest.fixture
def engine(new_store, capes, tmp_path) -> Engine:
    LOADED.clear()  # every test loads its own store's versions
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "index.sqlite3", content=[capes])
    built = Engine(new_store(), settings=settings)
    built.build()
    return built


def in_channel(engine: Engine, channel: str = CHANNEL) -> Engine:
    return engine.within(engine.content.scope_of(engine.corpus, channel))


def test_a_scoped_channel_is_answered_from_its_documents_only(engine):
    unscoped = engine.ask(ABOUT_NORTH)
    assert unscoped.answer == "4,312" and unscoped.passages[0].document == "North Cape notes"

    assert engine.content.scope(engine.corpus, "mod", CHANNEL, "south.txt") == ("south.txt",)
    scoped = in_channel(engine)
    refused = scoped.ask(ABOUT_NORTH)  # Amina Oyelaran is named only in the other document
    assert refused.refused and refused.answer is None
    assert {p.document for p in refused.passages} == {"South Cape notes"}
    answered = scoped.ask(ABOUT_SOUTH)
    assert answered.answer == "1,870"
    first = answered.to_json()["passages"][0]
    assert first["text"][first["answer_start"]:first["answer_end"]] == answered.answer  # the JSON contract
    assert in_channel(engine, "5678").ask(ABOUT_NORTH).answer == "4,312"  # other channels are not scoped
    assert engine.ask(ABOUT_NORTH).answer == "4,312"

    engine.content.scope(engine.corpus, "mod", CHANNEL, "north.txt")  # a new scope replaces the old
    assert in_channel(engine).ask(ABOUT_SOUTH).refused
    assert engine.content.unscope(engine.corpus, "mod", CHANNEL) is True
    assert engine.content.scope_of(engine.corpus, CHANNEL) is None
    assert in_channel(engine).ask(ABOUT_SOUTH).answer == "1,870"
    assert engine.content.unscope(engine.corpus, "mod", CHANNEL) is False
    actions = [(e["action"], e["result"]) for e in engine.store.audit_log(engine.corpus)[:4]]
    assert actions == [("unscope", "it had no scope"), ("unscope", "answers from every document"),
                       ("scope", "answers from north.txt"), ("scope", "answers from south.txt")]


def test_unknown_names_are_refused_and_change_nothing(engine):
    engine.content.scope(engine.corpus, "mod", CHANNEL, "north.txt")
    version = engine.store.live_version(engine.corpus).number
    with pytest.raises(ContentError) as refused:
        engine.content.scope(engine.corpus, "mod", CHANNEL, "south.txt, nowhere.txt,Elsewhere.md")
    message = str(refused.value)
    assert "'nowhere.txt'" in message and "'Elsewhere.md'" in message and "south.txt'" not in message
    assert "nothing was changed" in message and "north.txt, south.txt" in message  # what there is
    for empty in ("", " , ", []):
        with pytest.raises(ContentError, match="name at least one document"):
            engine.content.scope(engine.corpus, "mod", CHANNEL, empty)
    assert engine.content.scope_of(engine.corpus, CHANNEL) == ("north.txt",)
    assert engine.store.live_version(engine.corpus).number == version
    results = [e["result"] for e in engine.store.audit_log(engine.corpus)[:4]]  # newest first
    assert results[3].startswith("failed: no document named") and all(
        r.startswith("failed: name at least one document") for r in results[:3])
    # A name matches in any case, and is kept as the content spells it, each once.
    assert engine.content.scope(engine.corpus, "mod", CHANNEL, "SOUTH.TXT, south.txt") == ("south.txt",)


def test_a_scope_survives_a_reindex_and_a_new_store(engine, new_store, capes):
    engine.content.scope(engine.corpus, "mod", CHANNEL, ["south.txt"])
    (capes / "north.txt").write_text(NORTH + "\nThe keeper also saw 12 cranes.\n")
    report = engine.build()
    assert report.version == 2 and not report.unchanged
    LOADED.clear()  # as a new process would start
    again = Engine(new_store(), settings=engine.settings)
    assert again.content.scope_of(again.corpus, CHANNEL) == ("south.txt",)
    assert in_channel(again).ask(ABOUT_NORTH).refused
    assert in_channel(again).ask(ABOUT_SOUTH).answer == "1,870"
    cranes = in_channel(again).ask("How many cranes did the keeper see?")
    assert cranes.answer is None and {p.document for p in cranes.passages} <= {"South Cape notes"}
    assert again.ask("How many cranes did the keeper see?").answer == "12"


def test_a_removed_document_is_no_longer_matched(engine):
    engine.content.scope(engine.corpus, "mod", CHANNEL, "north.txt, south.txt")
    engine.content.scope(engine.corpus, "mod", "only-south", "south.txt")
    engine.content.remove(engine.corpus, "mod", "south.txt")
    [both, only] = sorted(engine.content.scopes(engine.corpus), key=lambda s: s.channel != CHANNEL)
    assert (both.channel, both.documents, both.missing) == (CHANNEL, ("north.txt",), ("south.txt",))
    assert (only.documents, only.missing) == ((), ("south.txt",))
    assert in_channel(engine).ask(ABOUT_NORTH).answer == "4,312"
    with pytest.raises(EngineError, match=r"answered from \(south.txt\) are no longer in the content"):
        in_channel(engine, "only-south").ask(ABOUT_SOUTH)
    engine.content.rollback(engine.corpus, "mod", 1)  # it comes back, and so does the scope's answer
    assert in_channel(engine, "only-south").ask(ABOUT_SOUTH).answer == "1,870"


def run_cli(*args: str, index) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    return subprocess.run([sys.executable, "-m", "index", *args, "--index", str(index)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_command_line_asks_within_documents(engine):
    index = engine.settings.index_path
    done = run_cli("ask", "--json", "--documents", "South.txt", ABOUT_NORTH, index=index)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["refused"] and {p["document"] for p in data["passages"]} == {"South Cape notes"}
    done = run_cli("ask", "--documents", "north.txt,south.txt", ABOUT_NORTH, index=index)
    assert done.returncode == 0 and "Answer: 4,312" in done.stdout
    done = run_cli("ask", "--documents", "south.txt, nowhere.txt", ABOUT_SOUTH, index=index)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and "'nowhere.txt'" in done.stderr
