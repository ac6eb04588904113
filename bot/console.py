"""The console front-end: try Verbatim without Discord.

A line typed at the prompt is a question; `/summary`, `/reindex` and `/status` run the same
handlers as the Discord commands and print the same content as text. Answers go to stdout,
logs to stderr.
"""
from __future__ import annotations

import asyncio
import logging
import shlex
import sys
from typing import TextIO

from index.settings import IndexSettings

from . import rendering
from .errors import user_message
from .handlers import Handlers, UserError
from .replies import Reply

log = logging.getLogger(__name__)

HELP = """Type a question about the content, or a command:
  /summary [sentences:N] [section:NAME] [topic:WORDS]   the content in its own sentences (N: 1-10)
  /reindex                                             rebuild the index from the configured content
  /status                                              what is indexed
  /help                                                this text
  /quit                                                leave (or Ctrl-D)"""

BANNER = "Verbatim console. Ask a question about the content, or /help."


def parse_options(args: list[str], names: tuple[str, ...], first: str) -> dict[str, str]:
    """`name:value` words (quote values with spaces); a bare first word is the `first` option."""
    options: dict[str, str] = {}
    loose: list[str] = []
    for word in args:
        name, sep, value = word.partition(":")
        if sep and name in names:
            options[name] = value
        else:
            loose.append(word)
    if loose:
        if first in options or len(loose) > 1 and first == "sentences":
            raise UserError(f"unexpected {' '.join(loose)!r}: write options as name:value, "
                            f"e.g. /summary sentences:3 section:\"War talk\"")
        options[first] = " ".join(loose)
    return options


async def run_line(handlers: Handlers, line: str) -> Reply | None:
    """The reply to one line typed at the prompt (None for an empty line)."""
    line = line.strip()
    if not line:
        return None
    if not line.startswith("/"):
        return await handlers.ask(line)
    command, _, rest = line.partition(" ")
    command = command.lower()
    if command == "/ask":
        return await handlers.ask(rest)
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
                                      topic=options.get("topic"))
    if command == "/reindex":
        return await handlers.reindex(author="console")
    if command == "/status":
        return await handlers.status(latency=None)
    if command == "/help":
        return Reply.notice(HELP)
    raise UserError(f"no command {command}: try /help")


async def run(handlers: Handlers, stdin: TextIO, stdout: TextIO) -> int:
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        stdout.write(BANNER + "\n")
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        if line.strip().lower() in ("/quit", "/exit"):
            break
        try:
            reply = await run_line(handlers, line)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a short line
            text, unexpected = user_message(exc)
            if unexpected:
                log.error("the console could not answer %r", line.strip(), exc_info=exc)
            reply = Reply.error(text)
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
