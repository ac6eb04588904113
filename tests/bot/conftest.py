"""Fixtures for the bot tests: a temp index, the Discord stand-in, and the real bot against it."""
from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from bot.client import VerbatimBot
from bot.handlers import Handlers
from bot.settings import BotSettings
from index.engine import Engine
from index.settings import IndexSettings

from .standin import ROOT, TIMEOUT, StandIn

CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory) -> IndexSettings:
    folder = tmp_path_factory.mktemp("index")
    settings = IndexSettings(_env_file=None, content=[CONTENT], index_path=folder / "verbatim.sqlite3")
    Engine.from_settings(settings).build(author="tests")
    return settings


@pytest.fixture(scope="session")
def engine(index_settings) -> Engine:
    return Engine.from_settings(index_settings)


@pytest.fixture
def guild_engine(standin, index_settings):
    """The engine of the stand-in's server's own corpus (the bot creates it on first use)."""
    return Engine.from_settings(index_settings, corpus=f"guild-{standin.guild_id}")


@pytest.fixture
async def standin():
    server = await StandIn().start()
    yield server
    await server.stop()


def bot_settings(standin: StandIn, **overrides) -> BotSettings:
    values = dict(token=standin.token, api_base=standin.api_base, gateway_url=standin.gateway_url,
                  guild_ids=[], moderator_role_ids=[], answer_channel_ids=[], ask_cooldown_seconds=0,
                  sync_on_change=False)
    values.update(overrides)
    return BotSettings(_env_file=None, **values)


@pytest.fixture
async def start_bot(standin, index_settings, engine):
    """start_bot(**settings) -> a logged-in, ready VerbatimBot connected to the stand-in."""
    running: list[tuple[VerbatimBot, asyncio.Task]] = []

    async def start(handlers: Handlers | None = None, index: IndexSettings | None = None,
                    reconnect: bool = False, **overrides) -> VerbatimBot:
        index = index or index_settings
        handlers = handlers or Handlers(index, engine if index is index_settings else None)
        # The server's corpus is made on first use, in a worker thread (tested on its own): made
        # here, a test's first question is as quick as any, however loaded the machine is.
        handlers.content.ensure(f"guild-{standin.guild_id}", "tests")
        bot = VerbatimBot(bot_settings(standin, **overrides), index, handlers=handlers, guild_ready_timeout=0.05)
        await bot.login(standin.token)
        task = asyncio.create_task(bot.connect(reconnect=reconnect))
        running.append((bot, task))
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if task.done():
                task.result()  # raises what went wrong
            raise AssertionError("the bot did not become ready")
        return bot

    yield start
    # every message the bot sent, in every test, parses no mentions at all
    for request in standin.requests:
        payload = request.payload
        if request.method in ("POST", "PATCH") and ("content" in payload or "embeds" in payload):
            assert payload.get("allowed_mentions", {}).get("parse") == [], (request.path, payload)
    for bot, task in running:
        await bot.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, TIMEOUT)


@pytest.fixture(autouse=True)
def _debug_logs(caplog):
    caplog.set_level(logging.INFO, logger="bot")
    yield
