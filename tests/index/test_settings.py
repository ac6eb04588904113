"""Settings: every bad value is one line naming the key, exit 2; a misspelt key is a warning
naming the real one; the engine and the bot accept and refuse the same values."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bot.settings import BotSettings
from index.settings import FRONT_END_KEYS, IndexSettings
from tests.index.cli.test_cli import run
from tests.index.conftest import CONTENT, ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    index = tmp_path_factory.mktemp("settings") / "index.sqlite3"
    assert run("build", str(CONTENT), index=index).returncode == 0
    return index


@pytest.mark.parametrize("key, value, says", [
    ("VERBATIM_CONTENT", "content/, other", "not valid JSON"),
    ("VERBATIM_INDEX_PATH", "", "is empty"),
    ("VERBATIM_INDEX_PATH", "content", "is a folder"),
    ("VERBATIM_TOP_K", "many", "integer"),
    ("VERBATIM_LOG_LEVEL", "loud", "'DEBUG'"),
    ("VERBATIM_SEMANTIC", "sometimes", "boolean"),
    ("VERBATIM_SEMANTIC_WEIGHT", "9", "less than or equal to 5"),
    ("VERBATIM_SEMANTIC_SUPPORT", "-0.1", "greater than or equal to 0"),
])
def test_a_bad_setting_is_one_line_naming_the_key(key, value, says):
    done = run("stats", env={key: value})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith(f"invalid setting {key}:") and says in done.stderr


def test_meaning_is_on_by_default_and_a_false_setting_turns_it_off(monkeypatch):
    assert IndexSettings(_env_file=None).semantic is True
    monkeypatch.setenv("VERBATIM_SEMANTIC", "false")
    assert IndexSettings(_env_file=None).semantic is False


def test_the_bot_refuses_what_the_engine_refuses():
    done = subprocess.run([sys.executable, "-m", "bot", "--console"], cwd=ROOT, input="",
                          env={"PATH": "/usr/bin:/bin", "VERBATIM_LOG_LEVEL": "loud"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("invalid setting VERBATIM_LOG_LEVEL:")


def test_a_misspelt_key_is_named_with_the_real_one(built):
    done = run("ask", "--json", "How many died?", env={"VERBATIM_TOPK": "2"}, index=built)
    assert done.returncode == 0, done.stderr
    assert "warning: VERBATIM_TOPK is not a setting; did you mean VERBATIM_TOP_K?" in done.stderr


def test_known_keys_cover_the_front_ends_keys():
    bot_keys = {f.validation_alias for f in BotSettings.model_fields.values()
                if isinstance(f.validation_alias, str) and f.validation_alias.startswith("VERBATIM_")}
    assert bot_keys == set(FRONT_END_KEYS)
    assert not bot_keys & {f"VERBATIM_{name.upper()}" for name in IndexSettings.model_fields}
