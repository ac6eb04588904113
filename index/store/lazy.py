"""A version read on demand: what a question needs of a corpus of any size.

Store.load reads a whole version into memory, which content changes need (they compare and
copy it). Answering needs only the passages a question ranks, so a loaded version reads its
passages and documents from the store when asked, keeps the ones read lately, and a
million-passage corpus loads in the time of a few queries.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence

from index.ingest.documents import Block, Document
from index.ingest.passages import Passage
from index.store.rows import find_version, passages_in_order, rows_in
from index.store.base import Store
from index.store.snapshots import Snapshot

KEPT = 4096  # passages, and a tenth as many documents, kept read between questions

_PASSAGE = ('SELECT p.document, p.section, p.paragraph, p.start, p."end", p.sentences, '
            'substr(t.text, p.start + 1, p."end" - p.start) FROM passages p '
            "JOIN documents d ON d.version_id = p.version_id AND d.name = p.document "
            "JOIN texts t ON t.sha256 = d.sha256 WHERE p.version_id = ?")
_DOCUMENT = ("SELECT d.name, t.text, d.title, d.byline, d.date, d.source, d.blocks FROM documents d "
             "JOIN texts t ON t.sha256 = d.sha256 WHERE d.version_id = ?")


class _Rows:
    """The file's reading connection (Store.reader), a query at a time under its lock."""

    def __init__(self, reader, version_id: int):
        self.conn, self.lock, self.version_id = reader.conn, reader.lock, version_id

    def one(self, query: str, *params) -> tuple | None:
        with self.lock:
            return self.conn.execute(query, (self.version_id, *params)).fetchone()

    def all(self, query: str, *params) -> list[tuple]:
        return self.fetch(query, (self.version_id, *params))

    def fetch(self, query: str, params: tuple) -> list[tuple]:
        with self.lock:
            return self.conn.execute(query, params).fetchall()

    def each(self, query: str, count: int, batch: int = 1000) -> Iterator[tuple]:
        """Every row by position (`query` takes the first and the last), a batch at a time so
        that iterating holds little in memory."""
        for first in range(0, count, batch):
            yield from self.fetch(query, (self.version_id, first, first + batch - 1))


class _Kept(Sequence):
    """A sequence read by position from the store, its recent items kept."""
    keep = KEPT

    def __init__(self, rows: _Rows, count: int):
        self._rows, self._count = rows, count
        self._kept: OrderedDict[int, object] = OrderedDict()

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        item = self._kept.get(index)
        if item is None:
            item = self._read(index)
            self._keep(index, item)
        return item

    def _keep(self, index: int, item) -> None:
        with self._rows.lock:  # worker threads share a loaded version
            self._kept[index] = item
            if len(self._kept) > self.keep:
                self._kept.popitem(last=False)

    def _read(self, index: int):
        raise NotImplementedError


class StoredPassages(_Kept):
    def _read(self, index: int) -> Passage:
        return _passage(self._rows.one(f"{_PASSAGE} AND p.position = ?", index))

    def prefetch(self, positions: Iterable[int]) -> None:
        """Read these passages in one query (a question's candidates), so that each is then at hand."""
        missing = sorted({int(i) for i in positions} - self._kept.keys())
        with self._rows.lock:
            rows = list(rows_in(self._rows.conn, f"SELECT p.position, {_PASSAGE[7:]} AND p.position IN ({{}})",
                                missing, self._rows.version_id))
        for position, *row in rows:
            self._keep(position, _passage(tuple(row)))

    def __iter__(self) -> Iterator[Passage]:
        return passages_in_order(self._rows.fetch, "version_id", self._rows.version_id, self._count)

    def sections(self) -> list[tuple[str, str]]:
        """(document, heading) of every section, in order, each once; read in the store."""
        return self._rows.all("SELECT document, section FROM passages WHERE version_id = ? AND section IS NOT NULL "
                              "GROUP BY document, section ORDER BY MIN(position)")

    def of_document(self, name: str) -> list[Passage]:
        """The document's passages, in order (a build writes each document's passages together)."""
        positions = self.positions_of(name)
        return self[positions.start:positions.stop]

    def positions_of(self, name: str) -> range:
        """Where the document's passages are in the version (empty when it has none)."""
        first, last = self._rows.one("SELECT MIN(position), MAX(position) FROM passages "
                                     "WHERE version_id = ? AND document = ?", name)
        return range(0) if first is None else range(first, last + 1)


class StoredDocuments(_Kept):
    keep = KEPT // 10

    def __init__(self, rows: _Rows, count: int):
        super().__init__(rows, count)
        self._by_name: dict[str, Document] = {}

    def _read(self, index: int) -> Document:
        return _document(self._rows.one(f"{_DOCUMENT} AND d.position = ?", index))

    def __iter__(self) -> Iterator[Document]:
        return (_document(row) for row in self._rows.each(
            f"{_DOCUMENT} AND d.position BETWEEN ? AND ? ORDER BY d.position", self._count))

    def labelled(self) -> list[Document]:
        """Every document's name and title, without its text (to find one by either)."""
        rows = self._rows.all("SELECT name, title FROM documents WHERE version_id = ? ORDER BY position")
        return [Document(name, "", title) for name, title in rows]

    def hashes(self) -> list[tuple[str, str]]:
        """(name, hash of its text) of every document, as the store keeps them: no text is read."""
        return self._rows.all("SELECT name, sha256 FROM documents WHERE version_id = ? ORDER BY position")

    def entries(self) -> list[tuple[str, str | None, str | None, int, int]]:
        """(name, title, source, characters, passages) of every document, in order."""
        return self._rows.all(
            "SELECT d.name, d.title, d.source, length(t.text), COALESCE(c.n, 0) FROM documents d "
            "JOIN texts t ON t.sha256 = d.sha256 LEFT JOIN (SELECT document, COUNT(*) AS n FROM passages "
            "WHERE version_id = ? GROUP BY document) c ON c.document = d.name "
            "WHERE d.version_id = ? ORDER BY d.position", self._rows.version_id)

    def clashing(self, name: str, sha: str) -> tuple[str, bool] | None:
        """The first document with this text (its hash) or this name: (its name, same text)."""
        row = self._rows.fetch("SELECT name, sha256 FROM documents WHERE version_id = ? AND (sha256 = ? OR name = ?) "
                               "ORDER BY position LIMIT 1", (self._rows.version_id, sha, name))
        return (row[0][0], row[0][1] == sha) if row else None

    def named(self, name: str) -> Document | None:
        """The document of this name (by the primary key), kept with the ones read lately."""
        document = self._by_name.get(name)
        if document is None:
            row = self._rows.one(f"{_DOCUMENT} AND d.name = ?", name)
            if row is None:
                return None
            document = _document(row)
            with self._rows.lock:
                self._by_name[name] = document
                if len(self._by_name) > self.keep:
                    self._by_name.pop(next(iter(self._by_name)))
        return document


def open_version(store: Store, corpus: str, number: int | None = None) -> Snapshot | None:
    """The corpus's live version (or version `number`) with its documents and passages read on
    demand; None if it has none."""
    reader = store.reader()
    with reader.lock:
        version = find_version(reader.conn, corpus, number)
    if version is None:
        return None
    rows = _Rows(reader, version.id)
    documents = rows.one("SELECT COUNT(*) FROM documents WHERE version_id = ?")[0]
    passages = rows.one("SELECT COUNT(*) FROM passages WHERE version_id = ?")[0]
    with reader.lock:
        sources, excluded = store.sources(reader.conn, version.id)
    return Snapshot(version, StoredDocuments(rows, documents), StoredPassages(rows, passages), sources, excluded)


def _passage(row: tuple) -> Passage:
    document, section, paragraph, start, end, sentences, text = row
    return Passage(document, section, paragraph, start, end, text, tuple(tuple(s) for s in json.loads(sentences)))


def _document(row: tuple) -> Document:
    name, text, title, byline, date, source, blocks = row
    return Document(name, text, title, byline, date, source, [Block(*b) for b in json.loads(blocks)])
