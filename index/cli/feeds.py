"""`follow`, `unfollow`, `feeds` and `feeds poll`: RSS and Atom feeds whose new entries are added
to a corpus (index/content/feeds.py), only when VERBATIM_ALLOW_URLS is on. `feeds poll` is one
round, for cron; the bot polls by itself every VERBATIM_FEED_POLL_MINUTES."""
from __future__ import annotations

import json
from dataclasses import asdict


def register(commands) -> None:
    from index.cli.content import _change_options

    follow = commands.add_parser("follow", help="follow an RSS or Atom feed: its new entries' pages are added "
                                 "at each poll (when VERBATIM_ALLOW_URLS is on)")
    follow.add_argument("url", metavar="URL", help="the feed's address (http or https)")
    _change_options(follow)
    follow.set_defaults(run=run_follow)

    unfollow = commands.add_parser("unfollow", help="stop following a feed (the documents it added stay)")
    unfollow.add_argument("url", metavar="URL", help="the feed's address, as `feeds` shows it")
    _change_options(unfollow)
    unfollow.set_defaults(run=run_unfollow)

    feeds = commands.add_parser("feeds", help="the followed feeds and how their polls went; "
                                "`feeds poll` polls them once (from cron)")
    feeds.add_argument("action", nargs="?", choices=["poll"], help="poll every due feed now")
    feeds.add_argument("--json", action="store_true")
    feeds.add_argument("--index", metavar="PATH", help="the SQLite store (default: VERBATIM_DATABASE_URL if set, "
                       "else VERBATIM_INDEX_PATH)")
    feeds.add_argument("--corpus", metavar="NAME", help="only this corpus's feeds (default: every corpus's, "
                       "the bot's servers' too)")
    feeds.set_defaults(run=run_feeds)


def run_follow(args) -> int:
    from index.cli.content import _actor, _open

    engine, manager = _open(args)
    followed = manager.follow(engine.corpus, _actor(args), args.url)
    print(f"corpus {engine.corpus} follows {followed.title!r} ({followed.url}): {followed.entries} entries now, "
          "added at the next poll (`python -m index feeds poll`, or the bot's, every VERBATIM_FEED_POLL_MINUTES)")
    return 0


def run_unfollow(args) -> int:
    from index.cli.content import _actor, _open

    engine, manager = _open(args)
    feed = manager.unfollow(engine.corpus, _actor(args), args.url)
    print(f"corpus {engine.corpus} no longer follows {feed.url}; the {feed.entries_added} documents it added stay "
          "(`python -m index remove NAME` takes one out)")
    return 0


def run_feeds(args) -> int:
    from index.cli.content import _open

    engine, manager = _open(args)
    corpus = args.corpus  # None: every corpus of the store (cron polls the bot's servers too)
    if args.action == "poll":
        return _poll(manager, corpus, args.json)
    feeds = manager.feeds(corpus)
    if args.json:
        print(json.dumps([asdict(f) for f in feeds], ensure_ascii=False))
        return 0
    if not feeds:
        print("no feeds are followed" + (f" by corpus {corpus}" if corpus else "") + "; `python -m index follow URL` "
              "follows one")
    for feed in feeds:
        print(feed_line(feed))
    if not engine.settings.allow_urls and feeds:
        print("note: VERBATIM_ALLOW_URLS is off: these feeds are not polled")
    return 0


def feed_line(feed) -> str:
    from index.cli.content import _when

    if feed.last_poll is None:
        state = "not polled yet"
    elif feed.failures:
        state = f"failed {feed.failures} times in a row, last {_when(feed.last_poll)}; next try {_when(feed.next_poll)}"
    else:
        state = f"last polled {_when(feed.last_poll)}"
    error = f"; error: {feed.last_error}" if feed.last_error else ""
    return f"{feed.corpus}  {feed.url}  ({feed.title}; {feed.entries_added} entries added; {state}{error})"


def _poll(manager, corpus: str | None, as_json: bool) -> int:
    from index.cli.content import _when

    round_ = manager.poll(corpus)
    if as_json:
        print(json.dumps({"busy": round_.busy, "waiting": round_.waiting,
                          "polls": [asdict(p) for p in round_.polls]}, ensure_ascii=False))
        return 0
    if round_.busy:
        print("another process is polling the feeds now; nothing was done")
        return 0
    for poll in round_.polls:
        if poll.failed:
            print(f"{poll.corpus}  {poll.url}: failed: {poll.error}; next try {_when(poll.next_poll)}")
            continue
        added = f"added {len(poll.added)}: {', '.join(poll.added)}" if poll.added else "nothing new"
        print(f"{poll.corpus}  {poll.url}: {added}" + (f"; {poll.error}" if poll.error else ""))
    print(f"{len(round_.polls)} feeds polled" + (f", {round_.waiting} waiting after failures" if round_.waiting else ""))
    return 0
