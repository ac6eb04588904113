"""`build`, `stats`, `add`, `remove`, `list`, `history`, `rollback`, `audit`: what is indexed, and
changing it. Every change goes through content.ContentManager: locked, versioned and audited."""
from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path

from index.errors import EngineError

BAR_WIDTH = 30


def register(commands) -> None:
    from index.cli.common import add_index_options
    from index.content.validation import FILE_TYPES

    build = commands.add_parser("build", help="rebuild a corpus from its sources: the content files "
                                "(default: the configured content) and the documents added by hand")
    build.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                       help="files and folders to index instead of the configured content (VERBATIM_CONTENT)")
    build.add_argument("--if-missing", action="store_true", help="only when nothing is indexed yet")
    _change_options(build)
    build.set_defaults(run=run_build)

    stats = commands.add_parser("stats", help="what is indexed")
    stats.add_argument("--json", action="store_true")
    add_index_options(stats)
    stats.set_defaults(run=run_stats)

    add = commands.add_parser("add", help=f"add documents ({FILE_TYPES} files, or a page by URL)")
    add.add_argument("files", nargs="*", type=Path, metavar="FILE",
                     help=f"{FILE_TYPES} files, all added in one version")
    add.add_argument("--url", action="append", default=[], metavar="URL",
                     help="fetch a page and add its main text (when VERBATIM_ALLOW_URLS is on)")
    _change_options(add)
    add.set_defaults(run=run_add)

    remove = commands.add_parser("remove", help="take a document out (older versions keep it)")
    remove.add_argument("document", help="the document's name, as `list` shows it")
    _change_options(remove)
    remove.set_defaults(run=run_remove)

    listing = commands.add_parser("list", help="the documents of the live version")
    listing.add_argument("--json", action="store_true")
    add_index_options(listing)
    listing.set_defaults(run=run_list)

    history = commands.add_parser("history", help="versions: when, who, what changed")
    history.add_argument("--limit", type=int, default=25, metavar="N")
    history.add_argument("--json", action="store_true")
    add_index_options(history)
    history.set_defaults(run=run_history)

    rollback = commands.add_parser("rollback", help="make an older version live again (as a new version)")
    rollback.add_argument("version", type=int, metavar="N",
                          help="the version to make live again, as `history` numbers it")
    _change_options(rollback)
    rollback.set_defaults(run=run_rollback)

    prune = commands.add_parser("prune", help="delete old versions of every corpus and give the space back")
    prune.add_argument("--keep", type=int, metavar="N",
                       help="versions kept per corpus, the live one always (default: VERBATIM_KEEP_VERSIONS)")
    _change_options(prune)
    prune.set_defaults(run=run_prune)

    audit = commands.add_parser("audit", help="the audit log: every change and attempt, failures included")
    audit.add_argument("--limit", type=int, default=50, metavar="N")
    audit.add_argument("--json", action="store_true")
    add_index_options(audit)
    audit.set_defaults(run=run_audit)


def _change_options(command) -> None:
    from index.cli.common import add_index_options

    add_index_options(command)
    command.add_argument("--actor", default=None, metavar="WHO",
                         help="who makes the change, for the audit log (default: cli:<user>)")


def _actor(args) -> str:
    if args.actor:
        return args.actor
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in some containers
        return "cli"


def _open(args):
    """The engine (for its settings and corpus) and a content manager on the same store."""
    from index.cli.common import open_engine

    engine = open_engine(args)
    return engine, engine.content


def on_wait(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class ProgressDisplay:
    """A bar redrawn in place on a terminal; one plain line per document when piped."""

    def __init__(self, stream=None, label: str = "indexing"):
        self.stream = stream or sys.stdout
        self.label = label
        self.tty = self.stream.isatty()
        self.drawn = False

    def __call__(self, documents_done: int, documents_total: int, passages_done: int) -> None:
        if self.tty:
            filled = BAR_WIDTH * documents_done // max(1, documents_total)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(f"\r{self.label} [{bar}] {documents_done}/{documents_total} documents, "
                              f"{passages_done} passages")
            self.drawn = True
        elif documents_done:  # the 0/N call only matters for a bar
            self.stream.write(f"{self.label}: {documents_done}/{documents_total} documents, "
                              f"{passages_done} passages\n")
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


class EmbeddingDisplay:
    """How far a build's embedding of its passages got: a line redrawn on a terminal, a line a
    step when piped; silent for the few passages of an ordinary document."""
    least = 1_000  # passages: fewer embed in a second or two

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total < self.least:
            return
        line = f"embedding: {done}/{total} passages"
        self.stream.write(f"\r{line}" + ("\n" if done >= total else "") if self.tty else line + "\n")
        self.stream.flush()


def _report(report, store_path) -> None:
    print(f"{report.action}: {report.summary()} in {report.seconds * 1000:.0f} ms -> {store_path}")
    for note in report.notes:
        print(f"note: {note}")


def run_build(args) -> int:
    engine, manager = _open(args)
    if args.if_missing and engine.current() is not None:
        print(f"index present at {engine.store.name} (corpus {engine.corpus}); not rebuilt")
        return 0
    if args.sources and [Path(p) for p in args.sources] != list(engine.settings.content):
        configured = ", ".join(map(str, engine.settings.content)) or "(none)"
        print(f"building corpus {engine.corpus} from {', '.join(map(str, args.sources))} INSTEAD OF the "
              f"configured content ({configured}, VERBATIM_CONTENT); documents added by hand are kept. "
              "To add documents to it, use `python -m index add`.")
    progress = ProgressDisplay()
    manager.on_embedding = EmbeddingDisplay()
    try:
        report = manager.reindex(engine.corpus, _actor(args), args.sources or None,
                                 on_progress=progress, on_wait=on_wait)
    finally:
        progress.close()
    _report(report, engine.store.name)
    engine.current()  # load it once: the English frequencies of its words are kept for the next question
    return 0


def run_prune(args) -> int:
    engine, manager = _open(args)
    keep = args.keep if args.keep is not None else engine.settings.keep_versions
    if keep < 1:
        raise EngineError("say how many versions to keep: --keep N (N at least 1), or set VERBATIM_KEEP_VERSIONS")
    store = engine.store
    before = store.size()
    for corpus in store.corpora():
        deleted = manager.prune(corpus, _actor(args), keep, on_wait=on_wait)
        print(f"corpus {corpus}: {deleted} old versions deleted")
    store.vacuum()
    print(f"{store.name}: {before / 1e6:.2f} MB -> {store.size() / 1e6:.2f} MB")
    return 0


def run_add(args) -> int:
    from index.ingest.documents import ReadError

    if not args.files and not args.url:
        raise ReadError("give files to add, or --url URL")
    engine, manager = _open(args)
    actor = _actor(args)
    if args.files:  # all of them in one version, read one at a time
        label = f"adding {args.files[0].name}" if len(args.files) == 1 else f"adding {len(args.files)} files"
        progress = ProgressDisplay(label=label)
        manager.on_embedding = EmbeddingDisplay()
        try:
            report = manager.add_files(engine.corpus, actor, list(args.files), on_progress=progress, on_wait=on_wait)
        finally:
            progress.close()
        _report(report, engine.store.name)
    for url in args.url:
        _report(manager.add_url(engine.corpus, actor, url, on_wait=on_wait), engine.store.name)
    return 0


def run_remove(args) -> int:
    engine, manager = _open(args)
    _report(manager.remove(engine.corpus, _actor(args), args.document, on_wait=on_wait), engine.store.name)
    return 0


def run_rollback(args) -> int:
    engine, manager = _open(args)
    _report(manager.rollback(engine.corpus, _actor(args), args.version, on_wait=on_wait), engine.store.name)
    return 0


def _when(timestamp: float | None) -> str:
    return dt.datetime.fromtimestamp(timestamp).isoformat(sep=" ", timespec="seconds") if timestamp else "-"


def run_list(args) -> int:
    engine, manager = _open(args)
    entries = manager.documents(engine.corpus)
    if args.json:
        print(json.dumps([asdict(e) for e in entries], ensure_ascii=False))
        return 0
    if not entries:
        print(f"corpus {engine.corpus} has no documents")
    for e in entries:
        origin = f"added by {e.added_by} {_when(e.added_at)}" if e.added_by else "content file"
        print(f"{e.name}  ({e.title or 'untitled'}; {e.passages} passages; {origin})")
    return 0


def run_history(args) -> int:
    engine, manager = _open(args)
    entries = manager.history(engine.corpus, args.limit)
    if args.json:
        print(json.dumps([asdict(e) for e in entries], ensure_ascii=False))
        return 0
    if not entries:
        print(f"corpus {engine.corpus} has no versions yet")
    for e in entries:
        what = []
        if e.documents_added:
            what.append("+" + ", +".join(e.documents_added))
        if e.documents_removed:
            what.append("-" + ", -".join(e.documents_removed))
        what.append(f"passages +{e.passages_added}/-{e.passages_removed}")
        live = " (live)" if e.live else ""
        print(f"v{e.number}{live}  {_when(e.created_at)}  {e.author}  {e.action}: {'; '.join(what)}")
    return 0


def run_audit(args) -> int:
    engine, manager = _open(args)
    entries = manager.audit(engine.corpus, args.limit)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False))
        return 0
    for e in entries:
        print(f"{_when(e['at'])}  {e['actor']}  {e['action']} {e['detail']}: {e['result']}")
    return 0


def run_stats(args) -> int:
    from index.cli.common import open_engine

    stats = open_engine(args).stats()
    if args.json:
        print(json.dumps(stats.__dict__))
        return 0
    when = dt.datetime.fromtimestamp(stats.created_at).isoformat(timespec="seconds")
    print(f"corpus {stats.corpus}: version {stats.version} built {when}; "
          f"{stats.documents} documents, {stats.passages} passages, {stats.sections} sections")
    return 0
