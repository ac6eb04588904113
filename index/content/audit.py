"""The audit log of content changes: who, when, what, and the result, failures included."""
from __future__ import annotations

from index.store.snapshots import AUDIT_STARTED
from index.store.base import Store


class Audit:
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
