"""/summary: the content in its own sentences."""
from __future__ import annotations

import discord
from discord import app_commands

from ..handlers import SUMMARY_SENTENCES
from ..scoping import scope_channel
from .common import answers_here, respond

LOW, HIGH = SUMMARY_SENTENCES


@app_commands.command(name="summary", description="Summarise the content in its own sentences.")
@app_commands.describe(sentences=f"How many sentences ({LOW}-{HIGH}, default 3)",
                       section="Only this section", topic="Only sentences about this topic")
@app_commands.check(answers_here)
async def summary(interaction: discord.Interaction, sentences: app_commands.Range[int, LOW, HIGH] | None = None,
                  section: str | None = None, topic: str | None = None) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.summary(sentences=sentences, section=section, topic=topic,
                                                guild_id=interaction.guild_id,
                                                channel=scope_channel(interaction.channel, interaction.guild_id)))


@summary.autocomplete("section")
async def section_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    wanted = current.casefold().strip()
    names = [n for n in await handlers.sections(
        interaction.guild_id, scope_channel(interaction.channel, interaction.guild_id)) if wanted in n.casefold()]
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:25]]


COMMANDS = [summary]
