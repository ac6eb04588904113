"""`summary`: the content in its own sentences."""
from __future__ import annotations

import argparse
import json


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def register(commands) -> None:
    from index.cli.common import add_index_options

    summary = commands.add_parser("summary", help="summarise the content in its own sentences")
    length = summary.add_mutually_exclusive_group()
    length.add_argument("--sentences", type=positive, metavar="N", help="how many sentences (default 3)")
    length.add_argument("--chars", type=positive, metavar="N",
                        help="at most N characters, the sentences joined by spaces")
    summary.add_argument("--document", metavar="D", help="only this document (file name or title)")
    summary.add_argument("--section", metavar="S", help="only the section under this heading")
    summary.add_argument("--topic", metavar="T", help="the sentences most about T, in order")
    summary.add_argument("--json", action="store_true")
    add_index_options(summary)
    summary.set_defaults(run=run_summary)


def run_summary(args) -> int:
    from index.cli.common import open_engine

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
