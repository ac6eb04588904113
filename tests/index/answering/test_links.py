"""Deep links: a passage of a page added by URL is cited with a text fragment whose terms are on
the page (served on 127.0.0.1 through the test fetcher); an uploaded file's passages have none."""
from __future__ import annotations

import json
import re
from functools import partial
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from index.answering.links import deep_link, fragment_terms
from index.engine import Engine
from index.ingest.fetching import fetch
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from tests.index.cli.test_cli import run
from tests.index.conftest import CONTENT
from tests.index.ingest.test_fetching import HTML, Server

PAGE = """<html><head><title>Harbour news</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>The harbour reopens after the storm</h1>
<p>The harbour of <b>Port Elwyn</b> reopened on Monday after a storm closed it for nine days, the
harbour master said in a statement to fishermen &amp; ferry operators.</p>
<p>Repairs to the north-west breakwater cost about <a href="/money">two million euros</a> and were paid
for by the regional council, which had set money aside for storms after the floods of 2019.</p>
<p>Ferries to the islands run again from Tuesday.</p>
</article><footer>Copyright Example News.</footer></body></html>"""
UPLOAD = b"Rowing club\n\nThe rowing club of Port Elwyn has 86 members and two boats, the secretary said.\n"


class _Text(HTMLParser):
    """The text a browser shows of a page: tags dropped, entities read, spaces collapsed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_text(page: str) -> str:
    reader = _Text()
    reader.feed(page)
    return " ".join("".join(reader.parts).split())


def terms_of(link: str) -> list[str]:
    fragment = link.split("#:~:text=", 1)[1]
    assert not re.search(r"[^A-Za-z0-9%._~,]", fragment)  # every other character percent-encoded
    return [unquote(term) for term in fragment.split(",")]


@pytest.fixture
def server():
    s = Server()
    s.routes["/news/harbour.html"] = (200, HTML, PAGE.encode())
    yield s
    s.close()


@pytest.fixture
def engine(tmp_path, server) -> Engine:
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "i.sqlite3", content=[CONTENT], allow_urls=True)
    built = Engine(SQLiteStore(settings.index_path), settings=settings)
    built.build()
    built.content.fetcher = partial(fetch, allow_loopback=True)  # the local server itself
    built.content.add_url("default", "mod", server.url + "/news/harbour.html#comments")
    built.content.add_file("default", "mod", "rowing.txt", UPLOAD)
    return built


def test_a_page_added_by_url_is_cited_at_the_passage(engine, server):
    shown = page_text(PAGE)
    for question, answer in [("How long was the harbour of Port Elwyn closed?", "nine days"),
                             ("How much did the repairs to the breakwater cost?", "two million euros")]:
        result = engine.ask(question)
        hit = result.passages[0]
        assert answer in hit.text and hit.link.startswith(server.url + "/news/harbour.html#:~:text=")
        assert "#comments" not in hit.link  # the page's own fragment is replaced
        start, end = terms_of(hit.link)
        assert hit.text.startswith(start) and hit.text.rstrip(".").endswith(end)
        assert start in shown and end in shown and shown.index(start) < shown.index(end)
        assert len(start.split()) <= 4 and len(end.split()) <= 4  # short, to match across markup
    short = next(p for p in engine.ask("When do the ferries to the islands run again?").passages
                 if p.text.startswith("Ferries"))
    assert terms_of(short.link) == ["Ferries to the islands run again from Tuesday"]  # short: whole
    assert "%2D" in engine.ask("What did the north-west breakwater cost?").passages[0].link  # '-' encoded


def test_the_command_line_shows_the_link(engine, server):
    question = "How long was the harbour of Port Elwyn closed?"
    wanted = engine.ask(question).passages[0].link
    done = run("ask", "--json", question, index=engine.settings.index_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["passages"][0]["link"] == wanted
    done = run("ask", question, index=engine.settings.index_path)
    assert done.returncode == 0 and f"\n    {wanted}\n" in done.stdout + "\n"


def test_other_documents_keep_their_citation(engine):
    rowing = engine.ask("How many members has the rowing club?")
    assert rowing.answer == "86" and rowing.passages[0].link is None  # an uploaded file
    article = engine.ask("How many people died in Paris?")
    assert article.passages[0].link is None  # a content file
    assert article.to_json()["passages"][0]["link"] is None


@pytest.mark.parametrize("text, terms", [
    ("Short one.", ["Short one"]),
    ('"We will - and must," he said.', ["We will - and must,\" he said"]),
    ('"We will - and must - act," he said.', ["We will - and", "act,\" he said"]),
    ("one two three four five six seven eight nine", ["one two three four", "six seven eight nine"]),
    ("«Quoted» start words here and then the end of it, finally.", ["Quoted» start words here", "end of it, finally"]),
    ("— —", []),
])
def test_fragment_terms(text, terms):
    assert fragment_terms(text) == terms


def test_links_are_encoded_and_never_mention_anyone():
    link = deep_link("https://news.example/@everyone/a(1)<@&42>.html?q=<@123>&x=1#old",
                     "Tom & Jerry, the co-owners, said @here that <@99> paid.")
    base, fragment = link.split("#:~:text=")
    assert base == "https://news.example/%40everyone/a%281%29%3C%40&42%3E.html?q=%3C%40123%3E&x=1"
    assert fragment == "Tom%20%26%20Jerry%2C%20the,here%20that%20%3C%4099%3E%20paid"
    assert "@" not in link and "<" not in link and ")" not in link
    assert deep_link("https://example.com/report.pdf", "Anything at all.", page=3) == "https://example.com/report.pdf#page=3"
    for source in (None, "", "storks.txt, added by discord:1 (mod)", "content/article.txt", "ftp://x.example/a",
                   "javascript:alert(1)", "https://user@x.example/a"):
        assert deep_link(source, "Some words.") is None
