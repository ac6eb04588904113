"""The questions the content misses: each question kept with its real outcome (answered, passages
only, refused) and closest passage, and the missed ones grouped by meaning (by words without
semantic retrieval), most asked first, on a made-up document and on the default article. Keeping
can be switched off, old rows go, and a store that cannot keep a question does not fail it."""
from __future__ import annotations

import csv
import io
import logging
import sqlite3

import numpy as np

from index.content.gaps import group, remembering, to_csv, wording_key
from index.engine import Engine
from index.settings import IndexSettings
from index.store import asked
from index.store.sqlite import SQLiteStore
from tests.index.conftest import CONTENT

HARBOUR = """Kettle Sound harbour news

The ferry Astrid leaves Kettle Sound for Gull Island every morning at seven and returns at noon. In the summer a \
second crossing leaves at four in the afternoon.

The harbour master, Ines Marlow, said the new pontoon would open in May. It was paid for by the fishermen's \
cooperative and the town council together.

Last winter two storms damaged the sea wall. Repairs took eleven weeks and the old fish market stayed closed until March.
"""
TOLL = ["How much is the toll on the Kettle bridge?", "what does the Kettle bridge toll cost", "Kettle bridge toll price?"]
LIGHTHOUSE = ["Who built the lighthouse?", "who constructed the lighthouse"]
PARKING = "Is there parking at the harbour?"
ANSWERED = "Who is the harbour master?"


def harbour_engine(tmp_path, **settings) -> Engine:
    folder = tmp_path / "harbour"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    config = IndexSettings(_env_file=None, index_path=tmp_path / "harbour.sqlite3", content=[folder], **settings)
    engine = Engine(SQLiteStore(config.index_path), settings=config)
    engine.build()
    return engine


def ask_and_keep(engine: Engine, questions: list[str], member: str = "member-1"):
    results = []
    for question in questions:
        result = engine.ask(question)
        engine.keep(result, member)
        results.append(result)
    return results


def test_each_question_is_kept_with_its_outcome_version_and_closest_passage(tmp_path):
    engine = harbour_engine(tmp_path)
    results = ask_and_keep(engine, [ANSWERED, "When does the ferry leave?", PARKING])
    kept = sorted(asked.questions(engine.store, engine.corpus), key=lambda q: q.id)
    assert [q.question for q in kept] == [r.question for r in results]
    for row, result in zip(kept, results):
        expected = "refused" if result.refused else ("answered" if result.answer else "passages")
        assert row.outcome == expected
        first = result.passages[0]
        assert row.closest == asked.Closest(first.document, first.section, first.paragraph)
        assert row.version == engine.version() == 1 and row.corpus == "default"
        assert row.asker != "member-1" and len(row.asker) == 64
    assert {q.outcome for q in kept} == {"answered", "passages", "refused"}  # each path is taken once
    # Only the missed ones are gaps.
    assert sorted(g.example for g in engine.gaps()) == sorted(r.question for r in results[1:])


def test_near_duplicates_are_grouped_by_meaning_most_asked_first(tmp_path):
    harbour = harbour_engine(tmp_path)
    ask_and_keep(harbour, [PARKING, LIGHTHOUSE[0], TOLL[0], LIGHTHOUSE[1], ANSWERED])
    ask_and_keep(harbour, [TOLL[1], TOLL[2], TOLL[2]], member="member-2")
    gaps = harbour.gaps()
    assert [(g.count, set(g.wordings)) for g in gaps] == [(4, set(TOLL)), (2, set(LIGHTHOUSE)), (1, {PARKING})]
    toll = gaps[0]
    assert toll.example == TOLL[2]  # the wording asked most
    assert (toll.refused + toll.passages_only, toll.askers) == (4, 2)
    assert toll.closest is not None and toll.closest.document == "Kettle Sound harbour news"
    assert ANSWERED not in {w for g in gaps for w in g.wordings}


def test_without_semantic_retrieval_wordings_are_grouped_by_their_words(tmp_path):
    engine = harbour_engine(tmp_path, semantic=False)
    ask_and_keep(engine, [*TOLL, *LIGHTHOUSE, "How much is the toll on the Kettle bridge"])
    gaps = engine.gaps()
    # The toll's wordings share their words; "built" and "constructed" do not, so they stay apart.
    assert [(g.count, set(map(wording_key, g.wordings))) for g in gaps[:1]] == [(4, set(map(wording_key, TOLL)))]
    assert sorted(g.wordings for g in gaps[1:]) == [(LIGHTHOUSE[0],), (LIGHTHOUSE[1],)]


def test_the_default_articles_missed_questions_are_grouped(tmp_path):
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "a.sqlite3", content=[CONTENT])
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    engine.build()
    injured = ["How many were injured?", "number of injured", "how many were injured"]
    peru = ["What is the capital of Peru?", "What's Peru's capital city?"]
    results = ask_and_keep(engine, [*injured, *peru, "Who is the president of Brazil?", "How many people died in Paris?"])
    assert all(r.answer is None for r in results[:-1])  # the article does not say
    gaps = engine.gaps()
    assert [g.count for g in gaps] == [3, 2, 1]
    # "How many were injured?" and "how many were injured" are one wording; "number of injured" joins by meaning.
    assert sorted(map(wording_key, gaps[0].wordings)) == ["how many were injured", "number of injured"]
    assert set(gaps[1].wordings) == set(peru) and gaps[2].wordings == ("Who is the president of Brazil?",)
    assert all(g.closest and g.closest.document.startswith("Putin calls") for g in gaps)
    if results[-1].answer:  # answered: not a gap
        assert "How many people died in Paris?" not in {w for g in gaps for w in g.wordings}


def test_keeping_off_keeps_nothing(tmp_path):
    engine = harbour_engine(tmp_path, keep_questions=False)
    ask_and_keep(engine, [PARKING, *TOLL])
    assert asked.questions(engine.store) == [] and engine.gaps() == []


def test_a_store_that_cannot_keep_the_question_still_answers_it(tmp_path, caplog):
    engine = harbour_engine(tmp_path)
    with sqlite3.connect(engine.store.path) as conn:  # a damaged store: its table is gone
        conn.execute("DROP TABLE asked")
    with caplog.at_level(logging.WARNING, logger="index.engine"):
        [result] = ask_and_keep(engine, [PARKING])
    assert result.refused and result.passages
    assert "question not kept" in caplog.text


def test_old_questions_are_forgotten_by_the_retention(tmp_path):
    engine = harbour_engine(tmp_path, keep_questions_days=30)
    asked.keep(engine.store, "default", 1, "m", "an old one?", asked.REFUSED, None, now=1000.0)
    ask_and_keep(engine, [PARKING])  # written now: deletes the old one
    assert [q.question for q in asked.questions(engine.store)] == [PARKING]
    asked.keep(engine.store, "default", 1, "m", "another old one?", asked.REFUSED, None, now=1000.0)
    assert engine.forget_old_questions() == 1
    assert [q.question for q in asked.questions(engine.store)] == [PARKING]


def test_the_csv_has_a_row_a_group_and_no_formula_cells():
    rows = [asked.Asked(i, 1000.0 + i, "default", 2, f"h{i % 2}", q, asked.REFUSED, asked.Closest("a.txt", None, 3))
            for i, q in enumerate(["=HYPERLINK(\"http://x\")?", "=hyperlink(\"http://x\")", "who won?"])]
    table = list(csv.DictReader(io.StringIO(to_csv(group(rows)))))
    assert [r["count"] for r in table] == ["2", "1"]
    assert table[0]["example"].startswith("'=") and table[0]["askers"] == "2"
    assert (table[1]["example"], table[1]["closest_document"], table[1]["closest_paragraph"]) == ("who won?", "a.txt", "3")


def test_wordings_vectors_are_kept_for_the_next_call():
    class Counting:
        model, dimensions = "counting", 2
        embedded: list[str] = []

        def embed(self, texts):
            self.embedded += texts
            return np.array([[1.0, 0.0] if "toll" in t else [0.0, 1.0] for t in texts], dtype=np.float32)

    embedder = Counting()
    embed = remembering(embedder)
    first = embed(["toll?", "lighthouse?", "toll?"])
    assert embedder.embedded == ["toll?", "lighthouse?"] and first.shape == (3, 2)
    again = embed(["lighthouse?", "new toll?"])
    assert embedder.embedded == ["toll?", "lighthouse?", "new toll?"]
    assert again.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    rows = [asked.Asked(i, float(i), "default", 1, "h", q, asked.REFUSED, None)
            for i, q in enumerate(["toll?", "new toll?", "lighthouse?"])]
    assert sorted(g.count for g in group(rows, embed)) == [1, 2]
