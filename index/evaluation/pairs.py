"""`python -m index eval --pairs FILE`: how /content gaps groups questions (index/content/gaps.py),
by meaning and by words, on pairs of questions written to mean the same or not (each line: a, b,
same; eval/question_pairs.jsonl, about the default article and a made-up harbour notice). A pair
is joined when grouping the two makes one group. The threshold was set on other pairs before the
set was written; nothing was tuned on it."""
from __future__ import annotations

import json

from index.content.gaps import group
from index.evaluation.questions import load_questions, share
from index.retrieval.embedding import shared_embedder
from index.store.asked import REFUSED, Asked

WAYS = ("meaning", "words")


def joined(a: str, b: str, embed) -> bool:
    rows = [Asked(n, float(n), "eval", None, "eval", q, REFUSED, None) for n, q in enumerate((a, b))]
    return len(group(rows, embed)) == 1


def figures(decided: list[tuple[bool, bool]]) -> dict:
    """(wanted same, joined) pairs as shares: right, same pairs joined, different pairs kept apart."""
    return {"right": share(same == got for same, got in decided),
            "same_joined": share(got for same, got in decided if same),
            "different_apart": share(not got for same, got in decided if not same)}


def main(args) -> int:
    items = load_questions(args.file)
    embed = shared_embedder().embed
    decided: dict[str, list[tuple[bool, bool]]] = {way: [] for way in WAYS}
    for item in items:
        got = {"meaning": joined(item["a"], item["b"], embed), "words": joined(item["a"], item["b"], None)}
        for way in WAYS:
            decided[way].append((item["same"], got[way]))
        if not args.json:
            marks = " ".join(f"{way}:{'ok ' if got[way] == item['same'] else 'BAD'}" for way in WAYS)
            print(f"{marks} {item['id']} {'same' if item['same'] else 'diff'} {item['a']!r} / {item['b']!r}")
    out = {"pairs": len(items), "same": sum(i["same"] for i in items)}
    out.update({way: figures(decided[way]) for way in WAYS})
    print(json.dumps(out))
    return 0
