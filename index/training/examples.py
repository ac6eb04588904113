"""Training and evaluation examples for the reader: a question, a context, and the answer spans.

Sources (see shared/train/README.md beside the repository): SQuAD-format files (v1.1 train, v2.0 dev with its
unanswerable questions) and "who said" / "what did X say" questions derived from PolNeAR's
attribution annotations. Splits are by article, never by question, so that a held-out article's
wording never reaches training.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.answering.extractors.names import (
    Name,
    find_names,
    is_nationality,
    is_place,
    is_title,
    looks_like_person,
)
from index.answering.extractors.speakers import REPORTING_VERB
from index.text.lexicon import PERSON_PRONOUNS

DEV_SHARE = 10  # one article in DEV_SHARE (by a hash of its title) is held out for tuning, one more for tests
# SQuAD v1.1 dev's articles that nothing may be trained or tuned on (../shared/train/README.md).
HELD_OUT_SQUAD = frozenset((
    "Super_Bowl_50 Nikola_Tesla Teacher Martin_Luther Apollo_program Newcastle_upon_Tyne "
    "Victoria_and_Albert_Museum American_Broadcasting_Company Genghis_Khan Doctor_Who Kenya "
    "Chloroplast United_Methodist_Church").split())


@dataclass(frozen=True)
class Example:
    id: str
    article: str
    question: str
    context: str
    answers: tuple[tuple[str, int], ...] = field(default=())  # (text, start in context); empty: no answer
    source: str = "squad"

    @property
    def impossible(self) -> bool:
        return not self.answers


def split_of(title: str) -> str:
    """"dev" (tuning and calibration), "test" (news questions written for evaluation, PolNeAR
    only: never trained or tuned on) or "train"; by article, the same on every machine."""
    bucket = hashlib.sha256(title.encode("utf-8")).digest()[0] % DEV_SHARE
    return {0: "dev", 1: "test"}.get(bucket, "train")


def calibration_halves(titles: list[str]) -> tuple[list[str], list[str]]:
    """The development articles of one source in title order, alternating: (those the arbiter
    is calibrated on, those left to measure refusals on)."""
    dev = sorted(t for t in set(titles) if split_of(t) == "dev")
    return dev[0::2], dev[1::2]


class HeldOutError(ValueError):
    """Training data that holds an article reserved for evaluation."""


NEWS_SOURCES = frozenset({"polnear", "written"})  # PolNeAR articles: their "test" bucket never trains


def training_split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(train, dev). SQuAD's "test" bucket trains: its evaluation articles are HELD_OUT_SQUAD."""
    reserved = sorted({e.article for e in examples if e.article in HELD_OUT_SQUAD})
    if reserved:
        raise HeldOutError(f"these articles are reserved for evaluation: {', '.join(reserved)}")
    train, dev = [], []
    for e in examples:
        split = split_of(e.article)
        if split == "dev":
            dev.append(e)
        elif split == "train" or e.source not in NEWS_SOURCES:
            train.append(e)
    return train, dev


def sampled(examples: list[Example], shares: dict[str, float]) -> list[Example]:
    """The examples with only `shares[source]` of each source named there, chosen by a hash of
    the id (the same on every machine); other sources whole."""
    def kept(e: Example) -> bool:
        share = shares.get(e.source, 1.0)
        return int.from_bytes(hashlib.sha256(e.id.encode("utf-8")).digest()[:4], "big") < share * 2**32
    return [e for e in examples if kept(e)]


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_hash(folder: Path) -> str:
    """One hash of every file below a folder, names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


# -- SQuAD -------------------------------------------------------------------------------------

def unique(examples: list[Example]) -> list[Example]:
    """The first example of each id: SQuAD v2.0 train repeats v1.1 train's questions, same ids."""
    seen: set[str] = set()
    return [e for e in examples if not (e.id in seen or seen.add(e.id))]


def squad_examples(path: Path) -> list[Example]:
    """Every question of a SQuAD v1.1 or v2.0 file, unanswerable ones with no answers."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    out = []
    for article in data:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = [] if qa.get("is_impossible") else _located(context, qa["answers"])
                if not qa.get("is_impossible") and not answers:
                    continue  # a gold answer that is not in its paragraph cannot teach a span
                out.append(Example(qa["id"], article["title"], qa["question"], context, tuple(answers)))
    return out


def _located(context: str, answers: list[dict]) -> list[tuple[str, int]]:
    """The answers with a start that really holds them (reconstructed files may be off)."""
    out = []
    for answer in answers:
        text, start = answer["text"], answer.get("answer_start", -1)
        if context[start:start + len(text)] != text:
            start = context.find(text)
        if start >= 0 and (text, start) not in out:
            out.append((text, start))
    return out


# -- PolNeAR -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attribution:
    source: tuple[int, int]
    cue: tuple[int, int]
    content: tuple[int, int]


_UNRESOLVABLE = frozenset("i we you they it me us them this that who which".split())
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|from|of|by|for|on|with|to|about)\s+(?:the\s+)?$")
_QUOTES = "\"\u201c\u201d\u2018\u2019'"
_PAST_SPEECH = frozenset("said told wrote thought".split())
MAX_QUOTED_WORDS = 12
PARAGRAPH_BREAK = "\n\n"
MAX_CONTEXT_CHARS = 1500
PER_ARTICLE = 6  # who-said questions taken from one article: many articles beat many quotes of one


def read_attributions(ann: Path) -> list[Attribution]:
    """The attributions of one brat file whose source, cue and content are each one span."""
    spans: dict[str, tuple[int, int] | None] = {}
    events = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind_offsets = parts[1].split(" ")
            offsets = " ".join(kind_offsets[1:])
            spans[parts[0]] = None if ";" in offsets else (int(kind_offsets[1]), int(kind_offsets[2]))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split(" ") if ":" in arg))
    out = []
    for event in events:
        found = [spans.get(event.get(role, "")) for role in ("Source", "Cue", "Content")]
        if all(found):
            out.append(Attribution(*found))
    return sorted(out, key=lambda a: a.source[0])


def polnear_articles(root: Path) -> list[tuple[str, str, list[Attribution]]]:
    """(article name, text, attributions) for each article with annotations, one annotator each."""
    out = []
    for text_path in sorted((Path(root) / "text").glob("*.txt")):
        anns = sorted((Path(root) / "attributions").glob(text_path.stem + "*.ann"))
        if anns:
            out.append((text_path.stem, text_path.read_text(encoding="utf-8"), read_attributions(anns[0])))
    return out


def speaker_name(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The speaker's name inside a source span: "Corey Lewandowski" in "Trump's campaign manager
    Corey Lewandowski", "Eric Trump" in "Eric Trump, the candidate's son"; a short span without
    names whole ("a senior official"); None where the name is not the speaker ("a poll in Iowa")."""
    source = text[span[0]:span[1]]
    candidates = [n for n in find_names(text, *span)
                  if not is_place(n.text) and not _PREPOSITION_BEFORE.search(text[span[0]:n.start])
                  and not is_nationality(text, n) and not _part_of_abbreviation(text, n)]
    if candidates:
        name = next((n for n in candidates if n.end == span[1] or text[n.end] in ",("), candidates[-1])
        return name.start, name.end
    if find_names(text, *span) or len(source.split()) > 4:
        return None
    return span


def _part_of_abbreviation(text: str, name: Name) -> bool:
    """ "S" of "U.S.", "F" of "F.A.A.", "Mr" of "Mr.": no name of a speaker."""
    abbreviated = text[name.end:name.end + 1] == "." and text[name.end + 1:name.end + 2].isalpha()
    return len(name.text) < 2 or abbreviated or is_title(name.text)


def resolve_source(text: str, attributions: list[Attribution], index: int) -> tuple[int, int] | None:
    """Where the speaker of attribution `index` is named: its own source, or for "he"/"she" the
    nearest earlier source that names someone (PolNeAR has no coreference)."""
    source = attributions[index].source
    word = text[source[0]:source[1]].strip().lower()
    if word in _UNRESOLVABLE:
        return None
    if word not in PERSON_PRONOUNS:
        return speaker_name(text, source)
    for earlier in reversed(attributions[:index]):
        earlier_word = text[earlier.source[0]:earlier.source[1]].strip().lower()
        if earlier_word in PERSON_PRONOUNS or earlier_word in _UNRESOLVABLE:
            continue
        name = speaker_name(text, earlier.source)
        return name if name and _is_person(text, name) else None
    return None


def _is_person(text: str, span: tuple[int, int]) -> bool:
    names = find_names(text, *span)
    return len(names) == 1 and (names[0].start, names[0].end) == span and looks_like_person(text, names[0])


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole paragraphs (blank-line separated) from the one holding `start` to the one
    holding `end`."""
    first = text.rfind(PARAGRAPH_BREAK, 0, start)
    last = text.find(PARAGRAPH_BREAK, end)
    return (0 if first < 0 else first + len(PARAGRAPH_BREAK)), (len(text) if last < 0 else last)


def _quoted_words(content: str) -> str | None:
    words = content.strip(_QUOTES + " ,.").replace("\u201c", "").replace("\u201d", "").replace('"', "").split()
    if len(words) < 5:
        return None
    return " ".join(words[:MAX_QUOTED_WORDS])


def polnear_examples(root: Path, articles: set[str] | None = None,
                     per_article: int = PER_ARTICLE) -> list[Example]:
    """Who-said and what-did-X-say questions from the attributions whose cue reports speech."""
    out = []
    for name, text, attributions in polnear_articles(root):
        if articles is not None and name not in articles:
            continue
        taken = 0
        for i, attribution in enumerate(attributions):
            if taken >= per_article:
                break
            example = _who_said(name, text, attributions, i)
            if example:
                out.append(example)
                taken += 1
                what = _what_said(name, text, attributions, i)
                if what:
                    out.append(what)
    return out


def _who_said(article: str, text: str, attributions: list[Attribution], i: int) -> Example | None:
    a = attributions[i]
    cue = text[a.cue[0]:a.cue[1]]
    if not REPORTING_VERB.search(cue.lower()) and "according to" not in cue.lower():
        return None
    speaker = resolve_source(text, attributions, i)
    quoted = _quoted_words(text[a.content[0]:a.content[1]])
    if speaker is None or quoted is None:
        return None
    context_start, context_end = paragraph_bounds(text, min(speaker[0], a.content[0]),
                                                  max(speaker[1], a.content[1]) - 1)
    if context_end - context_start > MAX_CONTEXT_CHARS:
        return None
    context = text[context_start:context_end]
    answer = text[speaker[0]:speaker[1]]
    verb = cue.split()[-1].lower().strip(":,")
    if not (verb.endswith("ed") or verb in _PAST_SPEECH):
        verb = "said"  # "according to", "says", "saying": asked as "who said"
    question = f'Who {verb} "{quoted}"?'
    return Example(f"{article}:{i}:who", article, question, context,
                   ((answer, speaker[0] - context_start),), "polnear")


def _what_said(article: str, text: str, attributions: list[Attribution], i: int) -> Example | None:
    """"What did Corey Lewandowski say?" when the paragraph holds only that one attribution."""
    a = attributions[i]
    start, end = paragraph_bounds(text, a.content[0], a.content[0])
    if not (start <= a.source[0] and a.content[1] <= end) or any(
            b is not a and start <= b.content[0] < end for b in attributions):
        return None
    speaker = resolve_source(text, attributions, i)
    if speaker is None or not _is_person(text, speaker):
        return None
    content_start, content_end = a.content
    while content_end > content_start and text[content_end - 1] in _QUOTES + " ,.":
        content_end -= 1
    while content_start < content_end and text[content_start] in _QUOTES + " ":
        content_start += 1
    if content_end - content_start < 20:
        return None
    question = f"What did {text[speaker[0]:speaker[1]]} say?"
    return Example(f"{article}:{i}:what", article, question, text[start:end],
                   ((text[content_start:content_end], content_start - start),), "polnear")
