"""Summaries of a corpus too big to read whole: by document or by topic, from those passages alone."""
import pytest

from index.engine import Engine
from index.errors import EngineError
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from index.summaries import scoped

TOWNS = ["Vell", "Orla", "Brask", "Tummel"]


def write_archive(folder):
    """Four towns' reports, each a document of its own; only Orla's speak of the lighthouse."""
    for town in TOWNS:
        paragraphs = [f"The council of {town} met on Monday to discuss the harbour budget.",
                      f"Mayor Ada Quist of {town} said the ferry service would continue all winter.",
                      f"Fishermen in {town} reported a quiet season with calm seas."]
        if town == "Orla":
            paragraphs += ["The old lighthouse of Orla will be restored by volunteers next spring.",
                           "Volunteers said the lighthouse restoration would cost little."]
        (folder / f"{town.lower()}.txt").write_text(f"{town} report\n\n" + "\n\n".join(paragraphs) + "\n")


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.setattr(scoped, "READ_WHOLE_AT_MOST", 5)  # these 14 passages count as an archive
    folder = tmp_path / "archive"
    folder.mkdir()
    write_archive(folder)
    settings = IndexSettings(_env_file=None, index_path=tmp_path / "index.sqlite3", content=[folder])
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    engine.build()
    return engine


def texts_of(engine: Engine) -> str:
    return "\n".join(p.text for p in engine.current().passages)


def test_an_archive_is_not_summarised_whole(archive):
    with pytest.raises(EngineError, match="too many to summarise whole: name a document or a topic"):
        archive.summary()


def test_a_topic_summary_reads_the_passages_the_index_finds(archive):
    summary = archive.summary(topic="lighthouse")
    assert summary.sentences and all("lighthouse" in s.text for s in summary.sentences)
    assert all(s.document == "orla.txt" and s.text in texts_of(archive) for s in summary.sentences)
    assert "says nothing" in archive.summary(topic="airport").message


def test_a_document_summary_reads_that_document(archive):
    summary = archive.summary(document="brask")
    assert summary.sentences and all(s.document == "brask.txt" for s in summary.sentences)
    with pytest.raises(EngineError, match="no document"):
        archive.summary(document="nowhere")


def test_stats_sections_and_documents_come_from_the_store(archive):
    stats = archive.stats()
    assert (stats.documents, stats.passages) == (4, 14)
    assert [d.name for d in archive.documents()] == ["brask.txt", "orla.txt", "tummel.txt", "vell.txt"]
    assert [d.label for d in archive.documents()] == [f"{t} report" for t in sorted(TOWNS)]
