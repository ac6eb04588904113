"""Loaded versions, shared and bounded: one process may serve a thousand servers.

A LoadedVersion (its retriever, its caches) is built once for each distinct content and setting,
and shared by every corpus whose live version holds that content: a server whose corpus is an
untouched copy of the default content costs nothing more. Entries are kept within a memory
budget (least recently used first out) and dropped when idle; a corpus whose entry went is
loaded again at its next question. The size of an entry is an estimate from its number of passages.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from index.answering.loaded import LoadedVersion
from index.retrieval.reading import PASSAGES_KEPT_READ

BYTES_PER_PASSAGE = 16  # the passages' lengths, and a question's scores while it is ranked
BYTES_PER_PASSAGE_READ = 3_000  # a passage read and tokenized, kept for the next questions (a bounded number)
BASE_BYTES = 2_000_000  # an entry's fixed part: the normaliser's vocabulary, the retriever's tables


@dataclass
class _Entry:
    loaded: LoadedVersion
    size: int
    used_at: float


@dataclass(frozen=True)
class CacheStats:
    entries: int
    megabytes: float
    budget_megabytes: int


def size_of(loaded: LoadedVersion) -> int:
    """An estimate: the index and the passages stay in the store, read on demand and kept a few thousand at most."""
    passages = len(loaded.passages)
    return BASE_BYTES + BYTES_PER_PASSAGE * passages + BYTES_PER_PASSAGE_READ * min(passages, PASSAGES_KEPT_READ)


class LoadedVersions:
    def __init__(self) -> None:
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.budget = 0

    def get(self, key: Hashable, build: Callable[[], LoadedVersion], budget_mb: int,
            idle_seconds: float) -> LoadedVersion:
        """The entry for `key`, built by `build` when there is none (once, however many ask)."""
        now = time.monotonic()
        with self._lock:
            self.budget = budget_mb
            entry = self._entries.get(key)
            if entry is not None:
                entry.used_at = now
                self._entries.move_to_end(key)
                return entry.loaded
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None:
                    return entry.loaded
            try:
                loaded = build()
            except BaseException:
                with self._lock:
                    self._building.pop(key, None)  # the next question tries again
                raise
            with self._lock:
                self._entries[key] = _Entry(loaded, size_of(loaded), time.monotonic())
                self._building.pop(key, None)
                self._evict(key, budget_mb * 1_000_000, idle_seconds)
        return loaded

    def _evict(self, keep: Hashable, budget: int, idle_seconds: float) -> None:
        now = time.monotonic()
        for key in [k for k, e in self._entries.items() if k != keep and idle_seconds and now - e.used_at > idle_seconds]:
            del self._entries[key]
        while sum(e.size for e in self._entries.values()) > budget and len(self._entries) > 1:
            oldest = next(k for k in self._entries if k != keep)
            del self._entries[oldest]

    def stats(self) -> CacheStats:
        with self._lock:
            total = sum(e.size for e in self._entries.values())
            return CacheStats(len(self._entries), round(total / 1e6, 1), self.budget)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


LOADED = LoadedVersions()  # the process's one cache: every Engine draws from it
