"""Turns kept in the store: a user's next question, shared by every process of the bot (two
shards see one cooldown). One statement decides, so two processes cannot both let one user go."""
from __future__ import annotations

import random
import time

from index.store.base import Store

SWEEP_SHARE = 0.01  # of calls that also delete the turns long over


def take(store: Store, key: str, seconds: float, now: float | None = None) -> float:
    """0 when `key` may go now (its next turn is then `seconds` away), else the seconds it must wait."""
    now = time.time() if now is None else now
    with store.connect(write=True) as conn:
        taken = conn.execute("INSERT INTO cooldowns VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET until = "
                             "excluded.until WHERE cooldowns.until <= ? RETURNING until",
                             (key, now + seconds, now)).fetchone()
        if taken is None:
            left = conn.execute("SELECT until FROM cooldowns WHERE key = ?", (key,)).fetchone()
            return max(0.0, left[0] - now) if left else 0.0
        if random.random() < SWEEP_SHARE:
            conn.execute("DELETE FROM cooldowns WHERE until < ?", (now,))
    return 0.0
