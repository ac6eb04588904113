"""Readers: metadata, block structure, verbatim offsets, clear errors on bad input."""
from pathlib import Path

import pytest

from index.ingest.documents import ReadError
from index.ingest.reading import read_bytes, read_path
from tests.index.conftest import ARTICLE


def blocks_of(doc, kind):
    return [doc.block_text(b) for b in doc.blocks if b.kind == kind]


def test_default_article_metadata_and_structure():
    doc = read_path(ARTICLE)
    assert doc.title == "Putin calls for anti-terror coalition after Paris attacks"
    assert doc.byline.startswith("By Ben Aris and Kivanc Dundar")
    assert doc.date == "November 16, 2015"
    assert blocks_of(doc, "heading") == ["The world mourns for France", "Paris tragedy poignant for Russia",
                                         "Time to unite", "War talk"]
    paragraphs = blocks_of(doc, "paragraph")
    assert not any(doc.title in p for p in paragraphs)  # the repeated title is never a paragraph
    assert paragraphs[0].startswith("Russian President Vladimir Putin")


def test_every_block_is_a_verbatim_slice():
    doc = read_path(ARTICLE)
    raw = ARTICLE.read_text(encoding="utf-8")
    assert doc.text == raw
    for block in doc.blocks:
        assert doc.text[block.start:block.end].strip() == doc.text[block.start:block.end]


def test_short_unpunctuated_line_is_a_heading_but_a_sentence_is_not():
    doc = read_bytes(b"Title here\n\nFirst paragraph ends here.\n\nA Heading\n\nSecond one.", "a.txt", "text")
    assert doc.title == "Title here"
    assert blocks_of(doc, "heading") == ["A Heading"]
    assert blocks_of(doc, "paragraph") == ["First paragraph ends here.", "Second one."]


def test_markdown_headings_and_paragraphs():
    text = "# The Title\n\nBy Jane Roe March 3, 2020\n\n## Background\n\nSome *text* here.\nMore of it.\n\n- a list item\n"
    doc = read_bytes(text.encode(), "a.md", "markdown")
    assert doc.title == "The Title"
    assert doc.date == "March 3, 2020"
    assert blocks_of(doc, "heading") == ["Background"]
    assert blocks_of(doc, "paragraph") == ["Some *text* here.\nMore of it.", "a list item"]


def test_html_main_text_without_navigation():
    body = "".join(f"<p>Paragraph {i} of the story tells what happened in the city that day, at length.</p>"
                   for i in range(8))
    html = (f"<html><head><title>Big news</title></head><body><nav><a href='/'>Home</a> <a>Sports</a></nav>"
            f"<article><h1>Big news</h1>{body}</article><footer>Copyright footer links</footer></body></html>")
    doc = read_bytes(html.encode(), "story.html", "html")
    paragraphs = blocks_of(doc, "paragraph")
    assert any("Paragraph 3 of the story" in p for p in paragraphs)
    assert not any("Copyright footer" in p or "Sports" in p for p in paragraphs)


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\n ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
    ("caf\u00e9".encode("latin-1") + b" au lait, a whole sentence.", "not UTF-8"),
])
def test_bad_input_is_a_clear_error_naming_the_file(data, message):
    with pytest.raises(ReadError, match=message) as err:
        read_bytes(data, "broken.txt", "text")
    assert "broken.txt" in str(err.value)


def test_unsupported_suffix_and_missing_file(tmp_path: Path):
    (tmp_path / "a.odt").write_bytes(b"PK")
    with pytest.raises(ReadError, match="unsupported"):
        read_path(tmp_path / "a.odt")
    with pytest.raises(ReadError, match="cannot read"):
        read_path(tmp_path / "missing.txt")
