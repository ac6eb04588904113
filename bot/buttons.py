"""The buttons under every answer, which keep working after a restart: Helpful / Wrong, More
passages (the next passages for the same question, without asking again) and Ask more in a
thread (a thread under the answer where follow-ups are read with it in mind).

Each button's custom id names what it does and the remembered answer ("verbatim:vote:wrong:42",
"verbatim:more:42:3"), and the client registers the buttons as dynamic items: discord.py
rebuilds them from the id of any message's button, whenever the bot was started.
"""
from __future__ import annotations

import logging

import discord

from . import rendering
from .errors import reply_or_error
from .handlers import UserError
from .replies import Reply
from .scoping import scope_channel

log = logging.getLogger(__name__)

LABELS = {"helpful": "Helpful", "wrong": "Wrong"}
THREAD_NAME = 100  # Discord's limit on a thread's name
STYLES = {"helpful": discord.ButtonStyle.success, "wrong": discord.ButtonStyle.danger}


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"verbatim:vote:(?P<choice>helpful|wrong):(?P<answer>\d+)"):
    def __init__(self, choice: str, answer_id: int):
        super().__init__(discord.ui.Button(label=LABELS[choice], style=STYLES[choice],
                                           custom_id=f"verbatim:vote:{choice}:{answer_id}"))
        self.choice, self.answer_id = choice, answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match) -> "VoteButton":
        return cls(match["choice"], int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        handlers = interaction.client.handlers  # type: ignore[attr-defined]
        reply = await reply_or_error(handlers.vote(answer_id=self.answer_id, user_id=interaction.user.id, choice=self.choice,
                                            guild_id=interaction.guild_id), f"vote on answer {self.answer_id}")
        await interaction.response.send_message(**rendering.message(reply), ephemeral=True)


class MoreButton(discord.ui.DynamicItem[discord.ui.Button], template=r"verbatim:more:(?P<answer>\d+):(?P<shown>\d+)"):
    def __init__(self, answer_id: int, shown: int):
        super().__init__(discord.ui.Button(label="More passages", style=discord.ButtonStyle.secondary,
                                           custom_id=f"verbatim:more:{answer_id}:{shown}"))
        self.answer_id, self.shown = answer_id, shown

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match) -> "MoreButton":
        return cls(int(match["answer"]), int(match["shown"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        handlers = interaction.client.handlers  # type: ignore[attr-defined]
        channel = scope_channel(interaction.channel, interaction.guild_id)
        reply = await reply_or_error(handlers.more(answer_id=self.answer_id, shown=self.shown, guild_id=interaction.guild_id,
                                                   channel=channel), f"more passages for answer {self.answer_id}")
        view = view_for(reply)
        await interaction.response.send_message(**rendering.message(reply), **({"view": view} if view else {}),
                                                ephemeral=True)


class ThreadButton(discord.ui.DynamicItem[discord.ui.Button], template=r"verbatim:thread:(?P<answer>\d+)"):
    def __init__(self, answer_id: int):
        super().__init__(discord.ui.Button(label="Ask more in a thread", style=discord.ButtonStyle.secondary,
                                           custom_id=f"verbatim:thread:{answer_id}"))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match) -> "ThreadButton":
        return cls(int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        reply = await reply_or_error(self._open(interaction), f"thread for answer {self.answer_id}")
        await interaction.response.send_message(**rendering.message(reply), ephemeral=True)

    async def _open(self, interaction: discord.Interaction) -> Reply:
        message = interaction.message
        if message is None or interaction.guild_id is None:
            raise UserError("threads are opened under an answer in a server channel")
        embeds = message.embeds
        name = (embeds[0].title if embeds and embeds[0].title else "Follow-up questions")[:THREAD_NAME]
        try:
            thread = await message.create_thread(name=name, auto_archive_duration=1440)
        except discord.HTTPException as exc:
            raise UserError(f"Discord would not open a thread here ({exc.text or exc.status}): a thread may "
                            "already be open under this answer, or I may lack the permission") from None
        handlers = interaction.client.handlers  # type: ignore[attr-defined]
        return await handlers.open_thread(answer_id=self.answer_id, thread_id=thread.id, guild_id=interaction.guild_id)


def view_for(reply: Reply) -> discord.ui.View | None:
    """The buttons under a remembered answer (votes under the answer itself, More under both it
    and the passages it led to); None for any other reply."""
    if reply.answer_id is None:
        return None
    view = discord.ui.View(timeout=None)
    if reply.kind != "passages":
        for choice in LABELS:
            view.add_item(VoteButton(choice, reply.answer_id))
    if reply.more_after is not None:
        view.add_item(MoreButton(reply.answer_id, reply.more_after))
    if reply.threadable:
        view.add_item(ThreadButton(reply.answer_id))
    return view
