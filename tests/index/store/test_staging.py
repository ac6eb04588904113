"""A version staged a document at a time: nothing shows until it is published, a discarded or
killed one leaves nothing behind after a prune, and a prune never takes a build's texts."""

from index.ingest.passages import split_passages
from index.store.sqlite import SQLiteStore
from tests.index.store.test_postings import made_up

COUNTS = "SELECT (SELECT COUNT(*) FROM staged_documents), (SELECT COUNT(*) FROM staged_passages)"


def stage_all(store: SQLiteStore, corpus: str, documents):
    staging = store.staging(corpus)
    for doc in documents:
        staging.add(doc, split_passages(doc))
    return staging


def test_a_staged_version_shows_only_once_published(new_store):
    store = new_store()
    first = made_up(copies=1)
    store.publish("harbour", first, [p for d in first for p in split_passages(d)], "test", "build")
    staging = stage_all(store, "harbour", made_up(copies=3))
    assert len(store.load("harbour").documents) == 1  # the live version is untouched meanwhile
    version = staging.publish("test", "build", {}, frozenset())
    live = store.load("harbour")
    assert (version.number, len(live.documents), len(live.passages)) == (2, 3, staging.passages)
    assert [p.text for p in staging.staged_passages()] == []  # published: nothing staged is left
    with store.connect() as conn:
        assert conn.execute(COUNTS).fetchone() == (0, 0)


def test_prune_drops_what_a_killed_build_staged_but_not_a_build_under_way(new_store):
    store = new_store()
    store.publish("harbour", made_up(1), [p for d in made_up(1) for p in split_passages(d)], "test", "build")
    killed = stage_all(store, "harbour", made_up(copies=2))
    under_way = stage_all(store, "other", made_up(copies=4)[2:])
    with store.connect() as conn:  # the killed one started two days ago
        conn.execute("UPDATE staged_documents SET started_at = started_at - 172800 WHERE build = ?", (killed.build,))
    store.prune("harbour", keep=1)
    with store.connect() as conn:
        builds = {r[0] for r in conn.execute("SELECT DISTINCT build FROM staged_documents")}
    assert builds == {under_way.build}
    under_way.publish("test", "build", {}, frozenset())  # its texts survived the prune
    assert len(store.load("other").passages) == under_way.passages > 0


def test_a_discarded_build_leaves_nothing_staged(new_store):
    store = new_store()
    stage_all(store, "harbour", made_up(copies=2)).discard()
    with store.connect() as conn:
        assert conn.execute(COUNTS).fetchone() == (0, 0)


def test_a_version_copied_in_the_store_is_the_same_content(new_store):
    """What add, remove, rollback and a new server's copy build on: the rows copied by SQL hash to
    the content digest of the version they come from, and leaving a document out leaves its passages."""
    store = new_store()
    documents = made_up(copies=3)
    version = store.publish("harbour", documents, [p for d in documents for p in split_passages(d)], "test", "build")
    copied = store.staging("copy")
    copied.copy(version.id)
    assert copied.digest.hexdigest() == version.content
    assert (copied.documents, copied.passages) == (3, len(store.load("harbour").passages))
    copied.publish("test", "copy", {}, frozenset())
    assert [p.text for p in store.load("copy").passages] == [p.text for p in store.load("harbour").passages]
    fewer = store.staging("fewer")
    fewer.copy(version.id, without="news-1.txt")
    fewer.publish("test", "copy", {}, frozenset())
    assert [d.name for d in store.load("fewer").documents] == ["news-0.txt", "news-2.txt"]
    assert all(p.document != "news-1.txt" for p in store.load("fewer").passages)
