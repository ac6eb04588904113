"""The Discord client: intents, endpoints, commands, and the mention listener."""
from __future__ import annotations

import asyncio
import logging

import discord
import yarl
from discord import app_commands

from index.settings import IndexSettings

from . import buttons, errors, sync
from .commands import all_commands
from .commands import ask as ask_commands
from .cooldown import Cooldown
from .feeds import FeedPoller
from .handlers import Handlers
from .settings import BotSettings

log = logging.getLogger(__name__)


def intents_for(settings: BotSettings) -> discord.Intents:
    """Guilds and messages; message_content only when answer channels need it (privileged)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    # Privileged: only when a setting needs every message's text (mentions and slash commands don't).
    intents.message_content = bool(settings.answer_channel_ids) or settings.thread_every_message
    return intents


def use_endpoints(settings: BotSettings) -> None:
    """Point discord.py at DISCORD_API_BASE / DISCORD_GATEWAY_URL when set (a proxy or a stand-in)."""
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
        log.info("REST API at %s", settings.api_base)
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
        log.info("gateway at %s", settings.gateway_url)


class VerbatimBot(discord.Client):
    def __init__(self, settings: BotSettings, index_settings: IndexSettings, handlers: Handlers | None = None,
                 **options):
        options.setdefault("intents", intents_for(settings))
        # Verbatim has no voice: discord.py's warnings about voice libraries are noise here
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(allowed_mentions=discord.AllowedMentions.none(), **options)
        self.settings = settings
        self.index_settings = index_settings
        self.handlers = handlers or Handlers(index_settings)
        self.cooldown = Cooldown(settings.ask_cooldown_seconds, self.handlers.engine.store)  # shared by shards
        # Followed feeds are polled in the background, only when pages may be fetched at all.
        polling = index_settings.allow_urls and settings.feed_poll_minutes > 0
        self.feed_poller = FeedPoller(self.handlers, settings.feed_poll_minutes) if polling else None
        self.tree = app_commands.CommandTree(self)
        self.tree.error(errors.on_app_command_error)
        for command in all_commands():
            self.tree.add_command(command)
        use_endpoints(settings)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(buttons.VoteButton, buttons.MoreButton, buttons.ThreadButton)  # answers' buttons work across restarts
        # The re-ranker's model loads beside the gateway's start, not in the first /ask.
        self._warming = asyncio.create_task(self.handlers.warm_up())
        if self.feed_poller is not None:
            self.feed_poller.start()
        if self.settings.sync_on_change:
            await sync.sync_if_changed(self)

    async def close(self) -> None:
        if self.feed_poller is not None:
            await self.feed_poller.stop()
        await super().close()

    async def on_ready(self) -> None:
        log.info("ready as %s (%s) in %d servers", self.user, self.user.id if self.user else "?", len(self.guilds))

    async def on_message(self, message: discord.Message) -> None:
        await ask_commands.on_message(self, message)


class ShardedVerbatimBot(VerbatimBot, discord.AutoShardedClient):
    """The same bot over several gateway shards (`python -m bot --shards N`): each process runs
    its shard ids, and every process shares the store, its versions and the cooldowns."""

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d of %s ready", shard_id, self.shard_count)
