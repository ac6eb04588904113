"""The per-user question cooldown, shared by /ask and mentions."""
from __future__ import annotations

import time


class Cooldown:
    """One question per `seconds` per user; 0 turns it off."""

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._next: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float:
        """0 when the user may ask now (and the question is counted), else seconds to wait."""
        if self.seconds <= 0:
            return 0.0
        now = self._clock()
        ready = self._next.get(user_id, 0.0)
        if ready > now:
            return ready - now
        if len(self._next) > 10_000:  # forget users whose cooldown is over
            self._next = {u: t for u, t in self._next.items() if t > now}
        self._next[user_id] = now + self.seconds
        return 0.0
