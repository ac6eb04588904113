"""What a user meets first at the command line: bytes that are not UTF-8, a build that replaces
the configured content or is too big, evaluation data that is not there, and the JSON contract."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from index.engine import Engine
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from tests.index.cli.test_cli import run
from tests.index.conftest import CONTENT, ROOT

FERRY = ("Ferry report\n\nThe Lindqvist ferry carried 412 passengers on its first crossing in March.\n\n"
         "Captain Mira Osei said the new route would run twice a day. \"We waited nine years for this "
         "harbour,\" said Tomas Brandt, the mayor of Velde.\n\nThe crossing took 95 minutes.\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("probes")
    (folder / "content").mkdir()
    (folder / "content" / "ferry.txt").write_text(FERRY)
    index = folder / "index.sqlite3"
    assert run("build", str(folder / "content"), index=index).returncode == 0
    return index


def test_batch_output_is_utf8_json_whatever_the_input(built):
    done = subprocess.run([sys.executable, "-m", "index", "ask", "--batch", "--index", str(built)], cwd=ROOT,
                          input=b"How many passengers?\n\xff\xfe caf\xe9?\nWho is the mayor of Velde?\n",
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]  # strict UTF-8
    assert rows[0]["answer"] == "412"
    assert "not UTF-8" in rows[1]["error"] and "control" not in rows[1]["error"]
    assert len(rows) == 3 and "error" not in rows[2]


def test_build_says_it_replaces_the_configured_content(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "ferry.txt").write_text(FERRY)
    done = run("build", str(other), index=tmp_path / "i.db", env={"VERBATIM_CONTENT": json.dumps([str(CONTENT)])})
    assert done.returncode == 0, done.stderr
    assert "INSTEAD OF the configured content" in done.stdout and str(CONTENT) in done.stdout


def test_build_keeps_the_size_limit_and_changes_nothing(built, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    (big / "archive.txt").write_text("Archive\n\n" + "The harbour was busy that year. " * 200)
    before = SQLiteStore(built).live_version().number
    done = run("build", str(big), index=built, env={"VERBATIM_MAX_DOCUMENT_BYTES": "2000"})
    assert done.returncode == 2
    assert done.stderr.strip() == done.stderr.strip().splitlines()[0]
    assert "archive.txt is 6,409 bytes; the limit is 2,000" in done.stderr
    assert SQLiteStore(built).live_version().number == before
    # the command line may take more than a Discord attachment, with its own setting
    added = run("add", str(big / "archive.txt"), index=built,
                env={"VERBATIM_MAX_UPLOAD_BYTES": "2000", "VERBATIM_MAX_DOCUMENT_BYTES": "10000"})
    assert added.returncode == 0, added.stderr
    assert SQLiteStore(built).live_version().number == before + 1


def test_a_missing_file_is_one_line_for_every_command(built, tmp_path):
    missing = tmp_path / "no" / "such" / "file.txt"
    before = SQLiteStore(built).live_version().number
    for command in ("add", "build"):
        done = run(command, str(missing), index=built)
        assert (done.returncode, done.stderr.strip()) == (2, f"error: {missing}: no such file or folder"), command
    assert SQLiteStore(built).live_version().number == before


def test_changes_reuse_lock_files_without_spaces(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "ferry.txt").write_text(FERRY)
    (tmp_path / "storks.txt").write_text("Storks\n\nAmina Oyelaran counted 4,312 storks over Zanzibar.\n")
    index = tmp_path / "data" / "index.sqlite3"
    assert run("build", str(tmp_path / "content"), index=index).returncode == 0
    assert run("add", str(tmp_path / "storks.txt"), "--corpus", "harbour", index=index).returncode == 0
    beside = sorted(p.name for p in index.parent.iterdir())
    assert not [name for name in beside if " " in name], beside
    assert "index.sqlite3.corpus-default.lock" in beside and "index.sqlite3.corpus-harbour.lock" in beside
    assert run("build", str(tmp_path / "content"), index=index).returncode == 0
    assert run("remove", "storks.txt", "--corpus", "harbour", index=index).returncode == 0
    assert sorted(p.name for p in index.parent.iterdir()) == beside  # reused, not one more a change


def test_eval_without_its_data_says_where_it_belongs(tmp_path):
    done = run("eval", str(tmp_path / "article_dev.jsonl"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no such file" in done.stderr and "../shared/eval" in done.stderr


QUESTIONS = ["How many passengers did the ferry carry?", "Who is the mayor of Velde?", "how long did the crossing take?",
             "Who said \"We waited nine years for this harbour\"?", "When was the first crossing?",
             "What is the capital of Peru?", "who is captain osei?"]


@pytest.mark.parametrize("reader", [True, False])
def test_the_answer_is_always_a_slice_of_the_first_passage(tmp_path, reader):
    """The JSON contract (README): `answer` is passages[0].text[answer_start:answer_end]."""
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "ferry.txt").write_text(FERRY)
    shown = 0
    for content in (tmp_path / "c", CONTENT):
        settings = IndexSettings(_env_file=None, index_path=tmp_path / f"{content.name}.db", content=[content],
                                 reader=reader, answer_threshold=0.0)
        engine = Engine(SQLiteStore(settings.index_path), settings=settings)
        engine.build()
        asked = QUESTIONS + ["How many people died in the Paris attacks?", "Who is Peskov?",
                             "Where did the G20 summit take place?", "When did Putin speak?"]
        for question in asked:
            data = engine.ask(question).to_json()
            if data["answer"] is None:
                continue
            first = data["passages"][0]
            assert first["text"][first["answer_start"]:first["answer_end"]] == data["answer"], question
            shown += 1
    assert shown >= 6  # the contract was exercised, not skipped


def test_prune_from_the_command_line(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "ferry.txt").write_text(FERRY)
    index = tmp_path / "i.db"
    for n in range(3):
        (tmp_path / "c" / "extra.txt").write_text(f"Extra\n\nThe ferry made {n + 2} crossings on Sunday.\n")
        assert run("build", str(tmp_path / "c"), index=index).returncode == 0
    refused = run("prune", index=index)
    assert refused.returncode == 2 and "--keep N" in refused.stderr
    done = run("prune", "--keep", "1", index=index)
    assert done.returncode == 0, done.stderr
    assert "corpus default: 2 old versions deleted" in done.stdout and " MB -> " in done.stdout
    assert [v.number for v in SQLiteStore(index).history()] == [3]
