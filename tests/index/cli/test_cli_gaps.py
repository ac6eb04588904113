"""`python -m index ask` keeps its questions (not with --no-keep, nor with keeping off) and
`python -m index gaps` lists the missed ones grouped, or exports them as CSV, in subprocesses."""
from __future__ import annotations

import csv

from index.store import asked
from index.store.sqlite import SQLiteStore
from tests.index.cli.test_cli import run
from tests.index.content.test_gaps import HARBOUR, LIGHTHOUSE, PARKING, TOLL


def built(tmp_path):
    folder = tmp_path / "harbour"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    index = tmp_path / "index.sqlite3"
    done = run("build", str(folder), index=index)
    assert done.returncode == 0, done.stderr
    return index


def kept(index) -> list[str]:
    return [q.question for q in asked.questions(SQLiteStore(index))]


def test_ask_keeps_its_question_and_no_keep_does_not(tmp_path):
    index = built(tmp_path)
    assert run("ask", TOLL[0], index=index).returncode == 0
    assert kept(index) == [TOLL[0]]
    done = run("ask", "--no-keep", TOLL[1], index=index)
    assert done.returncode == 0 and "The content does not say" in done.stdout
    assert kept(index) == [TOLL[0]]
    assert run("ask", "--batch", index=index, stdin=f"{TOLL[2]}\n\n{PARKING}\n").returncode == 0
    assert kept(index) == [PARKING, TOLL[2], TOLL[0]]  # the empty line is an error, not a question
    off = run("ask", LIGHTHOUSE[0], index=index, env={"VERBATIM_KEEP_QUESTIONS": "false"})
    assert off.returncode == 0 and kept(index) == [PARKING, TOLL[2], TOLL[0]]
    [row] = asked.questions(SQLiteStore(index), limit=1)
    assert row.asker != "cli" and row.outcome in asked.MISSED


def test_gaps_lists_the_groups_most_asked_first_and_exports_them(tmp_path):
    index = built(tmp_path)
    assert run("gaps", index=index).stdout.startswith("no question asked of corpus default went unanswered")
    run("ask", "--batch", index=index, stdin="\n".join([*TOLL, *LIGHTHOUSE, PARKING, "Who is the harbour master?"]))
    done = run("gaps", index=index)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("asked 3 times (3 refused) by 1 member")
    assert "also asked as" in lines[1] and lines[2].startswith("    closest passage: Kettle Sound harbour news")
    assert sum(line.startswith("asked") for line in lines) == 3  # toll, lighthouse, parking
    assert "harbour master" not in done.stdout  # answered: no gap
    assert run("gaps", "--limit", "1", index=index).stdout.splitlines()[-1].startswith("... and 2 more groups")

    exported = tmp_path / "gaps.csv"
    done = run("gaps", "--export", str(exported), index=index)
    assert done.returncode == 0 and "wrote 3 groups" in done.stdout
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert [r["count"] for r in rows] == ["3", "2", "1"]
    assert set(rows[0]["wordings"].split(" | ")) == set(TOLL) and rows[2]["example"] == PARKING
    assert rows[0]["closest_document"] == "Kettle Sound harbour news" and rows[0]["content_version"] == "1"
    assert run("gaps", "--export", "-", index=index).stdout == exported.read_text(encoding="utf-8")


def test_gaps_says_what_is_wrong(tmp_path):
    index = built(tmp_path)
    missing = run("gaps", "--export", str(tmp_path / "no" / "such" / "folder.csv"), index=index)
    assert missing.returncode == 2 and missing.stderr.startswith("error: cannot write") and "Traceback" not in missing.stderr
    assert run("gaps", "--limit", "0", index=index).returncode == 2
    off = run("gaps", index=index, env={"VERBATIM_KEEP_QUESTIONS": "false"})
    assert "VERBATIM_KEEP_QUESTIONS is off" in off.stdout
