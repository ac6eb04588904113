"""Passage vectors in the store: written at build time, a part at a time, read whole at load.

A version's vectors are keyed, like its inverted index (postings.py), by what they were made
from: its content digest and the embedding model, so two versions or corpora of the same content
share them and a rollback finds them there. Each part holds up to PART passages in the version's
order: their texts' hashes and their vectors (float16: half the space, and cosine similarities
within a thousandth). A build embeds only the passages whose text the corpus's live version has
not embedded already, and the vectors count only once marked complete (`vector_sets`); a killed
build leaves the live version's untouched. A version without complete vectors (built with
VERBATIM_SEMANTIC=false, or before vectors were kept) is ranked by words alone.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from index.ingest.passages import Passage
from index.store.rows import find_version, has_table, transaction, version_of

GRAPH_ABOVE = 50_000  # passages: a larger version's vectors are searched through a graph (faiss HNSW)
GRAPH_LINKS = 16  # HNSW neighbours per node; 62k passages: 104 MB, recall@20 .95 against exact search
GRAPH_SEARCH = 64  # candidates a graph search keeps (faiss efSearch)
PART = 5_000  # passages a part: one transaction each, so that other writers go on between them
EMBED_BATCH = 256  # passages embedded at a time, between progress reports
HASH_BYTES = 16  # of a text's sha256: enough to tell passages apart
LEFTOVER_SECONDS = 86_400  # a set still incomplete a day after it was started was killed

Embed = Callable[[list[str]], np.ndarray]
Progress = Callable[[int, int], None]  # (passages done so far, embedded or found, of the version's)


def vector_key(content: str, model: str) -> str:
    return f"{content}/{model}"


def text_digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:HASH_BYTES]


def has_vectors(conn, key: str) -> bool:
    if not has_table(conn, "vector_sets"):
        return False  # a file from before vectors were kept at build time
    return conn.execute("SELECT 1 FROM vector_sets WHERE key = ? AND complete = 1", (key,)).fetchone() is not None


def _parts(conn, key: str) -> Iterator[tuple[bytes, bytes]]:
    for hashes, vectors in conn.execute("SELECT hashes, vectors FROM vector_parts WHERE key = ? ORDER BY part",
                                        (key,)).fetchall():
        yield bytes(hashes), bytes(vectors)


def load_vectors(conn, key: str, dimensions: int):
    """The version's vectors (float32, a row a passage), or the graph that holds them (a large
    version's, where faiss is installed), or None when it has none complete."""
    if not has_vectors(conn, key):
        return None
    graph = load_graph(conn, key)
    if graph is not None:
        return graph
    rows = [np.frombuffer(v, dtype=np.float16).reshape(-1, dimensions) for _, v in _parts(conn, key)]
    return np.concatenate(rows).astype(np.float32) if rows else np.zeros((0, dimensions), dtype=np.float32)


def open_vectors(store, content: str, model: str, dimensions: int):
    """A version's vectors from the store (Version.content): a matrix or a graph (load_vectors),
    or None when it has none complete."""
    with store.connect() as conn:
        return load_vectors(conn, vector_key(content, model), dimensions)


def embedded_before(conn, corpus: str, model: str, dimensions: int) -> dict[bytes, np.ndarray]:
    """text hash -> vector, of the corpus's live version: what a change need not embed again."""
    live = find_version(conn, corpus)
    if live is None or not has_vectors(conn, vector_key(live.content, model)):
        return {}
    out: dict[bytes, np.ndarray] = {}
    for hashes, vectors in _parts(conn, vector_key(live.content, model)):
        rows = np.frombuffer(vectors, dtype=np.float16).reshape(-1, dimensions)
        out.update((hashes[i * HASH_BYTES:(i + 1) * HASH_BYTES], rows[i]) for i in range(len(rows)))
    return out


def write_vectors(conn, key: str, passages: Iterable[Passage], total: int, embed: Embed, dimensions: int,
                  known: dict[bytes, np.ndarray], on_progress: Progress | None = None) -> int:
    """Embed the passages (in version order) that `known` lacks and write every one's vector,
    a part a transaction, then mark the set complete. The number of passages embedded."""
    with transaction(conn):
        conn.execute("DELETE FROM vector_parts WHERE key = ?", (key,))  # what a killed build left
        conn.execute("DELETE FROM vector_graphs WHERE key = ?", (key,))
        conn.execute("INSERT INTO vector_sets VALUES (?, 0, ?) ON CONFLICT (key) DO UPDATE "
                     "SET complete = 0, started_at = excluded.started_at", (key, time.time()))
    embedded, batch, number = 0, [], 0
    counter = _Counter(on_progress, total)
    for passage in passages:
        batch.append(passage)
        if len(batch) == PART:
            embedded += _write_part(conn, key, number, batch, embed, dimensions, known, counter)
            batch, number = [], number + 1
    if batch:
        embedded += _write_part(conn, key, number, batch, embed, dimensions, known, counter)
    if total > GRAPH_ABOVE:
        _write_graph(conn, key, dimensions)
    with transaction(conn):
        conn.execute("UPDATE vector_sets SET complete = 1 WHERE key = ?", (key,))
    return embedded


def _faiss():
    try:
        import faiss  # the `archives` extra: only large versions need it
    except ImportError:
        return None
    return faiss


def _write_graph(conn, key: str, dimensions: int) -> None:
    """The vectors in a faiss HNSW graph, kept beside them: a question then reads a few hundred
    of a large archive's vectors, not all. Without faiss, none (the vectors are searched whole)."""
    faiss = _faiss()
    if faiss is None:
        return
    vectors = np.concatenate([np.frombuffer(v, dtype=np.float16).reshape(-1, dimensions)
                              for _, v in _parts(conn, key)]).astype(np.float32)
    graph = faiss.IndexHNSWFlat(dimensions, GRAPH_LINKS, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = 128
    graph.add(vectors)
    with transaction(conn):
        conn.execute("DELETE FROM vector_graphs WHERE key = ?", (key,))
        conn.execute("INSERT INTO vector_graphs VALUES (?, ?)", (key, faiss.serialize_index(graph).tobytes()))


def load_graph(conn, key: str):
    faiss = _faiss()
    if faiss is None or not has_table(conn, "vector_graphs"):
        return None
    row = conn.execute("SELECT graph FROM vector_graphs WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    graph = faiss.deserialize_index(np.frombuffer(bytes(row[0]), dtype=np.uint8))
    graph.hnsw.efSearch = GRAPH_SEARCH
    return graph


class _Counter:
    def __init__(self, callback: Progress | None, total: int):
        self.callback, self.total, self.done = callback, total, 0

    def add(self, count: int) -> None:
        self.done += count
        if self.callback is not None:
            self.callback(self.done, self.total)


def _write_part(conn, key: str, number: int, passages: list[Passage], embed: Embed, dimensions: int,
                known: dict[bytes, np.ndarray], counter: _Counter) -> int:
    hashes = [text_digest(p.text) for p in passages]
    vectors = np.zeros((len(passages), dimensions), dtype=np.float16)
    missing = []
    for row, digest in enumerate(hashes):
        if digest in known:
            vectors[row] = known[digest]
        else:
            missing.append(row)
    for first in range(0, len(missing), EMBED_BATCH):
        rows = missing[first:first + EMBED_BATCH]
        vectors[rows] = embed([passages[r].text for r in rows])
        counter.add(len(rows))
    counter.add(len(passages) - len(missing))
    for row in missing:  # a passage repeated within the version is embedded once
        known[hashes[row]] = vectors[row]
    with transaction(conn):
        conn.execute("INSERT INTO vector_parts VALUES (?, ?, ?, ?)", (key, number, b"".join(hashes), vectors.tobytes()))
    return len(missing)


def drop_unused_vectors(conn) -> None:
    """Delete the vectors of content no version holds any more, and those a killed build left
    (inside the caller's transaction, holding the store's indexing lock)."""
    if not has_table(conn, "vector_sets"):
        return
    used = {version_of(row).content for row in conn.execute("SELECT * FROM versions")}
    stale = time.time() - LEFTOVER_SECONDS
    for key, complete, started in conn.execute("SELECT key, complete, started_at FROM vector_sets").fetchall():
        if key.split("/", 1)[0] in used or (not complete and started > stale):
            continue
        for table in ("vector_parts", "vector_graphs", "vector_sets"):
            conn.execute(f"DELETE FROM {table} WHERE key = ?", (key,))
