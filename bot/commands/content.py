"""/content add|list|remove|history|feedback|gaps|rollback: moderators own their server's content.

Every subcommand checks at run time that the user is a moderator (default_permissions only hides
the group from other members, and server admins can change that). Changes answer through
run_change: ephemeral, with progress, then the change's summary.
"""
from __future__ import annotations

import discord
from discord import app_commands

from ..attachments import download
from ..handlers import UserError
from ..permissions import moderator_only
from .changes import actor, run_change
from .common import respond

content = app_commands.Group(name="content", description="The documents questions are answered from (moderators).",
                             default_permissions=discord.Permissions(manage_guild=True), guild_only=True)


@content.command(name="add", description="Add a document: attach a .txt, .md, .html, .pdf or .docx file.")
@app_commands.describe(attachment="The file to add (.txt, .md, .html)",
                       url="A page to fetch instead (only when the server's settings allow URLs)")
@app_commands.check(moderator_only)
async def add(interaction: discord.Interaction, attachment: discord.Attachment | None = None,
              url: str | None = None) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    settings = handlers.index_settings
    who, guild_id = actor(interaction), interaction.guild_id
    if (attachment is None) == (url is None):
        raise UserError("attach one file, or give one url")

    async def change(on_status):
        if url is not None:
            return await handlers.add_url(guild_id=guild_id, actor=who, url=url, on_status=on_status)
        return await handlers.add_upload(
            guild_id=guild_id, actor=who, filename=attachment.filename, size=attachment.size,
            read=lambda: download(attachment.url, handlers.content.max_upload_bytes, settings.fetch_timeout_seconds),
            on_status=on_status)

    await run_change(interaction, change)


@content.command(name="list", description="The documents of this server's content.")
@app_commands.check(moderator_only)
async def list_documents(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.documents(interaction.guild_id), ephemeral=True)


@content.command(name="remove", description="Take a document out (older versions keep it).")
@app_commands.describe(document="The document's name")
@app_commands.check(moderator_only)
async def remove(interaction: discord.Interaction, document: str) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    who, guild_id = actor(interaction), interaction.guild_id
    await run_change(interaction, lambda on_status: handlers.remove(guild_id=guild_id, actor=who, document=document,
                                                                    on_status=on_status))


@remove.autocomplete("document")
@app_commands.check(moderator_only)  # only moderators see the names (an empty list for others)
async def document_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    wanted = current.casefold().strip()
    names = [n for n in await handlers.document_names(interaction.guild_id) if wanted in n.casefold()]
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:25]]


@content.command(name="history", description="Versions of this server's content: when, who, what changed.")
@app_commands.check(moderator_only)
async def history(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.history(interaction.guild_id), ephemeral=True)


@content.command(name="feedback", description="The answers members marked wrong, most marked first.")
@app_commands.check(moderator_only)
async def feedback(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.feedback(interaction.guild_id), ephemeral=True)


@content.command(name="gaps", description="The questions the content did not answer, grouped, most asked first.")
@app_commands.check(moderator_only)
async def gaps(interaction: discord.Interaction) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    await respond(interaction, handlers.gaps(interaction.guild_id), ephemeral=True)


@content.command(name="rollback", description="Make an older version live again (as a new version).")
@app_commands.describe(version="The version's number, as /content history shows it")
@app_commands.check(moderator_only)
async def rollback(interaction: discord.Interaction, version: app_commands.Range[int, 1, None]) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    who, guild_id = actor(interaction), interaction.guild_id
    await run_change(interaction, lambda on_status: handlers.rollback(guild_id=guild_id, actor=who, version=version,
                                                                      on_status=on_status))


COMMANDS = [content]
