"""`python -m index eval --followups FILE`: follow-up questions against the same questions spelled
out in full (each line: previous, follow_up, spelled_out). A follow-up agrees when the engine,
given the previous question and its answer, gives the answer, the refusal and the first passage
that the spelled-out question gets. The set is written for this project (eval/followups.jsonl);
nothing was tuned on it but the rules it measures."""
from __future__ import annotations

import json

from index.answering.followups import spell_out
from index.cli.common import open_engine
from index.evaluation.questions import load_questions, share


def agrees(engine, item: dict) -> tuple[bool, str]:
    previous = engine.ask(item["previous"])
    asked = spell_out(item["follow_up"], item["previous"], previous.answer)
    got, wanted = engine.ask(asked), engine.ask(item["spelled_out"])
    first = (lambda r: r.passages[0].text if r.passages else None)
    return (got.answer, got.refused, first(got)) == (wanted.answer, wanted.refused, first(wanted)), asked


def main(args) -> int:
    engine = open_engine(args)
    rows = []
    for item in load_questions(args.file):
        same, asked = agrees(engine, item)
        rows.append(same)
        if not args.json:
            print(f"{'ok  ' if same else 'DIFF'} {item['id']} {item['follow_up']!r} -> {asked!r}")
    figures = {"follow_ups": len(rows), "agree": sum(rows), "share": share(rows, empty=0.0)}
    print(json.dumps(figures))
    return 0
