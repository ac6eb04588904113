"""/content follow, /content unfollow and /content feeds: moderators follow RSS and Atom feeds whose
new entries are added to the server's content (bot/feeds.py). They join the /content group of
content.py, with its run-time moderator check."""
from __future__ import annotations

import discord
from discord import app_commands

from ..permissions import moderator_only
from .changes import actor
from .common import respond
from .content import content

CHOICE_CHARS = 100  # Discord's limit on an autocomplete choice


@content.command(name="follow", description="Follow an RSS or Atom feed: its new entries are added as they come.")
@app_commands.describe(url="The feed's address (only when the server's settings allow URLs)")
@app_commands.check(moderator_only)
async def follow(interaction: discord.Interaction, url: str) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.follow(guild_id=interaction.guild_id, actor=actor(interaction), url=url),
                  ephemeral=True)


@content.command(name="unfollow", description="Stop following a feed (the documents it added stay).")
@app_commands.describe(url="The feed's address, as /content feeds shows it")
@app_commands.check(moderator_only)
async def unfollow(interaction: discord.Interaction, url: str) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.unfollow(guild_id=interaction.guild_id, actor=actor(interaction), url=url),
                  ephemeral=True)


@unfollow.autocomplete("url")
@app_commands.check(moderator_only)  # only moderators see the feeds (an empty list for others)
async def feed_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    wanted = current.casefold().strip()
    urls = [f.url for f in await handlers.followed_feeds(interaction.guild_id) if wanted in f.url.casefold()]
    return [app_commands.Choice(name=u, value=u) for u in urls if len(u) <= CHOICE_CHARS][:25]


@content.command(name="feeds", description="The followed feeds: last poll, entries added, errors.")
@app_commands.check(moderator_only)
async def feeds(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.feeds(interaction.guild_id), ephemeral=True)


COMMANDS: list = []  # all of them are in content.COMMANDS's group
