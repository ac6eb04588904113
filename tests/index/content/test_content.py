"""Content operations: add, remove, reindex, rollback, history, audit; per-server corpora;
bad input refused with nothing changed; changes serialised; the CLI."""
from __future__ import annotations

import codecs
import os
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from index.content.locking import change_lock
from index.content.operations import ContentManager
from index.content.validation import check_filename
from index.engine import Engine
from index.errors import ContentError
from index.ingest.documents import ReadError
from index.ingest.fetching import FetchError, fetch
from index.settings import IndexSettings
from index.store.snapshots import ADDED, CONFIGURED

ROOT = Path(__file__).resolve().parents[3]

HARBOUR = ("The harbour reopens\n\nBy Ann Lee, 3 March 2024\n\n"
           "The harbour of Port Elwyn reopened on Monday after a storm closed it for nine days.\n\n"
           "Repairs to the northern breakwater cost about two million euros.\n")
ORCHARD = "# Orchards\n\nApple trees in the valley flowered two weeks early this spring.\n"
SPORT = "Rowing\n\nThe rowing club won the regatta on the river for the third year running.\n"


class Settings(IndexSettings):
    """Settings with the fields this feature reads (the lead adds them to IndexSettings)."""
    max_upload_bytes: int = 2_000_000
    allow_urls: bool = False
    fetch_timeout_seconds: float = 5.0
    fetch_max_bytes: int = 2_000_000
    copy_default_content: bool = True


@pytest.fixture
def content_dir(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR)
    (folder / "orchard.md").write_text(ORCHARD)
    return folder


@pytest.fixture
def settings(tmp_path, content_dir):
    return Settings(index_path=tmp_path / "index.db", content=[content_dir], _env_file=None)


@pytest.fixture
def manager(settings):
    m = ContentManager.from_settings(settings)
    m.reindex("default", "operator")
    return m


def names(manager, corpus="default"):
    return [d.name for d in manager.documents(corpus)]


def live_number(manager, corpus="default"):
    return manager.store.live_version(corpus).number


# -- add ----------------------------------------------------------------------------------------

def test_add_a_file_makes_a_new_version_answered_from(manager, settings):
    engine = Engine(manager.store, "default", settings)
    assert engine.ask("Who won the regatta?").refused
    report = manager.add_file("default", "discord:42 (mod)", "rowing.txt", SPORT.encode())
    assert (report.version, report.documents_added, report.passages_added) == (2, ["rowing.txt"], 1)
    assert names(manager) == ["harbour.txt", "orchard.md", "rowing.txt"]
    result = engine.ask("Who won the regatta?")
    assert not result.refused and result.version == 2
    assert result.passages[0].text.startswith("The rowing club won the regatta")
    entry = next(d for d in manager.documents("default") if d.name == "rowing.txt")
    assert (entry.origin, entry.added_by, entry.passages) == (ADDED, "discord:42 (mod)", 1)
    live = manager.store.load()
    assert manager.store.original(live.source("rowing.txt").original) == SPORT.encode()


def test_add_many_files_in_one_version_read_one_at_a_time(manager, settings, tmp_path):
    folder = tmp_path / "more"
    folder.mkdir()
    paths = []
    for i, town in enumerate(["Vell", "Orla", "Brask"]):
        path = folder / f"{town.lower()}.txt"
        path.write_text(f"{town}\n\nThe ferry to {town} carried {100 + i} passengers on its first crossing.\n")
        paths.append(path)
    shown = []
    report = manager.add_files("default", "cli:op", paths, on_progress=lambda *a: shown.append(a))
    assert (report.version, report.documents_added, report.passages_added) == (2, ["vell.txt", "orla.txt",
                                                                                   "brask.txt"], 3)
    assert shown[-1] == (3, 3, 3)  # progress a file at a time
    assert names(manager) == ["harbour.txt", "orchard.md", "vell.txt", "orla.txt", "brask.txt"]
    assert all(e.origin == ADDED for e in manager.documents("default")[2:])
    assert "101 passengers" in Engine(manager.store, "default", settings).ask("How many took the ferry to Orla?").passages[0].text
    # One bad file, or a file added twice, and nothing changes.
    again = folder / "again.txt"
    again.write_text((folder / "vell.txt").read_text())
    new = folder / "new.txt"
    new.write_text("New\n\nA new pier was built at Tummel.\n")
    with pytest.raises(ContentError, match="already in corpus default as vell.txt"):
        manager.add_files("default", "cli:op", [new, again])
    empty = folder / "empty.txt"
    empty.write_text("")
    with pytest.raises(ReadError, match="empty"):
        manager.add_files("default", "cli:op", [new, empty])
    twice = folder / "sub"
    twice.mkdir()
    (twice / "new.txt").write_text("Other\n\nSomething else entirely happened in Orla.\n")
    with pytest.raises(ContentError, match="already has a document named new.txt"):
        manager.add_files("default", "cli:op", [new, twice / "new.txt"])
    assert live_number(manager) == 2 and "new.txt" not in names(manager)
    with manager.store.connect() as conn:  # nothing staged is left behind
        assert conn.execute("SELECT COUNT(*) FROM staged_documents").fetchone()[0] == 0


def test_add_html_keeps_the_article_text_not_the_page_furniture(manager):
    page = ("<html><body><nav>Home | Sport | Weather | Subscribe</nav><article><h1>Ferry timetable</h1>"
            "<p>Ferries to the islands will run to the summer timetable from next week, the operator "
            "said on Tuesday after the repairs to the harbour were finished.</p>"
            "<p>Tickets bought for the winter crossings remain valid until the end of April.</p>"
            "</article><footer>Copyright Example News</footer></body></html>")
    manager.add_file("default", "mod", "ferry.html", page.encode())
    doc = manager.store.load().document("ferry.html")
    assert "summer timetable" in doc.text and "Subscribe" not in doc.text and "Copyright" not in doc.text


def test_add_a_utf16_file(manager):
    data = codecs.BOM_UTF16_LE + SPORT.encode("utf-16-le")
    manager.add_file("default", "mod", "rowing.txt", data)
    assert manager.store.load().document("rowing.txt").text.startswith("Rowing")


def test_progress_is_reported(manager):
    calls = []
    manager.add_file("default", "mod", "rowing.txt", SPORT.encode(), on_progress=lambda *a: calls.append(a))
    assert calls == [(0, 1, 0), (1, 1, 1)]
    calls.clear()
    manager.reindex("default", "mod", on_progress=lambda *a: calls.append(a))
    assert calls[0] == (0, 3, 0) and calls[-1][:2] == (3, 3)
    assert [c[0] for c in calls] == [0, 1, 2, 3]
    assert calls[-1][2] == len(manager.store.load().passages)


# -- bad input: a clear error, nothing changed, the attempt audited -----------------------------

BAD_FILES = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n \t\n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary"),
    ("latin.txt", "Caf\u00e9 cr\u00e8me au lait, s'il vous pla\u00eet.".encode("cp1252"), "not UTF-8"),
    ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no (article )?text"),
    ("script.html", b"<html><head><script>var a = 1;</script></head><body></body></html>", "no (article )?text"),
    ("harbour-copy.txt", HARBOUR.encode(), "already in corpus default as harbour.txt"),
    ("harbour.txt", HARBOUR.encode(), r"harbour.txt is already in corpus default \(same text\)"),
    ("orchard.md", b"# Other\n\nSomething else entirely about pears.\n", "already has a document named"),
    ("picture.png", b"not really", "unsupported file type"),
    ("noext", b"text", "unsupported file type"),
]


@pytest.mark.parametrize("filename, data, message", BAD_FILES)
def test_bad_files_are_refused_and_change_nothing(manager, filename, data, message):
    before = manager.store.load()
    with pytest.raises((ContentError, ReadError), match=message):
        manager.add_file("default", "mod", filename, data)
    after = manager.store.load()
    assert after.version.id == before.version.id
    assert len(manager.store.history()) == 1
    entry = manager.audit("default")[0]
    assert (entry["action"], entry["actor"]) == ("add", "mod")
    assert entry["result"].startswith("failed:") and filename in entry["detail"]


def test_a_file_over_the_limit_is_refused(tmp_path, content_dir):
    class Small(Settings):
        max_upload_bytes: int = 100
        max_document_bytes: int = 150
    m = ContentManager.from_settings(Small(index_path=tmp_path / "s.db", content=[content_dir], _env_file=None))
    with pytest.raises(ContentError, match=r"\.txt is \d+ bytes; the limit is 150 \(VERBATIM_MAX_DOCUMENT_BYTES\)"):
        m.reindex("default", "op")  # a build keeps the limit too
    assert m.store.load() is None
    ContentManager(m.store, Settings(index_path=m.store.path, content=[content_dir], _env_file=None)).reindex(
        "default", "op")
    with pytest.raises(ContentError, match="is 101 bytes; the limit is 100"):
        m.add_file("default", "mod", "big.txt", b"x" * 101)
    assert live_number(m) == 1


@pytest.mark.parametrize("filename", [
    "../x.txt", "../../etc/passwd.txt", "/etc/passwd", "a/b.txt", "a\\b.txt", "C:evil.txt", "..", ".",
    ".hidden.txt", "x\x00.txt", "new\nline.txt", "tab\t.txt", "bell\x07.txt", "rtl\u202etxt.exe.txt",
    " spaced.txt", "spaced.txt ", "", "x" * 200 + ".txt",
])
def test_file_names_with_path_tricks_are_refused(manager, filename):
    with pytest.raises(ContentError):
        check_filename(filename)
    with pytest.raises(ContentError):
        manager.add_file("default", "mod", filename, SPORT.encode())
    assert live_number(manager) == 1


def test_plain_names_pass_the_check():
    assert check_filename("Report 2024 (final).md") == ("Report 2024 (final).md", "markdown")
    assert check_filename("page.HTML") == ("page.HTML", "html")


def test_bad_corpus_names_are_refused(manager):
    for corpus in ("../x", "a/b", "", ".hidden", "x" * 101):
        with pytest.raises(ContentError, match="not a corpus name"):
            manager.add_file(corpus, "mod", "rowing.txt", SPORT.encode())


# -- remove, history, rollback ------------------------------------------------------------------

def test_remove_then_rollback_brings_it_back(manager):
    manager.add_file("default", "mod", "rowing.txt", SPORT.encode())
    report = manager.remove("default", "mod", "rowing.txt")
    assert report.documents_removed == ["rowing.txt"] and report.passages_removed == 1
    assert "rowing.txt" not in names(manager)
    assert manager.store.load(number=2).document("rowing.txt") is not None  # older versions keep it
    report = manager.rollback("default", "mod", 2)
    assert report.version == 4 and report.documents_added == ["rowing.txt"]
    assert "rowing.txt" in names(manager)
    history = manager.history("default")
    assert [(v.number, v.action, v.live) for v in history] == [
        (4, "rollback to 2", True), (3, "remove", False), (2, "add", False), (1, "reindex", False)]
    assert history[1].documents_removed == ["rowing.txt"] and history[1].author == "mod"
    assert (history[0].documents, history[0].passages) == (3, len(manager.store.load().passages))


def test_rollback_restores_what_was_excluded(manager):
    manager.remove("default", "mod", "harbour.txt")  # version 2 leaves a configured file out
    manager.rollback("default", "mod", 1)
    assert manager.store.load().excluded == frozenset() and "harbour.txt" in names(manager)
    manager.rollback("default", "mod", 2)
    assert manager.store.load().excluded == {"harbour.txt"}
    manager.reindex("default", "mod")  # a rebuild keeps it out
    assert "harbour.txt" not in names(manager)


def test_remove_and_rollback_errors(manager):
    with pytest.raises(ContentError, match="no document 'nope.txt'; it has: harbour.txt, orchard.md"):
        manager.remove("default", "mod", "nope.txt")
    with pytest.raises(ContentError, match="no version 7; its versions are 1$"):
        manager.rollback("default", "mod", 7)
    with pytest.raises(ContentError, match="already the live version"):
        manager.rollback("default", "mod", 1)
    manager.remove("default", "mod", "orchard.md")
    with pytest.raises(ContentError, match="only document"):
        manager.remove("default", "mod", "harbour.txt")
    assert live_number(manager) == 2
    results = [e["result"] for e in manager.audit("default")]
    assert sum(r.startswith("failed:") for r in results) == 4


# -- reindex: the sources of a corpus ------------------------------------------------------------

def test_reindex_keeps_added_documents_and_leaves_removed_ones_out(manager, content_dir):
    manager.add_file("default", "mod", "rowing.txt", SPORT.encode())
    manager.remove("default", "mod", "orchard.md")  # a content file, removed by a moderator
    (content_dir / "harbour.txt").write_text(HARBOUR + "\nA new paragraph about the lighthouse keeper.\n")
    (content_dir / "new.txt").write_text("Weather\n\nIt rained all week in the valley and on the hills.\n")
    report = manager.reindex("default", "mod")
    assert names(manager) == ["harbour.txt", "new.txt", "rowing.txt"]
    assert report.documents_added == ["harbour.txt", "new.txt"] and report.documents_removed == ["harbour.txt"]
    live = manager.store.load()
    assert "lighthouse keeper" in live.document("harbour.txt").text
    assert live.source("rowing.txt").origin == ADDED and live.source("new.txt").origin == CONFIGURED
    # rolling back to before the removal makes the content file part of the sources again
    manager.rollback("default", "mod", 2)
    manager.reindex("default", "mod")
    assert names(manager) == ["harbour.txt", "new.txt", "orchard.md", "rowing.txt"]


def test_an_added_document_survives_its_content_files_going_away(manager, content_dir, tmp_path):
    manager.add_file("default", "mod", "rowing.txt", SPORT.encode())
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    (elsewhere / "one.txt").write_text("One\n\nA single paragraph of other content about bridges.\n")
    manager.reindex("default", "op", [elsewhere])
    assert names(manager) == ["one.txt", "rowing.txt"]


def test_reindex_with_a_missing_folder_changes_nothing(manager, tmp_path):
    with pytest.raises(ReadError, match="no such file or folder"):
        manager.reindex("default", "op", [tmp_path / "missing"])
    assert live_number(manager) == 1
    assert manager.audit("default")[0]["result"].startswith("failed:")


def test_engine_build_goes_through_the_same_path(settings, content_dir):
    engine = Engine.from_settings(settings)
    report = engine.build()
    assert (report.version, report.documents) == (1, 2)
    assert engine.store.audit_log("default")[0]["action"] == "reindex"


# -- one corpus per server -----------------------------------------------------------------------

def test_a_new_corpus_starts_as_a_copy_of_the_default(manager, settings):
    manager.add_file("default", "op", "rowing.txt", SPORT.encode())
    report = manager.ensure("guild-1", "bot")
    assert report.version == 1 and report.documents == 3
    assert manager.ensure("guild-1", "bot") is None  # already there: no new version
    manager.remove("guild-1", "mod", "harbour.txt")
    assert names(manager, "guild-1") == ["orchard.md", "rowing.txt"]
    assert names(manager) == ["harbour.txt", "orchard.md", "rowing.txt"]  # the default is untouched
    assert Engine(manager.store, "guild-1", settings).ask("When did the harbour reopen?").refused


def test_a_change_to_a_corpus_without_versions_creates_it_first(manager):
    manager.add_file("guild-2", "mod", "rowing.txt", SPORT.encode())
    assert [(v.number, v.action) for v in manager.history("guild-2")] == [(2, "add"), (1, "create from default v1")]
    assert names(manager, "guild-2") == ["harbour.txt", "orchard.md", "rowing.txt"]


def test_new_corpora_can_start_empty(tmp_path, content_dir):
    class Empty(Settings):
        copy_default_content: bool = False
    m = ContentManager.from_settings(Empty(index_path=tmp_path / "e.db", content=[content_dir], _env_file=None))
    m.reindex("default", "op")
    with pytest.raises(ContentError, match="starts empty"):
        m.ensure("guild-3", "bot")
    m.add_file("guild-3", "mod", "rowing.txt", SPORT.encode())
    assert names(m, "guild-3") == ["rowing.txt"]


# -- URLs ----------------------------------------------------------------------------------------

def test_urls_are_off_by_default(manager):
    with pytest.raises(ContentError, match="turned off"):
        manager.add_url("default", "mod", "https://example.com/story.html")
    assert manager.audit("default")[0]["result"].startswith("failed: adding a page by URL is turned off")


@pytest.fixture
def page_server():
    body = ("<html><body><nav>Home | Sport</nav><article><h1>Lighthouse</h1><p>The lighthouse on the "
            "point was painted white and red again this summer by volunteers from the village.</p>"
            "<p>It has guided boats into the harbour since 1871.</p></article></body></html>").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/stories/lighthouse.html"
    httpd.shutdown()
    httpd.server_close()


def test_add_url_fetches_and_extracts_the_article(tmp_path, content_dir, page_server):
    class Urls(Settings):
        allow_urls: bool = True
    m = ContentManager.from_settings(Urls(index_path=tmp_path / "u.db", content=[content_dir], _env_file=None))
    m.reindex("default", "op")
    with pytest.raises(FetchError, match="127.0.0.1, a loopback address"):
        m.add_url("default", "mod", page_server)
    assert live_number(m) == 1
    m = ContentManager(m.store, m.settings, fetcher=partial(fetch, allow_loopback=True))  # the local page itself
    report = m.add_url("default", "mod", page_server)
    assert report.documents_added == ["127.0.0.1-lighthouse.html"]
    doc = m.store.load().document("127.0.0.1-lighthouse.html")
    assert "painted white and red" in doc.text and "Sport" not in doc.text
    assert doc.source == page_server


# -- serialising changes -------------------------------------------------------------------------

def test_a_second_change_is_told_it_waits_and_then_runs(manager, settings):
    engine = Engine(manager.store, "default", settings)
    messages, done = [], []
    with change_lock(manager.store, "default"):  # another change holds the corpus
        worker = threading.Thread(target=lambda: done.append(manager.add_file(
            "default", "mod", "rowing.txt", SPORT.encode(), on_wait=messages.append)))
        worker.start()
        time.sleep(0.3)
        assert messages == ["another change to corpus default is running; waiting…"]
        assert not done
        assert not engine.ask("When did the harbour reopen?").refused  # questions go on meanwhile
        with change_lock(manager.store, "guild-9"):
            pass  # other corpora are not held up
    worker.join(5)
    assert done and done[0].version == 2


def test_waiting_can_time_out(manager):
    with change_lock(manager.store, "default"):
        with pytest.raises(ContentError, match="still running after 0.2 s"):
            manager.add_file("default", "mod", "rowing.txt", SPORT.encode(), wait_timeout=0.2)
    assert live_number(manager) == 1


def test_concurrent_adds_lose_nothing(manager):
    texts = [f"Item {i}\n\nParagraph number {i} talks about topic{i} and nothing else.\n" for i in range(6)]
    threads = [threading.Thread(target=manager.add_file, args=("default", f"mod{i}", f"t{i}.txt", t.encode()))
               for i, t in enumerate(texts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(names(manager)) == sorted(["harbour.txt", "orchard.md", *(f"t{i}.txt" for i in range(6))])
    assert live_number(manager) == 7


def test_an_interrupted_change_is_marked_in_the_audit_log(manager):
    manager.store.record("default", "mod", "reindex", "from content", "started")  # as a killed build leaves it
    manager.add_file("default", "mod", "rowing.txt", SPORT.encode())
    log = manager.audit("default")
    assert log[0]["result"].startswith("version 2")
    assert log[1]["result"].startswith("interrupted")


# -- the CLI -------------------------------------------------------------------------------------

def cli(*args, index: Path, check=True):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "index", *args, "--index", str(index)], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_cli_add_remove_history_rollback_list(tmp_path, content_dir):
    index = tmp_path / "cli.db"
    built = cli("build", str(content_dir), index=index)
    assert "indexing: 2/2 documents" in built.stdout  # piped: plain lines, no bar
    assert "\r" not in built.stdout
    (tmp_path / "rowing.txt").write_text(SPORT)
    added = cli("add", str(tmp_path / "rowing.txt"), "--corpus", "g1", "--actor", "tester", index=index)
    assert "version 2" in added.stdout and "added rowing.txt" in added.stdout
    again = cli("add", str(tmp_path / "rowing.txt"), "--corpus", "g1", index=index, check=False)
    assert again.returncode == 2 and "already in corpus g1" in again.stderr
    listed = cli("list", "--corpus", "g1", index=index).stdout
    assert "rowing.txt" in listed and "added by tester" in listed
    cli("remove", "rowing.txt", "--corpus", "g1", index=index)
    cli("rollback", "2", "--corpus", "g1", index=index)
    history = cli("history", "--corpus", "g1", index=index).stdout.splitlines()
    assert history[0].startswith("v4 (live)") and "rollback to 2" in history[0] and "+rowing.txt" in history[0]
    assert "remove: -rowing.txt" in history[1]
    audit = cli("audit", "--corpus", "g1", index=index).stdout
    assert "failed: rowing.txt is already in corpus g1" in audit
    asked = cli("ask", "Who won the regatta?", "--corpus", "g1", index=index).stdout
    assert "rowing club" in asked
    bad = cli("add", "--url", "http://127.0.0.1/", index=index, check=False)
    assert bad.returncode == 2 and "turned off" in bad.stderr


# -- progress inside one long document ----------------------------------------------------------

def test_batched_splitting_gives_the_same_passages(tmp_path):
    from hypothesis import given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    from index.ingest.passages import split_in_batches, split_passages
    from index.ingest.reading import read_bytes

    words = st.sampled_from("the harbour boat storm repaired council paid ferry island week".split())
    sentence = st.lists(words, min_size=3, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")
    paragraph = st.lists(sentence, min_size=1, max_size=6).map(" ".join)
    heading = st.lists(words, min_size=1, max_size=4).map(lambda w: " ".join(w).title())
    block = st.one_of(paragraph, paragraph, paragraph, heading)

    @hsettings(max_examples=60, deadline=None)
    @given(st.lists(block, min_size=1, max_size=25), st.integers(1, 6))
    def check(blocks, batch_size):
        text = "Title line\n\nA first paragraph, to be read.\n\n" + "\n\n".join(blocks) + "\n"
        doc = read_bytes(text.encode(), "t.txt", "text")
        seen = []
        assert split_in_batches(doc, 300, seen.append, batch_size) == split_passages(doc, 300)
        assert seen == sorted(seen)

    check()


def test_a_long_document_reports_passages_as_it_goes(manager):
    text = "Long\n\n" + "\n\n".join(f"Paragraph {i} is about the harbour and boat number {i}." for i in range(1200))
    calls = []
    manager.add_file("default", "mod", "long.txt", text.encode(), on_progress=lambda *a: calls.append(a))
    assert calls[0] == (0, 1, 0) and calls[-1] == (1, 1, 1200)
    inside = [c for c in calls if c[0] == 0 and c[2] > 0]
    assert len(inside) >= 4 and inside == sorted(inside)


# -- retention ------------------------------------------------------------------------------------

def added_and_removed(manager, rounds: int) -> None:
    """Each round adds a large document and removes it: two versions, one text no longer live."""
    for i in range(rounds):
        text = f"Archive {i}\n\n" + " ".join(f"Ledger line {i}-{j} records cargo {j * 7} tonnes." for j in range(400))
        manager.add_file("default", "mod", f"archive-{i}.txt", text.encode())
        manager.remove("default", "mod", f"archive-{i}.txt")


def on_disk(path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def test_prune_keeps_the_newest_versions_and_gives_the_space_back(manager):
    added_and_removed(manager, 3)
    store = manager.store
    assert [v.number for v in store.history()] == [7, 6, 5, 4, 3, 2, 1]
    before = on_disk(store.path)
    assert manager.prune("default", "op", keep=2) == 5
    store.vacuum()
    assert [v.number for v in store.history()] == [7, 6]
    # Two archives (about 19 KB of text each, kept twice: text and original bytes) no kept
    # version uses any more: their space is given back.
    assert before - on_disk(store.path) > 60_000
    assert names(manager) == ["harbour.txt", "orchard.md"] and live_number(manager) == 7
    manager.rollback("default", "mod", 6)  # a kept version still rolls back, its original intact
    assert "archive-2.txt" in names(manager)
    assert b"Ledger line 2-0" in store.original(store.load().source("archive-2.txt").original)
    with pytest.raises(ContentError, match="no version 3; its versions are 6-8"):
        manager.rollback("default", "mod", 3)
    assert [e["action"] for e in manager.audit("default")[:3]] == ["rollback", "rollback", "prune"]


def test_the_retention_setting_prunes_after_each_change(tmp_path, content_dir):
    settings = Settings(index_path=tmp_path / "r.db", content=[content_dir], keep_versions=3, _env_file=None)
    m = ContentManager.from_settings(settings)
    m.reindex("default", "op")
    added_and_removed(m, 2)
    assert [v.number for v in m.store.history()] == [5, 4, 3]
    assert names(m) == ["harbour.txt", "orchard.md"]


def test_prune_never_deletes_the_live_version(manager):
    added_and_removed(manager, 1)
    manager.rollback("default", "mod", 1)  # version 4 is a copy of 1; 1 itself stays behind
    assert manager.prune("default", "op", keep=1) == 3  # 1 to 3 go; 4, a copy of 1, is live
    assert [v.number for v in manager.store.history()] == [4]
    assert names(manager) == ["harbour.txt", "orchard.md"]
