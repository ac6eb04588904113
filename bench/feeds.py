"""Feed polls and the questions asked meanwhile: `python -m bench.feeds`.

PolNeAR articles served as HTML pages on 127.0.0.1, with an RSS feed of them, followed by a
corpus (the fetcher's loopback check lifted for the local server, as in the tests). Measured in
one run:
- the first poll, which fetches, reads and adds a poll's worth of entries (ENTRIES_PER_POLL) in
  one version, and a poll of the unchanged feed (only the feed is fetched);
- questions asked in the main thread with no poll running, then while polls of a second feed of
  other articles run in a worker thread, as the bot runs them (the same process: they share the
  interpreter's lock). Target: questions go on, their p50 during polls at most 3 times the p50
  without (p99 reported).

The articles come from ../shared/train/polnear/text; without them the benchmark says so and stops.
"""
from __future__ import annotations

import html
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.corpora import POLNEAR, QUESTIONS, ROUNDS
from bench.engine import percentile
from index.content.feeds import ENTRIES_PER_POLL
from index.engine import Engine
from index.ingest.fetching import fetch
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore

TARGET_RATIO = 3.0
FEEDS = 2  # the first measured alone, the second polled under the questions


def page(text: str) -> bytes:
    title, _, body = text.strip().partition("\n")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
    return f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>{html.escape(title)}</h1>" \
           f"{paragraphs}</article></body></html>".encode()


def serve(routes: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{items}</channel></rss>'.encode()


def timed_questions(engine: Engine, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            engine.ask(question)
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    files = sorted(POLNEAR.glob("*.txt"))[:ENTRIES_PER_POLL * FEEDS] if POLNEAR.exists() else []
    if len(files) < ENTRIES_PER_POLL * FEEDS:
        print(f"needs {ENTRIES_PER_POLL * FEEDS} PolNeAR articles in {POLNEAR}")
        return 1
    routes = {f"/a/{f.stem}.html": page(f.read_text(encoding="utf-8")) for f in files}
    server = serve(routes)
    base = f"http://127.0.0.1:{server.server_port}"
    paths = list(routes)
    for n in range(FEEDS):
        routes[f"/feed{n}.xml"] = rss(base, paths[n * ENTRIES_PER_POLL:(n + 1) * ENTRIES_PER_POLL])
    try:
        with tempfile.TemporaryDirectory() as folder:
            content = Path(folder) / "content"
            content.mkdir()
            for f in sorted(POLNEAR.glob("*.txt"))[-20:]:  # other articles: the questions' content
                (content / f.name).write_bytes(f.read_bytes())
            settings = IndexSettings(_env_file=None, index_path=Path(folder) / "i.sqlite3", content=[content],
                                     allow_urls=True)
            engine = Engine(SQLiteStore(settings.index_path), settings=settings)
            engine.build()
            manager = engine.content
            manager.fetcher = partial(fetch, allow_loopback=True)  # the local server only
            engine.ask(QUESTIONS[0])  # loaded, the reader too
            manager.follow(engine.corpus, "bench", base + "/feed0.xml")
            started = time.perf_counter()
            [first] = manager.poll().polls
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            manager.poll()
            unchanged_ms = (time.perf_counter() - started) * 1000
            quiet = timed_questions(engine, ROUNDS)

            manager.follow(engine.corpus, "bench", base + "/feed1.xml")
            busy: list[float] = []
            polling = threading.Thread(target=lambda: manager.poll())
            polling.start()
            while polling.is_alive():
                busy += timed_questions(engine, 1)
            polling.join()
    finally:
        server.shutdown()
        server.server_close()
    ratio = percentile(busy, 50) / percentile(quiet, 50)
    print(f"first poll: {len(first.added)} entries fetched, read and added in one version in {first_s:.2f} s; "
          f"a poll of the unchanged feed: {unchanged_ms:.0f} ms")
    print(f"questions with no poll running: p50 {percentile(quiet, 50):.1f} ms, p99 {percentile(quiet, 99):.1f} ms "
          f"({len(quiet)} questions)")
    print(f"questions while a poll of {ENTRIES_PER_POLL} entries ran in a worker thread: p50 "
          f"{percentile(busy, 50):.1f} ms, p99 {percentile(busy, 99):.1f} ms ({len(busy)} questions, "
          f"{ratio:.2f}x the p50; target at most {TARGET_RATIO:g}x)")
    return 0 if ratio <= TARGET_RATIO and busy else 1


if __name__ == "__main__":
    sys.exit(main())
