"""/content scope and /content unscope: moderators bind a channel to some of the server's documents
(bot/scoping.py). They join the /content group of content.py, with its run-time moderator check."""
from __future__ import annotations

import discord
from discord import app_commands

from ..handlers import UserError
from ..permissions import moderator_only
from .changes import actor
from .common import respond
from .content import content

CHOICE_CHARS = 100  # Discord's limit on an autocomplete choice


def _channel(channel: app_commands.AppCommandChannel) -> tuple[str, str]:
    """(the channel's id as the store keys it, its name for replies); a category is no channel to ask in."""
    if channel.type == discord.ChannelType.category:
        raise UserError(f"{channel.name} is a category: choose a channel that questions are asked in")
    return str(channel.id), f"#{channel.name}"


@content.command(name="scope", description="Answer questions asked in a channel from some documents only.")
@app_commands.describe(channel="The channel (threads started there follow it)",
                       documents="The documents' names, separated by commas, as /content list shows them")
@app_commands.check(moderator_only)
async def scope(interaction: discord.Interaction, channel: app_commands.AppCommandChannel, documents: str) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    channel_id, shown = _channel(channel)
    await respond(interaction, handlers.scope(guild_id=interaction.guild_id, actor=actor(interaction),
                                              channel=channel_id, documents=documents, shown=shown), ephemeral=True)


@scope.autocomplete("documents")
@app_commands.check(moderator_only)  # only moderators see the names (an empty list for others)
async def scope_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The names typed so far, and then each document that matches the last one being typed."""
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    typed, _, typing = current.rpartition(",")
    chosen = [name.strip() for name in typed.split(",") if name.strip()]
    wanted = typing.strip().casefold()
    names = [n for n in await handlers.document_names(interaction.guild_id) if wanted in n.casefold() and n not in chosen]
    values = [", ".join([*chosen, name]) for name in names]
    return [app_commands.Choice(name=v, value=v) for v in values if len(v) <= CHOICE_CHARS][:25]


@content.command(name="unscope", description="Answer questions asked in a channel from every document again.")
@app_commands.describe(channel="The channel")
@app_commands.check(moderator_only)
async def unscope(interaction: discord.Interaction, channel: app_commands.AppCommandChannel) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    channel_id, shown = _channel(channel)
    await respond(interaction, handlers.unscope(guild_id=interaction.guild_id, actor=actor(interaction),
                                                channel=channel_id, shown=shown), ephemeral=True)


COMMANDS: list = []  # both are in content.COMMANDS's group
