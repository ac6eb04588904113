"""The console as a newcomer meets it, in-process through its handlers: the lines it prints for a
missing file, a corrupt index and a summary topic of several words."""
from __future__ import annotations

import io

import pytest

from bot import console, rendering
from bot.console import run_line
from bot.errors import reply_or_error
from bot.handlers import Handlers
from index.settings import IndexSettings
from tests.index.cli.test_cli import run

FERRY = ("Ferry report\n\nThe Lindqvist ferry carried 412 passengers on its first crossing in March.\n\n"
         "Subscribe to the privacy policy newsletter of the harbour office for the timetable.\n")


@pytest.fixture
def ferry(tmp_path) -> Handlers:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "ferry.txt").write_text(FERRY)
    handlers = Handlers(IndexSettings(_env_file=None, index_path=tmp_path / "i.db", content=[tmp_path / "c"]))
    handlers.engine.build()
    return handlers


async def said(handlers: Handlers, line: str) -> str:
    return rendering.text(await reply_or_error(run_line(handlers, line), line))


async def test_adding_a_missing_file_is_the_command_lines_line(ferry, tmp_path):
    missing = tmp_path / "no" / "such" / "file.txt"
    assert await said(ferry, f"/content add {missing}") == f"{missing}: no such file or folder"
    assert ferry.engine.store.live_version(ferry.engine.corpus).number == 1


async def test_a_corrupt_index_ends_the_console_with_the_command_lines_exit_2(ferry):
    settings = ferry.index_settings
    out = io.StringIO()
    assert await console.run(Handlers(settings), io.StringIO("/frobnicate\nHow many passengers?\n"), out) == 0
    assert "412" in out.getvalue()  # an error the user can correct: the console goes on

    for wal in settings.index_path.parent.glob("i.db-*"):
        wal.unlink()
    settings.index_path.write_bytes(b"this is not a database at all\n" * 200)
    out = io.StringIO()
    assert await console.run(Handlers(settings), io.StringIO("How many passengers?\n/status\n"), out) == 2
    [said_once] = out.getvalue().strip().splitlines()  # stopped at the first line: /status never ran
    cli = run("ask", "How many passengers?", index=settings.index_path)
    assert cli.returncode == 2 and cli.stderr.strip() == f"error: {said_once}"


@pytest.mark.parametrize("line, sentences", [("/summary topic:subscribe privacy policy", None),
                                             ('/summary topic:"subscribe privacy policy"', None),
                                             ("/summary topic:subscribe privacy policy sentences:1", 1)])
async def test_a_summary_topic_of_several_words(ferry, line, sentences):
    reply = await run_line(ferry, line)
    assert reply.kind == "summary" and "privacy policy newsletter" in reply.quotes[0].text
    wanted = await ferry.summary(topic="subscribe privacy policy", sentences=sentences)
    assert [q.text for q in reply.quotes] == [q.text for q in wanted.quotes]


async def test_a_summary_section_runs_to_the_next_option(ferry, tmp_path):
    (tmp_path / "c" / "ferry.txt").write_text(FERRY + "\nHarbour works\n\nThe quay was lengthened by 40 metres.\n")
    await ferry.reindex(actor="tests")
    reply = await run_line(ferry, "/summary section:Harbour works sentences:1")
    assert [q.text for q in reply.quotes] == ["The quay was lengthened by 40 metres."]
