"""Content operations: what moderators, the CLI and the console do to a corpus.

A corpus's *sources*, what a rebuild (`reindex`) reads, are:
  1. the configured content files (settings.content, or the files a build names), less the
     ones a moderator removed from this corpus (the live version's `excluded` names);
  2. every document a moderator added and has not removed since, read again from the original
     bytes the store keeps.
So a rebuild never loses a document added by hand, never brings back one a moderator removed,
and a removed document is still in the older versions, where a rollback finds it.

Every change follows one path: check the input (bad input fails before anything is touched),
take the corpus's change lock (telling the caller when it has to wait for another change),
read the live version, publish a whole new version, and write the audit log: who, when, what,
and the result, failures included. Questions go on being answered from the live version all
along; a change killed at any instant leaves it live.

Each call is blocking and thread-safe: the bot runs it in a worker thread and renders the
returned ChangeReport; `on_progress(documents_done, documents_total, passages_done)` and
`on_wait(message)` are called from that thread.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.content.audit import Audit
from index.content.building import VersionBuilding, original_hash
from index.content.locking import change_lock
from index.content.reports import (
    ChangeReport,
    DocumentEntry,
    Progress,
    ProgressCounter,
    VersionEntry,
    Waiting,
    document_entries,
    version_entries,
    version_ranges,
)
from index.content.feeds import FeedFollowing
from index.content.scopes import ChannelScopes
from index.content.validation import (
    as_utf8,
    check_corpus,
    check_filename,
    check_size,
    file_size,
    refuse_duplicate,
    source_files,
)
from index.errors import ContentError
from index.ingest.documents import Document, ReadError
from index.ingest.fetching import Fetched, fetch
from index.ingest.reading import read_bytes
from index.settings import IndexSettings
from index.store.lazy import open_version
from index.store import open_store
from index.store.base import Store
from index.store.snapshots import ADDED, CONFIGURED, ChangeCount, Snapshot, Source

Fetcher = Callable[..., Fetched]


# -- the operations ------------------------------------------------------------------------------

class ContentManager(VersionBuilding, ChannelScopes, FeedFollowing):
    """Content operations on the corpora of one store. Every change method takes the corpus,
    the actor (who asked: "discord:<user id> (<name>)", "cli:<user>") and the change's own
    arguments, and returns a ChangeReport or raises (ContentError, ReadError, FetchError)."""

    def __init__(self, store: Store, settings: IndexSettings | None = None, fetcher: Fetcher = fetch):
        """`fetcher` gets pages for add_url and feeds (content/feeds.py): `fetch` itself, which
        refuses private addresses."""
        self.store = store
        self.settings = settings or IndexSettings()
        self.fetcher = fetcher

    @classmethod
    def from_settings(cls, settings: IndexSettings) -> "ContentManager":
        return cls(open_store(settings), settings)

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_bytes

    # -- reading ----------------------------------------------------------------------

    def documents(self, corpus: str) -> list[DocumentEntry]:
        return document_entries(open_version(self.store, check_corpus(corpus)))

    def history(self, corpus: str, limit: int | None = 25) -> list[VersionEntry]:
        """Newest first."""
        return version_entries(self.store.history(check_corpus(corpus))[:limit], self.store.live_version(corpus))

    def audit(self, corpus: str | None = None, limit: int = 50) -> list[dict]:
        return self.store.audit_log(corpus, limit)

    # -- changes ----------------------------------------------------------------------

    def ensure(self, corpus: str, actor: str = "system", on_wait: Waiting | None = None) -> ChangeReport | None:
        """Create the corpus from the default content if it has no version yet (a report), else None.
        Cheap when the corpus exists: the bot may call it before each use of a server's corpus."""
        if self.store.live_version(check_corpus(corpus)) is not None:
            return None
        with self._audited(corpus, actor, "create", "from the default content") as audit:
            with self._locked(corpus, audit, on_wait, None):
                if self.store.live_version(corpus) is not None:
                    audit.result = "already there"
                    return None
                started = time.perf_counter()
                seeded = self._seed(corpus, actor, started)
                if seeded is None:
                    raise ContentError(f"corpus {corpus} starts empty on this server: add a document to it")
                audit.result = seeded[1].summary()
                return seeded[1]

    def add_file(self, corpus: str, actor: str, filename: str, data: bytes, *,
                 on_progress: Progress | None = None, on_wait: Waiting | None = None,
                 wait_timeout: float | None = None, limit: int | None = None) -> ChangeReport:
        """Add a file as a new document. `limit` is its largest size: an upload's by default, the
        CLI's larger one (VERBATIM_MAX_DOCUMENT_BYTES) for a local file."""
        detail = f"file {filename!r} ({len(data):,} bytes)"
        with self._audited(corpus, actor, "add", detail) as audit:
            name, kind = check_filename(filename)
            check_size(name, len(data), limit or self.max_upload_bytes)
            data = as_utf8(data)
            doc = read_bytes(data, name, kind, source=f"{name}, added by {actor}")
            return self._add(corpus, actor, doc, kind, data, audit, on_progress, on_wait, wait_timeout)

    def add_files(self, corpus: str, actor: str, paths: list[Path], *, on_progress: Progress | None = None,
                  on_wait: Waiting | None = None, wait_timeout: float | None = None) -> ChangeReport:
        """Add local files as new documents, all in one version; each is read, split and staged in
        turn, so that a folder of any size is added in the memory of one file. Every name and size
        is checked first (VERBATIM_MAX_DOCUMENT_BYTES); any failure changes nothing."""
        detail = f"{len(paths)} files: " + ", ".join(p.name for p in paths[:5]) + (", …" if len(paths) > 5 else "")
        with self._audited(corpus, actor, "add", detail) as audit:
            kinds = {path: check_filename(path.name)[1] for path in paths}
            self._check_sizes(paths)
            with self._locked(corpus, audit, on_wait, wait_timeout):
                started = time.perf_counter()
                live = self._live_or_seed(corpus, actor, started)
                files = self._read_added(corpus, actor, live, kinds, ProgressCounter(on_progress, len(paths)))
                report = self._on_live(corpus, actor, "add", live, started, adding=files)
            audit.result = report.summary()
            return report

    def add_url(self, corpus: str, actor: str, url: str, *, on_progress: Progress | None = None,
                on_wait: Waiting | None = None, wait_timeout: float | None = None) -> ChangeReport:
        """Fetch a page (when the settings allow it) and add its main text as a new document."""
        with self._audited(corpus, actor, "add", f"url {url!r}") as audit:
            if not self.settings.allow_urls:
                raise ContentError("adding a page by URL is turned off here (VERBATIM_ALLOW_URLS); "
                                   "attach the file instead")
            page = self.fetcher(url, timeout=self.settings.fetch_timeout_seconds,
                                max_bytes=self.settings.fetch_max_bytes)
            check_filename(page.name)
            doc = read_bytes(page.data, page.name, page.kind, source=page.url)
            return self._add(corpus, actor, doc, page.kind, page.data, audit, on_progress, on_wait, wait_timeout)

    def check_upload(self, corpus: str, actor: str, filename: str, size: int) -> None:
        """Refuse an upload by its name and announced size before anyone fetches it; a refusal
        is audited like any failed change."""
        try:
            name, _ = check_filename(filename)
            check_size(name, size, self.max_upload_bytes)
        except ContentError as exc:
            self.record_failure(corpus, actor, "add", f"file {filename!r} ({size:,} bytes)", exc)
            raise

    def record_failure(self, corpus: str, actor: str, action: str, detail: str, error: Exception) -> None:
        """Audit a change that failed before it started (a front-end could not fetch the file)."""
        self.store.record(corpus, actor, action, detail, f"failed: {error}")

    def _add(self, corpus, actor, doc: Document, kind: str, original: bytes, audit: Audit,
             on_progress, on_wait, wait_timeout) -> ChangeReport:
        with self._locked(corpus, audit, on_wait, wait_timeout):
            started = time.perf_counter()
            live = self._live_or_seed(corpus, actor, started)
            refuse_duplicate(live, doc, corpus)
            passages = self._split(doc, ProgressCounter(on_progress, 1))
            source = Source(ADDED, kind, original_hash(original), actor, time.time())
            report = self._on_live(corpus, actor, "add", live, started, adding=[(doc, passages, source, original)])
        audit.result = report.summary()
        return report

    def remove(self, corpus: str, actor: str, document: str, *, on_wait: Waiting | None = None,
               wait_timeout: float | None = None) -> ChangeReport:
        """Take a document out of the corpus (older versions keep it; a rollback brings it back)."""
        with self._audited(corpus, actor, "remove", f"document {document!r}") as audit:
            with self._locked(corpus, audit, on_wait, wait_timeout):
                started = time.perf_counter()
                live = self._live_or_seed(corpus, actor, started)
                if live is None:
                    raise ContentError(f"corpus {corpus} has no documents yet")
                doc = live.document(document)
                if doc is None:
                    names = ", ".join(d.name for d in live.documents.labelled())
                    raise ContentError(f"corpus {corpus} has no document {document!r}; it has: {names}")
                if len(live.documents) == 1:
                    raise ContentError(f"{document} is the only document of corpus {corpus}: "
                                       "add another before removing it")
                excluded = live.excluded | {doc.name} if live.source(doc.name).origin == CONFIGURED else live.excluded
                report = self._on_live(corpus, actor, "remove", live, started, without=doc.name, excluded=excluded)
            audit.result = report.summary()
            return report

    def reindex(self, corpus: str, actor: str, sources: list[Path] | None = None, *,
                on_progress: Progress | None = None, on_wait: Waiting | None = None,
                wait_timeout: float | None = None) -> ChangeReport:
        """Rebuild the corpus from its sources: the content files (`sources`, by default the
        configured ones) less those removed here, and the documents added by hand."""
        paths = list(sources) if sources is not None else list(self.settings.content)
        detail = "from " + (", ".join(map(str, paths)) or "(no files)")
        with self._audited(corpus, actor, "reindex", detail) as audit:
            files = source_files(paths)  # a missing folder fails here, before any waiting
            self._check_sizes(files)
            with self._locked(corpus, audit, on_wait, wait_timeout):
                started = time.perf_counter()
                live = open_version(self.store, corpus)  # read on demand: an archive is never loaded whole
                report = self._rebuild(corpus, actor, "reindex", live, files, on_progress, started)
            audit.result = report.summary()
            return report

    def _check_sizes(self, files: list[Path]) -> None:
        for path in files:
            check_size(str(path), file_size(path), self.settings.max_document_bytes, "VERBATIM_MAX_DOCUMENT_BYTES")

    def rollback(self, corpus: str, actor: str, number: int, *, on_wait: Waiting | None = None,
                 wait_timeout: float | None = None) -> ChangeReport:
        """Make an older version live again, as a new version (history only ever grows)."""
        with self._audited(corpus, actor, "rollback", f"to version {number}") as audit:
            with self._locked(corpus, audit, on_wait, wait_timeout):
                started = time.perf_counter()
                live = open_version(self.store, corpus)
                target = open_version(self.store, corpus, number) if isinstance(number, int) else None
                if target is None:
                    kept = sorted(v.number for v in self.store.history(corpus))
                    raise ContentError(f"corpus {corpus} has no version {number!r}"
                                       + (f"; its versions are {version_ranges(kept)}" if kept else ""))
                if live is not None and live.version.id == target.version.id:
                    raise ContentError(f"version {number} is already the live version of corpus {corpus}")
                count = ChangeCount(live)
                count.add_version(target)
                report = self._on_live(corpus, actor, f"rollback to {number}", target, started,
                                       changes={**count.result(), "rollback_to": number}, excluded=target.excluded)
            audit.result = report.summary()
            return report

    def prune(self, corpus: str, actor: str, keep: int, *, on_wait: Waiting | None = None) -> int:
        """Delete the versions older than the newest `keep` (never the live one): they can no
        longer be rolled back to. The number deleted."""
        with self._audited(corpus, actor, "prune", f"keep the newest {keep} versions") as audit:
            with self._locked(corpus, audit, on_wait, None):
                deleted = self.store.prune(corpus, keep)
            audit.result = f"{deleted} versions deleted"
            return deleted

    # -- the steps every change shares -----------------------------------------------------

    @contextmanager
    def _audited(self, corpus: str, actor: str, action: str, detail: str) -> Iterator[Audit]:
        audit = Audit(self.store, corpus, actor, action, detail)
        try:
            check_corpus(corpus)
            yield audit
        except BaseException as exc:
            try:
                audit.finish(f"failed: {exc}" if str(exc) else f"failed: {type(exc).__name__}")
            except Exception:  # the audit must not hide the error that matters
                pass
            raise
        else:
            audit.finish(audit.result)

    @contextmanager
    def _locked(self, corpus: str, audit: Audit, on_wait, wait_timeout) -> Iterator[None]:
        self.store.check_writable()  # a read-only index still answers; it refuses changes up front
        with change_lock(self.store, corpus, on_wait, wait_timeout):
            audit.started()
            yield

    def _live_or_seed(self, corpus: str, actor: str, started: float) -> Snapshot | None:
        """The live version; a corpus without one is first created from the default content."""
        live = open_version(self.store, corpus)  # read on demand: an archive is never loaded whole
        if live is None and self._seed(corpus, actor, started) is not None:
            live = open_version(self.store, corpus)
        return live

    def _seed(self, corpus: str, actor: str, started: float) -> tuple[Snapshot | None, ChangeReport] | None:
        """Publish a new corpus's first version: a copy of the default corpus's live version, or
        the configured content files read afresh. None when it is to start empty."""
        default = self.settings.corpus
        if corpus != default and not self.settings.copy_default_content:
            return None
        model = open_version(self.store, default) if corpus != default else None
        if model is not None:
            copied = {"documents_added": [d.name for d in model.documents.labelled()],
                      "passages_added": len(model.passages)}
            report = self._on_live(corpus, actor, f"create from {default} v{model.version.number}", model, started,
                                   changes=copied, excluded=model.excluded)
            return model, report
        try:
            files = source_files(list(self.settings.content))
        except ReadError:
            return None
        if not files:
            return None
        return None, self._rebuild(corpus, actor, "create from the content files", None, files, None, started)
