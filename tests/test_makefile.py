"""`make run`'s first run is quiet: a line a step, pip's own output in .venv/pip.log, named with
pip's last lines when an install fails. Run on a copy of the Makefile with a stand-in Python
that talks as pip and setuptools do, so that nothing is installed."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.index.conftest import ROOT

PIP_NOISE = "Obtaining file:///verbatim\n  Installing build dependencies ... done"
BANNER = "!!\n\n  ****** editable install: a pth file is written ******\n!!"
STAND_IN = f"""#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then  # a venv whose python is this script again
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && exit 0
fi
echo "$*" >> "$(dirname "$0")/../calls"
printf '%s\\n' "{PIP_NOISE}"
printf '%s\\n' "{BANNER}" >&2
exit "${{FAKE_PIP_EXIT:-0}}"
"""


@pytest.fixture
def checkout(tmp_path):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    python = tmp_path / "python3.11"
    python.write_text(STAND_IN)
    python.chmod(0o755)
    return tmp_path


def make(checkout, target: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(checkout), "--no-print-directory", target, f"PYTHON={checkout / 'python3.11'}"],
                          capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", **env})


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_first_install_shows_a_line_a_step_and_logs_pip(checkout):
    done = make(checkout, ".venv/.installed")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout.splitlines() == [
        "make: installing Verbatim in .venv (pip's output: .venv/pip.log)"]
    log = (checkout / ".venv" / "pip.log").read_text()
    assert PIP_NOISE in log and BANNER in log
    calls = (checkout / ".venv" / "calls").read_text().splitlines()
    assert calls[-1].endswith("install --disable-pip-version-check -e .")  # the package, after pip itself
    again = make(checkout, ".venv/.installed")  # installed: pip is not run again
    assert "installing" not in again.stdout and (checkout / ".venv" / "calls").read_text().splitlines() == calls


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_a_failed_install_names_the_log(checkout):
    done = make(checkout, ".venv/.installed", FAKE_PIP_EXIT="1")
    assert done.returncode != 0
    assert "failed; pip's output is in .venv/pip.log" in done.stderr and "editable install" in done.stderr
    assert not (checkout / ".venv" / ".installed").exists()  # the next `make run` tries again
