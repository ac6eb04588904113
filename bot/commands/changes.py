"""How a moderator's content change answers on Discord: an ephemeral deferred reply, edited with
progress while the change runs (at most once per EDIT_EVERY seconds), then with its result or
its error. Everything about a change is ephemeral: the moderator sees it, the channel does not."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import discord

from .. import rendering
from ..errors import explain_failure
from ..handlers import Status
from ..replies import Reply

log = logging.getLogger(__name__)

EDIT_EVERY = 1.0  # seconds between progress edits: Discord rate-limits message edits


class ProgressEdits:
    """Shows the latest status line in the deferred reply. Lines may come from any thread;
    only the newest one is shown, and edits are throttled."""

    def __init__(self, interaction: discord.Interaction, every: float = EDIT_EVERY):
        self.interaction = interaction
        self.every = every
        self.loop = asyncio.get_running_loop()
        self.latest: str | None = None
        self.shown: str | None = None
        self.changed = asyncio.Event()
        self.stopping = asyncio.Event()
        self.task = asyncio.create_task(self._run())

    def __call__(self, line: str) -> None:
        self.loop.call_soon_threadsafe(self._set, line)

    def _set(self, line: str) -> None:
        self.latest = line
        self.changed.set()

    async def _run(self) -> None:
        while True:
            await self.changed.wait()
            if self.stopping.is_set():
                return
            self.changed.clear()
            if self.latest != self.shown:
                self.shown = self.latest
                try:
                    await self.interaction.edit_original_response(**rendering.edit(Reply.notice(self.shown)))
                except discord.HTTPException:
                    log.debug("could not show progress (interaction %s)", self.interaction.id, exc_info=True)
            try:  # throttle, but stop at once when the change is done
                await asyncio.wait_for(self.stopping.wait(), self.every)
            except asyncio.TimeoutError:
                pass

    async def stop(self) -> None:
        """Let an edit in flight finish, so that it cannot land after the final reply."""
        self.stopping.set()
        self.changed.set()
        await self.task


async def run_change(interaction: discord.Interaction, change: Callable[[Status], Awaitable[Reply]]) -> None:
    """Defer (ephemeral), run change(on_status) with its progress shown, then show its result."""
    await interaction.response.defer(thinking=True, ephemeral=True)
    progress = ProgressEdits(interaction)
    try:
        reply = await change(progress)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a short ephemeral line
        reply = Reply.error(explain_failure(interaction, exc))
    finally:
        await progress.stop()
    await interaction.edit_original_response(**rendering.edit(reply))


def actor(interaction: discord.Interaction) -> str:
    """Who made a change, for the audit log and the history."""
    return f"discord:{interaction.user.id} ({interaction.user.name})"
