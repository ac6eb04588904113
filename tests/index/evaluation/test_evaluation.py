"""The evaluations measure what they claim: on tiny made-up sets the figures are known."""
import json

from index.evaluation.questions import load_questions
from index.evaluation.squad import f1_score, normalize_answer
from index.store import asked
from index.store.sqlite import SQLiteStore
from tests.index.cli.test_cli import run


def squad_file(tmp_path, impossible: bool = False):
    paragraphs = [
        {"context": "The lighthouse was built in 1874 by the harbour board of Dunmore.",
         "qas": [{"id": "1", "question": "When was the lighthouse built?", "is_impossible": False,
                  "answers": [{"text": "1874", "answer_start": 28}]}]},
        {"context": "Fishing boats leave the quay at dawn and return with mackerel and cod.",
         "qas": [{"id": "2", "question": "What fish do the boats return with?", "is_impossible": False,
                  "answers": [{"text": "mackerel and cod", "answer_start": 53}]}]},
    ]
    if impossible:
        paragraphs[1]["qas"].append({"id": "3", "question": "Who founded the Vienna opera in Austria?",
                                     "is_impossible": True, "answers": []})
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"version": "test", "data": [{"title": "Harbour", "paragraphs": paragraphs}]}))
    return path


def test_squad_normalisation_and_f1():
    assert normalize_answer("The  Mackerel, and cod!") == "mackerel and cod"
    assert f1_score("mackerel", "mackerel and cod") == 0.5
    assert f1_score("", "") == 1.0


def test_squad_eval_scores_ours_and_the_baseline(tmp_path):
    done = run("eval", "--squad", str(squad_file(tmp_path)), "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)["full"]
    assert figures["verbatim"]["questions"] == 2
    assert figures["verbatim"]["top1"] == 1.0
    # plain BM25Okapi scores a two-passage corpus all zeros (rank-bm25 #43): first place by chance
    assert figures["rank-bm25 baseline"]["top1"] == 0.5
    assert 0.0 <= figures["verbatim"]["em"] <= 1.0


def test_squad_in_one_corpus_finds_each_gold_paragraph_among_every_article(tmp_path):
    data = json.loads(squad_file(tmp_path).read_text())
    second = json.loads(json.dumps(data["data"][0]))
    second["title"] = "Harbours"
    second["paragraphs"] = [{"context": "The harbour of Vell was dredged by a Dutch crew in the winter.",
                             "qas": [{"id": "h", "question": "Who dredged the harbour of Vell?",
                                      "answers": [{"text": "a Dutch crew", "answer_start": 35}]}]}]
    data["data"].append(second)
    path = tmp_path / "two.json"
    path.write_text(json.dumps(data))
    done = run("eval", "--squad", str(path), "--one-corpus", "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["passages"] == 3 and figures["verbatim"]["questions"] == 3
    assert figures["verbatim"]["top1"] == 1.0
    assert "top1" in figures["rank-bm25 baseline"]


def test_squad_v2_counts_refusals(tmp_path):
    done = run("eval", "--squad", str(squad_file(tmp_path, impossible=True)), "--json")
    refusals = json.loads(done.stdout)["full"]["refusals"]
    assert refusals["refused_unanswerable"] == 1.0
    assert refusals["refused_answerable"] == 0.0


def test_question_eval_on_the_article(tmp_path):
    index = tmp_path / "i.sqlite3"
    assert run("build", index=index).returncode == 0
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in [
        {"id": "a", "type": "fact", "q": "Where were some 12,000 police deployed?", "answers": [],
         "evidence": ["12,000 police"]},
        {"id": "b", "type": "out_of_scope", "q": "Who won the 1998 football World Cup?", "answers": [],
         "evidence": []},
    ]))
    done = run("eval", str(questions), "--json", index=index)
    figures = json.loads(done.stdout)["figures"]
    assert figures["evidence_at_1"] == 1.0
    assert figures["out_of_scope_refused"] == 1.0 and figures["answerable_refused"] == 0
    assert asked.questions(SQLiteStore(index)) == []  # evaluations never keep their questions


def polnear_folder(tmp_path):
    """One made-up article in PolNeAR's layout and three questions about it."""
    (tmp_path / "polnear" / "text").mkdir(parents=True)
    (tmp_path / "polnear" / "text" / "made-up_harbour.txt").write_text(
        "Harbour board meets.\n\nThe harbour board of Dunmore met on Tuesday. Its chair, Aoife Rennick, "
        "said the lighthouse built in 1874 would be repainted.\n", encoding="utf-8")
    questions = tmp_path / "news.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in [
        {"id": "1", "article": "made-up_harbour", "type": "when", "variant": "plain",
         "q": "When was the lighthouse built?", "answers": ["1874"]},
        {"id": "2", "article": "made-up_harbour", "type": "who", "variant": "lower",
         "q": "who chairs the harbour board?", "answers": ["Aoife Rennick"]},
        {"id": "3", "article": "made-up_harbour", "type": "out_of_scope", "variant": "plain",
         "q": "How many ships sank off Madeira in 1901?", "answers": []},
    ]))
    return tmp_path / "polnear", questions


def test_news_eval_counts_right_wrong_and_no_answer_for_both_rows(tmp_path):
    polnear, questions = polnear_folder(tmp_path)
    done = run("eval", "--news", str(questions), "--polnear", str(polnear), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out["figures"]) == {"verbatim", "rules, no reader (same run)"}
    for figures in out["figures"].values():
        assert figures["answerable"] == 2 and figures["out_of_scope"] == 1
        assert figures["out_of_scope_refused"] == 1.0  # Madeira and 1901 are nowhere in it
    rows = {r["id"]: r for r in out["rows"]}
    for row in rows.values():  # each question is exactly one of right, wrong-shown, no-answer
        no_answer = not row["right"] and not row["wrong_shown"]
        assert row["right"] + row["wrong_shown"] + no_answer == 1
    assert rows["1"]["right"] and rows["1"]["answer"] == "1874"


def test_the_held_out_news_questions_are_on_articles_nothing_trains_or_tunes_on():
    from index.training.examples import split_of
    from tests.index.conftest import ROOT

    held_out = [json.loads(line) for line in (ROOT / "eval/news_heldout.jsonl").read_text().splitlines()]
    articles = {q["article"] for q in held_out}
    assert len(held_out) >= 100 and len(articles) >= 8
    assert {split_of(a) for a in articles} == {"test"}
    assert {q["type"] for q in held_out} >= {"who", "who_said", "how_many", "when", "where", "what", "why",
                                            "out_of_scope"}
    assert {q["variant"] for q in held_out} == {"plain", "lower", "typo"}
    calibration = {name: load_questions(ROOT / "eval" / name)  # what calibration asks
                   for name in ("calibration_out_of_scope.jsonl", "calibration_news.jsonl")}
    for questions in calibration.values():
        assert {split_of(q["article"]) for q in questions} == {"dev"}
    written = {q["type"] for q in calibration["calibration_news.jsonl"]}  # every kind the held-out ones have
    assert written >= {"who", "who_said", "how_many", "when", "where", "what", "why", "out_of_scope"}


def test_the_pairs_eval_scores_grouping_by_meaning_and_by_words(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(json.dumps(p) for p in [
        {"id": "1", "a": "Who paid for the new pontoon?", "b": "who paid for the new pontoon", "same": True},
        {"id": "2", "a": "How many people were injured?", "b": "number of injured", "same": True},
        {"id": "3", "a": "Who is the harbour master?", "b": "How many boats use the harbour?", "same": False},
    ]))
    done = run("eval", "--pairs", str(pairs), "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert (figures["pairs"], figures["same"]) == (3, 2)
    assert figures["meaning"] == {"right": 1.0, "same_joined": 1.0, "different_apart": 1.0}
    # By words the second pair shares one term of three ("peopl", "injur" / "number", "injur"): apart.
    assert figures["words"] == {"right": 0.667, "same_joined": 0.5, "different_apart": 1.0}
    shipped = run("eval", "--pairs", "eval/question_pairs.jsonl", "--json")
    assert json.loads(shipped.stdout)["pairs"] == 38
