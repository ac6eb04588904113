"""Every example of the README's console session and of the console's /help runs as written,
through the console's own handlers: no error, no unknown command, nothing it names missing; and
each answer the README shows is the answer given (SHOWN_ANSWERS_CHECKED: every question in it)."""
from __future__ import annotations

import io
import re

import pytest

from bot import console, rendering
from bot.console import run_line
from bot.handlers import Handlers
from bot.help import COMMANDS, QUESTION_EXAMPLES, SUMMARY_EXAMPLES, help_text
from index.settings import IndexSettings

from .index.conftest import CONTENT, ROOT

SHOWN_ANSWERS_CHECKED = ("how many people died in Paris?", 'who said "there can be no tolerance of terrorism"?',
                         "what is the capital of Australia?")
PLACEHOLDER = re.compile(r"[\[<(|]|\b[A-Z]+\b")  # [option], <words>, (or URL), a | b, PATH


def readme_session() -> list[tuple[str, list[str]]]:
    """The README's console session: each line typed at the prompt, with the lines shown under it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```text\n(.*?)```", text, re.S) if "\n> " in f"\n{b}")
    session: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("> "):
            session.append((line[2:], []))
        elif session and line.strip():
            session[-1][1].append(line)
    return session


def help_examples() -> list[str]:
    """What the console's /help gives to type as it is: its questions, its summaries, and each
    command written without a placeholder."""
    literal = [form for _, form, _ in COMMANDS if form and not PLACEHOLDER.search(form) and form != "/quit"]
    return [*QUESTION_EXAMPLES, *SUMMARY_EXAMPLES, *literal]


@pytest.fixture
def handlers(tmp_path, monkeypatch) -> Handlers:
    monkeypatch.chdir(ROOT)  # the examples' paths are the repository's, as `make run` starts there
    made = Handlers(IndexSettings(_env_file=None, index_path=tmp_path / "index.sqlite3", content=[CONTENT]))
    made.engine.build()
    return made


def test_the_examples_are_found():
    typed = [line for line, _ in readme_session()]
    assert len(typed) >= 8 and typed[-1] == "/quit" and any(t.startswith("/content add ") for t in typed)
    assert set(SHOWN_ANSWERS_CHECKED) == {t for t in typed if not t.startswith("/")}  # every question shown
    shown = help_text(console=True)
    assert all(example in shown for example in help_examples()) and "/status" in help_examples()


async def test_every_readme_console_example_runs_as_written(handlers):
    session = readme_session()
    for line, shown in session:
        if line == "/quit":
            continue
        reply = await run_line(handlers, line)  # an error would raise here: no reply hides it
        said = rendering.text(reply)
        assert reply.kind != "error" and "no command" not in said, (line, said)
        if line in SHOWN_ANSWERS_CHECKED:
            own = [row for row in shown if not row.startswith(" ")]  # the bot's own lines, not the quotes
            assert [row for row in said.splitlines() if not row.startswith(" ")][:len(own)] == own, line
        if line.startswith("/content add "):
            assert reply.title.startswith("Added ")
    out = io.StringIO()
    typed = "".join(f"{line}\n" for line, _ in session) + "How many passengers did the ferry carry?\n"
    assert await console.run(handlers, io.StringIO(typed), out) == 0
    assert "412" not in out.getvalue()  # /quit ended the session: the question after it was never answered


@pytest.mark.parametrize("example", help_examples())
async def test_every_help_example_runs_as_written(handlers, example):
    reply = await run_line(handlers, example)
    said = rendering.text(reply)
    assert reply.kind != "error" and "no command" not in said and said.strip(), said
