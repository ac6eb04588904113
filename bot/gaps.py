"""The questions the content misses, in the handlers: every question asked in a server or the
console is kept by the engine (Engine.keep, who asked only as a keyed hash), and /content gaps
shows moderators the refused and passages-only ones, grouped, most asked first. Handlers
(handlers.py) takes these methods."""
from __future__ import annotations

import asyncio

from index.content.gaps import tally, where
from index.engine import Engine

from .compose import clipped, counted
from .replies import Fact, Reply

GAPS_SHOWN = 10  # groups in one reply: each a field, well within an embed's 6,000 characters
WORDINGS_SHOWN = 3  # other wordings named under a group


def gap_fact(gap) -> Fact:
    others = gap.wordings[1:1 + WORDINGS_SHOWN]
    also = ("; also asked as " + "; ".join(f"\u201c{clipped(w, 80)}\u201d" for w in others)
            + (f" and {len(gap.wordings) - 1 - len(others)} more" if len(gap.wordings) - 1 > len(others) else "")
            if others else "")
    return Fact(clipped(gap.example, 200), f"{tally(gap)}{also}. Closest passage: {where(gap.closest)}")


class GapHandlers:
    """The gaps side of Handlers: its engines and settings."""

    def _asked(self, engine: Engine, asker: str | None, work):
        """work() (a question's result), kept for /content gaps as asked by `asker` (None: not kept)."""
        result = work()
        if asker is not None:
            engine.keep(result, asker)
        return result

    async def gaps(self, guild_id: int | None = None) -> Reply:
        """For moderators: the questions the content did not answer, grouped, most asked first."""
        engine = await self.engine_for(guild_id)
        settings = engine.settings
        gaps = await asyncio.to_thread(engine.gaps)
        kept = (f"Questions are kept {settings.keep_questions_days} days" if settings.keep_questions_days
                else "Questions are kept without limit") if settings.keep_questions else \
            "Questions are not being kept (VERBATIM_KEEP_QUESTIONS is off)"
        if not gaps:
            return Reply("content", title="Gaps", lead=f"No question asked here went unanswered. {kept}.")
        asked = sum(g.count for g in gaps)
        shown = gaps[:GAPS_SHOWN]
        lead = (f"{counted(asked, 'question')} the content did not answer, in {counted(len(gaps), 'group')} of the "
                f"same meaning, most asked first" + (f"; the first {len(shown)} are shown" if len(shown) < len(gaps)
                                                     else "")
                + f". {kept}; `python -m index gaps --export FILE` writes every group as CSV.")
        return Reply("content", title="Gaps", lead=lead, facts=[gap_fact(g) for g in shown])
