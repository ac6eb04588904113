"""The one error handler for app commands, and the short messages users see for errors.

The user gets a short ephemeral message; the log gets the traceback when the error is a bug.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

import discord
from discord import app_commands

from index.errors import EngineError, StoreError
from index.ingest.documents import ReadError

from . import rendering
from .handlers import UserError
from .permissions import NotModerator
from .replies import Reply

log = logging.getLogger(__name__)
R = TypeVar("R")

UNEXPECTED = "Something went wrong on my side and it has been logged. Please try again later."


def user_message(error: BaseException) -> tuple[str, bool]:
    """What to tell the user about error, and whether it is unexpected (a bug: log the traceback)."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, NotModerator):
        return ("Only moderators can do that: it needs the Manage Server permission "
                "or a moderator role.", False)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"You are asking quickly: try again in {error.retry_after:.0f} s.", False
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server, not in direct messages.", False
    if isinstance(error, app_commands.TransformerError):
        return f"{error.value!r} is not a valid value there.", False
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here.", False
    if isinstance(error, (EngineError, UserError)):
        return _sentence(str(error)), False
    if isinstance(error, ReadError):
        return _sentence(f"the content could not be read: {error}"), False
    if isinstance(error, StoreError):
        return _sentence(f"the index could not be used: {error}"), True
    return UNEXPECTED, True


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return UNEXPECTED
    if not text.split()[0].isalpha():  # a file or corpus name keeps its case
        return text
    return text[:1].upper() + text[1:]


def explain_failure(interaction: discord.Interaction, error: BaseException) -> str:
    """The short line for the user; the log gets the traceback of anything unexpected."""
    text, unexpected = user_message(error)
    name = interaction.command.qualified_name if interaction.command else "?"
    if unexpected:
        log.error("/%s failed (interaction %s)", name, interaction.id, exc_info=error)
    else:
        log.info("/%s refused for user %s: %s", name, interaction.user.id, text)
    return text


async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    await send_ephemeral(interaction, Reply.error(explain_failure(interaction, error)))


async def send_ephemeral(interaction: discord.Interaction, reply: Reply) -> None:
    """Send reply ephemerally, as the response or, once responded or deferred, as a follow-up."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(**rendering.message(reply), ephemeral=True)
        else:
            await interaction.response.send_message(**rendering.message(reply), ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error (interaction %s)", interaction.id, exc_info=True)


async def reply_or_error(work: Awaitable[R], what: str) -> R | Reply:
    """The work's reply; any failure as a short error reply (logged with its traceback when it
    is a bug). For the replies no command tree handles: messages and buttons."""
    try:
        return await work
    except Exception as exc:  # noqa: BLE001 - every failure becomes a short reply
        return error_reply(exc, what)


def error_reply(error: Exception, what: str) -> Reply:
    """The short error reply to a failure of `what`, its traceback logged when it is a bug."""
    text, unexpected = user_message(error)
    if unexpected:
        log.error("%s failed", what, exc_info=error)
    return Reply.error(text)
