"""/reindex (moderators) and /status."""
from __future__ import annotations

import discord
from discord import app_commands

from ..errors import send_ephemeral
from ..permissions import moderator_only
from ..replies import Reply
from . import respond


@app_commands.command(name="reindex", description="Rebuild the index from the configured content (moderators).")
@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
@app_commands.check(moderator_only)
async def reindex(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    if handlers.reindex_running():
        await send_ephemeral(interaction, Reply.notice("A reindex is already running; "
                                                       "its result will be posted when it is done."))
        return
    author = f"discord:{interaction.user.id}"
    await respond(interaction, handlers.reindex(author=author, guild_id=interaction.guild_id), defer_first=True)


@app_commands.command(name="status", description="What is indexed, and the bot's latency.")
async def status(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.status(latency=interaction.client.latency, guild_id=interaction.guild_id))


COMMANDS = [reindex, status]
