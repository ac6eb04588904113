"""The inverted index kept in the store: the same rankings as retrieval over the texts in memory,
written with each version, shared by equal content, dropped with the versions that used it."""
import json
import sqlite3
from pathlib import Path

import pytest

from index.engine import Engine
from index.ingest.documents import Block, Document
from index.ingest.passages import split_passages
from index.loading import LOADED
from index.retrieval.bm25 import Retriever
from index.settings import IndexSettings
from index.store.lazy import open_version
from index.store.postings import StoredPostings
from index.store.sqlite import SQLiteStore
from tests.index.conftest import ARTICLE, CONTENT, ROOT

SQUAD = ROOT.parent / "shared/eval/squad/dev-v1.1-heldout13.json"
ARTICLE_QUESTIONS = ["How many people died?", "Who is Peskov?", "Where is Belek?", "When did Putin speak?",
                     "What did Erdogan say about terrorism?", "Who said there can be no tolerance of terrorism?",
                     "Which airline flew the plane?", "What happened in Paris?"]


def document(name: str, paragraphs: list[str]) -> Document:
    text, blocks = "", []
    for paragraph in paragraphs:
        blocks.append(Block("paragraph", len(text), len(text) + len(paragraph)))
        text += paragraph + "\n\n"
    return Document(name, text, blocks=blocks)


def made_up(copies: int = 1) -> list[Document]:
    """A harbour town's news, each paragraph a little different in every copy."""
    paragraphs = ["The ferry Astrid carried {n} passengers across the Kettle Sound on Monday.",
                  "Harbour master Olga Brandt said the crossing was calm. She counted {n} cars.",
                  "A storm closed the port of Vell for two days; {n} boats stayed in.",
                  "The council of Vell voted to build a new pier. Mayor Ines Lort opposed it.",
                  "Fishermen said catches of cod fell by {n} percent this year."]
    return [document(f"news-{c}.txt", [p.format(n=10 + c) for p in paragraphs]) for c in range(copies)]


def publish(store: SQLiteStore, corpus: str, documents: list[Document]):
    passages = [p for d in documents for p in split_passages(d)]
    return store.publish(corpus, documents, passages, "test", "build"), passages


def stored_retriever(store: SQLiteStore, corpus: str, settings: IndexSettings) -> Retriever:
    LOADED.clear()
    return Engine(store, corpus, settings).current().retriever


def ranked(retriever: Retriever, questions: list[str], k: int = 5) -> list[list[tuple[int, float]]]:
    return [[(h.index, round(h.score, 9)) for h in retriever.search(q, k)] for q in questions]


def test_the_stored_index_ranks_the_default_article_as_retrieval_in_memory(article_engine):
    stored = article_engine.current().retriever
    assert isinstance(stored.postings, StoredPostings)
    texts = [p.text for p in article_engine.current().passages]
    in_memory = Retriever(texts, sentences=[p.sentences for p in article_engine.current().passages])
    in_memory.meaning = stored.meaning  # the vectors kept in the store: the postings are what is compared
    assert ranked(stored, ARTICLE_QUESTIONS) == ranked(in_memory, ARTICLE_QUESTIONS)
    assert any(ranked(stored, ARTICLE_QUESTIONS))


@pytest.mark.skipif(not SQUAD.exists(), reason="SQuAD's held-out articles are in ../shared/eval")
def test_the_stored_index_ranks_squad_articles_as_retrieval_in_memory(tmp_path):
    store = SQLiteStore(tmp_path / "index.sqlite3")
    settings = IndexSettings(_env_file=None, index_path=store.path, content=[CONTENT])
    for article in json.loads(SQUAD.read_text())["data"][:3]:
        documents = [document("article.txt", [p["context"] for p in article["paragraphs"]])]
        _, passages = publish(store, article["title"], documents)
        questions = [qa["question"] for p in article["paragraphs"][:10] for qa in p["qas"][:2]]
        stored = stored_retriever(store, article["title"], settings)
        in_memory = Retriever([p.text for p in passages], sentences=[p.sentences for p in passages])
        assert ranked(stored, questions) == ranked(in_memory, questions)


def test_a_corpus_larger_than_the_pool_ranks_as_in_memory(tmp_path):
    store = SQLiteStore(tmp_path / "index.sqlite3")
    settings = IndexSettings(_env_file=None, index_path=store.path, content=[CONTENT], retrieval_pool=10)
    _, passages = publish(store, "harbour", made_up(copies=12))  # 60 passages, 10 scored in full
    questions = ["How many passengers did the Astrid carry?", "Who opposed the pier?", "What fell by 15 percent?"]
    stored = stored_retriever(store, "harbour", settings)
    in_memory = Retriever([p.text for p in passages], pool=10)
    assert ranked(stored, questions) == ranked(in_memory, questions)
    # The candidates are the postings' best: the passage that says so still comes first.
    assert "15 percent" in passages[stored.search(questions[2], 1)[0].index].text


def test_each_version_gets_its_index_and_equal_content_shares_one(new_store):
    store = new_store()
    publish(store, "a", made_up())
    publish(store, "b", made_up())  # a copy: the same content
    with store.connect() as conn:
        keys = {r[0] for r in conn.execute("SELECT DISTINCT key FROM term_parts")}
    assert len(keys) == 1  # one index, shared
    publish(store, "a", made_up(copies=2))
    with store.connect() as conn:
        assert conn.execute("SELECT COUNT(DISTINCT key) FROM term_parts").fetchone()[0] == 2


def test_pruning_drops_the_index_no_version_uses(new_store):
    store = new_store()
    publish(store, "a", made_up(copies=1))
    publish(store, "a", made_up(copies=2))
    publish(store, "a", made_up(copies=3))
    store.prune("a", keep=1)
    with store.connect() as conn:
        assert conn.execute("SELECT COUNT(DISTINCT key) FROM term_parts").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(DISTINCT key) FROM postings").fetchone()[0] == 1
    settings = IndexSettings(_env_file=None, content=[CONTENT])
    assert Engine(store, "a", settings).ask("Who opposed the pier?").passages


def test_a_version_without_an_index_gets_one_at_its_first_question(new_store):
    store = new_store()
    publish(store, "harbour", made_up(copies=3))
    with store.connect() as conn:  # as a file written before indexes were kept
        for table in ("term_indexes", "term_parts", "postings", "words"):
            conn.execute(f"DELETE FROM {table}")
    settings = IndexSettings(_env_file=None, content=[CONTENT])
    LOADED.clear()
    result = Engine(store, "harbour", settings).ask("How many passengers did the Astrid carry?")
    assert "Astrid" in result.passages[0].text
    with store.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM term_parts").fetchone()[0] == 1


def test_a_version_read_on_demand_holds_what_a_whole_load_holds(new_store):
    store = new_store()
    documents = [*made_up(copies=2), Document(ARTICLE.name, ARTICLE.read_text(encoding="utf-8"))]
    documents[-1] = Document(ARTICLE.name, documents[-1].text,
                             blocks=[Block("paragraph", 0, len(documents[-1].text.split("\n\n")[0]))])
    publish(store, "mixed", documents)
    whole, lazy = store.load("mixed"), open_version(store, "mixed")
    assert list(lazy.passages) == whole.passages
    assert [lazy.passages[i] for i in (0, 5, -1)] == [whole.passages[i] for i in (0, 5, -1)]
    assert list(lazy.documents) == whole.documents
    assert lazy.document("news-1.txt") == whole.document("news-1.txt")
    assert lazy.document("absent.txt") is None
    with pytest.raises(IndexError):
        lazy.passages[len(whole.passages)]
    assert open_version(new_store(), "no-such-corpus") is None


def test_an_index_is_written_in_short_transactions_and_counts_once_complete(tmp_path):
    """Between two parts the store takes other writes at once (a vote, another corpus's change);
    an index cut off half way is not used, and the next build writes it whole."""
    from index.retrieval.postings import index_parts
    from index.store.postings import _write_index, has_index, index_key
    from index.text.tokens import DEFAULT_TOKENIZER

    store = SQLiteStore(tmp_path / "index.sqlite3")
    _, passages = publish(store, "harbour", made_up(copies=4))
    texts = [p.text for p in passages]
    key = index_key("other-content", "pairs")
    written = []

    def parts(fail_after=None):
        for number, part in enumerate(index_parts(((t, None) for t in texts), DEFAULT_TOKENIZER, True, size=5)):
            if number == fail_after:
                raise KeyboardInterrupt  # as a kill would cut it
            with sqlite3.connect(store.path, timeout=0.05) as other:  # no waiting allowed
                other.execute("INSERT OR REPLACE INTO word_frequencies VALUES (?, 1.0)", (f"word{number}",))
                written.append(number)
            yield part

    with store.connect(write=True) as conn:
        with pytest.raises(KeyboardInterrupt):
            _write_index(conn, key, parts(fail_after=2))
        assert not has_index(conn, key) and written == [0, 1]
        written.clear()
        _write_index(conn, key, parts())
        assert has_index(conn, key)
        assert written == [0, 1, 2, 3]
        assert conn.execute("SELECT COUNT(*) FROM term_parts WHERE key = ?", (key,)).fetchone()[0] == 4


def test_a_read_only_file_without_an_index_answers_from_one_held_in_memory(tmp_path, monkeypatch):
    from index.errors import StoreError
    from index.retrieval.postings import MemoryPostings

    store = SQLiteStore(tmp_path / "index.sqlite3")
    publish(store, "harbour", made_up(copies=2))
    with sqlite3.connect(store.path) as conn:  # as a file from before indexes were kept
        conn.execute("DELETE FROM term_indexes")

    def read_only():
        raise StoreError(f"{store.path} is read-only")

    monkeypatch.setattr(store, "check_writable", read_only)
    settings = IndexSettings(_env_file=None, index_path=store.path, content=[CONTENT])
    LOADED.clear()
    engine = Engine(store, "harbour", settings)
    assert "Olga Brandt" in engine.ask("Who is the harbour master?").passages[0].text
    assert isinstance(engine.current().retriever.postings, MemoryPostings)
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM term_indexes").fetchone()[0] == 0  # nothing written


def test_threads_asking_one_loaded_version_get_what_one_thread_gets(new_store, monkeypatch):
    """Worker threads share a loaded version and its caches; small caches make them evict each
    other's entries all the time."""
    from concurrent.futures import ThreadPoolExecutor

    from index.retrieval import reading
    from index.store import lazy, postings

    monkeypatch.setattr(reading, "PASSAGES_KEPT_READ", 3)
    monkeypatch.setattr(lazy._Kept, "keep", 3)
    monkeypatch.setattr(postings, "POSTINGS_KEPT_BYTES", 200)
    store = new_store()
    publish(store, "harbour", made_up(copies=8))
    settings = IndexSettings(_env_file=None, content=[CONTENT], reader=False)
    LOADED.clear()
    engine = Engine(store, "harbour", settings)
    questions = ["How many passengers did the Astrid carry?", "Who opposed the pier?", "What closed the port?",
                 "Who counted the cars?", "What fell this year?"] * 8
    alone = [engine.ask(q).to_json() for q in questions]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda q: engine.ask(q).to_json(), questions))
    assert together == alone


def test_loaded_versions_of_one_file_share_one_reading_connection(tmp_path):
    """A thousand corpora loaded must not hold a thousand connections (file descriptors); a file
    replaced at the same path is read afresh, never through the old file's connection."""
    store = SQLiteStore(tmp_path / "index.sqlite3")
    publish(store, "a", made_up(copies=1))
    publish(store, "b", made_up(copies=2))
    settings = IndexSettings(_env_file=None, index_path=store.path, content=[CONTENT])
    LOADED.clear()
    a, b = Engine(store, "a", settings).current(), Engine(store, "b", settings).current()
    assert a.retriever.postings._conn is b.retriever.postings._conn is store.reader().conn
    store.path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    replaced = SQLiteStore(store.path)
    publish(replaced, "a", [document("other.txt", ["The lighthouse of Orla was painted red by volunteers."])])
    LOADED.clear()
    assert replaced.reader().conn is not a.retriever.postings._conn
    assert "lighthouse" in Engine(replaced, "a", settings).ask("Who painted the lighthouse?").passages[0].text
