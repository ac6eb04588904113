"""`python -m index follow|feeds|feeds poll|unfollow` in subprocesses, against a made-up site on
127.0.0.1 (tests/index/cli/loopback.py lifts the fetcher's loopback check, and only that)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.index.conftest import ROOT
from tests.index.content.feed_site import ARTICLES, FeedSite

LIGHTHOUSE, FERRY, LIBRARY, _ = ARTICLES


def run(*args, index, urls=True, loopback=True):
    env = {**os.environ, "VERBATIM_ALLOW_URLS": "true" if urls else "false", "VERBATIM_SEMANTIC": "false",
           "VERBATIM_READER": "false"}
    env.pop("VERBATIM_DATABASE_URL", None)
    program = ["-m", "tests.index.cli.loopback"] if loopback else ["-m", "index"]
    return subprocess.run([sys.executable, *program, *args, "--index", str(index)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def site():
    s = FeedSite()
    yield s
    s.close()


@pytest.fixture
def index(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Harbour notes\n\nThe harbour office opens at nine on weekdays.\n")
    path = tmp_path / "index.sqlite3"
    built = run("build", str(notes), index=path)
    assert built.returncode == 0, built.stderr
    return path


def test_follow_poll_list_and_unfollow(index, site):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE, FERRY])
    followed = run("follow", url, "--actor", "cli:mod", index=index)
    assert followed.returncode == 0, followed.stderr
    assert f"corpus default follows 'Port Elwyn Gazette' ({url}): 2 entries now" in followed.stdout
    listed = run("feeds", index=index)
    assert listed.stdout.strip() == f"default  {url}  (Port Elwyn Gazette; 0 entries added; not polled yet)"

    polled = run("feeds", "poll", index=index)
    assert polled.returncode == 0, polled.stderr
    assert f"default  {url}: added 2: 127.0.0.1-lighthouse.html, 127.0.0.1-ferry.html" in polled.stdout
    assert polled.stdout.rstrip().endswith("1 feeds polled")
    again = run("feeds", "poll", index=index)
    assert f"default  {url}: nothing new" in again.stdout
    [feed] = json.loads(run("feeds", "--json", index=index).stdout)
    assert (feed["entries_added"], feed["failures"], feed["last_error"]) == (2, 0, None) and feed["last_success"]
    assert "last polled" in run("feeds", index=index).stdout

    asked = run("ask", "--json", "When does the winter ferry to Skerry Island leave?", index=index)
    answer = json.loads(asked.stdout)
    assert answer["refused"] is False and answer["passages"][0]["document"] == "Winter ferry timetable"
    assert "leaves Port Elwyn at 7.15" in answer["passages"][0]["text"]

    site.set_rss("/feed.xml", [LIBRARY, LIGHTHOUSE, FERRY])
    assert "added 1: 127.0.0.1-library.html" in run("feeds", "poll", index=index).stdout
    listed = run("list", index=index).stdout
    assert f"127.0.0.1-library.html  (The library reopens; 2 passages; added by feed:{url}" in listed

    gone = run("unfollow", url, index=index)
    assert gone.returncode == 0, gone.stderr
    assert f"no longer follows {url}; the 3 documents it added stay" in gone.stdout
    assert "no feeds are followed" in run("feeds", index=index).stdout
    assert run("feeds", "poll", index=index).stdout.strip() == "0 feeds polled"
    audit = run("audit", index=index).stdout
    assert f"cli:mod  follow feed '{url}': following 'Port Elwyn Gazette': 2 entries" in audit
    assert f"feed:{url}  add 2 new entries of feed '{url}': " in audit


def test_a_failing_feed_is_reported_and_waits(index, site):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    assert run("follow", url, index=index).returncode == 0
    site.set("/feed.xml", 503, {}, b"down for maintenance")
    polled = run("feeds", "poll", index=index)
    assert polled.returncode == 0
    assert f"default  {url}: failed: {url}: the server answered 503 Service Unavailable; next try " in polled.stdout
    listed = run("feeds", index=index).stdout
    assert "failed 1 times in a row" in listed and "error: " in listed and "503" in listed
    waiting = run("feeds", "poll", index=index)  # backing off: not fetched again yet
    assert waiting.stdout.strip() == "0 feeds polled, 1 waiting after failures"


def test_refusals_exit_2_and_change_nothing(index, site):
    url = site.set_rss("/feed.xml", [LIGHTHOUSE])
    off = run("follow", url, index=index, urls=False)
    assert off.returncode == 2 and "VERBATIM_ALLOW_URLS" in off.stderr and "Traceback" not in off.stderr
    assert run("feeds", "poll", index=index, urls=False).returncode == 2
    loopback = run("follow", url, index=index, loopback=False)  # the real command line: no local addresses
    assert loopback.returncode == 2 and "loopback address" in loopback.stderr
    site.set("/page.html", 200, {"Content-Type": "text/html"}, b"<html><body><p>Just a page.</p></body></html>")
    page = run("follow", site.url + "/page.html", index=index)
    assert page.returncode == 2 and "not an RSS or Atom feed" in page.stderr
    unknown = run("unfollow", url, index=index)
    assert unknown.returncode == 2 and "does not follow" in unknown.stderr
    assert "no feeds are followed" in run("feeds", index=index).stdout
    assert run("follow", url, index=index).returncode == 0
    twice = run("follow", url, index=index)
    assert twice.returncode == 2 and "already" in twice.stderr
    assert "not polled" in run("feeds", index=index, urls=False).stdout  # listing works with URLs off
