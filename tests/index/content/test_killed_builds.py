"""kill -9 at any instant of a build or an add leaves the previous version live, answering, and
the store ready for the next change, on each backend. The builds run as real `python -m index` subprocesses;
slow_index.py slows them (per document read, per document staged, per part of the index
written) so the kills land where they are meant to."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.engine import Engine
from index.retrieval import embedding
from index.store.base import Store
from index.store.vectors import open_vectors

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = 20
PAUSE = "0.05"  # seconds: reading and writing each take about DOCUMENTS * PAUSE


def write_content(folder: Path, prefix: str, topic: str, detail: str) -> Path:
    folder.mkdir(parents=True)
    for i in range(DOCUMENTS):
        paragraphs = [f"The {topic} of district {i} was {detail} in the year {1900 + i}."]
        paragraphs += [f"Paragraph {j} of report {i} records visitors, weather and repairs to the {topic}."
                       for j in range(12)]
        (folder / f"{prefix}-{i:02}.txt").write_text(f"{topic.title()} report {i}\n\n" + "\n\n".join(paragraphs))
    return folder


SLOW_INDEX = Path(__file__).with_name("slow_index.py")


@dataclass
class Target:
    """The store the subprocesses change: an SQLite file (--index) or a PostgreSQL database (the URL
    in their environment)."""
    store: Store
    args: list[str]
    env: dict[str, str]


def env(index: Target) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), **index.env}


def index_cmd(*args, index: Target) -> list[str]:
    return [sys.executable, "-m", "index", *args, *index.args]


def run(*args, index: Target, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(index_cmd(*args, index=index), cwd=ROOT, env=env(index), capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result


def start(*args, index: Target, pause: str = PAUSE) -> subprocess.Popen:
    command = [sys.executable, str(SLOW_INDEX), pause, *args, *index.args]
    return subprocess.Popen(command, cwd=ROOT, env=env(index), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1)


def wait_for_line(proc: subprocess.Popen, needle: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if needle in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"ended before {needle!r}: {proc.stderr.read()}")
    raise AssertionError(f"no {needle!r} within {timeout} s")


def kill(proc: subprocess.Popen) -> None:
    assert proc.poll() is None, "the process finished before it could be killed: the kill proves nothing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    proc.stderr.close()


@pytest.fixture
def built(tmp_path, new_store):
    """A store whose live version 1 is the 'lighthouse' content; 'volcano' content is waiting."""
    old = write_content(tmp_path / "old", "old", "lighthouse", "painted red by volunteers")
    new = write_content(tmp_path / "new", "new", "volcano", "climbed by geologists")
    store = new_store()
    if hasattr(store, "path"):
        index = Target(store, ["--index", str(store.path)], {})
    else:
        index = Target(store, [], {"VERBATIM_DATABASE_URL": store.url})
    run("build", str(old), index=index)
    return index, old, new


def assert_previous_version_answers(index: Target) -> None:
    if hasattr(index.store, "path"):
        with sqlite3.connect(index.store.path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    live = index.store.load()
    assert (live.version.number, len(live.documents)) == (1, DOCUMENTS)
    vectors = open_vectors(index.store, live.version.content, embedding.MODEL, embedding.DIMENSIONS)
    assert vectors is not None and len(vectors) == len(live.passages)  # its vectors, whole
    questions = "Who painted the lighthouse of district 7?\nWho climbed the volcano?\n"
    result = subprocess.run(index_cmd("ask", "--batch", index=index), input=questions, cwd=ROOT, env=env(index),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lighthouse, volcano = map(json.loads, result.stdout.splitlines())
    assert not lighthouse["refused"]
    assert lighthouse["passages"][0]["text"] == \
        "The lighthouse of district 7 was painted red by volunteers in the year 1907."
    assert volcano["refused"]


def assert_next_change_succeeds(index: Target, new: Path) -> None:
    run("build", str(new), index=index, timeout=60)  # not blocked: the dead one's lock died with it
    live = index.store.load()
    assert (live.version.number, len(live.documents)) == (2, DOCUMENTS)  # the killed build took no number
    answer = Engine(index.store).ask("Who climbed the volcano of district 3?")
    assert "climbed by geologists" in answer.passages[0].text


KILL_POINTS = {
    "starting up (0.05 s)": (None, 0.05),
    "starting up (0.2 s)": (None, 0.2),
    "reading the first documents": ("indexing: 1/", 0.0),
    "reading, mid-way": (f"indexing: {DOCUMENTS // 2}/", 0.0),
    "writing the index, early": (f"indexing: {DOCUMENTS}/", 0.15),
    "writing the index, late": (f"indexing: {DOCUMENTS}/", 0.5),
    "embedding the passages": ("embedding: ", 0.1),
}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_build_killed_at_any_point_leaves_the_previous_version(built, point):
    index, old, new = built
    line, delay = KILL_POINTS[point]
    proc = start("build", str(new), index=index)
    if line:
        wait_for_line(proc, line)
    time.sleep(delay)
    kill(proc)
    assert_previous_version_answers(index)
    assert_next_change_succeeds(index, new)
    if line:  # the killed build had started its change: the next one marks it in the audit log
        results = [e["result"] for e in index.store.audit_log()]
        assert "interrupted: the process ended before it finished" in results


def test_an_add_killed_while_writing_leaves_the_previous_version(built, tmp_path):
    index, old, new = built
    extra = tmp_path / "volcano-extra.txt"
    extra.write_text("Volcano\n\nThe volcano was climbed by geologists in spring.\n")
    proc = start("add", str(extra), index=index)
    wait_for_line(proc, "adding volcano-extra.txt: 1/1")
    time.sleep(0.5)  # the store is writing the version's 31 documents
    kill(proc)
    assert_previous_version_answers(index)
    run("add", str(extra), index=index)  # nothing of the killed add is left to stand in its way
    assert index.store.load().document("volcano-extra.txt") is not None


def test_questions_are_answered_and_a_second_change_waits_during_a_build(built, tmp_path):
    index, old, new = built
    extra = tmp_path / "extra.txt"
    extra.write_text("Harbour\n\nThe harbour was dredged by a Dutch crew in the winter.\n")
    build = start("build", str(new), index=index, pause="0.12")  # about 3.6 s writing: time to ask
    wait_for_line(build, "indexing: 2/")
    add = start("add", str(extra), index=index)
    waited = add.stderr.readline()
    assert "another change to corpus default is running; waiting" in waited
    wait_for_line(build, f"indexing: {DOCUMENTS}/")
    time.sleep(0.3)  # the build is inside its write transaction
    started = time.perf_counter()
    assert_previous_version_answers(index)  # from version 1, not blocked by the writer
    assert time.perf_counter() - started < 15
    assert build.wait(60) == 0 and add.wait(60) == 0
    for proc in (build, add):
        proc.stdout.close()
        proc.stderr.close()
    history = index.store.history()
    assert [(v.number, v.action) for v in history] == [(3, "add"), (2, "reindex"), (1, "reindex")]
    names = {d.name for d in index.store.load().documents}
    assert "extra.txt" in names and "new-00.txt" in names and "old-00.txt" not in names
