"""How far a blind second pass agrees with the written answers (train/news_questions_blind.jsonl).

`python -m index.training.agreement train/news_questions.jsonl train/news_questions_blind.jsonl`
prints, over the questions the second pass answered again: how often both found an answer or
both found none, and where both answered, how often the shortest spans are the same, how often
each pass accepts the other's span (it is its answer or one of its other spans) and the mean
token F1 of the two shortest spans. Lists the questions where they disagree.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from index.evaluation.squad import f1_score, normalize_answer
from index.training.written import load


def agreement(written_path: Path, blind_path: Path) -> dict:
    written = {q.id: q for q in load(written_path)}
    blind = [json.loads(line) for line in Path(blind_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    blind = [b for b in blind if b["id"] in written]
    one_answered, same, accepted, f1, disagree = 0, 0, 0, 0.0, []
    for b in blind:
        w = written[b["id"]]
        if (w.answer is None) != (b["answer"] is None):
            one_answered += 1
            disagree.append(b["id"])
        elif w.answer is not None:
            ours = {normalize_answer(s.text) for s in (w.answer, *w.alternatives)}
            theirs = {normalize_answer(t) for t in [b["answer"]["text"], *b.get("also", [])]}
            mine, other = normalize_answer(w.answer.text), normalize_answer(b["answer"]["text"])
            same += mine == other
            accepted += (agreed := other in ours or mine in theirs)
            f1 += f1_score(b["answer"]["text"], w.answer.text)
            if not agreed:
                disagree.append(b["id"])
    both = sum(1 for b in blind if b["answer"] is not None and written[b["id"]].answer is not None)
    return {"questions": len(blind), "articles": len({written[b["id"]].article for b in blind}),
            "answered_or_not_alike": round(1 - one_answered / len(blind), 3), "both_answered": both,
            "same_span": round(same / both, 3), "accepted": round(accepted / both, 3),
            "token_f1": round(f1 / both, 3), "disagreements": disagree}


if __name__ == "__main__":
    print(json.dumps(agreement(Path(sys.argv[1]), Path(sys.argv[2])), indent=1))
