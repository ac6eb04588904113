"""/reindex (moderators), /status and /help."""
from __future__ import annotations

import discord
from discord import app_commands

from .. import rendering
from ..help import help_text
from ..permissions import moderator_only
from ..replies import Reply
from .changes import actor, run_change
from .common import answers_here, respond


@app_commands.command(name="reindex", description="Rebuild this server's content from its sources (moderators).")
@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
@app_commands.check(moderator_only)
async def reindex(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    who, guild_id = actor(interaction), interaction.guild_id
    await run_change(interaction, lambda on_status: handlers.reindex(actor=who, guild_id=guild_id,
                                                                     on_status=on_status))


@app_commands.command(name="status", description="What is indexed, and the bot's latency.")
@app_commands.check(answers_here)
async def status(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    names = {str(c.id): f"#{c.name}" for c in interaction.guild.channels} if interaction.guild else None
    await respond(interaction, handlers.status(latency=interaction.client.latency, guild_id=interaction.guild_id,
                                               channel_names=names))


@app_commands.command(name="help", description="What Verbatim can do, and how to ask.")
async def help_command(interaction: discord.Interaction) -> None:
    settings = interaction.client.handlers.index_settings  # type: ignore[attr-defined]
    await interaction.response.send_message(
        **rendering.message(Reply.notice(help_text(console=False, settings=settings))), ephemeral=True)


COMMANDS = [reindex, status, help_command]
