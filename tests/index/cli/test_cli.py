"""`python -m index` in subprocesses, as a user or the bot's benchmarks run it."""
import json
import os
import subprocess
import sys

import pytest

from index.store.sqlite import SQLiteStore
from tests.index.conftest import CONTENT, ROOT


def run(*args, env=None, stdin=None, index=None):
    environ = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "index", *args]
    if index is not None:
        command += ["--index", str(index)]
    return subprocess.run(command, cwd=ROOT, env=environ, input=stdin, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    index = tmp_path_factory.mktemp("cli") / "index.sqlite3"
    done = run("build", str(CONTENT), index=index)
    assert done.returncode == 0, done.stderr
    passages = len(SQLiteStore(index).load().passages)  # one a paragraph of the article
    assert passages > 20 and f"1 documents, {passages} passages" in done.stdout and " ms" in done.stdout
    return index


def test_ask_json(built):
    done = run("ask", "--json", "-k", "2", "How many police were deployed in Belek?", index=built)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["refused"] is False and len(data["passages"]) == 2
    assert "12,000 police" in data["passages"][0]["text"]


def test_batch_answers_in_order_and_survives_bad_lines(built):
    questions = "How many died in Paris?\n\nWho is the president of Brazil?\n"
    done = run("ask", "--batch", index=built, stdin=questions)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["refused"] is False
    assert "empty" in lines[1]["error"]
    assert lines[2]["refused"] is True


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_bad_question_exits_2_with_a_message(built, question):
    done = run("ask", question, index=built)
    assert done.returncode == 2
    assert done.stderr.startswith("error: the question")


def test_asking_an_empty_index_says_how_to_build(tmp_path):
    done = run("ask", "anything?", index=tmp_path / "none.sqlite3")
    assert done.returncode == 2
    assert "python -m index build" in done.stderr


def test_invalid_setting_names_the_key(built):
    done = run("stats", index=built, env={"VERBATIM_TOP_K": "many"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "VERBATIM_TOP_K" in done.stderr


def test_stats_and_if_missing(built):
    done = run("stats", "--json", index=built)
    assert json.loads(done.stdout)["passages"] == len(SQLiteStore(built).load().passages)
    again = run("build", "--if-missing", index=built)
    assert again.returncode == 0 and "not rebuilt" in again.stdout
    assert json.loads(run("stats", "--json", index=built).stdout)["version"] == 1


def test_every_argument_a_command_takes_is_explained():
    import argparse

    from index.cli import parser

    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    unexplained = [f"{name} {a.metavar or a.dest}" for name, command in commands.choices.items()
                   for a in command._actions if not a.option_strings and not a.help]
    assert not unexplained


def test_add_help_names_every_file_type_it_takes():
    from index.content.validation import UPLOAD_SUFFIXES

    for shown in (run("add", "--help").stdout, run("--help").stdout):
        assert all(suffix in shown for suffix in UPLOAD_SUFFIXES), shown
