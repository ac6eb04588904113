"""`python -m index …`: the engine's command line. Each area's commands live in their own module."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from index.cli import content, embedder, evaluation, feedback, feeds, gaps, questions, reader, stores, summaries
from index.errors import EngineError, StoreError
from index.ingest.documents import ReadError

AREAS = (content, feeds, questions, summaries, feedback, gaps, evaluation, reader, embedder, stores)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m index", description="Verbatim's engine.")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for area in AREAS:
        area.register(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    debug = os.environ.get("VERBATIM_LOG_LEVEL", "").upper() == "DEBUG"
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.run(args) or 0
    except (EngineError, ReadError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `python -m index ask … | head` closed the pipe: not an error
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: one line for the user, the traceback for whoever debugs it
        logging.getLogger("index").debug("unexpected error", exc_info=exc)
        print(f"error: unexpected {type(exc).__name__}: {exc} (a bug; please report it. "
              "VERBATIM_LOG_LEVEL=DEBUG shows the details)", file=sys.stderr)
        return 1
