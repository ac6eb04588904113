"""How a change makes its new version: every change stages it in the store a document at a time
(index/store/staging.py) on top of a copy of the live version made in the store itself, or from
the sources read afresh (a rebuild), so that a corpus of any size changes in the memory of one
document and one part of its index. ContentManager (operations.py) takes these steps after it
has checked the input and taken the corpus's lock."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.content.reports import ChangeReport, ProgressCounter
from index.content.validation import as_utf8, refuse_duplicate
from index.ingest.documents import Document, ReadError
from index.ingest.passages import Passage, split_in_batches
from index.ingest.reading import SUFFIXES, read_bytes, read_file, read_path
from index.retrieval.embedding import shared_embedder
from index.settings import IndexSettings
from index.store.base import Store
from index.store.snapshots import ADDED, CONFIGURED, ChangeCount, Snapshot, Source, text_hash
from index.store.staging import Staging


def original_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class VersionBuilding:
    """The steps that make a new version; ContentManager is one."""
    store: Store
    settings: IndexSettings
    on_embedding = None  # (passages done, of the version's) while a build embeds; the command line shows it

    def _staging(self, corpus: str) -> Staging:
        """A new version of `corpus`, its passages embedded at publish time unless VERBATIM_SEMANTIC
        is off (then the version is ranked by words alone)."""
        embedder = shared_embedder() if self.settings.semantic else None
        return self.store.staging(corpus, embedder, self.on_embedding)

    def _read_added(self, corpus: str, actor: str, live: Snapshot | None, kinds: dict[Path, str],
                    counter: ProgressCounter) -> Iterator[tuple]:
        added: dict[str, str] = {}  # name -> text hash of the files read so far
        for path, kind in kinds.items():
            data = as_utf8(read_file(path))
            doc = read_bytes(data, path.name, kind, source=f"{path.name}, added by {actor}")
            refuse_duplicate(live, doc, corpus, added)
            added[doc.name] = text_hash(doc.text)
            yield doc, self._split(doc, counter), Source(ADDED, kind, original_hash(data), actor, time.time()), data

    def _rebuild(self, corpus, actor, action: str, live: Snapshot | None, files: list[Path], on_progress,
                 started: float) -> ChangeReport:
        """A new version from the files and the documents added by hand, streamed: each document
        is staged in the store as soon as it is split (store/staging.py), so that an archive of
        any size is built in the memory of one document and one part of its index."""
        excluded = live.excluded if live else frozenset()
        added = [n for n, s in live.sources.items() if s.origin == ADDED] if live else []
        notes = [f"{f.name}: kept the copy added by hand, not the content file" for f in files if f.name in added]
        files = [f for f in files if f.name not in excluded and f.name not in added]
        if not files and not added:
            raise ReadError("no documents to index: the content files are missing or all removed, "
                            "and none was added by hand")
        counter = ProgressCounter(on_progress, len(files) + len(added))
        staging, changes, sources = self._staging(corpus), ChangeCount(live), {}
        try:
            for path in files:
                sources[path.name] = Source(CONFIGURED, SUFFIXES[path.suffix.lower()])
                self._stage(staging, changes, read_path(path), sources[path.name], counter)
            for name in added:
                sources[name] = live.source(name)
                self._stage(staging, changes, self._reread(live.document(name), sources[name], notes),
                            sources[name], counter)
            if live is not None and staging.digest.hexdigest() == live.version.content and \
                    _kinds(sources) == _kinds(live.sources):
                staging.vectors_only()
                staging.discard()
                return ChangeReport(corpus, action, live.version.number, staging.documents, staging.passages,
                                    seconds=time.perf_counter() - started, unchanged=True,
                                    notes=[*notes, f"nothing changed: version {live.version.number} stays live"])
            counts = {**changes.result(), "documents": staging.documents, "passages": staging.passages}
            version = staging.publish(actor, action, counts, excluded)
        except BaseException:
            staging.discard()
            raise
        report = self._report(corpus, action, version.number, counts, started)
        report.notes = notes
        return report

    def _stage(self, staging: Staging, changes: ChangeCount, doc: Document, source: Source,
               counter: ProgressCounter) -> None:
        passages = self._split(doc, counter)
        staging.add(doc, passages, source)
        changes.add(doc, passages)

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

    def _split(self, doc: Document, counter: ProgressCounter | None = None) -> list[Passage]:
        passages = split_in_batches(doc, self.settings.max_passage_chars,
                                    counter.passages_so_far if counter is not None else None)
        if counter is not None:
            counter.document_done(len(passages))
        return passages

    def _on_live(self, corpus, actor, action: str, live: Snapshot | None, started: float, *,
                 changes: dict | None = None, without: str | None = None, adding: Iterable[tuple] = (),
                 excluded: frozenset[str] | None = None) -> ChangeReport:
        """A new version made of the live one, copied in the store (but the document `without`),
        and then each of `adding` (a document, its passages, its source, its original bytes), staged
        as it comes: an addition to an archive reads none of the archive's texts, and many files
        are added in the memory of one. The index is built again from the staged rows."""
        staging, added, added_passages = self._staging(corpus), [], 0
        try:
            if live is not None:
                staging.copy(live.version.id, without)
            for doc, passages, source, original in adding:
                staging.add(doc, passages, source, original)
                added.append(doc.name)
                added_passages += len(passages)
            counts = {"documents_added": added, "documents_removed": [without] if without else [],
                      "passages_added": added_passages,
                      "passages_removed": len(live.passages) - staging.passages if live and without else 0,
                      **(changes or {}), "documents": staging.documents, "passages": staging.passages}
            if excluded is None:
                excluded = live.excluded if live else frozenset()
            version = staging.publish(actor, action, counts, excluded)
        except BaseException:
            staging.discard()
            raise
        return self._report(corpus, action, version.number, counts, started)

    def _report(self, corpus: str, action: str, number: int, changes: dict, started: float) -> ChangeReport:
        """What a published change did; old versions pruned as the retention setting says."""
        if self.settings.keep_versions:
            self.store.prune(corpus, self.settings.keep_versions)
        return ChangeReport(corpus, action, number, changes["documents"], changes["passages"],
                            changes["documents_added"], changes["documents_removed"],
                            changes["passages_added"], changes["passages_removed"],
                            time.perf_counter() - started)


def _kinds(sources: dict[str, Source]) -> dict[str, tuple[str, str]]:
    return {name: (s.origin, s.kind) for name, s in sources.items()}
