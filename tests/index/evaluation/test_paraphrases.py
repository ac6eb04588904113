"""The questions in other words (eval/news_paraphrase_heldout.jsonl): on test-split PolNeAR
articles, each answer verbatim in its article, none of them in what training or calibration reads
(the ones meaning was tuned on, eval/calibration_paraphrase.jsonl, are on development articles);
and `eval --news` reports whether the best passage holds the answer."""
import json

import pytest

from index.evaluation.news import Outcome, figures
from index.evaluation.questions import load_questions
from index.training.examples import split_of
from tests.index.conftest import ROOT

PARAPHRASES = ROOT / "eval/news_paraphrase_heldout.jsonl"
TUNING = ROOT / "eval/calibration_paraphrase.jsonl"  # written on development articles: what meaning was tuned on
POLNEAR_TEXT = ROOT.parent / "shared/train/polnear/text"
KINDS = {"who", "who_said", "how_many", "when", "where", "what", "why", "out_of_scope"}


def test_the_paraphrases_are_in_the_held_out_format_on_test_split_articles():
    questions = load_questions(PARAPHRASES)
    held_out = load_questions(ROOT / "eval/news_heldout.jsonl")
    assert len(questions) >= 40 and len({q["id"] for q in questions}) == len(questions)
    assert all(set(q) == set(held_out[0]) for q in questions)
    assert {q["variant"] for q in questions} == {"paraphrase"} and {q["type"] for q in questions} <= KINDS
    assert {split_of(q["article"]) for q in questions} == {"test"}
    asked_elsewhere = {q["q"] for name in ("news_heldout.jsonl", "calibration_news.jsonl",
                                           "calibration_out_of_scope.jsonl") for q in load_questions(ROOT / "eval" / name)}
    assert not asked_elsewhere & {q["q"] for q in questions}
    assert {split_of(q["article"]) for q in load_questions(TUNING)} == {"dev"}


@pytest.mark.skipif(not POLNEAR_TEXT.exists(), reason="PolNeAR's texts are in ../shared/train")
def test_every_paraphrase_answer_is_verbatim_in_its_article():
    for q in load_questions(PARAPHRASES) + load_questions(TUNING):
        text = (POLNEAR_TEXT / f"{q['article']}.txt").read_text(encoding="utf-8")
        assert q["answers"] and all(a in text for a in q["answers"]), q["id"]


def test_the_news_figures_count_the_best_passage_holding_the_answer():
    rows = [Outcome("1", "who", "paraphrase", "q", None, False, False, False, True),
            Outcome("2", "what", "paraphrase", "q", None, True, False, False, False),
            Outcome("3", "out_of_scope", "plain", "q", None, True, False, False, False)]
    out = figures(rows)
    assert out["best_passage_holds"] == 0.5 and out["answerable_refused"] == 0.5
    assert json.loads(json.dumps(out))["out_of_scope_refused"] == 1.0
