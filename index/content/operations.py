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

import codecs
import fcntl
import hashlib
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from index.ingest.documents import Block, Document, ReadError
from index.engine import EngineError
from index.ingest.fetching import fetch
from index.ingest.passages import Passage, split_passages
from index.ingest.reading import SUFFIXES, read_bytes, read_path
from index.settings import IndexSettings
from index.store.sqlite import (ADDED, AUDIT_STARTED, CONFIGURED, Snapshot, Source, Store, diff,
                    test_pause)

Progress = Callable[[int, int, int], None]  # documents done, documents in all, passages done
Waiting = Callable[[str], None]

UPLOAD_SUFFIXES = (".txt", ".md", ".html")  # what the issue promises; the readers take a few more
MAX_NAME_CHARS = 150
CORPUS_NAME = re.compile(r"^\w[\w.-]{0,99}$")


class ContentError(EngineError):
    """A change refused or failed; the message says why and what to do."""


@dataclass
class ChangeReport:
    corpus: str
    action: str
    version: int
    documents: int  # in the new version
    passages: int
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    passages_added: int = 0
    passages_removed: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # things the user should know, e.g. a document kept as it was

    def summary(self) -> str:
        """One line for a reply, the CLI and the audit log."""
        parts = [f"version {self.version}: {self.documents} documents, {self.passages} passages"]
        if self.documents_added:
            parts.append("added " + ", ".join(self.documents_added))
        if self.documents_removed:
            parts.append("removed " + ", ".join(self.documents_removed))
        parts.append(f"passages +{self.passages_added}/-{self.passages_removed}")
        return "; ".join(parts)


@dataclass
class DocumentEntry:
    """A document of the live version, for /content list and autocomplete."""
    name: str
    title: str | None
    origin: str  # CONFIGURED or ADDED
    passages: int
    characters: int
    source: str | None  # the file, URL or upload it came from
    added_by: str | None = None
    added_at: float | None = None


@dataclass
class VersionEntry:
    """A line of /content history: when, who, what changed."""
    number: int
    created_at: float
    author: str
    action: str
    live: bool
    documents_added: list[str]
    documents_removed: list[str]
    passages_added: int
    passages_removed: int
    documents: int | None  # in that version (None for versions written before this was recorded)
    passages: int | None


# -- checks on input ---------------------------------------------------------------------------

def check_corpus(name: str) -> str:
    if not isinstance(name, str) or not CORPUS_NAME.match(name):
        raise ContentError(f"{name!r} is not a corpus name: use letters, digits, '.', '-' and '_' "
                           "(up to 100, starting with a letter or digit)")
    return name


def check_filename(filename: str) -> tuple[str, str]:
    """(name, reader kind) of an uploaded file's name, or ContentError: a bare, visible file name
    with a supported suffix, nothing that could point elsewhere or hide."""
    if not isinstance(filename, str) or not filename:
        raise ContentError("the file has no name")
    shown = repr(filename[:MAX_NAME_CHARS])
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in filename):
        raise ContentError(f"the file name {shown} holds control characters")
    if "/" in filename or "\\" in filename or PureWindowsPath(filename).drive:
        raise ContentError(f"the file name {shown} is a path: give the file's own name only")
    if filename in (".", "..") or filename.startswith("."):
        raise ContentError(f"the file name {shown} is hidden or a directory name")
    if filename != filename.strip():
        raise ContentError(f"the file name {shown} begins or ends with spaces")
    if len(filename) > MAX_NAME_CHARS:
        raise ContentError(f"the file name is longer than {MAX_NAME_CHARS} characters")
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ContentError(f"{filename}: unsupported file type {suffix or '(none)'!r}; "
                           f"attach a {', '.join(UPLOAD_SUFFIXES)} file")
    return filename, SUFFIXES[suffix]


def as_utf8(data: bytes) -> bytes:
    """UTF-16 files (with their byte-order mark) in UTF-8, the one encoding the readers take."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                raise ReadError("the file starts like UTF-16 text but is not valid UTF-16") from None
    return data


def source_files(sources: list[Path]) -> list[Path]:
    """Every supported file under the given files and folders, in a stable order (hidden ones skipped)."""
    files: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            files.extend(sorted(f for f in source.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in f.relative_to(source).parts)))
        elif source.is_file():
            files.append(source)
        else:
            raise ReadError(f"{source}: no such file or folder")
    seen: dict[str, Path] = {}
    for path in files:
        if path.name in seen:
            raise ReadError(f"two documents are named {path.name!r}: {seen[path.name]} and {path}")
        seen[path.name] = path
    return files


BLOCKS_PER_BATCH = 250


def split_in_batches(doc: Document, max_chars: int, on_batch: Callable[[int], None] | None = None,
                     batch_size: int = BLOCKS_PER_BATCH) -> list[Passage]:
    """split_passages(doc), a batch of blocks at a time, calling on_batch(passages so far) between
    batches; each batch starts with the heading in force so sections and numbering come out the same."""
    if on_batch is None or len(doc.blocks) <= batch_size:
        return split_passages(doc, max_chars)
    passages: list[Passage] = []
    heading: list[Block] = []
    paragraphs_before = 0
    for start in range(0, len(doc.blocks), batch_size):
        batch = doc.blocks[start:start + batch_size]
        part = Document(doc.name, doc.text, doc.title, doc.byline, doc.date, doc.source, heading + batch)
        passages.extend(replace(p, paragraph=p.paragraph + paragraphs_before)
                        for p in split_passages(part, max_chars))
        paragraphs_before += sum(b.kind == "paragraph" for b in batch)
        heading = [b for b in batch if b.kind == "heading"][-1:] or heading
        on_batch(len(passages))
    return passages


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- the change lock -----------------------------------------------------------------------------

def lock_path(store: Store, corpus: str) -> Path:
    return store.path.with_name(f"{store.path.name}.{corpus}.lock")


@contextmanager
def change_lock(store: Store, corpus: str, on_wait: Waiting | None = None,
                timeout: float | None = None) -> Iterator[None]:
    """One change to a corpus at a time, across threads and processes. An flock is released by
    the kernel when its holder dies, so a killed build never leaves the corpus locked."""
    path = lock_path(store, corpus)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"another change to corpus {corpus} is running; waiting…")
            _wait_for_lock(handle, corpus, timeout)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_for_lock(handle, corpus: str, timeout: float | None) -> None:
    if timeout is None:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise ContentError(f"another change to corpus {corpus} is still running after "
                                   f"{timeout:g} s; try again when it is done") from None
            time.sleep(0.1)


# -- the audit log -------------------------------------------------------------------------------

class _Audit:
    """One change's entry: written 'started' once the lock is held, then its result."""

    def __init__(self, store: Store, corpus: str, actor: str, action: str, detail: str):
        self.store, self.corpus, self.actor, self.action, self.detail = store, corpus, actor, action, detail
        self.entry: int | None = None
        self.result = "ok"

    def started(self) -> None:
        # Holding the lock, any other 'started' entry belongs to a process that died mid-change.
        self.store.mark_interrupted(self.corpus)
        self.entry = self.store.record(self.corpus, self.actor, self.action, self.detail, AUDIT_STARTED)

    def finish(self, result: str) -> None:
        if self.entry is None:
            self.store.record(self.corpus, self.actor, self.action, self.detail, result)
        else:
            self.store.finish_record(self.entry, result)


class _Counter:
    """Progress as documents are read and split."""

    def __init__(self, callback: Progress | None, total: int):
        self.callback, self.total, self.documents, self.passages = callback, total, 0, 0
        self._tell()

    def document_done(self, passages: int) -> None:
        self.documents += 1
        self.passages += passages
        self._tell()

    def passages_so_far(self, in_this_document: int) -> None:
        """Within a long document, so that a 2 MB file shows progress too."""
        self._tell(in_this_document)

    def _tell(self, extra_passages: int = 0) -> None:
        if self.callback is not None:
            self.callback(self.documents, self.total, self.passages + extra_passages)


# -- the operations ------------------------------------------------------------------------------

class ContentManager:
    """Content operations on the corpora of one store. Every change method takes the corpus,
    the actor (who asked: "discord:<user id> (<name>)", "cli:<user>") and the change's own
    arguments, and returns a ChangeReport or raises (ContentError, ReadError, FetchError)."""

    def __init__(self, store: Store, settings: IndexSettings | None = None):
        self.store = store
        self.settings = settings or IndexSettings()
        self.allow_loopback = False  # tests only: lets add_url reach a server on 127.0.0.1

    @classmethod
    def from_settings(cls, settings: IndexSettings) -> "ContentManager":
        return cls(Store(settings.index_path), settings)

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_bytes

    # -- reading ----------------------------------------------------------------------

    def documents(self, corpus: str) -> list[DocumentEntry]:
        live = self.store.load(check_corpus(corpus))
        if live is None:
            return []
        counts: dict[str, int] = {}
        for p in live.passages:
            counts[p.document] = counts.get(p.document, 0) + 1
        out = []
        for doc in live.documents:
            src = live.source(doc.name)
            out.append(DocumentEntry(doc.name, doc.title, src.origin, counts.get(doc.name, 0), len(doc.text),
                                     doc.source, src.added_by, src.added_at))
        return out

    def history(self, corpus: str, limit: int | None = 25) -> list[VersionEntry]:
        """Newest first."""
        live = self.store.live_version(check_corpus(corpus))
        out = []
        for v in self.store.history(corpus)[:limit]:
            c = v.changes
            out.append(VersionEntry(v.number, v.created_at, v.author, v.action, live is not None and v.id == live.id,
                                    c.get("documents_added", []), c.get("documents_removed", []),
                                    c.get("passages_added", 0), c.get("passages_removed", 0),
                                    c.get("documents"), c.get("passages")))
        return out

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
                 wait_timeout: float | None = None) -> ChangeReport:
        """Add an uploaded .txt, .md or .html file as a new document."""
        detail = f"file {filename!r} ({len(data):,} bytes)"
        with self._audited(corpus, actor, "add", detail) as audit:
            name, kind = check_filename(filename)
            if len(data) > self.max_upload_bytes:
                raise ContentError(f"{name} is {len(data):,} bytes; the limit is {self.max_upload_bytes:,}")
            data = as_utf8(data)
            doc = read_bytes(data, name, kind, source=f"{name}, added by {actor}")
            return self._add(corpus, actor, doc, kind, data, audit, on_progress, on_wait, wait_timeout)

    def add_url(self, corpus: str, actor: str, url: str, *, on_progress: Progress | None = None,
                on_wait: Waiting | None = None, wait_timeout: float | None = None) -> ChangeReport:
        """Fetch a page (when the settings allow it) and add its main text as a new document."""
        with self._audited(corpus, actor, "add", f"url {url!r}") as audit:
            if not self.settings.allow_urls:
                raise ContentError("adding a page by URL is turned off here (VERBATIM_ALLOW_URLS); "
                                   "attach the file instead")
            page = fetch(url, timeout=self.settings.fetch_timeout_seconds,
                         max_bytes=self.settings.fetch_max_bytes,
                         allow_loopback=self.allow_loopback)
            check_filename(page.name)
            doc = read_bytes(page.data, page.name, page.kind, source=page.url)
            return self._add(corpus, actor, doc, page.kind, page.data, audit, on_progress, on_wait, wait_timeout)

    def _add(self, corpus, actor, doc: Document, kind: str, original: bytes, audit: _Audit,
             on_progress, on_wait, wait_timeout) -> ChangeReport:
        with self._locked(corpus, audit, on_wait, wait_timeout):
            started = time.perf_counter()
            live = self._live_or_seed(corpus, actor, started)
            _refuse_duplicate(live, doc, corpus)
            passages = self._split(doc, _Counter(on_progress, 1))
            sha = _sha(original)
            sources = {**(live.sources if live else {}),
                       doc.name: Source(ADDED, kind, sha, actor, time.time())}
            report = self._publish(corpus, actor, "add", live, [*(live.documents if live else []), doc],
                                   [*(live.passages if live else []), *passages], sources,
                                   live.excluded if live else frozenset(), started, originals={sha: original})
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
                    names = ", ".join(d.name for d in live.documents)
                    raise ContentError(f"corpus {corpus} has no document {document!r}; it has: {names}")
                if len(live.documents) == 1:
                    raise ContentError(f"{document} is the only document of corpus {corpus}: "
                                       "add another before removing it")
                excluded = live.excluded | {doc.name} if live.source(doc.name).origin == CONFIGURED else live.excluded
                sources = {n: s for n, s in live.sources.items() if n != doc.name}
                report = self._publish(corpus, actor, "remove", live,
                                       [d for d in live.documents if d.name != doc.name],
                                       [p for p in live.passages if p.document != doc.name],
                                       sources, excluded, started)
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
            with self._locked(corpus, audit, on_wait, wait_timeout):
                started = time.perf_counter()
                live = self.store.load(corpus)
                report = self._rebuild(corpus, actor, "reindex", live, files, on_progress, started)
            audit.result = report.summary()
            return report

    def _rebuild(self, corpus, actor, action: str, live: Snapshot | None, files: list[Path], on_progress,
                 started: float) -> ChangeReport:
        excluded = live.excluded if live else frozenset()
        added = [d for d in live.documents if live.source(d.name).origin == ADDED] if live else []
        notes = [f"{f.name}: kept the copy added by hand, not the content file" for f in files
                 if f.name in {d.name for d in added}]
        files = [f for f in files if f.name not in excluded and f.name not in {d.name for d in added}]
        if not files and not added:
            raise ReadError("no documents to index: the content files are missing or all removed, "
                            "and none was added by hand")
        counter = _Counter(on_progress, len(files) + len(added))
        documents, passages, doc_sources = [], [], {}
        for path in files:
            doc = read_path(path)
            documents.append(doc)
            doc_sources[doc.name] = Source(CONFIGURED, SUFFIXES[path.suffix.lower()])
            passages.extend(self._split(doc, counter))
        for doc in added:
            source = live.source(doc.name)
            documents.append(self._reread(doc, source, notes))
            doc_sources[doc.name] = source
            passages.extend(self._split(documents[-1], counter))
        report = self._publish(corpus, actor, action, live, documents, passages, doc_sources,
                               excluded, started)
        report.notes = notes
        return report

    def _reread(self, doc: Document, source: Source, notes: list[str]) -> Document:
        """A hand-added document read again from its original bytes (the readers may have improved);
        the stored copy when they cannot be read, so nothing is ever dropped by a rebuild."""
        data = self.store.original(source.original) if source.original else None
        if data is None:
            return doc
        try:
            return read_bytes(data, doc.name, source.kind, source=doc.source)
        except ReadError as exc:
            notes.append(f"{doc.name}: kept as it was ({exc})")
            return doc

    def rollback(self, corpus: str, actor: str, number: int, *, on_wait: Waiting | None = None,
                 wait_timeout: float | None = None) -> ChangeReport:
        """Make an older version live again, as a new version (history only ever grows)."""
        with self._audited(corpus, actor, "rollback", f"to version {number}") as audit:
            with self._locked(corpus, audit, on_wait, wait_timeout):
                started = time.perf_counter()
                live = self.store.load(corpus)
                target = self.store.load(corpus, number) if isinstance(number, int) else None
                if target is None:
                    newest = live.version.number if live else 0
                    raise ContentError(f"corpus {corpus} has no version {number!r}"
                                       + (f"; its versions are 1 to {newest}" if newest else ""))
                if live is not None and live.version.id == target.version.id:
                    raise ContentError(f"version {number} is already the live version of corpus {corpus}")
                report = self._publish(corpus, actor, f"rollback to {number}", live, target.documents,
                                       target.passages, target.sources, target.excluded, started,
                                       extra={"rollback_to": number})
            audit.result = report.summary()
            return report

    # -- the steps every change shares -----------------------------------------------------

    @contextmanager
    def _audited(self, corpus: str, actor: str, action: str, detail: str) -> Iterator[_Audit]:
        audit = _Audit(self.store, corpus, actor, action, detail)
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
    def _locked(self, corpus: str, audit: _Audit, on_wait, wait_timeout) -> Iterator[None]:
        with change_lock(self.store, corpus, on_wait, wait_timeout):
            audit.started()
            yield

    def _split(self, doc: Document, counter: _Counter | None = None) -> list[Passage]:
        passages = split_in_batches(doc, self.settings.max_passage_chars,
                                    counter.passages_so_far if counter is not None else None)
        test_pause()
        if counter is not None:
            counter.document_done(len(passages))
        return passages

    def _publish(self, corpus, actor, action, previous: Snapshot | None, documents: list[Document],
                 passages: list[Passage], sources: dict[str, Source], excluded: frozenset[str],
                 started: float, originals: dict[str, bytes] | None = None,
                 extra: dict | None = None) -> ChangeReport:
        changes = {**diff(previous, documents, passages), "documents": len(documents),
                   "passages": len(passages), **(extra or {})}
        version = self.store.publish(corpus, documents, passages, actor, action, changes,
                                     sources=sources, excluded=excluded, originals=originals)
        return ChangeReport(corpus, action, version.number, len(documents), len(passages),
                            changes["documents_added"], changes["documents_removed"],
                            changes["passages_added"], changes["passages_removed"],
                            time.perf_counter() - started)

    def _live_or_seed(self, corpus: str, actor: str, started: float) -> Snapshot | None:
        """The live version; a corpus without one is first created from the default content."""
        live = self.store.load(corpus)
        if live is None and self._seed(corpus, actor, started) is not None:
            live = self.store.load(corpus)
        return live

    def _seed(self, corpus: str, actor: str, started: float) -> tuple[Snapshot | None, ChangeReport] | None:
        """Publish a new corpus's first version: a copy of the default corpus's live version, or
        the configured content files read afresh. None when it is to start empty."""
        default = self.settings.corpus
        if corpus != default and not self.settings.copy_default_content:
            return None
        model = self.store.load(default) if corpus != default else None
        if model is not None:
            report = self._publish(corpus, actor, f"create from {default} v{model.version.number}", None,
                                   model.documents, model.passages, model.sources, model.excluded, started)
            return model, report
        try:
            files = source_files(list(self.settings.content))
        except ReadError:
            return None
        if not files:
            return None
        return None, self._rebuild(corpus, actor, "create from the content files", None, files, None, started)


def _refuse_duplicate(live: Snapshot | None, doc: Document, corpus: str) -> None:
    for other in live.documents if live else []:
        if other.text == doc.text:
            raise ContentError(f"{doc.name} is already in corpus {corpus}"
                               + (" (same text)" if other.name == doc.name else f" as {other.name} (same text)"))
        if other.name == doc.name:
            raise ContentError(f"corpus {corpus} already has a document named {doc.name}: "
                               "remove it first, or give the file another name")
