"""Loaded versions shared by content and kept within a budget (index/loading.py): servers on the
same content share one, each still reports its own version; a small budget or idleness drops
entries, and a dropped one is loaded again at the next question."""
from __future__ import annotations

import time

import pytest

from index.content.operations import ContentManager
from index.engine import Engine
from index.loading import LOADED
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore

HARBOUR = "Harbour news\n\nThe harbour of Velde reopened on Monday after 12 days of repairs.\n"
ORCHARD = b"Orchard news\n\nThe Halvorsen orchard grew 40 tonnes of pears this autumn.\n"


@pytest.fixture(autouse=True)
def empty_cache():
    LOADED.clear()
    yield
    LOADED.clear()


def corpora(tmp_path, **settings) -> tuple[ContentManager, IndexSettings]:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "harbour.txt").write_text(HARBOUR)
    index = IndexSettings(_env_file=None, index_path=tmp_path / "i.db", content=[tmp_path / "c"], **settings)
    manager = ContentManager(SQLiteStore(index.index_path), index)
    manager.reindex("default", "op")
    for guild in ("guild-1", "guild-2"):
        manager.ensure(guild)  # a copy of the default content
    return manager, index


def engine(manager, index, corpus) -> Engine:
    return Engine(manager.store, corpus, index, manager)


def test_servers_on_the_same_content_share_one_loaded_version(tmp_path):
    manager, index = corpora(tmp_path)
    default, one, two = (engine(manager, index, c) for c in ("default", "guild-1", "guild-2"))
    assert default.current() is one.current() is two.current()
    assert LOADED.stats().entries == 1
    manager.add_file("guild-2", "mod", "orchard.txt", ORCHARD)
    manager.remove("guild-2", "mod", "orchard.txt")  # version 3: the same content again
    question = "When did the harbour reopen?"
    assert two.current() is default.current()
    assert (two.ask(question).version, one.ask(question).version) == (3, 1)  # each its own number
    assert two.stats().version == 3 and two.version() == 3
    manager.add_file("guild-1", "mod", "orchard.txt", ORCHARD)
    assert one.current() is not default.current()
    assert one.ask("How many tonnes of pears did the orchard grow?").passages[0].text.startswith("The Halvorsen")
    assert LOADED.stats().entries == 2


def test_a_small_budget_keeps_one_and_reloads_the_other(tmp_path):
    manager, index = corpora(tmp_path, loaded_budget_mb=1)
    manager.add_file("guild-1", "mod", "orchard.txt", ORCHARD)
    default, one = engine(manager, index, "default"), engine(manager, index, "guild-1")
    first = default.current()
    assert one.current() is not first
    assert LOADED.stats().entries == 1  # the first was dropped for the second
    assert default.ask("When did the harbour reopen?").passages[0].text.startswith("The harbour of Velde")
    assert default.current() is not first  # loaded again


def test_an_idle_version_is_dropped(tmp_path):
    manager, index = corpora(tmp_path, loaded_idle_seconds=0.05)
    manager.add_file("guild-1", "mod", "orchard.txt", ORCHARD)
    default, one = engine(manager, index, "default"), engine(manager, index, "guild-1")
    default.current()
    time.sleep(0.1)
    one.current()
    assert LOADED.stats().entries == 1
    default.current()
    assert LOADED.stats().entries == 2  # the other is not idle yet
