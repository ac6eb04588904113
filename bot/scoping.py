"""Channel scopes in the handlers: a moderator binds a channel to some of the server's documents
(/content scope), and questions asked there, in its threads too, are answered from those alone.

A channel is named by its id as text (the console's is CONSOLE_CHANNEL); the front-end that
knows channels' names passes them for the replies. Handlers (handlers.py) takes these methods.
"""
from __future__ import annotations

import asyncio

from index.engine import Engine

from .compose import counted
from .replies import Fact, Reply

CONSOLE_CHANNEL = "console"  # the console is one channel of the configured corpus


def scope_channel(channel, guild_id: int | None) -> str | None:
    """The channel whose scope a question asked in Discord's `channel` follows: a thread (it has a
    parent) follows the channel it was started in. None outside servers."""
    if guild_id is None or channel is None:
        return None
    return str(getattr(channel, "parent_id", None) or channel.id)


def channel_label(channel: str, names: dict[str, str] | None = None) -> str:
    if channel == CONSOLE_CHANNEL:
        return "the console"
    return (names or {}).get(channel) or f"channel {channel}"


class ScopeHandlers:
    """The scope side of Handlers: its content operations, corpora and engines."""

    def scoped(self, engine: Engine, channel: str | None) -> Engine:
        """The engine for a question asked in `channel`: its scope's documents only, when it has
        one (read from the store at each question: another process may have set it)."""
        return engine.within(self.content.scope_of(engine.corpus, channel)) if channel else engine

    async def scope(self, *, guild_id: int | None, actor: str, channel: str, documents: str,
                    shown: str | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        names = await asyncio.to_thread(self.content.scope, corpus, actor, channel, documents)
        where = shown or channel_label(channel)
        return Reply("content", title=f"Scope of {where}", lead=(
            f"Questions asked in {where} and in the threads started there are now answered from "
            f"{counted(len(names), 'document')} only: {', '.join(names)}. /content unscope answers them from every "
            "document again."))

    async def unscope(self, *, guild_id: int | None, actor: str, channel: str, shown: str | None = None) -> Reply:
        corpus = await self._ready(guild_id)
        dropped = await asyncio.to_thread(self.content.unscope, corpus, actor, channel)
        where = shown or channel_label(channel)
        said = "now answered from every document" if dropped else "answered from every document already"
        return Reply("content", title=f"Scope of {where}", lead=f"Questions asked in {where} are {said}.")

    async def scope_facts(self, guild_id: int | None, names: dict[str, str] | None = None) -> list[Fact]:
        """For /status: one line a scoped channel, with the documents it names that are gone."""
        entries = await asyncio.to_thread(self.content.scopes, self.corpus_for(guild_id))
        lines = []
        for entry in entries:
            line = f"{channel_label(entry.channel, names)}: {', '.join(entry.documents) or 'no document left'}"
            if entry.missing:
                line += f" (no longer in the content: {', '.join(entry.missing)})"
            lines.append(line)
        return [Fact("Channel scopes", "\n".join(lines))] if lines else []
