"""`python -m index eval FILE.jsonl`: the article_dev format (see shared/eval/README.md).

Scores the best passage (does it hold the evidence?), the short answer (does it contain an
accepted answer?) and refusals (out-of-scope questions refused, answerable ones not).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from index.text.tokens import fold


@dataclass
class QuestionScore:
    id: str
    type: str
    question: str
    refused: bool
    answer: str | None
    evidence_ok: bool | None  # None where no evidence is expected
    answer_ok: bool | None  # None where no short answer is expected
    refusal_ok: bool


@dataclass
class Report:
    rows: list[QuestionScore] = field(default_factory=list)

    def figures(self) -> dict:
        answerable = [r for r in self.rows if r.type != "out_of_scope"]
        out_of_scope = [r for r in self.rows if r.type == "out_of_scope"]
        with_answers = [r for r in self.rows if r.answer_ok is not None]
        return {
            "questions": len(self.rows),
            "evidence_at_1": share(r.evidence_ok for r in answerable),
            "short_answers": share(r.answer_ok for r in with_answers),
            "out_of_scope_refused": share(r.refused for r in out_of_scope),
            "answerable_refused": sum(r.refused for r in answerable),
        }


def share(flags, empty: float = 1.0) -> float:
    """The share of true flags, to three places; `empty` when there are none."""
    flags = list(flags)
    return round(sum(flags) / len(flags), 3) if flags else empty


def holds_answer(answer: str | None, accepted: list[str]) -> bool:
    """Does the short answer, folded, contain one of the accepted answers?"""
    return answer is not None and any(fold(a) in fold(answer) for a in accepted)


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(engine, items: list[dict]) -> Report:
    report = Report()
    for item in items:
        result = engine.ask(item["q"])
        best = fold(result.passages[0].text) if result.passages else ""
        out_of_scope = item["type"] == "out_of_scope"
        evidence = [fold(e) for e in item.get("evidence", [])]
        accepted = item.get("answers", [])
        report.rows.append(QuestionScore(
            id=item["id"], type=item["type"], question=item["q"], refused=result.refused,
            answer=result.answer,
            evidence_ok=None if out_of_scope else (not result.refused and any(e in best for e in evidence)),
            answer_ok=(holds_answer(result.answer, accepted) and not result.refused)
            if accepted else None,
            refusal_ok=result.refused == out_of_scope,
        ))
    return report


def main(args) -> int:
    from index.cli.common import open_engine

    report = score(open_engine(args), load_questions(args.file))
    figures = report.figures()
    if args.json:
        print(json.dumps({"figures": figures, "rows": [r.__dict__ for r in report.rows]}, ensure_ascii=False))
        return 0
    for row in report.rows:
        ok = row.refusal_ok and row.evidence_ok is not False and row.answer_ok is not False
        shown = "(refused)" if row.refused else repr(row.answer)
        print(f"{'ok  ' if ok else 'MISS'} {row.id} {row.type:<12} {shown:<30} {row.question}")
    print(json.dumps(figures))
    return 0
