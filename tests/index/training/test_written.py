"""News questions written for training: every span verbatim at its offset, training-split
articles only, and examples whose answers are slices of their contexts. A made-up article for
the loader; the project's own file against the PolNeAR texts beside the repository."""
import json
from collections import Counter
from pathlib import Path

import pytest

from index.training import written
from index.training.examples import split_of, training_split
from tests.index.conftest import ROOT

FILE = ROOT / "train" / "news_questions.jsonl"
POLNEAR = ROOT.parent / "shared" / "train" / "polnear"

SPEECH = "Thank you all. " * 300  # a speech that names its speaker once, pages before its words
TEXT = ("Harbour master Odile Brenn spoke at the quay on Monday.\n\n"
        "Forty boats were lost in the storm of 1932, the port's records show.\n\n"
        f"{SPEECH}\n\n"
        "\u201cThe breakwater will hold,\u201d she said.")


def _span(text, fragment, after=0):
    return {"text": fragment, "start": text.index(fragment, after)}


def _row(qid, kind, q, answer=None, evidence=None, alternatives=()):
    return {"id": qid, "article": NAME, "type": kind, "variant": "plain", "q": q, "answer": answer,
            "alternatives": list(alternatives), "evidence": evidence}


NAME = next(n for n in (f"made-up_2016-01-0{i}_harbour" for i in range(10)) if split_of(n) == "train")


@pytest.fixture
def polnear(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / f"{NAME}.txt").write_text(TEXT, encoding="utf-8")
    rows = [
        _row("t1", "how_many", "How many boats were lost?", _span(TEXT, "Forty"),
             _span(TEXT, "Forty boats were lost in the storm of 1932"), [_span(TEXT, "Forty boats")]),
        _row("t2", "who_said", "Who said the breakwater will hold?", _span(TEXT, "Odile Brenn"),
             _span(TEXT, "The breakwater will hold"), [_span(TEXT, "Brenn")]),
        _row("t3", "out_of_scope", "How tall is the breakwater at the quay?"),
    ]
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path, path


def test_each_answer_is_a_slice_of_its_context(polnear):
    root, path = polnear
    got = {e.id: e for e in written.written_examples(path, root)}
    lost = got["t1"]
    assert lost.answers[0] == ("Forty", lost.context.index("Forty"))  # the written (shortest) answer first
    assert all(lost.context[s:s + len(t)] == t for t, s in lost.answers) and len(lost.answers) == 2
    assert lost.context.startswith("Forty boats") and "Odile" not in lost.context  # its paragraph alone
    said = got["t2"]  # the name is far before the words: those two paragraphs alone
    assert "Thank you" not in said.context and said.context.endswith("she said.")
    assert all(said.context[s:s + len(t)] == t for t, s in said.answers)
    assert [t for t, _ in said.answers] == ["Odile Brenn", "Brenn"]
    none = got["t3"]  # not answered: the paragraph that looks most like it, as "no answer"
    assert none.impossible and "breakwater" in none.context
    assert {e.source for e in got.values()} == {written.SOURCE}


def test_a_span_not_at_its_offset_is_refused_naming_the_question(polnear):
    root, path = polnear
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[0]["answer"]["start"] += 1
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(written.WrittenError, match="t1 has a span that is not verbatim"):
        written.written_examples(path, root)


def test_written_questions_of_development_or_test_articles_never_train():
    held = [n for n in (f"made-up-{i}" for i in range(40)) if split_of(n) != "train"][:2]
    from index.training.examples import Example

    made = [Example(f"q{i}", name, "Who?", "Someone spoke.", (("Someone", 0),), written.SOURCE)
            for i, name in enumerate(held)]
    train, dev = training_split(made)
    assert train == [] and all(split_of(e.article) == "dev" for e in dev)


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="the PolNeAR texts sit in ../shared beside the repository")
def test_every_written_span_is_verbatim_at_its_offset():
    questions = written.load(FILE)
    texts = {}
    for q in questions:
        if q.article not in texts:
            texts[q.article] = (POLNEAR / "text" / f"{q.article}.txt").read_text(encoding="utf-8")
        assert not written.misplaced_spans(q, texts[q.article]), q.id
        assert (q.answer is None) == (q.kind == "out_of_scope"), q.id
    assert len(examples := written.written_examples(FILE, POLNEAR)) == len(questions)
    assert all(e.context[s:s + len(t)] == t for e in examples for t, s in e.answers)


def test_the_written_file_is_of_training_articles_and_every_kind():
    questions = written.load(FILE)
    assert len({q.id for q in questions}) == len(questions)
    articles = {q.article for q in questions}
    assert all(split_of(a) == "train" for a in articles)
    assert len(questions) >= 3000 and len(articles) >= 200
    kinds = Counter(q.kind for q in questions)
    assert kinds["out_of_scope"] >= 0.15 * len(questions)
    assert set(kinds) == {"who", "how_many", "when", "where", "what", "why", "who_said", "what_said",
                          "who_is", "out_of_scope"}
    variants = Counter(q.variant for q in questions)
    assert min(variants.values()) >= 0.05 * len(questions) and set(variants) == {"plain", "paraphrase", "lower", "typo"}
    evaluation = {json.loads(line)["article"] for f in ("news_heldout.jsonl", "calibration_news.jsonl")
                  for line in (ROOT / "eval" / f).read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not articles & evaluation
