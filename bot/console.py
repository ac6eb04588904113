"""The console front-end: try Verbatim without Discord.

A line typed at the prompt is a question; `/summary`, `/reindex`, `/status` and `/content …`
run the same handlers as the Discord commands and print the same content as text. The console
acts as a moderator of the configured corpus (or the one given with --corpus). Answers go to
stdout; logs, progress and "waiting for another change" to stderr.
"""
from __future__ import annotations

import asyncio
import getpass
import re
import shlex
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from index.content.validation import file_size
from index.errors import UnreadableStoreError
from index.ingest.documents import ReadError
from index.settings import IndexSettings

from . import rendering
from .errors import error_reply
from .handlers import Handlers, UserError
from .help import help_text
from .replies import Reply
from .scoping import CONSOLE_CHANNEL

BANNER = "Verbatim console. Ask a question about the content, or /help."


def parse_options(args: list[str], names: tuple[str, ...], first: str) -> dict[str, str]:
    """`name:value` words, a value running on to the next name (`topic:privacy policy`, or quoted:
    `topic:"privacy policy"`); words before any name are the `first` option's."""
    options: dict[str, str] = {}
    current = first
    for word in args:
        name, sep, value = word.partition(":")
        if sep and name in names:
            current, options[name] = name, value
        else:
            options[current] = f"{options[current]} {word}".strip() if current in options else word
    return options


def console_actor() -> str:
    try:
        return f"console:{getpass.getuser()}"
    except Exception:  # no user name in some containers
        return "console"


class StatusLines:
    """Progress and waiting as plain lines on stderr, at most one a second (a waiting line always)."""

    def __init__(self, stream: TextIO | None = None, every: float = 1.0):
        self.stream = stream or sys.stderr
        self.every = every
        self.last = 0.0

    def __call__(self, line: str) -> None:
        now = time.monotonic()
        if now - self.last >= self.every or "waits" in line:
            self.last = now
            self.stream.write(line + "\n")
            self.stream.flush()


async def run_content(handlers: Handlers, rest: str) -> Reply:
    """`/content add|list|remove|history|feedback|gaps|rollback|scope|unscope|follow|unfollow|feeds …`,
    as the moderator of the console's corpus (the console is one channel of it: a scope set here
    applies to its questions). The console does not poll by itself: `/content feeds poll` runs a round now."""
    try:
        words = shlex.split(rest)
    except ValueError as exc:
        raise UserError(f"cannot read the command: {exc}") from None
    action, args = (words[0].lower(), words[1:]) if words else ("", [])
    actor = console_actor()
    if action == "list" and not args:
        return await handlers.documents()
    if action == "history" and not args:
        return await handlers.history()
    if action == "feedback" and not args:
        return await handlers.feedback()
    if action == "gaps" and not args:
        return await handlers.gaps()
    if action == "add" and len(args) == 1:
        target = args[0]
        if target.startswith(("http://", "https://")):
            return await handlers.add_url(guild_id=None, actor=actor, url=target, on_status=StatusLines())
        return await add_path(handlers, Path(target).expanduser(), actor)
    if action == "remove" and args:
        return await handlers.remove(guild_id=None, actor=actor, document=" ".join(args), on_status=StatusLines())
    if action == "scope" and args:  # "documents:a.txt, b.md" as Discord shows the option, or the bare names
        documents = re.sub(r"^documents:\s*", "", " ".join(args), flags=re.I)
        return await handlers.scope(guild_id=None, actor=actor, channel=CONSOLE_CHANNEL, documents=documents)
    if action == "unscope" and not args:
        return await handlers.unscope(guild_id=None, actor=actor, channel=CONSOLE_CHANNEL)
    if action in ("follow", "unfollow") and len(args) == 1:  # "url:https://…" as Discord shows the option, or the bare URL
        url = re.sub(r"^url:\s*", "", args[0], flags=re.I)
        change = handlers.follow if action == "follow" else handlers.unfollow
        return await change(guild_id=None, actor=actor, url=url)
    if action == "feeds" and not args:
        return await handlers.feeds()
    if action == "feeds" and args == ["poll"]:
        return await handlers.poll_reply()
    if action == "rollback" and len(args) == 1:
        try:
            version = int(args[0])
        except ValueError:
            raise UserError("rollback takes a version number, as /content history shows it") from None
        return await handlers.rollback(guild_id=None, actor=actor, version=version, on_status=StatusLines())
    raise UserError("use /content add PATH, /content list, /content remove NAME, /content history, /content feedback, "
                    "/content gaps, /content rollback N, /content scope NAME[, NAME...], /content unscope, "
                    "/content follow URL, /content unfollow URL, /content feeds or /content feeds poll")


async def add_path(handlers: Handlers, path: Path, actor: str) -> Reply:
    try:
        size = file_size(path)
    except ReadError as exc:  # the line the command line gives, not "the content could not be read"
        raise UserError(str(exc)) from None

    async def read() -> bytes:
        try:
            return await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None

    return await handlers.add_upload(guild_id=None, actor=actor, filename=path.name, size=size, read=read,
                                     on_status=StatusLines())


async def run_line(handlers: Handlers, line: str) -> Reply | None:
    """The reply to one line typed at the prompt (None for an empty line)."""
    line = line.strip()
    if not line:
        return None
    if not line.startswith("/"):
        return await handlers.ask(line, channel=CONSOLE_CHANNEL, asker=console_actor())
    command, _, rest = line.partition(" ")
    command = command.lower()
    if command == "/ask":  # "/ask question: ..." as Discord shows the option, or the bare question
        return await handlers.ask(re.sub(r"^question:\s*", "", rest.strip(), flags=re.I), channel=CONSOLE_CHANNEL,
                                  asker=console_actor())
    if command == "/summary":
        try:
            words = shlex.split(rest)
        except ValueError as exc:
            raise UserError(f"cannot read the options: {exc}") from None
        options = parse_options(words, ("sentences", "section", "topic"), "sentences")
        sentences = options.get("sentences")
        if sentences is not None:
            try:
                sentences = int(sentences)
            except ValueError:
                raise UserError("sentences takes a number from 1 to 10") from None
        return await handlers.summary(sentences=sentences, section=options.get("section"),
                                      topic=options.get("topic"), channel=CONSOLE_CHANNEL)
    if command == "/reindex":
        return await handlers.reindex(actor=console_actor(), on_status=StatusLines())
    if command == "/content":
        return await run_content(handlers, rest)
    if command == "/status":
        return await handlers.status(latency=None)
    if command == "/help":
        return Reply.notice(help_text(console=True, settings=handlers.index_settings))
    raise UserError(f"no command {command}: try /help")


def read_lines(stdin: TextIO) -> asyncio.Queue:
    """The lines typed, read by a daemon thread: Ctrl-C ends the console at once, where a
    worker thread blocked in readline() would hold the exit until Enter."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    def pump() -> None:
        while True:
            line = stdin.readline()
            loop.call_soon_threadsafe(queue.put_nowait, line)
            if not line:
                return

    threading.Thread(target=pump, name="console-input", daemon=True).start()
    return queue


async def run(handlers: Handlers, stdin: TextIO, stdout: TextIO) -> int:
    warming = asyncio.create_task(handlers.warm_up())  # noqa: F841 - held so the task lives; loads as the first question is typed
    interactive = stdin.isatty() and stdout.isatty()
    lines = read_lines(stdin)
    if interactive:
        stdout.write(BANNER + "\n")
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await lines.get()
        if not line:
            break
        if line.strip().lower() in ("/quit", "/exit"):
            break
        what = f"the console's answer to {line.strip()!r}"
        try:
            reply = await run_line(handlers, line)
        except UnreadableStoreError as exc:  # nothing can be answered: stop with the command line's exit 2
            stdout.write(rendering.text(error_reply(exc, what)) + "\n")
            stdout.flush()
            return 2
        except Exception as exc:  # noqa: BLE001 - every other failure is a short reply, and the console goes on
            reply = error_reply(exc, what)
        if reply is not None:
            stdout.write(rendering.text(reply) + "\n\n")
            stdout.flush()
    return 0


def main(index_settings: IndexSettings) -> int:
    handlers = Handlers(index_settings)
    try:
        return asyncio.run(run(handlers, sys.stdin, sys.stdout))
    except KeyboardInterrupt:
        return 130
