"""`ask`: questions from the command line, one or a batch."""
from __future__ import annotations

import json
import sys

from index.answering import wording
from index.content.scopes import resolve, split_names
from index.engine import AskResult
from index.errors import EngineError, QuestionError

CLI_ASKER = "cli"  # who asks on the command line, as kept questions hash it (Discord's are members' ids)


def register(commands) -> None:
    from index.cli.common import add_index_options

    ask = commands.add_parser("ask", help="answer a question from the index")
    ask.add_argument("question", nargs="?", help="the question (or use --batch)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("-k", type=int, default=None, metavar="N", help="passages to return")
    ask.add_argument("--batch", action="store_true",
                     help="read one question a line on stdin, write one JSON object a line")
    ask.add_argument("--documents", metavar="A,B", help="answer from these documents only, as a channel's scope does")
    ask.add_argument("--no-keep", action="store_true",
                     help="do not keep the question for `gaps` (VERBATIM_KEEP_QUESTIONS=false keeps none)")
    add_index_options(ask)
    ask.set_defaults(run=run_ask)


def run_ask(args) -> int:
    from index.cli.common import open_engine

    engine = open_engine(args)
    if args.k is not None and not 1 <= args.k <= 50:
        raise EngineError("-k takes a number from 1 to 50")
    if args.documents is not None:
        engine = engine.within(resolve(split_names(args.documents), [d.name for d in engine.documents()]))
    keep = (lambda result: None) if args.no_keep else (lambda result: engine.keep(result, CLI_ASKER))
    if args.batch:
        return _batch(engine, args.k, keep)
    if args.question is None:
        raise QuestionError("give a question, or --batch to read questions from stdin")
    result = engine.ask(args.question, k=args.k)
    keep(result)
    print(json.dumps(result.to_json(), ensure_ascii=False) if args.json else render_text(result))
    return 0


def _batch(engine, k: int | None, keep) -> int:
    engine.stats()  # fails early, once, when nothing is indexed
    for number, raw in enumerate(sys.stdin.buffer, 1):
        try:
            question = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:  # answered with an error line, the output staying valid UTF-8
            question = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            out = {"question": question, "error": f"line {number} is not UTF-8 text: save the questions as UTF-8"}
        else:
            try:
                result = engine.ask(question, k=k)
                keep(result)
                out = result.to_json()
            except QuestionError as exc:
                out = {"question": question, "error": str(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def render_text(result: AskResult) -> str:
    lines = []
    if result.refused:
        lines.append(wording.NOT_SAID)
        if result.passages:
            lines.append(wording.CLOSEST)
    elif result.answer:
        lines.append(f"Answer: {result.answer}")
    elif result.passages:
        lines.append(wording.NO_SHORT_ANSWER)
    for hit in result.passages[: 1 if result.refused else len(result.passages)]:
        page = f"page {hit.page}" if hit.page else None
        where = ", ".join(x for x in (hit.document, page, hit.section, f"paragraph {hit.paragraph}") if x)
        lines.append(f"  \"{hit.text}\"\n    ({where}; score {hit.score:.2f})")
        if hit.link:
            lines.append(f"    {hit.link}")
    return "\n".join(lines)
