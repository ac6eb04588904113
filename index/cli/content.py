"""`build` and `stats`: what is indexed."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path


def register(commands) -> None:
    from . import add_index_options

    build = commands.add_parser("build", help="index files and folders (default: the configured content)")
    build.add_argument("sources", nargs="*", type=Path, metavar="SOURCE")
    build.add_argument("--if-missing", action="store_true", help="only when nothing is indexed yet")
    add_index_options(build)
    build.set_defaults(run=run_build)

    stats = commands.add_parser("stats", help="what is indexed")
    stats.add_argument("--json", action="store_true")
    add_index_options(stats)
    stats.set_defaults(run=run_stats)


def run_build(args) -> int:
    from . import open_engine

    engine = open_engine(args)
    if args.if_missing and engine.current() is not None:
        print(f"index present at {engine.store.path} (corpus {engine.corpus}); not rebuilt")
        return 0
    report = engine.build(args.sources or None)
    print(f"indexed {report.documents} documents, {report.passages} passages "
          f"in {report.seconds * 1000:.0f} ms (version {report.version}; "
          f"+{report.passages_added}/-{report.passages_removed} passages) -> {engine.store.path}")
    return 0


def run_stats(args) -> int:
    from . import open_engine

    stats = open_engine(args).stats()
    if args.json:
        print(json.dumps(stats.__dict__))
        return 0
    when = dt.datetime.fromtimestamp(stats.created_at).isoformat(timespec="seconds")
    print(f"corpus {stats.corpus}: version {stats.version} built {when}; "
          f"{stats.documents} documents, {stats.passages} passages, {stats.sections} sections")
    return 0
