"""Two bot processes on one PostgreSQL store: `python -m bench.shards [--database URL]`.

Starts the sharded Discord stand-in from the tests, a throwaway PostgreSQL server (or uses
--database, an empty database), and two `python -m bot --shards 2 --shard-ids I` processes.
Measures: 100 /ask sent at once across both shards (all answered within 3 s?), and the time
from a version published by a third process (`python -m index add`) until the other process
answers from it (within 2 s?). Baseline of the same run: the same burst sent to one server, so
one process answers all of it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.interactions import percentile  # noqa: E402
from bench.questions import QUESTIONS  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.settings import IndexSettings  # noqa: E402
from index.store.postgres import PostgresStore  # noqa: E402
from tests import postgres_server  # noqa: E402
from tests.bot.sharded import ShardedStandIn, start_shard_process  # noqa: E402

DEADLINE, VISIBLE = 3.0, 2.0


async def burst(standin: ShardedStandIn, count: int, first_user: int, both: bool = True) -> list[float]:
    """`count` questions sent at once, alternately to the two servers (or all to the first); each one's latency."""
    guilds = (standin.guild_id, standin.other_guild_id) if both else (standin.guild_id,) * 2
    sent = [await standin.interaction("ask", {"question": QUESTIONS[n % len(QUESTIONS)]}, user_id=first_user + n,
                                      guild_id=guilds[n % 2]) for n in range(count)]

    async def latency(interaction):
        [response] = await standin.wait_response(interaction, timeout=60)
        return response.at - standin.sent_at[interaction["id"]]
    return await asyncio.gather(*(latency(i) for i in sent))


async def publish_seen(standin: ShardedStandIn, url: str, folder: Path) -> float:
    """Seconds from the end of another process's publish to the other shard's answer from it."""
    extra = folder / "ferry.txt"
    extra.write_text("Ferry news\n\nThe ferry Astrid carried 412 passengers across the Kettle Sound.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERBATIM_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "index", "add", str(extra), "--corpus", f"guild-{standin.other_guild_id}"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    published = time.perf_counter()
    while True:
        asked = await standin.interaction("ask", {"question": "How many passengers did the Astrid carry?"},
                                          user_id=9, guild_id=standin.other_guild_id)
        [response] = await standin.wait_response(asked, timeout=30)
        if "412" in json.dumps(response.payload):
            return response.at - published
        await asyncio.sleep(0.05)


async def run(count: int, url: str | None) -> int:
    server = None
    if url is None:
        server = postgres_server.Server()
        url = postgres_server.create_database(server.start())
    standin = await ShardedStandIn(shard_count=2).start()
    processes = []
    try:
        with tempfile.TemporaryDirectory(prefix="verbatim-bench-") as tmp:
            settings = IndexSettings(_env_file=None, content=[ROOT / "content"], index_path=Path(tmp) / "x.sqlite3")
            Engine(PostgresStore(url), settings=settings).build(author="bench")
            processes = await asyncio.gather(*(start_shard_process(standin, s, url, VERBATIM_ASK_COOLDOWN_SECONDS="0")
                                                for s in range(2)))
            await burst(standin, 20, 1)  # warm up: each process loads its server's version and the reader
            alone = await burst(standin, count, 5000, both=False)
            print(f"baseline, /ask {count} at once to one server (one process answers all): "
                  f"{sum(t < DEADLINE for t in alone)}/{count} within {DEADLINE:.0f} s; "
                  f"p50 {percentile(alone, 50) * 1000:.0f} ms, slowest {max(alone) * 1000:.0f} ms")
            times = await burst(standin, count, 1000)
            within = sum(t < DEADLINE for t in times)
            print(f"/ask {count} at once across 2 shard processes on PostgreSQL: {within}/{count} within "
                  f"{DEADLINE:.0f} s; p50 {percentile(times, 50) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms")
            seen = await publish_seen(standin, url, Path(tmp))
            print(f"a version published by another process, answered by shard 1 after {seen * 1000:.0f} ms")
            ok = within == count and seen < VISIBLE
            print("targets (all within 3 s, published visible within 2 s):", "met" if ok else "NOT met")
            return 0 if ok else 1
    finally:
        for proc in processes:
            proc.terminate()
            await proc.wait()
        await standin.stop()
        PostgresStore(url).close()
        if server is not None:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.shards", description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=100, metavar="N")
    parser.add_argument("--database", metavar="URL", help="an empty PostgreSQL database (default: a throwaway server)")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.concurrent, args.database))


if __name__ == "__main__":
    raise SystemExit(main())
