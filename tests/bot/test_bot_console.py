"""The console as a newcomer meets it, in-process through its handlers: the lines it prints for a
missing file, a corrupt index and a summary topic of several words."""
from __future__ import annotations

import pytest

from bot import rendering
from bot.console import run_line
from bot.errors import reply_or_error
from bot.handlers import Handlers
from index.settings import IndexSettings

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
