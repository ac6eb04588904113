"""Engine settings, from the environment and `.env` (pydantic-settings)."""
from __future__ import annotations

import difflib
import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

PREFIX = "VERBATIM_"
# The Discord front-end's own keys (bot/settings.py; a test keeps the two lists equal), so that
# the engine's warning about unknown keys does not flag them.
FRONT_END_KEYS = frozenset({"VERBATIM_MODERATOR_ROLE_IDS", "VERBATIM_ANSWER_CHANNEL_IDS", "VERBATIM_ANSWER_DMS",
                            "VERBATIM_ASK_COOLDOWN_SECONDS", "VERBATIM_SYNC_ON_CHANGE",
                            "VERBATIM_THREAD_EVERY_MESSAGE", "VERBATIM_FEED_POLL_MINUTES"})


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_file=".env", extra="ignore")

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="logging level of the bot; the CLI and console show warnings unless DEBUG")

    content: list[Path] = Field(default=[Path("content")], description="files or folders to index")
    index_path: Path = Field(default=Path("data/verbatim.sqlite3"), description="the SQLite store")
    database_url: SecretStr | None = Field(
        default=None, description="a PostgreSQL store instead of the SQLite file, shared by several bot processes: "
                                  "postgresql://user:password@host/dbname (needs the postgres extra)")
    corpus: str = Field(default="default", min_length=1, max_length=100)
    top_k: int = Field(default=3, ge=1, le=20, description="passages returned per question")
    loaded_budget_mb: int = Field(default=1024, ge=1, le=1_000_000,
                                  description="memory for loaded versions, shared by every corpus of the process")
    loaded_idle_seconds: float = Field(default=3600.0, ge=0.0,
                                       description="a loaded version unused this long is dropped; 0 keeps it")
    max_question_chars: int = Field(default=500, ge=10, le=10_000)
    max_passage_chars: int = Field(default=1200, ge=200, le=20_000)
    bm25_k1: float = Field(default=1.2, ge=0.0, le=5.0)
    bm25_b: float = Field(default=0.75, ge=0.0, le=1.0)
    retrieval_pool: int = Field(default=100, ge=10, le=100_000,
                                description="passages of a question's postings scored in full; "
                                            "a corpus this small is ranked exactly")
    expansion_weight: float = Field(default=0.4, ge=0.0, le=1.0,
                                    description="weight of synonyms added to a question; 0 turns it off")
    keep_versions: int = Field(default=0, ge=0, le=100_000,
                               description="versions kept per corpus after each change (the live one always); "
                                           "0 keeps every version, for rollback to any of them")
    max_document_bytes: int = Field(default=2_000_000, ge=1_000, le=2_000_000_000,
                                    description="largest file a build or `python -m index add` reads "
                                                "(a Discord attachment keeps max_upload_bytes)")
    max_upload_bytes: int = Field(default=2_000_000, ge=1_000, le=50_000_000,
                                  description="largest file a moderator can add")
    allow_urls: bool = Field(default=False, description="allow adding documents by URL")
    fetch_timeout_seconds: float = Field(default=10.0, gt=0, le=120,
                                         description="time limit for a whole fetch, redirects included")
    fetch_max_bytes: int = Field(default=2_000_000, ge=1_000, le=50_000_000,
                                 description="largest page a fetch reads")
    feed_retry_minutes: float = Field(default=5.0, gt=0, le=10_080,
                                      description="a feed that fails is tried again after this long, twice as "
                                                  "long after each failure in a row")
    feed_retry_max_minutes: float = Field(default=1440.0, gt=0, le=43_200,
                                          description="the longest wait between tries of a failing feed")
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
    semantic: bool = Field(default=True, description="retrieve and judge support by meaning too (sentence "
                                                     "embeddings, index/retrieval/embedding.py); false: by words "
                                                     "alone, and builds embed nothing")
    semantic_weight: float = Field(default=1.0, ge=0.0, le=5.0,
                                   description="weight of the meaning score against the words' score in the ranking")
    semantic_support: float = Field(default=0.25, ge=0.0, le=1.0,
                                    description="cosine similarity of the best passage to the question that counts "
                                                "as support when its words do not (names and numbers the content "
                                                "lacks still refuse, and so does the reader's arbiter)")
    keep_questions: bool = Field(default=True, description="keep each question asked (its outcome, the closest "
                                                           "passage, the asker as a keyed hash) for /content gaps "
                                                           "and `python -m index gaps`; false keeps none")
    keep_questions_days: int = Field(default=90, ge=0, le=36_500,
                                     description="kept questions older than this many days are deleted; 0 keeps "
                                                 "them without limit")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value):
        return value.upper() if isinstance(value, str) else value

    @field_validator("index_path")
    @classmethod
    def _a_file(cls, value: Path) -> Path:
        if not str(value).strip() or str(value) == ".":
            raise ValueError("is empty: give the index file's path, e.g. data/verbatim.sqlite3")
        if value.is_dir():
            raise ValueError(f"{value} is a folder: give the index file's path inside it")
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _a_postgres_url(cls, value):
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql:// (empty: the SQLite file VERBATIM_INDEX_PATH)")
        return value

    @field_validator("reader_model", "answer_threshold", mode="before")
    @classmethod
    def _empty_is_shipped(cls, value):
        return None if isinstance(value, str) and not value.strip() else value


def settings_error(exc: ValidationError, prefix: str = "") -> str:
    """One line naming the key that is wrong."""
    err = exc.errors()[0]
    key = (prefix + "_".join(str(p) for p in err["loc"])).upper() if err["loc"] else "settings"
    return f"invalid setting {key}: {err['msg']}"


def load_settings(cls=IndexSettings, **overrides):
    """Settings, or one clear line on stderr and exit 2; a warning for each unknown key."""
    warn_unknown_keys()
    try:
        return cls(**overrides)
    except ValidationError as exc:
        prefix = cls.model_config.get("env_prefix", "")
        print(settings_error(exc, prefix), file=sys.stderr)
    except SettingsError as exc:  # a list or other JSON value that is not JSON
        field = re.search(r'field "(\w+)"', str(exc))
        key = (PREFIX + field.group(1)).upper() if field else "settings"
        print(f"invalid setting {key}: not valid JSON (a list is written [\"a\", \"b\"])", file=sys.stderr)
    raise SystemExit(2)


def known_keys() -> set[str]:
    return {PREFIX + name.upper() for name in IndexSettings.model_fields} | FRONT_END_KEYS


@lru_cache(maxsize=1)
def warn_unknown_keys() -> list[str]:
    """Warn, once a process, of each VERBATIM_ key in the environment or .env that no setting
    has (a misspelt key would otherwise be ignored without a word), naming the closest real one."""
    known = known_keys()
    given = set(os.environ) | set(dotenv_values(".env") if Path(".env").is_file() else {})
    warnings = []
    for key in sorted(k for k in given if k.upper().startswith(PREFIX) and k.upper() not in known):
        close = difflib.get_close_matches(key.upper(), known, n=1, cutoff=0.6)
        warnings.append(f"warning: {key} is not a setting" + (f"; did you mean {close[0]}?" if close else ""))
    for line in warnings:
        print(line, file=sys.stderr)
    return warnings
