"""Passage vectors written at build time and kept in the store, on each backend: every build,
add and rollback leaves the live version with its vectors, and a passage whose text the live
version has embedded is not embedded again."""
from __future__ import annotations

import numpy as np
import pytest

from index.content import building
from index.content.operations import ContentManager
from index.engine import Engine
from index.loading import LOADED
from index.retrieval import embedding
from index.settings import IndexSettings
from index.store.vectors import open_vectors

PARAGRAPHS = ["The ferry Astrid carried {n} passengers across the Kettle Sound on Monday.",
              "Harbour master Olga Brandt said the crossing was calm. She counted {n} cars.",
              "A storm closed the port of Vell for two days; {n} boats stayed in."]


class Counting:
    """The shipped embedder, counting the texts it embeds; `fail_after` texts, it raises."""
    model, dimensions = embedding.MODEL, embedding.DIMENSIONS

    def __init__(self, fail_after: int | None = None):
        self.texts: list[str] = []
        self.fail_after = fail_after

    def embed(self, texts: list[str]) -> np.ndarray:
        if self.fail_after is not None and len(self.texts) + len(texts) > self.fail_after:
            raise RuntimeError("killed while embedding")
        self.texts += texts
        return embedding.embed(texts)


@pytest.fixture
def harbour(tmp_path, new_store, monkeypatch):
    """(store, manager, content folder, the embedder the builds use)."""
    folder = tmp_path / "content"
    folder.mkdir()
    for n in range(3):
        (folder / f"news-{n}.txt").write_text(f"Harbour news {n}\n\n" + "\n\n".join(p.format(n=n) for p in PARAGRAPHS))
    store = new_store()
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "i.sqlite3", content=[folder])
    counting = Counting()
    monkeypatch.setattr(building, "shared_embedder", lambda: counting)
    LOADED.clear()
    return store, ContentManager(store, settings), folder, counting


def live_vectors(store):
    live = store.load()
    vectors = open_vectors(store, live.version.content, embedding.MODEL, embedding.DIMENSIONS)
    return live, vectors


def test_a_build_keeps_a_vector_for_every_passage_in_order(harbour):
    store, manager, _, counting = harbour
    manager.reindex("default", "test")
    live, vectors = live_vectors(store)
    texts = [p.text for p in live.passages]
    assert vectors.shape == (len(texts), embedding.DIMENSIONS) and sorted(counting.texts) == sorted(texts)
    fresh = embedding.embed(texts)
    assert np.all(np.sum(fresh * vectors, axis=1) > 0.97)  # each row is its own passage's (float16, batching)
    engine = Engine(store, settings=manager.settings)
    assert engine.current().retriever.meaning is not None  # loaded from the store, nothing embedded
    assert len(counting.texts) == len(texts)


def test_an_addition_embeds_only_its_new_passages_and_a_rollback_none(harbour, tmp_path):
    store, manager, _, counting = harbour
    manager.reindex("default", "test")
    before = len(counting.texts)
    extra = tmp_path / "extra.txt"
    extra.write_text("Lighthouse\n\nThe lighthouse keeper of Vell retired after forty winters.\n")
    manager.add_files("default", "test", [extra])
    assert counting.texts[before:] == ["The lighthouse keeper of Vell retired after forty winters."]
    _, vectors = live_vectors(store)
    assert len(vectors) == len(store.load().passages)
    manager.rollback("default", "test", 1)
    live, vectors = live_vectors(store)
    assert live.version.number == 3 and len(vectors) == len(live.passages)
    assert len(counting.texts) == before + 1  # version 1's vectors were still there
    manager.reindex("default", "test")  # the same files again: no version, nothing embedded
    assert len(counting.texts) == before + 1


def test_a_build_that_dies_while_embedding_leaves_the_previous_version_with_its_vectors(harbour, monkeypatch):
    store, manager, folder, counting = harbour
    manager.reindex("default", "test")
    _, kept = live_vectors(store)
    (folder / "news-9.txt").write_text("Harbour news 9\n\n" + "\n\n".join(f"New paragraph {i} about cod." for i in range(5)))
    dying = Counting(fail_after=2)
    monkeypatch.setattr(building, "shared_embedder", lambda: dying)
    with pytest.raises(RuntimeError, match="killed while embedding"):
        manager.reindex("default", "test")
    live, vectors = live_vectors(store)
    assert live.version.number == 1 and np.array_equal(vectors, kept)
    monkeypatch.setattr(building, "shared_embedder", lambda: counting)
    manager.reindex("default", "test")
    live, vectors = live_vectors(store)
    assert live.version.number == 2 and len(vectors) == len(live.passages)


def test_without_semantic_a_build_embeds_nothing_and_ranks_by_words(harbour):
    store, manager, _, counting = harbour
    manager.settings = manager.settings.model_copy(update={"semantic": False})
    manager.reindex("default", "test")
    assert counting.texts == [] and live_vectors(store)[1] is None
    engine = Engine(store, settings=manager.settings.model_copy(update={"semantic": True}))
    assert engine.current().retriever.meaning is None  # not embedded at load
    assert "Olga Brandt" in engine.ask("Who is the harbour master?").passages[0].text
    assert counting.texts == []


def test_pruning_drops_the_vectors_no_version_uses(harbour, tmp_path):
    store, manager, _, _ = harbour
    manager.reindex("default", "test")
    first = store.load().version.content
    extra = tmp_path / "extra.txt"
    extra.write_text("Lighthouse\n\nThe lighthouse keeper of Vell retired after forty winters.\n")
    manager.add_files("default", "test", [extra])
    assert open_vectors(store, first, embedding.MODEL, embedding.DIMENSIONS) is not None
    store.prune("default", keep=1)
    assert open_vectors(store, first, embedding.MODEL, embedding.DIMENSIONS) is None
    assert live_vectors(store)[1] is not None


def test_a_large_version_keeps_its_vectors_in_a_graph_that_finds_what_the_matrix_does(harbour, monkeypatch):
    pytest.importorskip("faiss", reason="the graph needs the archives extra")
    from index.retrieval.semantic import GraphMeaning
    from index.store import vectors as stored

    store, manager, _, _ = harbour
    monkeypatch.setattr(stored, "GRAPH_ABOVE", 5)  # the harbour's 12 passages count as an archive
    manager.reindex("default", "test")
    live, graph = live_vectors(store)
    assert not isinstance(graph, np.ndarray) and graph.ntotal == len(live.passages)
    engine = Engine(store, settings=manager.settings.model_copy(update={"retrieval_pool": 10}))
    meaning = engine.current().retriever.meaning
    assert isinstance(meaning, GraphMeaning)
    texts = [p.text for p in live.passages]
    exact = embedding.embed(texts) @ meaning.question("Which official watched the boats go over?")
    found, _ = meaning.nearest("Which official watched the boats go over?", 3)
    assert int(found[0]) == int(np.argmax(exact))
    assert "Olga Brandt" in engine.ask("Who is the harbour master?").passages[0].text
