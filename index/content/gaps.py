"""The questions the content misses: kept questions that were refused or got passages only
(index/store/asked.py), grouped so that one need asked in many words reads as one line
("how many were injured?", "number of injured"), most asked first.

Wordings that fold to the same words are one wording. Wordings are then grouped by meaning, with
the sentence embedder retrieval uses (index/retrieval/embedding.py): a wording joins the group
whose first, most asked wording is closest to it, if that is within SAME_MEANING, else starts a
group. Without semantic retrieval, the same is done with the wordings' index terms (stemmed,
without stop words and question-framing words): their overlap instead of the cosine.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.store.asked import PASSAGES, REFUSED, Asked, Closest
from index.text.tokens import DEFAULT_TOKENIZER, fold, load_words

# Cosine of two wordings' sentence vectors that counts as one question, measured on pairs of
# made-up questions: "how many were injured?" / "number of injured" 0.85, "population of
# France" / "how many people live in France" 0.82, but "population" / "capital of France" 0.70.
SAME_MEANING = 0.75
SAME_WORDS = 0.5  # share of two wordings' terms in common (Jaccard) that counts as one question
WORDS = re.compile(r"\w+")

VECTORS_KEPT = 20_000  # wordings' vectors kept between calls (about 30 MB): the next /content gaps embeds the new ones

Embed = Callable[[list[str]], np.ndarray]
_VECTORS: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()  # (model, wording) -> its vector
_VECTORS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Gap:
    """One question the content misses, however many ways it was asked."""
    example: str  # its most asked wording
    count: int  # times asked, every wording
    wordings: tuple[str, ...]  # each distinct wording, most asked first
    refused: int
    passages_only: int
    askers: int  # distinct members (by their hashes)
    closest: Closest | None  # the passage its questions came closest to most often
    last_asked: float
    version: int | None  # the content version it was last asked of


def wording_key(question: str) -> str:
    """The question's words, folded: "How many were injured?" and "how many were  injured" are one."""
    return " ".join(WORDS.findall(fold(question)))


def group(asked: Sequence[Asked], embed: Embed | None = None) -> list[Gap]:
    """The questions as gaps, most asked first (by meaning with `embed`, else by their words)."""
    by_wording: dict[str, list[Asked]] = {}
    for question in asked:
        by_wording.setdefault(wording_key(question.question), []).append(question)
    wordings = sorted(by_wording.values(), key=lambda rows: (-len(rows), -max(r.at for r in rows)))
    texts = [_most_common(r.question for r in rows) for rows in wordings]
    similar = _by_meaning(texts, embed) if embed is not None else _by_words(texts)
    leaders: list[int] = []  # each group's first wording
    members: list[list[int]] = []
    for index in range(len(texts)):
        scores = [similar(index, leader) for leader in leaders]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= (SAME_MEANING if embed is not None else SAME_WORDS):
            members[best].append(index)
        else:
            leaders.append(index)
            members.append([index])
    gaps = [_gap([texts[i] for i in its], [r for i in its for r in wordings[i]]) for its in members]
    return sorted(gaps, key=lambda g: (-g.count, -g.last_asked))


def remembering(embedder) -> Embed:
    """The embedder's embed, its vectors kept for the next call (the same wordings come back)."""
    def embed(texts: list[str]) -> np.ndarray:
        with _VECTORS_LOCK:
            found = {t: _VECTORS[(embedder.model, t)] for t in texts if (embedder.model, t) in _VECTORS}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, embedder.embed(missing)))
        with _VECTORS_LOCK:
            for text in texts:
                _VECTORS[(embedder.model, text)] = found[text]
                _VECTORS.move_to_end((embedder.model, text))
            while len(_VECTORS) > VECTORS_KEPT:
                _VECTORS.popitem(last=False)
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, embedder.dimensions), np.float32)
    return embed


def forget_vectors() -> None:
    """Drop the kept vectors (a benchmark's second store measures a first call again)."""
    with _VECTORS_LOCK:
        _VECTORS.clear()


def _by_meaning(texts: list[str], embed: Embed) -> Callable[[int, int], float]:
    vectors = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    return lambda a, b: float(vectors[a] @ vectors[b])


def _by_words(texts: list[str]) -> Callable[[int, int], float]:
    framing = frozenset(t for w in load_words("frames.txt") for t in DEFAULT_TOKENIZER.terms(w))
    terms = [set(DEFAULT_TOKENIZER.terms(t)) - framing for t in texts]

    def overlap(a: int, b: int) -> float:
        union = terms[a] | terms[b]
        return len(terms[a] & terms[b]) / len(union) if union else float(texts[a] == texts[b])
    return overlap


def _gap(wordings: list[str], rows: list[Asked]) -> Gap:
    outcomes = Counter(r.outcome for r in rows)
    closest = Counter(r.closest for r in rows if r.closest is not None).most_common(1)
    latest = max(rows, key=lambda r: (r.at, r.id))
    return Gap(wordings[0], len(rows), tuple(wordings), outcomes[REFUSED], outcomes[PASSAGES],
               len({r.asker for r in rows}), closest[0][0] if closest else None, latest.at, latest.version)


def _most_common(texts) -> str:
    """The wording as most often typed (the first of them on a tie)."""
    return Counter(texts).most_common(1)[0][0]


def where(closest: Closest | None) -> str:
    """The closest passage as a citation names it: "article.txt, Section, paragraph 3"."""
    if closest is None:
        return "no passage"
    return ", ".join(x for x in (closest.document, closest.section, f"paragraph {closest.paragraph}") if x)


def tally(gap: Gap) -> str:
    """"asked 3 times (2 refused, 1 passages only) by 2 members"."""
    said = [f"{n} {what}" for n, what in ((gap.refused, "refused"), (gap.passages_only, "passages only")) if n]
    times = "once" if gap.count == 1 else f"{gap.count} times"
    members = "1 member" if gap.askers == 1 else f"{gap.askers} members"
    return f"asked {times} ({', '.join(said)}) by {members}"


CSV_COLUMNS = ("count", "example", "wordings", "refused", "passages_only", "askers", "closest_document",
               "closest_section", "closest_paragraph", "last_asked", "content_version")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so


def to_csv(gaps: Sequence[Gap]) -> str:
    """One row a gap, most asked first; its wordings separated by " | ". Members wrote the
    questions: a cell that a spreadsheet would read as a formula starts with a quote instead."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for gap in gaps:
        closest = gap.closest
        writer.writerow([gap.count, _cell(gap.example), _cell(" | ".join(gap.wordings)), gap.refused,
                         gap.passages_only, gap.askers, _cell(closest.document) if closest else "",
                         _cell(closest.section or "") if closest else "",
                         closest.paragraph if closest else "",
                         dt.datetime.fromtimestamp(gap.last_asked, tz=dt.timezone.utc).isoformat(timespec="seconds"),
                         "" if gap.version is None else gap.version])
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
