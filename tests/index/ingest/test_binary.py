"""PDF and .docx files, made here with reportlab and python-docx: read as well as their text,
pages kept for citations, and broken, encrypted and scanned files refused with a clear line."""
from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from index.content.operations import ContentManager
from index.engine import Engine
from index.ingest.documents import ReadError
from index.ingest.passages import split_passages
from index.ingest.reading import read_bytes, read_path
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from tests.index.conftest import ARTICLE

QUESTIONS = ["How many people died in the Paris attacks?", "Who is Peskov?", "Where is Belek?",
             "How many police were deployed in Belek?", "When did Putin speak at the UN general assembly?",
             "Who said \"This is for Syria\"?", "How many Russian holidaymakers were killed?",
             "Where did the G20 summit take place?", "What did ISIS claim?", "Who did Obama meet?"]


def pdf_of(paragraphs: list[str], *, breaks: tuple[int, ...] = (), encrypt: str | None = None) -> bytes:
    out = io.BytesIO()
    styles = getSampleStyleSheet()
    story = []
    for i, text in enumerate(paragraphs):
        if i in breaks:
            story.append(PageBreak())
        story += [Paragraph(escape(text).replace("\n", "<br/>"), styles["BodyText"]), Spacer(1, 8)]
    SimpleDocTemplate(out, pagesize=A4, encrypt=encrypt).build(story)
    return out.getvalue()


def article_pdf() -> bytes:
    text = ARTICLE.read_text(encoding="utf-8")
    return pdf_of([p.strip() for p in text.split("\n\n") if p.strip()])


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_a_pdf_of_the_article_reads_as_its_text():
    pdf = read_bytes(article_pdf(), "article.pdf", "pdf")
    txt = read_path(ARTICLE)
    assert (pdf.title, pdf.byline, pdf.date) == (txt.title, txt.byline, txt.date)
    assert [squeezed(p.text) for p in split_passages(pdf)] == [squeezed(p.text) for p in split_passages(txt)]
    assert len([b for b in pdf.blocks if b.kind == "page"]) >= 3  # the article runs over pages


def test_a_pdf_gets_the_answers_its_text_gets(tmp_path):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "article.pdf").write_bytes(article_pdf())
    engines = []
    for source in (tmp_path / "pdf", ARTICLE.parent):
        settings = IndexSettings(_env_file=None, index_path=tmp_path / f"{source.name}.db", content=[source])
        engine = Engine(SQLiteStore(settings.index_path), settings=settings)
        engine.build()
        engines.append(engine)
    answered = 0
    for question in QUESTIONS:
        from_pdf, from_text = (e.ask(question) for e in engines)
        assert (from_pdf.answer and squeezed(from_pdf.answer)) == (from_text.answer and squeezed(from_text.answer))
        assert from_pdf.refused == from_text.refused
        assert squeezed(from_pdf.passages[0].text) == squeezed(from_text.passages[0].text), question
        answered += from_pdf.answer is not None
    assert answered >= 6
    hit = engines[0].ask("How many police were deployed in Belek?").passages[0]
    assert hit.page is not None and hit.page >= 2 and engines[1].ask("Who is Peskov?").passages[0].page is None


def pdf_of_lines(lines: list[str], title: str | None = None) -> bytes:
    """A PDF drawn a line at a time, at the same spacing throughout (no gap under a title), as
    many tools write them; reportlab's canvas calls a PDF without a title "untitled"."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    if title:
        page.setTitle(title)
    for number, line in enumerate(lines):
        page.drawString(72, 800 - 14 * number, line)
    page.save()
    return out.getvalue()


FERRY_LINES = ["The Lindqvist ferry carried 412 passengers on its first crossing, in March, and the",
               "harbour office said it would run twice a day.", "",
               "Captain Mira Osei said the new route would save an hour."]


@pytest.mark.parametrize("lines, metadata, title", [
    (["Ferry report", *FERRY_LINES], None, "Ferry report"),  # the first line, set directly above the text
    (["Ferry report", *FERRY_LINES], "Harbour news: the ferry", "Harbour news: the ferry"),  # the file's own
    (["Harbour news: the ferry", *FERRY_LINES], "Harbour news: the ferry", "Harbour news: the ferry"),
    (FERRY_LINES, None, None),  # a paragraph's first line is no title
])
def test_a_pdf_title_is_its_own_else_its_first_line(tmp_path, lines, metadata, title):
    doc = read_bytes(pdf_of_lines(lines, metadata), "ferry.pdf", "pdf")
    assert doc.title == title
    passages = [p.text for p in split_passages(doc)]
    assert passages[0].startswith("The Lindqvist ferry carried 412") and len(passages) == 2
    manager = ContentManager(SQLiteStore(tmp_path / "i.db"), IndexSettings(_env_file=None, content=[]))
    path = tmp_path / "ferry.pdf"
    path.write_bytes(pdf_of_lines(lines, metadata))
    manager.add_files("default", "tests", [path])
    assert [entry.title for entry in manager.documents("default")] == [title]


def test_pages_are_cited_where_each_passage_starts():
    paragraphs = ["Harbour report", "The harbour reopened on Monday.", "The ferry carried 412 passengers.",
                  "The mayor said the pier would be rebuilt."]
    doc = read_bytes(pdf_of(paragraphs, breaks=(2, 3)), "harbour.pdf", "pdf")
    pages = {squeezed(p.text): doc.page_of(p.start) for p in split_passages(doc)}
    assert pages == {"The harbour reopened on Monday.": 1, "The ferry carried 412 passengers.": 2,
                     "The mayor said the pier would be rebuilt.": 3}


def test_a_paragraph_cut_by_a_page_break_is_one_passage():
    long = " ".join(f"Sentence {i} of the long paragraph tells of the harbour and its ferries." for i in range(90))
    doc = read_bytes(pdf_of(["Harbour report", long, "The end of the report."]), "long.pdf", "pdf")
    texts = [squeezed(p.text) for p in split_passages(doc, max_chars=100_000)]
    assert texts == [long, "The end of the report."]
    assert doc.page_of(doc.text.index("The end")) == 2


def scanned_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.rect(100, 100, 300, 400, fill=1)  # a page that is a picture: no text layer
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("data, says", [
    (b"%PDF-1.7\nthis is not really a pdf\n", "not a readable PDF"),
    (lambda: article_pdf()[:900], "not a readable PDF"),
    (lambda: pdf_of(["A secret report about the harbour."], encrypt="hunter2"), "protected by a password"),
    (scanned_pdf, "no text to read"),
])
def test_bad_pdfs_are_one_clear_error(data, says):
    data = data() if callable(data) else data
    with pytest.raises(ReadError, match=says):
        read_bytes(data, "bad.pdf", "pdf")


def docx_of(*blocks: tuple[str, str]) -> bytes:
    document = docx.Document()
    for style, text in blocks:
        document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_keeps_its_title_and_sections(tmp_path):
    data = docx_of(("Title", "Orchard annual report"), ("Heading 1", "The harvest"),
                   ("Normal", "The Halvorsen orchard grew 40 tonnes of pears this autumn."),
                   ("Heading 1", "The staff"), ("Normal", "Mira Osei has managed the orchard since 2019."))
    doc = read_bytes(data, "orchard.docx", "docx")
    assert doc.title == "Orchard annual report"
    passages = split_passages(doc)
    assert [(p.section, p.text) for p in passages] == [
        ("The harvest", "The Halvorsen orchard grew 40 tonnes of pears this autumn."),
        ("The staff", "Mira Osei has managed the orchard since 2019.")]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "orchard.docx").write_bytes(data)
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "d.db", content=[tmp_path / "c"])
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    engine.build()
    result = engine.ask("How many tonnes of pears did the orchard grow?")
    assert result.answer in ("40", "40 tonnes") and result.passages[0].section == "The harvest"


@pytest.mark.parametrize("data", [b"PK\x03\x04 not a real zip", b"plain words, not a Word file"])
def test_a_broken_docx_is_one_clear_error(data):
    with pytest.raises(ReadError, match="not a readable Word document"):
        read_bytes(data, "bad.docx", "docx")


def test_a_bad_pdf_upload_changes_nothing(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "harbour.txt").write_text("Harbour\n\nThe harbour reopened on Monday after 12 days.\n")
    manager = ContentManager.from_settings(IndexSettings(_env_file=None, index_path=tmp_path / "m.db",
                                                         content=[tmp_path / "c"]))
    manager.reindex("default", "op")
    with pytest.raises(ReadError, match="protected by a password"):
        manager.add_file("default", "mod", "secret.pdf", pdf_of(["A secret."], encrypt="pw"))
    assert [v.number for v in manager.store.history()] == [1]
    report = manager.add_file("default", "mod", "ferry.pdf", pdf_of(["Ferry news", "The ferry carried 412 people."]))
    assert report.documents_added == ["ferry.pdf"]
    manager.reindex("default", "op")  # its original bytes are read again by a rebuild
    assert "ferry.pdf" in [d.name for d in manager.documents("default")]
