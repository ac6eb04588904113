"""Answering from some of a version's documents: a channel's scope (index/content/scopes.py).

The scope's documents are answered from as a corpus of their own, a LoadedVersion over their
passages alone, so that retrieval, what the content "mentions" and the refusal decision see
nothing else. Its index is built in memory from those passages (a few documents: milliseconds)
and its vectors are the whole version's rows for them: nothing is embedded again.
"""
from __future__ import annotations

from collections.abc import Sequence

from index.answering.loaded import LoadedVersion
from index.store.snapshots import Snapshot


def narrowed(loaded: LoadedVersion, names: Sequence[str], kept) -> LoadedVersion | None:
    """The loaded version cut down to the documents named that it holds; None when it holds none.
    `kept` is the store (word frequencies), as for the whole version."""
    snapshot = loaded.snapshot
    documents = [d for d in (snapshot.document(name) for name in dict.fromkeys(names)) if d is not None]
    if not documents:
        return None
    spans = {d.name: snapshot.passages.positions_of(d.name) for d in documents}
    documents.sort(key=lambda d: spans[d.name].start)  # in the version's order
    positions = [i for d in documents for i in spans[d.name]]
    snapshot.passages.prefetch(positions)
    passages = [snapshot.passages[i] for i in positions]
    meaning = loaded.retriever.meaning
    vectors = meaning.rows(positions) if meaning is not None else None
    part = Snapshot(snapshot.version, documents, passages, snapshot.sources, snapshot.excluded)
    return LoadedVersion(part, loaded.settings, kept=kept, vectors=vectors)
