"""`python -m bot` as a user runs it: the console front-end, the entry point, settings errors."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys

from .standin import ROOT, TIMEOUT, Request


def env_for(index_settings, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "VERBATIM_"))}
    env.update(PYTHONPATH=str(ROOT), VERBATIM_INDEX_PATH=str(index_settings.index_path),
               VERBATIM_CONTENT=json.dumps([str(p) for p in index_settings.content]))
    env.update(extra)
    return env


def run_bot(args: list[str], env: dict, cwd, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=60)


def test_console_answers_questions_and_commands(index_settings, engine, tmp_path):
    section = engine.sections()[0]
    lines = ["How many people died in the Paris attacks?", "", "/summary sentences:2",
             f'/summary section:"{section}"', "/status", "/reindex", "/summary sentences:99", "/nonsense",
             "What colour is the pope's bicycle?", "/ask question: How many people died in the Paris attacks?"]
    # --console-if-no-token is what `make run` uses; with no DISCORD_TOKEN it is --console
    done = run_bot(["--console-if-no-token"], env_for(index_settings), tmp_path, "\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    expected = engine.ask(lines[0])
    assert expected.answer  # the engine answers it; the console must show that answer
    assert out.count(f"Answer: {expected.answer}") == 2  # "/ask question: ..." asks the same question
    assert expected.passages[0].text[:40] in out
    assert "Summary: all content" in out
    assert section in out
    assert f"Passages: {engine.stats().passages}" in out
    assert "Nothing changed: content version 1" in out  # no new version when nothing changed
    assert "Sentences takes a number from 1 to 10" in out
    assert "No command /nonsense: try /help" in out
    assert "The content does not say." in out
    assert "Traceback" not in done.stderr


def test_no_token_one_line_exit_2(index_settings, tmp_path):
    done = run_bot([], env_for(index_settings), tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "DISCORD_TOKEN" in done.stderr
    assert done.stdout == ""


def test_invalid_setting_names_the_key(index_settings, tmp_path):
    env = env_for(index_settings, VERBATIM_ASK_COOLDOWN_SECONDS="soon", DISCORD_TOKEN="sekrit-token-value")
    done = run_bot([], env, tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("invalid setting VERBATIM_ASK_COOLDOWN_SECONDS")
    assert "sekrit" not in done.stderr + done.stdout


async def test_sync_command_and_the_entry_point(standin, index_settings, tmp_path):
    """`python -m bot sync --guild ID` (the token never appears in its output), then the bot's
    entry point answering a slash command."""
    token = standin.token
    env = env_for(index_settings, DISCORD_TOKEN=token, DISCORD_API_BASE=standin.api_base,
                  DISCORD_GATEWAY_URL=standin.gateway_url, VERBATIM_LOG_LEVEL="DEBUG",
                  VERBATIM_INDEX_PATH=str(index_settings.index_path))
    sync = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", "--guild", str(standin.guild_id), env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(sync.communicate(), 60)
    assert sync.returncode == 0, err.decode()
    put = next(r for r in standin.requests if r.method == "PUT")
    assert put.path.endswith(f"/guilds/{standin.guild_id}/commands")
    assert token not in (out + err).decode()

    # the entry point's run_bot, in this process: `python -m bot` minus argument parsing
    from bot.__main__ import run_bot as run
    from bot.settings import BotSettings

    settings = BotSettings(_env_file=None, token=token, api_base=standin.api_base,
                           gateway_url=standin.gateway_url, sync_on_change=False)
    task = asyncio.create_task(run(settings, index_settings))
    try:
        await standin.wait_for(lambda m: isinstance(m, dict) and m.get("t") is None and m.get("op") == 2,
                               timeout=TIMEOUT, what="IDENTIFY")
        interaction = await standin.interaction("ask", {"question": "Who is Hollande?"})
        [response] = await standin.wait_response(interaction, timeout=TIMEOUT)
        assert response.body["type"] == 4
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert not [r for r in standin.requests if isinstance(r, Request) and r.method == "PUT"][1:]


def test_console_content_commands(index_settings, tmp_path):
    """The console moderates its corpus (--corpus): add, list, remove, history, rollback, and
    refusals that change nothing."""
    from index.store.sqlite import SQLiteStore

    article = tmp_path / "storks.txt"
    article.write_bytes(b"Storks over Zanzibar\n\nThe lighthouse keeper, Amina Oyelaran, counted 4,312 "
                        b"migrating storks over Zanzibar in the spring of 2019.\n")
    (tmp_path / "empty.md").write_bytes(b"")
    lines = [f"/content add {article}", "/content list", "How many storks did the lighthouse keeper count?",
             f"/content add {article}", f"/content add {tmp_path / 'empty.md'}", "/content remove storks.txt",
             "/content history", "/content rollback 2", "/content rollback x", "/content frobnicate"]
    done = run_bot(["--console", "--corpus", "console-test"], env_for(index_settings), tmp_path,
                   "\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Added storks.txt: content version 2" in out  # version 1: a copy of the content files
    assert "storks.txt: Storks over Zanzibar; 1 passage; added by console" in out
    assert "Answer: 4,312" in out
    assert "storks.txt is already in corpus console-test (same text)" in out
    assert "the file is empty" in out
    assert "Removed storks.txt: content version 3" in out
    assert "v3 (live):" in out and "-storks.txt" in out
    assert "Rolled back to version 2: content version 4" in out
    assert "Rollback takes a version number" in out and "Use /content add PATH" in out
    assert "Traceback" not in done.stderr
    store = SQLiteStore(index_settings.index_path)
    assert store.live_version("console-test").number == 4
    assert store.live_version("default").number == SQLiteStore(index_settings.index_path).live_version("default").number
    results = [e["result"] for e in store.audit_log("console-test")]
    assert sum(r.startswith("failed: ") for r in results) == 2  # the duplicate and the empty file


def test_an_unreachable_discord_is_one_line_exit_2(index_settings, tmp_path):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = env_for(index_settings, DISCORD_TOKEN="a.b.c", DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10")
    done = run_bot([], env, tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and "cannot reach Discord" in errors[0] and "DISCORD_API_BASE" in errors[0]


def test_ctrl_c_ends_the_console_at_once(index_settings, tmp_path):
    """No waiting for Enter: the prompt's reader must not hold the exit."""
    # Ctrl-C as a terminal delivers it: a test run started in the background (`make test &`)
    # would hand the console SIGINT ignored, and Python then installs no handler for it.
    console = subprocess.Popen([sys.executable, "-m", "bot", "--console"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env_for(index_settings), cwd=tmp_path,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        console.stdin.write("How many people died in the Paris attacks?\n")
        console.stdin.flush()
        first = console.stdout.readline()
        assert first.startswith("Answer:"), first  # the console is up and answering
        console.send_signal(signal.SIGINT)
        assert console.wait(timeout=10) == 130  # stdin is still open: nothing else could end it
    finally:
        console.kill()
