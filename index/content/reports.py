"""What content operations tell their callers: the report of a change, the entries of the
document list and the history, and progress as documents are read."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from index.store.snapshots import Snapshot, Version

Progress = Callable[[int, int, int], None]  # documents done, documents in all, passages done
Waiting = Callable[[str], None]


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
    unchanged: bool = False  # nothing to change: no new version was made

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


class ProgressCounter:
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


def version_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 8] -> "1-3, 7-8": the versions kept, old ones pruned between them."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


def document_entries(live: Snapshot | None) -> list[DocumentEntry]:
    """The live version's documents, as `list` shows them (counted in the store: no text is read)."""
    if live is None:
        return []
    return [DocumentEntry(name, title, live.source(name).origin, passages, chars, source,
                          live.source(name).added_by, live.source(name).added_at)
            for name, title, source, chars, passages in live.documents.entries()]


def version_entries(versions: list[Version], live: Version | None) -> list[VersionEntry]:
    out = []
    for v in versions:
        c = v.changes
        out.append(VersionEntry(v.number, v.created_at, v.author, v.action, live is not None and v.id == live.id,
                                c.get("documents_added", []), c.get("documents_removed", []),
                                c.get("passages_added", 0), c.get("passages_removed", 0),
                                c.get("documents"), c.get("passages")))
    return out
