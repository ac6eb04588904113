"""What calibration asks and how it labels the candidates: the shipped reader on made-up articles."""
import json

import pytest

from index.answering.reader import SHIPPED
from index.training.calibration import matches_derived, matches_written, observe
from index.training.examples import split_of
from index.settings import IndexSettings

DEV_ARTICLE, TRAIN_ARTICLE = "harbour-31", "harbour-0"
HARBOUR = ("Harbour master Odile Brenn reopened the quay at Varnholm on Monday.\n\n"
           "The quay was rebuilt in 1987 with granite from the northern quarry, and it cost 4 million crowns.")


def test_a_written_answer_is_right_when_a_short_span_holds_it():
    assert matches_written("Adm. Harry B. Harris Jr.", ["Harris"])  # word overlap would say wrong
    assert not matches_derived("Adm. Harry B. Harris Jr.", ["Harris"])
    assert not matches_written("$80 million", ["$8 million"])  # one word in two is not enough here
    assert matches_derived("$80 million", ["$8 million"])
    long_span = "the Washington area, Verizon brought in workers from as far away as Connecticut"
    assert not matches_written(long_span, ["Connecticut"])  # a passage, not a short answer


def _polnear(root, name, questions):
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / f"{name}.txt").write_text(HARBOUR, encoding="utf-8")
    written = root / "written.jsonl"
    written.write_text("".join(json.dumps({"article": name, **q}) + "\n" for q in questions), encoding="utf-8")
    return written


def test_written_questions_are_asked_and_labelled_as_the_news_evaluation_judges(tmp_path):
    assert split_of(DEV_ARTICLE) == "dev" and split_of(TRAIN_ARTICLE) == "train"
    written = _polnear(tmp_path, DEV_ARTICLE, [
        {"q": "Who reopened the quay?", "answers": ["Brenn"]},
        {"q": "How many sailors live in Varnholm?", "answers": []}])
    asked, unanswerable = observe(SHIPPED, [], tmp_path, [written], IndexSettings(), log=lambda _: None)
    assert (asked.article, asked.impossible, unanswerable.impossible) == (DEV_ARTICLE, False, True)
    assert asked.supported and asked.features and len(asked.right) == len(asked.features)
    assert not any(unanswerable.right)  # nothing answers a question the article does not
    assert any(asked.right)  # the shipped reader finds the harbour master


def test_a_written_question_about_an_article_outside_the_development_split_is_refused(tmp_path):
    written = _polnear(tmp_path, TRAIN_ARTICLE, [{"q": "Who reopened the quay?", "answers": ["Brenn"]}])
    with pytest.raises(ValueError, match=f"{TRAIN_ARTICLE} is not a development article"):
        observe(SHIPPED, [], tmp_path, [written], IndexSettings(), log=lambda _: None)
