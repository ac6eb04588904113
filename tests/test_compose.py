"""compose.yaml (PostgreSQL and two bot processes) names only real settings and valid bot
arguments, and gives each process its own shard of one count."""
from pathlib import Path

import pytest

from bot.__main__ import parser
from tests.test_env_example import setting_keys

yaml = pytest.importorskip("yaml")
COMPOSE = Path(__file__).resolve().parents[1] / "compose.yaml"


def test_compose_runs_two_shards_on_one_postgres_store():
    compose = yaml.safe_load(COMPOSE.read_text())
    bots = {name: service for name, service in compose["services"].items() if name != "postgres"}
    assert len(bots) == 2
    shards = []
    for service in bots.values():
        assert set(service["environment"]) <= setting_keys()
        assert service["environment"]["VERBATIM_DATABASE_URL"].startswith("postgresql://")
        bot_args = service["command"].split("python -m bot ", 1)[1].strip('"').split()
        shards.append(parser().parse_args(bot_args).shard_ids)
        assert int(service["environment"]["DISCORD_SHARD_COUNT"]) == 2
    assert sorted(shards) == ["0", "1"]
