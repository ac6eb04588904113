"""What every command of the CLI shares: the --index and --corpus options, and the engine they open."""
from __future__ import annotations

import argparse

from index.engine import Engine
from index.settings import IndexSettings, load_settings


def add_index_options(command: argparse.ArgumentParser) -> None:
    """--index and --corpus, shared by every command that opens the store."""
    command.add_argument("--index", metavar="PATH", help="the SQLite store (default: VERBATIM_DATABASE_URL if set, "
                         "else VERBATIM_INDEX_PATH)")
    command.add_argument("--corpus", metavar="NAME", help="which corpus (default: VERBATIM_CORPUS)")


def open_engine(args: argparse.Namespace) -> Engine:
    overrides = {"index_path": args.index, "database_url": None} if getattr(args, "index", None) else {}
    settings: IndexSettings = load_settings(IndexSettings, **overrides)
    return Engine.from_settings(settings, corpus=getattr(args, "corpus", None))
