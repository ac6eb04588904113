"""`python -m bot`: run the bot; `--console` to try it without Discord; `sync` to sync commands."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from index.errors import EngineError, StoreError
from index.settings import IndexSettings, load_settings

from .settings import BotSettings

log = logging.getLogger("bot")

NO_TOKEN = ("DISCORD_TOKEN is not set: put it in the environment or in .env, "
            "or try Verbatim without Discord: python -m bot --console")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description="Verbatim's Discord bot.")
    root.add_argument("--console", action="store_true", help="the console front-end instead of Discord")
    root.add_argument("--console-if-no-token", action="store_true",
                      help="the console front-end when DISCORD_TOKEN is not set (make run)")
    root.add_argument("--corpus", metavar="NAME", help="the corpus of the console (which moderates it) and of "
                      "direct messages (default: VERBATIM_CORPUS)")
    root.add_argument("--shards", metavar="N", help="run the bot over N gateway shards in all "
                      "(default: DISCORD_SHARD_COUNT; unsharded without it)")
    root.add_argument("--shard-ids", metavar="IDS", help="the shards this process runs, e.g. 0,1 or 0-3 "
                      "(default: DISCORD_SHARD_IDS; all N without it); other processes run the rest")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    sync = commands.add_parser("sync", help="sync the slash commands with Discord, on purpose")
    sync.add_argument("--guild", type=int, metavar="ID",
                      help="to this guild only (instant; for development); default: globally")
    return root


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))


async def run_bot(settings: BotSettings, index_settings: IndexSettings) -> None:
    from .client import ShardedVerbatimBot, VerbatimBot

    if settings.shard_count is None:
        bot = VerbatimBot(settings, index_settings)
    else:
        bot = ShardedVerbatimBot(settings, index_settings, shard_count=settings.shard_count,
                                 shard_ids=settings.shard_ids or None)
        log.info("shards %s of %d", settings.shard_ids or "all", settings.shard_count)
    async with bot:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError):  # a clean close on SIGTERM (docker stop, systemd)
            loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(bot.close()))
        await bot.start(settings.token.get_secret_value())


async def run_sync(settings: BotSettings, index_settings: IndexSettings, guild_id: int | None) -> None:
    from .client import VerbatimBot
    from .sync import sync_commands

    settings = settings.model_copy(update={"sync_on_change": False})
    async with VerbatimBot(settings, index_settings) as bot:
        await bot.login(settings.token.get_secret_value())  # REST only: no gateway needed
        await sync_commands(bot, guild_id)


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.corpus:
        from index.content.validation import check_corpus
        from index.errors import ContentError
        try:
            check_corpus(args.corpus)
        except ContentError as exc:
            p.exit(2, f"{p.prog}: {exc}\n")
    shards = {key: value for key, value in (("DISCORD_SHARD_COUNT", args.shards),
                                            ("DISCORD_SHARD_IDS", args.shard_ids)) if value is not None}
    settings: BotSettings = load_settings(BotSettings, **shards)
    index_settings: IndexSettings = load_settings(IndexSettings, **({"corpus": args.corpus} if args.corpus else {}))
    if args.console or (args.console_if_no_token and settings.token is None and args.command is None):
        setup_logging("WARNING" if index_settings.log_level == "INFO" else index_settings.log_level)
        from .console import main as console_main
        return console_main(index_settings)
    if settings.token is None:
        p.exit(2, f"{p.prog}: {NO_TOKEN}\n")
    setup_logging(index_settings.log_level)
    import aiohttp  # not before: `python -m bot` without a token answers at once
    import discord

    try:
        if args.command == "sync":
            asyncio.run(run_sync(settings, index_settings, args.guild))
        else:
            asyncio.run(run_bot(settings, index_settings))
    except discord.LoginFailure:
        log.error("Discord refused DISCORD_TOKEN: check the token in the environment or .env")
        return 2
    except discord.PrivilegedIntentsRequired:
        log.error("VERBATIM_ANSWER_CHANNEL_IDS needs the Message Content intent: enable it for the bot "
                  "in the Discord developer portal, or clear the setting")
        return 2
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound, discord.ConnectionClosed) as exc:
        log.error("cannot reach Discord (%s): check the network, or DISCORD_API_BASE / DISCORD_GATEWAY_URL",
                  str(exc) or type(exc).__name__)
        return 2
    except discord.HTTPException as exc:
        log.error("Discord answered %s %s: try again later", exc.status, exc.text or "")
        return 2
    except (EngineError, StoreError) as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
