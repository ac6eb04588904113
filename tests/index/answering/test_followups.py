"""Follow-ups spelled out from the question before: on made-up sentences, and the project's set of
follow-ups on the default article (the issue's target: at least 9 of 10 agree)."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.answering.followups import spell_out
from index.evaluation.followups import agrees
from index.evaluation.questions import load_questions
from tests.index.conftest import ROOT


@pytest.mark.parametrize("follow_up, previous, answer, wanted", [
    ("and how many were injured?", "How many ferries sank off Velde in March?", "two",
     "how many were injured off Velde in March?"),
    ("what about Lindqvist?", "When did the ferry reach Velde?", "Monday", "When did the ferry reach Lindqvist?"),
    ("what did she say?", "Who is the mayor of Velde?", "Mira Osei", "what did Mira Osei say?"),
    ("who hired him?", "Who is Brandt?", "the harbour master", "who hired Brandt?"),
    ("and when was it built?", "Who paid for the Velde bridge?", None, "when was the Velde bridge built?"),
    ("How many passengers did the Lindqvist carry?", "Who is the mayor of Velde?", "Mira Osei",
     "How many passengers did the Lindqvist carry?"),  # already whole: unchanged
])
def test_spell_out(follow_up, previous, answer, wanted):
    assert spell_out(follow_up, previous, answer) == wanted


def test_follow_ups_get_the_answers_of_their_spelled_out_questions(article_engine):
    items = load_questions(Path(ROOT) / "eval" / "followups.jsonl")
    agreeing = [agrees(article_engine, item)[0] for item in items]
    assert len(items) >= 10 and sum(agreeing) >= 0.9 * len(items), agreeing
