"""The buttons under every answer, which keep working after a restart: Helpful / Wrong, and
More passages (the next passages for the same question, without asking again).

Each button's custom id names what it does and the remembered answer ("verbatim:vote:wrong:42",
"verbatim:more:42:3"), and the client registers the buttons as dynamic items: discord.py
rebuilds them from the id of any message's button, whenever the bot was started.
"""
from __future__ import annotations

import logging

import discord

from . import rendering
from .errors import user_message
from .replies import Reply

log = logging.getLogger(__name__)

LABELS = {"helpful": "Helpful", "wrong": "Wrong"}
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
        try:
            reply = await handlers.vote(answer_id=self.answer_id, user_id=interaction.user.id, choice=self.choice,
                                        guild_id=interaction.guild_id)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a short ephemeral reply
            text, unexpected = user_message(exc)
            if unexpected:
                log.error("vote on answer %s failed", self.answer_id, exc_info=exc)
            reply = Reply.error(text)
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
        try:
            reply = await handlers.more(answer_id=self.answer_id, shown=self.shown, guild_id=interaction.guild_id)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a short ephemeral reply
            text, unexpected = user_message(exc)
            if unexpected:
                log.error("more passages for answer %s failed", self.answer_id, exc_info=exc)
            reply = Reply.error(text)
        view = view_for(reply)
        await interaction.response.send_message(**rendering.message(reply), **({"view": view} if view else {}),
                                                ephemeral=True)


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
    return view
