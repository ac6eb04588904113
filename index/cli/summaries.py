"""`summary`: the content in its own sentences."""
from __future__ import annotations

import json


def register(commands) -> None:
    from . import add_index_options

    summary = commands.add_parser("summary", help="summarise the content in its own sentences")
    length = summary.add_mutually_exclusive_group()
    length.add_argument("--sentences", type=int, metavar="N")
    length.add_argument("--chars", type=int, metavar="N")
    summary.add_argument("--document", metavar="D")
    summary.add_argument("--section", metavar="S")
    summary.add_argument("--topic", metavar="T")
    summary.add_argument("--json", action="store_true")
    add_index_options(summary)
    summary.set_defaults(run=run_summary)


def run_summary(args) -> int:
    from . import open_engine

    engine = open_engine(args)
    result = engine.summary(sentences=args.sentences if args.chars is None else None, chars=args.chars,
                            document=args.document, section=args.section, topic=args.topic)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    elif result.message:
        print(result.message)
    else:
        print(" ".join(s.text for s in result.sentences))
    return 0
