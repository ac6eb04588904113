"""What every command shares: answering within Discord's time limit, and where answers may go."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import discord

from .. import buttons, rendering
from ..replies import Reply

# Work still running after this long is deferred ("Verbatim is thinking…") and followed up;
# well inside Discord's 3 s for the first response.
DEFER_AFTER = 1.0


async def respond(interaction: discord.Interaction, work: Awaitable[Reply], *, ephemeral: bool = False,
                  defer_first: bool = False) -> None:
    """Answer with the Reply that work produces: at once when it is quick, else defer and follow up.

    An exception from work propagates to the tree's error handler, which follows up too.
    """
    task = asyncio.ensure_future(work)
    try:
        if defer_first:
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        else:
            done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
            if not done:
                await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    except BaseException:
        # the work goes on (a reindex must finish); only its result has nowhere to go
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        raise
    reply = await task
    kwargs = rendering.message(reply)
    view = buttons.view_for(reply)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs, ephemeral=ephemeral or reply.ephemeral)
    else:
        await interaction.response.send_message(**kwargs, ephemeral=ephemeral or reply.ephemeral)


async def answers_here(interaction: discord.Interaction) -> bool:
    """app_commands check: questions in direct messages only when VERBATIM_ANSWER_DMS is on."""
    if interaction.guild_id is None and not interaction.client.settings.answer_dms:  # type: ignore[attr-defined]
        raise discord.app_commands.NoPrivateMessage()
    return True
