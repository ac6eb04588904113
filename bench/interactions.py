"""Interaction latency on loopback: `python -m bench.interactions`.

Starts the Discord stand-in from the tests in this process and the real bot (`python -m bot`) as
a subprocess pointed at it through DISCORD_API_BASE / DISCORD_GATEWAY_URL, with a temp index of
./content. Measures, for /ask, the time from sending INTERACTION_CREATE to receiving the bot's
callback POST: one at a time (p50, p99), then 100 sent at once (all answered within 3 s?).

Targets (issue 3): p50 < 15 ms, p99 < 50 ms; 100 concurrent all within 3 s.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.questions import QUESTIONS  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.settings import IndexSettings  # noqa: E402
from tests.bot.standin import StandIn  # noqa: E402

DEADLINE = 3.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


async def ask(standin: StandIn, n: int, user_id: int) -> tuple[dict, asyncio.Future]:
    return await standin.interaction("ask", {"question": QUESTIONS[n % len(QUESTIONS)]}, user_id=user_id)


async def latency(standin: StandIn, interaction: dict) -> float:
    [response] = await standin.wait_response(interaction, timeout=30)
    return response.at - standin.sent_at[interaction["id"]]


async def run(sequential: int, concurrent: int) -> int:
    with tempfile.TemporaryDirectory(prefix="verbatim-bench-") as tmp:
        index = IndexSettings(_env_file=None, content=[ROOT / "content"], index_path=Path(tmp) / "index.sqlite3")
        engine = Engine.from_settings(index)
        engine.build(author="bench")
        alone = []
        for n in range(200):
            started = time.perf_counter()
            engine.ask(QUESTIONS[n % len(QUESTIONS)])
            alone.append(time.perf_counter() - started)
        print(f"engine.ask alone (for reference): p50 {percentile(alone[40:], 50) * 1000:.1f} ms, "
              f"p99 {percentile(alone[40:], 99) * 1000:.1f} ms")
        standin = await StandIn().start()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "VERBATIM_"))}
        env.update(PYTHONPATH=str(ROOT), DISCORD_TOKEN=standin.token, DISCORD_API_BASE=standin.api_base,
                   DISCORD_GATEWAY_URL=standin.gateway_url, VERBATIM_INDEX_PATH=str(index.index_path),
                   VERBATIM_CONTENT=json.dumps([str(ROOT / "content")]), VERBATIM_ASK_COOLDOWN_SECONDS="0",
                   VERBATIM_SYNC_ON_CHANGE="false", VERBATIM_LOG_LEVEL="WARNING")
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", env=env, cwd=tmp)
        try:
            await standin.wait_for(lambda m: isinstance(m, dict) and m.get("op") == 2, timeout=60,
                                   what="the bot to identify")
            for n in range(20):  # warm up: first questions load the index
                await latency(standin, await ask(standin, n, 1))

            times = []
            for n in range(sequential):
                times.append(await latency(standin, await ask(standin, n, 2)))
            p50, p99 = percentile(times, 50), percentile(times, 99)
            print(f"/ask one at a time, {sequential} interactions: INTERACTION_CREATE -> callback POST "
                  f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, mean {statistics.mean(times) * 1000:.1f} ms, "
                  f"max {max(times) * 1000:.1f} ms")

            started = time.perf_counter()
            batch = [await ask(standin, n, 10_000 + n) for n in range(concurrent)]
            burst = await asyncio.gather(*(latency(standin, i) for i in batch))
            elapsed = time.perf_counter() - started
            within = sum(1 for t in burst if t < DEADLINE)
            print(f"/ask {concurrent} sent at once: {within}/{concurrent} answered within {DEADLINE:.0f} s; "
                  f"slowest {max(burst) * 1000:.0f} ms, median {percentile(burst, 50) * 1000:.0f} ms, "
                  f"all done in {elapsed * 1000:.0f} ms")
            ok = p50 < 0.015 and p99 < 0.050 and within == concurrent
            print("targets (p50 < 15 ms, p99 < 50 ms, all within 3 s):", "met" if ok else "NOT met")
            return 0 if ok else 1
        finally:
            bot.terminate()
            await bot.wait()
            await standin.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.interactions", description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=300, metavar="N")
    parser.add_argument("--concurrent", type=int, default=100, metavar="N")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.sequential, args.concurrent))


if __name__ == "__main__":
    raise SystemExit(main())
