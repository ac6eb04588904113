"""The one renderer: Discord's limits at the edges, Markdown escaping, the answer span."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import rendering
from bot.handlers import Handlers
from bot.rendering import (
    CONTENT,
    DESCRIPTION,
    EMBEDS_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FOOTER,
    TITLE,
)
from bot.compose import answer_reply
from bot.replies import Fact, Quote, Reply
from index.answering import wording
from index.cli.questions import render_text
from index.settings import IndexSettings


def within_limits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= TITLE
    assert len(embed.description or "") <= DESCRIPTION
    assert len(embed.fields) <= 25
    for f in embed.fields:
        assert 0 < len(f.name) <= FIELD_NAME and 0 < len(f.value) <= FIELD_VALUE
    assert len(embed.footer.text or "") <= FOOTER
    assert len(embed) <= EMBEDS_TOTAL


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out)


def test_escape_shows_markdown_as_written():
    raw = "*bold* __under__ ~~strike~~ `code` ||spoiler|| <@123> <#9> [link](http://x) # h \\ end"
    escaped = rendering.escape(raw)
    assert unescape(escaped) == raw
    for token in ("*", "_", "~", "`", "|", "<", "[", "#"):
        assert token not in escaped.replace("\\" + token, "")
    assert rendering.escape("- item\n1. first\n+ plus") == "\\- item\n1\\. first\n\\+ plus"
    assert rendering.escape("a - b, 3.5") == "a - b, 3.5"


def test_quote_fits_exactly_at_the_limit():
    text = "x" * 200
    quote = Quote(text, "D", None, 1)
    exact = len(rendering.quote_body(quote, 10_000))
    assert rendering.quote_body(quote, exact) == text
    cut = rendering.quote_body(quote, exact - 1)
    assert len(cut) <= exact - 1 and cut.endswith("…")


def test_long_passage_keeps_the_answer_span_marked():
    words = [f"w{i}" for i in range(3000)]
    text = " ".join(words)
    start = text.index("w2500")
    quote = Quote(text, "Doc", "Sec", 7, (start, start + len("w2500")))
    reply = Reply("answer", title="q", answer="w2500", quotes=[quote], footer="content version 1")
    embed = rendering.embed(reply)
    within_limits(embed)
    assert "**w2500**" in embed.description and "…" in embed.description
    assert embed.description.count("**w2500**") == 2  # the short answer and the marked span


def test_markdown_heavy_passage_stays_within_the_description():
    text = "*_" * 3000  # every character doubles when escaped
    reply = Reply("answer", title="q", quotes=[Quote(text, "D", None, 1, (10, 20)), Quote(text, "D", None, 2)])
    embed = rendering.embed(reply)
    within_limits(embed)
    assert not embed.description.replace("\\\\", "").endswith("\\")


def test_long_titles_fields_and_footer_are_cut():
    facts = [Fact("n" * 400, "v" * 3000) for _ in range(30)] + [Fact("Built", dt.datetime.now(dt.timezone.utc))]
    reply = Reply("status", title="t" * 1000, lead="l" * 5000, facts=facts, footer="f" * 3000,
                  quotes=[Quote("q" * 5000, "d" * 900, "s" * 900, 1)])
    within_limits(rendering.embed(reply))


def test_error_content_is_cut_to_2000_and_escaped():
    message = rendering.message(Reply.error("@everyone *" * 500))
    assert len(message["content"]) <= CONTENT
    assert message["allowed_mentions"].to_dict() == {"parse": []}
    assert "\\*" in message["content"]


def test_several_quotes_share_the_description():
    quotes = [Quote(f"passage {i} " + "y" * 1500, "D", "S", i) for i in range(3)]
    embed = rendering.embed(Reply("answer", title="q", answer="a", quotes=quotes))
    within_limits(embed)
    assert "passage 0" in embed.description and "passage 1" in embed.description
    assert embed.description.count("\n> — *D, S, paragraph") >= 2


def test_console_text_is_plain():
    quote = Quote("It was *really* 128 people.", "Doc", None, 3, (16, 26))
    text = rendering.text(Reply("answer", title="q", answer="128 people", quotes=[quote],
                                footer="content version 2"))
    assert text.splitlines() == ["Answer: 128 people", "  “It was *really* «128 people».”",
                                 "    — Doc, paragraph 3", "(content version 2)"]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=6000), st.text(max_size=400), st.integers(0, 6000), st.integers(1, 50))
def test_any_text_fits(passage, title, at, length):
    start = min(at, len(passage) - 1)
    mark = (start, min(len(passage), start + length))
    quotes = [Quote(passage, title or "D", title or None, 1, mark), Quote(passage, "D", None, 2)]
    reply = Reply("answer", title=title or None, answer=passage[mark[0]:mark[1]], quotes=quotes,
                  footer="content version 1")
    within_limits(rendering.embed(reply))
    refusal = Reply("refusal", title=title or None, lead=wording.NOT_SAID, quote_label=wording.CLOSEST,
                    quotes=quotes[:1])
    within_limits(rendering.embed(refusal))


async def test_a_summary_quote_marks_the_sentences_it_leaves_out(tmp_path):
    """Two sentences of one paragraph that are not adjacent are one quote with an ellipsis
    between them; adjacent ones are joined as the text has them."""
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "orchard.txt").write_text(
        "Orchard news\n\nThe Halvorsen orchard grew 40 tonnes of pears this autumn. The weather was dry "
        "in the valley. Rain came late to the hills. Halvorsen pears were sold in 12 towns.\n")
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "i.db", content=[tmp_path / "c"])
    handlers = Handlers(settings)
    handlers.engine.build()
    reply = await handlers.summary(topic="Halvorsen pears")
    [quote] = reply.quotes
    assert quote.text == ("The Halvorsen orchard grew 40 tonnes of pears this autumn. \u2026 "
                          "Halvorsen pears were sold in 12 towns.")
    whole = await handlers.summary(sentences=4)
    assert "\u2026" not in whole.quotes[0].text and "dry in the valley. Rain came" in whole.quotes[0].text


@pytest.mark.parametrize("refused, heads", [(False, [wording.NO_SHORT_ANSWER]),
                                            (True, [wording.NOT_SAID, wording.CLOSEST])])
def test_every_front_end_heads_passages_alike(engine, refused, heads):
    """Passages without a short answer, and a refusal's closest passage: the command line, the
    console and Discord say the same words before them, and none says the content answers."""
    asked = engine.ask("How many people were injured in Paris?")
    result = replace(asked, answer=None, refused=refused,
                     passages=[replace(hit, answer_start=None, answer_end=None) for hit in asked.passages])
    reply = answer_reply(result, answer_id=None, threadable=False)
    cli, console = render_text(result), rendering.text(reply)
    discord_text = rendering.embed(reply).description
    for said in (cli, console, discord_text):
        found = [said.find(head) for head in heads]
        assert -1 not in found and found == sorted(found), said
        assert "The content says" not in said and said.find(heads[-1]) < said.find(result.passages[0].text[:40])
    assert cli.splitlines()[:len(heads)] == console.splitlines()[:len(heads)] == heads
