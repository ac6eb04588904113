"""`python -m index eval --summaries FILE`: ROUGE of the product's summaries and of Lead-3."""
from __future__ import annotations

import json

import pytest

from index.cli import main as cli_main
from index.evaluation import summaries as evaluation
from index.summaries.summarise import summarize
from index.text.sentences import sentence_spans

STORIES = [
    # the highlights are the story's first three sentences: Lead-3 is perfect here
    {"id": "a", "article": "The city council approved a new budget on Monday after a long debate. "
                           "The budget raises spending on schools by ten percent next year. "
                           "Opposition members said the plan would raise local taxes for families. "
                           "The mayor thanked the staff for their work on the plan.",
     "summary": "The city council approved a new budget on Monday after a long debate.\n"
                "The budget raises spending on schools by ten percent next year.\n"
                "Opposition members said the plan would raise local taxes for families."},
    {"id": "b", "article": "Heavy snow closed roads across the northern region on Tuesday morning. "
                           "Schools in three towns stayed shut as crews worked to clear the roads. "
                           "Forecasters expect more snow later in the week.",
     "summary": "Snow closed roads in the north.\nSchools stayed shut in three towns."},
    {"id": "c", "article": "A local bakery won the national bread award for the second year running. "
                           "Its owner said the secret was patience and good flour.",
     "summary": "Bakery wins national bread award again."},
]


@pytest.fixture()
def stories_file(tmp_path):
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    return path


def run_json(capsys, *argv) -> dict:
    assert cli_main(["eval", "--summaries", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_both_systems_scored_with_words_out_in_the_same_run(stories_file, capsys):
    data = run_json(capsys, str(stories_file))
    assert data["stories"] == 3
    systems = {row["system"]: row for row in data["systems"]}
    assert set(systems) == {"verbatim", "lead-3"}
    for row in systems.values():
        assert row["stories"] == 3
        for metric in ("rouge1", "rouge2", "rougeLsum"):
            assert 0 < row[metric] <= 100
        assert row["words_out"] > 0


def test_lead3_is_the_first_three_sentences_by_the_same_splitter(stories_file, capsys):
    lead = {row["system"]: row for row in run_json(capsys, str(stories_file))["systems"]}["lead-3"]
    words = [sum(len(s["article"][a:b].split()) for a, b in sentence_spans(s["article"])[:3])
             for s in STORIES]
    assert lead["words_out"] == round(sum(words) / len(words), 1)


def test_a_perfect_summary_scores_100(stories_file, capsys):
    data = run_json(capsys, str(stories_file), "--limit", "1")
    assert data["stories"] == 1
    lead = {row["system"]: row for row in data["systems"]}["lead-3"]
    assert lead["rouge1"] == lead["rouge2"] == lead["rougeLsum"] == 100.0


def test_the_product_summary_is_what_is_scored():
    article = STORIES[0]["article"]
    picked = evaluation.ours(article)
    product = summarize(evaluation.snapshot_of(article), sentences=3)
    assert picked == [s.text for s in product.sentences]
    assert 1 <= len(picked) <= 3 and all(sentence in article for sentence in picked)


def test_table_output(stories_file, capsys):
    assert cli_main(["eval", "--summaries", str(stories_file)]) == 0
    out = capsys.readouterr().out
    assert "lead-3" in out and "verbatim" in out and "words out" in out


def test_a_malformed_line_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(STORIES[0]) + "\n{\"id\": 2}\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=":2:"):
        cli_main(["eval", "--summaries", str(path)])


def test_ablation_scores_each_part_switched_off_and_puts_it_back(stories_file, capsys):
    from index.summaries import summarise as summaries

    before = summaries.LEAD_HALF_LIFE
    rows = run_json(capsys, str(stories_file), "--ablate")["systems"]
    names = [row["system"] for row in rows]
    assert names[:2] == ["verbatim", "lead-3"]
    assert {f"verbatim, {name}" for name in evaluation.ABLATIONS} <= set(names)
    assert summaries.LEAD_HALF_LIFE == before
