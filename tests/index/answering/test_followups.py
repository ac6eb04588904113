"""Follow-ups spelled out from the question before: on made-up sentences, and the project's set of
follow-ups on the default article (the issue's target: at least 9 of 10 agree)."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.answering.followups import sequence, spell_out
from index.engine import Engine
from index.evaluation.followups import agrees
from index.evaluation.questions import load_questions
from index.settings import IndexSettings
from index.store import answers
from index.store.sqlite import SQLiteStore
from tests.index.conftest import ROOT


@pytest.mark.parametrize("follow_up, previous, answer, wanted", [
    ("and how many were injured?", "How many ferries sank off Velde in March?", "two",
     "how many were injured off Velde in March?"),
    ("what about Lindqvist?", "When did the ferry reach Velde?", "Monday", "When did the ferry reach Lindqvist?"),
    ("what did she say?", "Who is the mayor of Velde?", "Mira Osei", "what did Mira Osei say?"),
    ("who hired him?", "Who is Brandt?", "the harbour master", "who hired Brandt?"),
    ("and when was it built?", "Who paid for the Velde bridge?", None, "when was the Velde bridge built?"),
    ("and where did it take place?", "How long was the meeting between Mira Osei and Tomas Brandt?", "an hour",
     "where did the meeting between Mira Osei and Tomas Brandt take place?"),
    ("How many passengers did the Lindqvist carry?", "Who is the mayor of Velde?", "Mira Osei",
     "How many passengers did the Lindqvist carry?"),  # already whole: unchanged
])
def test_spell_out(follow_up, previous, answer, wanted):
    assert spell_out(follow_up, previous, answer) == wanted


def test_follow_ups_get_the_answers_of_their_spelled_out_questions(article_engine):
    items = load_questions(Path(ROOT) / "eval" / "followups.jsonl")
    agreeing = [agrees(article_engine, item)[0] for item in items]
    assert len(items) >= 10 and sum(agreeing) >= 0.9 * len(items), agreeing


HARBOUR = """Harbour news

Mira Osei, the mayor of Velde, said on Monday that the harbour would reopen after twelve days of repairs.

"We will build a new pier for the ferries before the winter," Osei said.

The ferry company reported 412 passengers on the first crossing.
"""


@pytest.fixture
def harbour(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "harbour.txt").write_text(HARBOUR)
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "h.db", content=[tmp_path / "c"])
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    engine.build()
    return engine


def previous(engine, question: str):
    return answers.remembered(engine.store, engine.remember(engine.ask(question)))


def test_what_came_next_is_read_from_the_passages_after(harbour):
    before = previous(harbour, "What did Osei say about the harbour?")
    assert before.passage.startswith("Mira Osei, the mayor")
    result = harbour.follow_up("what did she say next?", before)
    assert result.question == "what did Osei say next?"
    assert result.passages[0].text.startswith('"We will build a new pier')
    after = previous(harbour, "Who will build a new pier for the ferries?")
    earlier = harbour.follow_up("and what did she say before that?", after)
    assert earlier.passages[0].text.startswith("Mira Osei, the mayor")


def test_sequence_words():
    assert [sequence(q) for q in ("what did he say next?", "and before that?", "who is he?")] == [1, -1, 0]
