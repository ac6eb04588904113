"""Summaries of a corpus too big to read whole (an archive): only the passages asked for are read.

A summary reads every sentence of its content, which suits an article or a few hundred
documents. Past READ_WHOLE_AT_MOST passages, a summary names a document (its passages are
read) or a topic (the passages retrieval finds for it are read, through the index), and the
summary is made from those alone, as for a small corpus.
"""
from __future__ import annotations

from index.answering.loaded import LoadedVersion
from index.store.snapshots import Snapshot
from index.summaries.summarise import ScopeError, find_document

READ_WHOLE_AT_MOST = 5_000  # passages: a larger corpus is summarised by document or topic
TOPIC_PASSAGES = 60  # the passages a topic summary of a large corpus reads, best first


def is_large(loaded: LoadedVersion) -> bool:
    return len(loaded.passages) > READ_WHOLE_AT_MOST


def narrowed(loaded: LoadedVersion, document: str | None, topic: str | None) -> Snapshot:
    """The part of a large corpus that a summary of `document` or `topic` reads, as a snapshot."""
    snapshot = loaded.snapshot
    if document is not None:
        doc = find_document(Snapshot(snapshot.version, snapshot.documents.labelled(), []), document)
        passages = snapshot.passages.of_document(doc.name)
        return Snapshot(snapshot.version, [snapshot.document(doc.name)], passages)
    if topic is None or not topic.strip():
        raise ScopeError(f"the content has {len(loaded.passages):,} passages, too many to summarise whole: "
                         "name a document or a topic")
    hits = loaded.retriever.search(topic, k=TOPIC_PASSAGES)
    passages = [loaded.passages[i] for i in sorted(h.index for h in hits)]
    names = list(dict.fromkeys(p.document for p in passages))
    return Snapshot(snapshot.version, [snapshot.document(n) for n in names], passages)
