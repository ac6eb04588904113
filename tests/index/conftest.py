from pathlib import Path

import pytest

from index.engine import Engine
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
ARTICLE = next(CONTENT.glob("*.txt"))


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def settings(tmp_path) -> IndexSettings:
    return IndexSettings(index_path=tmp_path / "index.sqlite3", content=[CONTENT])


@pytest.fixture
def engine(settings) -> Engine:
    return Engine(SQLiteStore(settings.index_path), settings=settings)


@pytest.fixture(scope="session")
def article_engine(tmp_path_factory) -> Engine:
    """The default article, indexed once for every read-only test."""
    path = tmp_path_factory.mktemp("article") / "index.sqlite3"
    settings = IndexSettings(index_path=path, content=[CONTENT])
    built = Engine(SQLiteStore(path), settings=settings)
    built.build()
    return built
