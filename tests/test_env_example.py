"""`.env.example` lists every setting the engine and the bot read, and only those."""
import re
from pathlib import Path

from bot.settings import BotSettings
from index.settings import IndexSettings

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def setting_keys() -> set[str]:
    keys = {f"VERBATIM_{name}".upper() for name in IndexSettings.model_fields}
    keys |= {field.validation_alias for field in BotSettings.model_fields.values()}
    return keys


def example_keys() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.M))


def test_every_setting_is_in_the_example_and_nothing_else():
    assert setting_keys() == example_keys()


def test_the_example_itself_is_valid(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(EXAMPLE.read_text())
    IndexSettings()
    BotSettings()
