"""/ask, and questions asked by mentioning the bot (or in an answer channel)."""
from __future__ import annotations

import logging
import re

import discord
from discord import app_commands

from .. import buttons, rendering
from ..errors import reply_or_error
from ..replies import Reply
from ..scoping import scope_channel
from .common import answers_here, respond

log = logging.getLogger(__name__)

HELP = "Ask me a question about the content, e.g. `@Verbatim how many people died in Paris?` or `/ask`; `/help` says more."
NO_DMS = "I answer questions in servers, not in direct messages."


async def ask_cooldown(interaction: discord.Interaction) -> bool:
    retry = await interaction.client.cooldown.retry_after(interaction.user.id)  # type: ignore[attr-defined]
    if retry:
        raise app_commands.CommandOnCooldown(app_commands.Cooldown(1, interaction.client.cooldown.seconds), retry)
    return True


@app_commands.command(name="ask", description="Ask about the content; the answer comes in its own words.")
@app_commands.describe(question="Your question", private="Only you see the answer (default: no)")
@app_commands.check(ask_cooldown)
@app_commands.check(answers_here)  # first (checks run bottom-up): a refused DM spends no cooldown
async def ask(interaction: discord.Interaction, question: str, private: bool = False) -> None:
    handlers = interaction.client.handlers  # type: ignore[attr-defined]
    channel = scope_channel(interaction.channel, interaction.guild_id)
    await respond(interaction, handlers.ask(question, guild_id=interaction.guild_id, channel=channel,
                                            remember=not private, asker=str(interaction.user.id)), ephemeral=private)


COMMANDS = [ask]


def question_in(message: discord.Message, bot_id: int) -> str:
    """The message's text without mentions of the bot."""
    return re.sub(rf"<@!?{bot_id}>", " ", message.content).strip()


async def on_message(client, message: discord.Message) -> None:
    """Answer a message that mentions the bot, or a question in an answer channel."""
    if message.author.bot or client.user is None:
        return
    mentioned = any(user.id == client.user.id for user in message.mentions)
    if isinstance(message.channel, discord.Thread) and message.guild is not None:
        if await _follow_up(client, message, mentioned):
            return
    channel_ids = client.settings.answer_channel_ids
    in_answer_channel = message.channel.id in channel_ids or \
        getattr(message.channel, "parent_id", None) in channel_ids
    question = question_in(message, client.user.id)
    direct = message.guild is None  # every message in a DM is addressed to the bot
    if direct and not client.settings.answer_dms:
        await _reply(message, Reply.notice(NO_DMS))
        return
    if not mentioned and not direct and not (in_answer_channel and "?" in question):
        return
    if not question:
        await _reply(message, Reply.notice(HELP))
        return
    retry = await client.cooldown.retry_after(message.author.id)
    if retry:
        # a message cannot be ephemeral: the notice removes itself when the user may ask again
        await _reply(message, Reply.notice(f"You are asking quickly: try again in {retry:.0f} s."),
                     delete_after=max(retry, 3.0))
        return
    guild_id = message.guild.id if message.guild else None
    reply = await reply_or_error(client.handlers.ask(question, guild_id=guild_id, remember=True,
                                                     channel=scope_channel(message.channel, guild_id),
                                                     asker=str(message.author.id)),
                                 f"question from message {message.id}")
    await _reply(message, reply)


async def _follow_up(client, message: discord.Message, mentioned: bool) -> bool:
    """Answer a message in one of the bot's follow-up threads (every message when the bot may
    read them all, else those that mention it); False when the thread is not one of ours."""
    question = question_in(message, client.user.id)
    if not question or not (mentioned or client.settings.thread_every_message):
        return False
    reply = await reply_or_error(
        client.handlers.follow_up(question, thread_id=message.channel.id, guild_id=message.guild.id,
                                  channel=scope_channel(message.channel, message.guild.id),
                                  asker=str(message.author.id)),
        f"follow-up from message {message.id}")
    if reply is None:
        return False
    await _reply(message, reply)
    return True


async def _reply(message: discord.Message, reply: Reply, delete_after: float | None = None) -> None:
    try:
        view = buttons.view_for(reply)
        await message.reply(**rendering.message(reply), **({"view": view} if view else {}), mention_author=False,
                            delete_after=delete_after)
    except discord.HTTPException:
        log.warning("could not reply to message %s", message.id, exc_info=True)
