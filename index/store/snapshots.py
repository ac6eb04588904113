"""What the store holds, as plain values: versions, where documents came from, and whole
snapshots of a corpus; and what a new version changes."""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.documents import Document
from index.ingest.passages import Passage
from index.ingest.reading import SUFFIXES

DEFAULT_CORPUS = "default"
CONFIGURED = "content"  # a document read from the configured content files
ADDED = "added"  # a document a moderator added: its original bytes are in `originals`
AUDIT_STARTED = "started"  # a change still running, or killed before it could say how it ended


@dataclass(frozen=True)
class Version:
    id: int
    corpus: str
    number: int
    created_at: float
    author: str
    action: str
    changes: dict  # documents/passages added and removed, and the like

    @property
    def content(self) -> str:
        """What the version holds, as one string: its content digest (ContentDigest), or for a
        version published without one, its own id."""
        return self.changes.get("content") or f"version:{self.id}"


@dataclass(frozen=True)
class Source:
    """Where a document of a version came from, so that a rebuild can read it again."""
    origin: str  # CONFIGURED or ADDED
    kind: str  # the reader: "text", "markdown" or "html"
    original: str | None = None  # ADDED: sha256 of its original bytes in `originals`
    added_by: str | None = None
    added_at: float | None = None


@dataclass
class Snapshot:
    """One complete version of a corpus: what questions are answered from."""
    version: Version
    documents: Sequence[Document]  # a list, or read on demand (index/store/lazy.py)
    passages: Sequence[Passage]
    sources: dict[str, Source] = field(default_factory=dict)  # by document name
    excluded: frozenset[str] = frozenset()  # configured documents moderators removed

    def document(self, name: str) -> Document | None:
        if not isinstance(self.documents, list):  # read on demand (index/store/lazy.py): by name
            return self.documents.named(name)
        return next((d for d in self.documents if d.name == name), None)

    def source(self, name: str) -> Source:
        return self.sources.get(name) or Source(CONFIGURED, kind_of(name))


def kind_of(name: str) -> str:
    """The reader for a file name (versions written before sources were recorded)."""
    suffix = Path(name).suffix.lower()
    return SUFFIXES.get(suffix, "text")


class ChangeCount:
    """What a new version changes against the previous one, counted a document at a time:
    documents and passages added and removed (passages compared by document and text)."""

    def __init__(self, previous: Snapshot | None):
        """`previous`: a version read on demand (store/lazy.py), whose texts' hashes the store keeps."""
        self._old_docs, self._old = _contents(previous) if previous else (set(), Counter())
        self._new_docs: set[tuple[str, str]] = set()
        self._new: Counter = Counter()

    def add_version(self, version: Snapshot) -> None:
        """Every document and passage of a stored version (a rollback's target), read in one pass."""
        docs, passages = _contents(version)
        self._new_docs |= docs
        self._new += passages

    def add(self, doc: Document, passages: list[Passage]) -> None:
        self._new_docs.add((doc.name, text_hash(doc.text)))
        self._new.update(hash((p.document, p.text)) for p in passages)

    def result(self) -> dict:
        return {
            "documents_added": sorted(name for name, _ in self._new_docs - self._old_docs),
            "documents_removed": sorted(name for name, _ in self._old_docs - self._new_docs),
            "passages_added": sum((self._new - self._old).values()),
            "passages_removed": sum((self._old - self._new).values()),
        }


def _contents(version: Snapshot) -> tuple[set[tuple[str, str]], Counter]:
    """A stored version's (name, text hash) of each document and its passages by document and text."""
    return set(version.documents.hashes()), Counter(hash((p.document, p.text)) for p in version.passages)


class ContentDigest:
    """What a version holds, as one hash, fed a document at a time: equal for two versions that
    answer the same (a server's copy of the default content), so that they share one loaded
    version and one index."""

    def __init__(self):
        self._hash = hashlib.sha256()

    def add(self, doc: Document, passages: list[Passage]) -> None:
        self.add_rows(doc.name, text_hash(doc.text), doc.title,
                      [(p.document, p.start, p.end, p.section) for p in passages])

    def add_rows(self, name: str, sha: str, title: str | None, passages: list[tuple]) -> None:
        """A document as the store keeps it: its text's hash, and its passages' (document, start, end, section)."""
        self._hash.update(f"{name}\0{sha}\0{title}\0".encode())
        for document, start, end, section in passages:
            self._hash.update(f"{document}\0{start}\0{end}\0{section}\0".encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def by_document(documents: list[Document], passages: list[Passage]) -> list[tuple[Document, list[Passage]]]:
    """Each document with its passages."""
    of: dict[str, list[Passage]] = {d.name: [] for d in documents}
    for p in passages:
        of[p.document].append(p)
    return [(d, of[d.name]) for d in documents]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
