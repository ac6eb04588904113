"""Retrieval and support by meaning, with the shipped int8 model on onnxruntime (no PyTorch)."""
import subprocess
import sys

import numpy as np
import pytest

from index.engine import Engine
from index.errors import EmbedderUnavailableError
from index.retrieval import embedding
from index.retrieval.bm25 import Retriever
from index.retrieval.embedding import Embedder
from index.retrieval.semantic import Meaning
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from tests.index.conftest import ROOT

# No word of the question is in any text: only meaning links it to the orchestra.
TEXTS = [
    "Stock markets fell sharply on Monday after the bank raised interest rates.",
    "The orchestra performed Beethoven's fifth symphony to a full concert hall.",
    "Heavy rain flooded the valley and farmers lost their harvest.",
]
PARAPHRASE = "Which musicians played classical pieces?"

# A made-up article: a paraphrase shares no content word with its passage; the out-of-scope
# question is on the article's topic (the bakery) but asks what it never says.
BAKERY = """The Copper Loaf

Marta Quell opened the Copper Loaf bakery on Fenwick Street in 2019, after twenty years as a pastry chef in Lyon.

The shop now employs eleven people and bakes about 900 loaves a day in two wood-fired ovens.

Flour comes from a mill in the Harrow valley, delivered every Tuesday by a cooperative of farmers.

In March the city council gave the bakery a prize for the best sourdough in the region.

Quell plans to open a second shop near the railway station next spring.
"""
IN_OTHER_WORDS = "How many workers are on the payroll?"
NOT_COVERED = "What is the bakery's annual revenue?"


def test_embeddings_are_unit_vectors_and_tell_meaning_apart():
    vectors = embedding.embed(TEXTS + [PARAPHRASE])
    assert vectors.shape == (4, embedding.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert int(np.argmax(vectors[:3] @ vectors[3])) == 1


def test_a_text_embeds_the_same_alone_or_in_a_batch_of_longer_ones():
    alone = embedding.embed([TEXTS[0]])[0]
    batched = embedding.embed([TEXTS[1] * 5, TEXTS[0], TEXTS[2]])[1]  # padded beside a longer text
    # int8 activations share one scale across a batch: within the quantisation's noise (CARD.md)
    assert float(alone @ batched) > 0.98


def test_meaning_finds_a_paraphrase_that_shares_no_word():
    retriever = Retriever(TEXTS)
    assert retriever.search(PARAPHRASE) == []  # the words alone have nothing to go on
    retriever.meaning = Meaning(embedding.embed(TEXTS), embedding.embed, weight=1.0)
    assert retriever.search(PARAPHRASE)[0].index == 1


def test_zero_weight_keeps_the_lexical_order():
    retriever = Retriever(TEXTS)
    question = "Did the bank raise interest rates as the harvest was lost?"
    lexical = [h.index for h in retriever.search(question)]
    retriever.meaning = Meaning(embedding.embed(TEXTS), embedding.embed, weight=0.0)
    assert [h.index for h in retriever.search(question)] == lexical


@pytest.fixture
def bakery(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "bakery.txt").write_text(BAKERY)
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "i.sqlite3", content=[tmp_path / "content"])
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    engine.build()
    return engine


def test_a_question_in_other_words_finds_its_passage_and_is_not_refused(bakery):
    result = bakery.ask(IN_OTHER_WORDS)
    assert "employs eleven people" in result.passages[0].text
    assert not result.refused
    by_words = Engine(bakery.store, settings=bakery.settings.model_copy(update={"semantic": False}))
    assert by_words.ask(IN_OTHER_WORDS).refused  # what meaning changed


def test_a_question_on_the_topic_that_the_content_does_not_cover_is_refused(bakery):
    assert bakery.ask(NOT_COVERED).refused
    assert bakery.ask("What is the capital of Australia?").refused


def test_a_missing_or_corrupt_model_file_is_one_line_naming_it(tmp_path):
    with pytest.raises(EmbedderUnavailableError, match=str(tmp_path / "model.onnx")):
        Embedder(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    (tmp_path / "tokenizer.json").write_bytes((embedding.SHIPPED / "tokenizer.json").read_bytes())
    with pytest.raises(EmbedderUnavailableError, match="cannot be loaded: " + str(tmp_path / "model.onnx")):
        Embedder(tmp_path)


@pytest.mark.parametrize("broken", ["missing", "corrupt"])
def test_the_command_line_says_so_in_one_line_and_exits_2(tmp_path, broken):
    folder = tmp_path / "embedder"
    folder.mkdir()
    (folder / "tokenizer.json").write_bytes((embedding.SHIPPED / "tokenizer.json").read_bytes())
    if broken == "corrupt":
        (folder / "model.onnx").write_bytes((embedding.SHIPPED / "model.onnx").read_bytes()[:1000])
    code = ("import sys; from pathlib import Path; import index.retrieval.embedding as e; "
            f"e.SHIPPED = Path({str(folder)!r}); from index.cli import main; "
            f"sys.exit(main(['build', {str(ROOT / 'content')!r}, '--index', {str(tmp_path / 'i.sqlite3')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(folder / "model.onnx") in lines[0], done.stderr


def test_the_engine_embeds_without_torch(tmp_path):
    code = ("import sys; from index.engine import Engine; from index.store.sqlite import SQLiteStore; "
            "from index.settings import IndexSettings; from pathlib import Path; "
            f"s = IndexSettings(_env_file=None, index_path=Path({str(tmp_path / 'i.sqlite3')!r}), "
            f"content=[Path({str(ROOT / 'content')!r})]); "
            "e = Engine(SQLiteStore(s.index_path), settings=s); e.build(); e.ask('How many died?'); "
            "print(e.current().retriever.meaning is not None, 'torch' in sys.modules, 'transformers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "False", "False"], done.stderr
