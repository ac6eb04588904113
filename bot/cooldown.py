"""The per-user question cooldown, shared by /ask and mentions, and by every process of a
sharded bot: the turns are kept in the store (index/store/cooldowns.py)."""
from __future__ import annotations

import asyncio
import logging
import time

from index.errors import StoreError
from index.store import cooldowns
from index.store.base import Store

log = logging.getLogger(__name__)


class Cooldown:
    """One question per `seconds` per user; 0 turns it off."""

    def __init__(self, seconds: float, store: Store):
        self.seconds = seconds
        self.store = store
        self._next: dict[int, float] = {}  # when the store cannot be written (read-only): this process's own

    async def retry_after(self, user_id: int) -> float:
        """0 when the user may ask now (and the question is counted), else seconds to wait."""
        if self.seconds <= 0:
            return 0.0
        try:
            return await asyncio.to_thread(cooldowns.take, self.store, f"ask {user_id}", self.seconds)
        except StoreError as exc:
            log.debug("cooldown kept in this process: %s", exc)
            return self._in_process(user_id)

    def _in_process(self, user_id: int) -> float:
        now = time.monotonic()
        ready = self._next.get(user_id, 0.0)
        if ready > now:
            return ready - now
        if len(self._next) > 10_000:  # forget users whose cooldown is over
            self._next = {u: t for u, t in self._next.items() if t > now}
        self._next[user_id] = now + self.seconds
        return 0.0
