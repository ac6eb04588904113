"""`feedback`: what members said of the answers they were shown (the bot's Helpful / Wrong)."""
from __future__ import annotations

import json
from dataclasses import asdict

from index.cli.common import add_index_options
from index.store import answers as remembered


def register(commands) -> None:
    fb = commands.add_parser("feedback", help="the answers marked wrong; --export: every voted answer as JSONL")
    fb.add_argument("--export", action="store_true",
                    help="every answer with votes, one JSON object a line (a development set for the reader)")
    fb.add_argument("--limit", type=int, default=20, metavar="N")
    add_index_options(fb)
    fb.set_defaults(run=run_feedback)


def run_feedback(args) -> int:
    from index.cli.common import open_engine

    engine = open_engine(args)
    corpus = args.corpus  # every corpus unless one is named
    if args.export:
        for tally in remembered.rows(engine.store, corpus):
            print(json.dumps(asdict(tally), ensure_ascii=False))
        return 0
    tallies = remembered.marked_wrong(engine.store, corpus, args.limit)
    if not tallies:
        print("no answer has been marked wrong")
    for t in tallies:
        said = f"\u201c{t.answer}\u201d" if t.answer else ("refused" if t.refused else "passages only")
        print(f"{t.wrong} wrong, {t.helpful} helpful  [{t.corpus} v{t.version}]  {t.question}  -> {said}")
    return 0
