"""`gaps`: the questions the content misses (refused, or passages without an answer), grouped by
meaning, most asked first (index/content/gaps.py); --export writes every group as CSV."""
from __future__ import annotations

import sys
from pathlib import Path

from index.cli.common import add_index_options
from index.content.gaps import Gap, tally, to_csv, where
from index.errors import EngineError


def register(commands) -> None:
    gaps = commands.add_parser("gaps", help="the questions the content does not answer, grouped, most asked first")
    gaps.add_argument("--export", metavar="FILE", help="write every group as CSV to FILE (- for stdout)")
    gaps.add_argument("--limit", type=int, default=20, metavar="N", help="groups shown (default 20)")
    add_index_options(gaps)
    gaps.set_defaults(run=run_gaps)


def run_gaps(args) -> int:
    from index.cli.common import open_engine

    if args.limit < 1:
        raise EngineError("--limit takes a number from 1")
    engine = open_engine(args)
    gaps = engine.gaps()
    if args.export:
        text = to_csv(gaps)
        if args.export == "-":
            sys.stdout.write(text)
        else:
            try:
                Path(args.export).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise EngineError(f"cannot write {args.export}: {exc.strerror or exc}") from None
            print(f"wrote {len(gaps)} groups of questions to {args.export} (CSV)")
        return 0
    if not gaps:
        print(f"no question asked of corpus {engine.corpus} went unanswered"
              + ("" if engine.settings.keep_questions else " (VERBATIM_KEEP_QUESTIONS is off: none are kept)"))
        return 0
    for gap in gaps[:args.limit]:
        print(describe(gap))
    if len(gaps) > args.limit:
        print(f"... and {len(gaps) - args.limit} more groups (--limit, or --export FILE for them all)")
    return 0


def describe(gap: Gap) -> str:
    lines = [f"{tally(gap)}  \u201c{gap.example}\u201d"]
    if len(gap.wordings) > 1:
        lines.append("    also asked as: " + "; ".join(f"\u201c{w}\u201d" for w in gap.wordings[1:6])
                     + (f" and {len(gap.wordings) - 6} more" if len(gap.wordings) > 6 else ""))
    lines.append(f"    closest passage: {where(gap.closest)}")
    return "\n".join(lines)

