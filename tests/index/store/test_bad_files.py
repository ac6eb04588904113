"""A corrupt, truncated or read-only index file: one clear line naming the file and what to do,
exit 2, and the file left exactly as it was."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from index.errors import StoreError
from index.store.sqlite import SQLiteStore
from tests.index.cli.test_cli import run
from tests.index.conftest import CONTENT, ROOT

MADE_UP = ("Ferry report\n\nThe Lindqvist ferry carried 412 passengers on its first crossing in March.\n\n"
           "Captain Mira Osei said the new route would run twice a day.\n")


@pytest.fixture
def built(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "ferry.txt").write_text(MADE_UP)
    index = tmp_path / "data" / "index.sqlite3"
    done = run("build", str(content), index=index)
    assert done.returncode == 0, done.stderr
    return index


def damaged(built, how: str):
    data = built.read_bytes()
    if how == "truncated":
        built.write_bytes(data[: len(data) // 3])
    else:
        built.write_bytes(b"this is not a database at all\n" * 200)
    return built.read_bytes()


@pytest.mark.parametrize("how, command", [
    ("truncated", ("ask", "How many passengers?")),
    ("garbage", ("ask", "How many passengers?")),
    ("truncated", ("stats",)),
    ("garbage", ("build", "--if-missing")),  # what `make run` does first
    ("truncated", ("add", str(CONTENT / "putin-anti-terror-coalition-2015-11-16.txt"))),
])
def test_a_damaged_index_is_one_line_and_left_as_it_was(built, how, command):
    before = damaged(built, how)
    done = run(*command, index=built)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert str(built) in lines[0] and "not a readable Verbatim index" in lines[0]
    assert "python -m index build" in lines[0]  # the way out
    assert built.read_bytes() == before


def follow(hint: str, content: Path) -> subprocess.CompletedProcess:
    """Run a hint's shell command as written, with this interpreter for `python`."""
    command = hint.replace("python -m index", f"{shlex.quote(sys.executable)} -m index")
    return subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "VERBATIM_CONTENT": json.dumps([str(content)])})


@pytest.mark.parametrize("corpus", [None, "harbour"])
def test_the_hints_rebuild_the_index_and_corpus_they_were_given(built, tmp_path, corpus):
    """A missing and a corrupt index's hints name --index (and --corpus when given): followed as
    written, they build that index, not the default one."""
    options = ("--corpus", corpus) if corpus else ()
    elsewhere = tmp_path / "a folder" / "other.sqlite3"
    missing = run("ask", "How many passengers?", *options, index=elsewhere)
    assert missing.returncode == 2
    hint = re.search(r"run `([^`]+)`", missing.stderr).group(1)
    assert f"--index '{elsewhere}'" in hint and (f"--corpus {corpus}" in hint) == bool(corpus)
    assert follow(hint, built.parent.parent / "content").returncode == 0
    assert "412" in run("ask", "How many passengers?", *options, index=elsewhere).stdout

    damaged(built, "garbage")
    corrupt = run("ask", "How many passengers?", index=built)
    hint = corrupt.stderr.strip().split("and rebuild: ", 1)[1]
    assert hint.endswith(f"python -m index build --index {built}")
    assert follow(hint, built.parent.parent / "content").returncode == 0
    assert "412" in run("ask", "How many passengers?", index=built).stdout
    assert Path(f"{built}.broken").exists()


def test_store_error_names_the_file_in_process(built):
    damaged(built, "garbage")
    with pytest.raises(StoreError, match="not a readable Verbatim index"):
        SQLiteStore(built).load()


def as_another_user() -> list[str]:
    """Root writes read-only files anyway: the read-only test runs its commands as nobody."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be made")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def readable_copy(home: Path) -> Path:
    """The engine's code and a document to add, copied where another user can read them: the
    checkout itself may sit in a private folder (a clone under `mktemp -d` is mode 700)."""
    shutil.copytree(ROOT / "index", home / "code" / "index", ignore=shutil.ignore_patterns("__pycache__"))
    document = Path(shutil.copy(CONTENT / "putin-anti-terror-coalition-2015-11-16.txt", home))
    for path in [home / "code", *(home / "code").rglob("*"), document]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return document


def test_a_read_only_index_answers_and_refuses_changes(built):
    # A folder of its own that another user can reach (pytest's own are private to this one).
    home = Path(tempfile.mkdtemp(prefix="verbatim-ro-"))
    folder = home / "data"
    folder.mkdir()
    built = Path(shutil.copy(built, folder / built.name))  # the checkpointed file alone
    before = built.read_bytes()
    document = readable_copy(home)
    os.chmod(home, 0o755)
    os.chmod(built, 0o444)
    os.chmod(folder, 0o555)
    try:
        prefix = as_another_user()
        env = {**os.environ, "PYTHONPATH": str(home / "code"), "HOME": str(home)}

        def python(*args):
            return subprocess.run([*prefix, sys.executable, *args], cwd=home, env=env, capture_output=True,
                                  text=True, timeout=120)

        def index(*args):
            return python("-m", "index", *args, "--index", str(built))

        if prefix and (probe := python("-c", "import index.cli")).returncode != 0:
            pytest.skip(f"user nobody cannot run {sys.executable} with its packages, so a read-only file "
                        f"cannot be tested as root (the virtual environment sits in a folder other users "
                        f"cannot read): {(probe.stderr.strip().splitlines() or ['?'])[-1]}")
        asked = index("ask", "--json", "How many passengers did the ferry carry?")
        assert asked.returncode == 0, asked.stderr
        assert "412" in asked.stdout
        added = index("add", str(document))
        assert added.returncode == 2
        errors = [line for line in added.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "read-only" in errors[0] and str(built) in errors[0]
        assert "Traceback" not in added.stderr
    finally:
        os.chmod(folder, 0o755)
        os.chmod(built, 0o644)
        unchanged = built.read_bytes() == before
        shutil.rmtree(home)
    assert unchanged
