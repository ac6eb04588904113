"""`python -m index eval --news FILE`: questions written over news articles nothing was tuned on.

Each line names a PolNeAR article, the question, its type (who, who_said, how_many, when,
where, what, why, out_of_scope), its variant (plain, lower, typo) and the accepted answers (an
answer is right when, folded, it contains one). Each article is its own corpus. Every question
is right, wrong-shown (an answer in bold that is not right, or any answer to an out-of-scope
question) or no-answer (refused, or passages without a short answer). The same engine answering
by its rules alone is the baseline row of the same run.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from index.evaluation.corpora import text_article
from index.evaluation.questions import holds_answer, load_questions, share
from index.settings import IndexSettings, load_settings


@dataclass
class Outcome:
    id: str
    type: str
    variant: str
    question: str
    answer: str | None
    refused: bool
    right: bool
    wrong_shown: bool
    best_holds: bool  # the first passage quoted holds an accepted answer


def ask_all(items: list[dict], settings: IndexSettings, polnear) -> list[Outcome]:
    by_article = defaultdict(list)
    for item in items:
        by_article[item["article"]].append(item)
    out = []
    for name, questions in by_article.items():
        text = (polnear / "text" / f"{name}.txt").read_text(encoding="utf-8")
        loaded = text_article(name, text, settings)
        for item in questions:
            result = loaded.ask(item["q"], settings.top_k)
            shown = result.answer is not None and not result.refused
            right = shown and holds_answer(result.answer, item["answers"])
            best = bool(result.passages) and holds_answer(result.passages[0].text, item["answers"])
            out.append(Outcome(item["id"], item["type"], item.get("variant", "plain"), item["q"],
                               result.answer, result.refused, right, shown and not right, best))
    return out


def figures(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.type != "out_of_scope"]
    out_of_scope = [o for o in outcomes if o.type == "out_of_scope"]
    shown = [o for o in outcomes if o.answer is not None and not o.refused]
    by = defaultdict(list)
    for o in answerable:
        by[o.type].append(o.right)
        by[f"variant {o.variant}"].append(o.right)
    return {
        "questions": len(outcomes), "answerable": len(answerable), "out_of_scope": len(out_of_scope),
        "right": share((o.right for o in answerable), empty=0.0),
        "best_passage_holds": share((o.best_holds for o in answerable), empty=0.0),
        "wrong_shown": sum(o.wrong_shown for o in outcomes),
        "no_answer": sum(not o.right and not o.wrong_shown for o in answerable),
        "wrong_of_shown": share((o.wrong_shown for o in shown), empty=0.0),
        "out_of_scope_refused": share((o.refused for o in out_of_scope), empty=0.0),
        "answerable_refused": share((o.refused for o in answerable), empty=0.0),
        "right_by": {k: share(v, empty=0.0) for k, v in sorted(by.items())},
    }


def main(args) -> int:
    settings = load_settings(IndexSettings)
    items = load_questions(args.file)
    runs = {"verbatim": ask_all(items, settings, args.polnear)}
    if settings.reader:
        runs["rules, no reader (same run)"] = ask_all(items, settings.model_copy(update={"reader": False}),
                                                      args.polnear)
    results = {name: figures(outcomes) for name, outcomes in runs.items()}
    if args.json:
        print(json.dumps({"figures": results, "rows": [o.__dict__ for o in runs["verbatim"]]}, ensure_ascii=False))
        return 0
    for o in runs["verbatim"]:
        mark = "ok  " if o.right or (o.type == "out_of_scope" and o.refused) else (
            "WRONG" if o.wrong_shown else "none")
        shown = "(refused)" if o.refused else repr(o.answer)
        print(f"{mark:<5} {o.id} {o.type:<12} {o.variant:<5} {shown:<32} {o.question}")
    for name, f in results.items():
        print(f"{name}: {json.dumps(f)}")
    return 0
