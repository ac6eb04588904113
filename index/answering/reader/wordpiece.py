"""BERT's uncased WordPiece tokenizer, with each token's character offsets in the original text.

The reader's tokenizer.json describes a BertNormalizer (control characters dropped, white space
to spaces, CJK characters split, accents stripped, lower case), a BertPreTokenizer (white space
and punctuation split) and greedy longest-match WordPiece. This module does exactly that in
plain Python, so that running the reader needs no tokenizers package (and its hub client);
tests check it token for token against the tokenizers library.
"""
from __future__ import annotations

import json
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_ASCII_PUNCTUATION = frozenset(string.punctuation)


@dataclass(frozen=True)
class Window:
    """One model input: [CLS] question [SEP] part of the context [SEP]."""
    ids: list[int]
    type_ids: list[int]
    offsets: list[tuple[int, int]]  # character offsets into the context; (0, 0) outside it
    context: list[bool]  # which positions hold context tokens


class WordPiece:
    def __init__(self, vocabulary: dict[str, int], unknown: str = "[UNK]", prefix: str = "##",
                 max_word_chars: int = 100):
        self.vocabulary = vocabulary
        self.unknown = unknown
        self.prefix = prefix
        self.max_word_chars = max_word_chars
        self.cls, self.sep = vocabulary["[CLS]"], vocabulary["[SEP]"]

    @classmethod
    def from_file(cls, path: Path) -> "WordPiece":
        """From a tokenizer.json holding an uncased BERT WordPiece model; ValueError otherwise."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        model, normalizer = data.get("model") or {}, data.get("normalizer") or {}
        if model.get("type") != "WordPiece" or normalizer.get("type") != "BertNormalizer" \
                or not normalizer.get("lowercase"):
            raise ValueError("not an uncased BERT WordPiece tokenizer")
        return cls(model["vocab"], model.get("unk_token", "[UNK]"), model.get("continuing_subword_prefix", "##"),
                   model.get("max_input_chars_per_word", 100))

    def tokens(self, text: str) -> list[tuple[int, int, int]]:
        """(token id, start, end) for each token, offsets into `text`."""
        out = []
        for word, origins in _words(text):
            out += self._pieces(word, origins)
        return out

    def _pieces(self, word: str, origins: list[int]) -> list[tuple[int, int, int]]:
        whole = [(self.vocabulary[self.unknown], origins[0], origins[-1] + 1)]
        if len(word) > self.max_word_chars:
            return whole
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocabulary:
                    pieces.append((self.vocabulary[piece], origins[start], origins[end - 1] + 1))
                    break
                end -= 1
            if end == start:
                return whole
            start = end
        return pieces

    def windows(self, question: str, context: str, max_length: int, stride: int) -> list[Window]:
        """The question with each window of the context, windows overlapping by `stride` tokens
        (as the tokenizers library truncates "only_second" with overflow); `stride` must be
        under max_length * 3/4 - 3."""
        asked = [t[0] for t in self.tokens(question)][:max_length // 4]  # a long question's start
        read = self.tokens(context)
        room = max_length - len(asked) - 3
        head = [self.cls, *asked, self.sep]
        out, start = [], 0
        while True:
            part = read[start:start + room]
            ids = head + [t[0] for t in part] + [self.sep]
            offsets = [(0, 0)] * len(head) + [(s, e) for _, s, e in part] + [(0, 0)]
            context_mask = [False] * len(head) + [True] * len(part) + [False]
            type_ids = [0] * len(head) + [1] * (len(part) + 1)
            out.append(Window(ids, type_ids, offsets, context_mask))
            if start + room >= len(read):
                return out
            start += room - stride


def _words(text: str) -> list[tuple[str, list[int]]]:
    """The normalised words and punctuation marks of `text`, each character with the index of
    the original character it came from."""
    words: list[tuple[str, list[int]]] = []
    chars: list[str] = []
    origins: list[int] = []

    def close() -> None:
        if chars:
            words.append(("".join(chars), origins[:]))
            chars.clear()
            origins.clear()

    for i, ch in enumerate(text):
        for out in _normalised(ch):
            if out == " ":
                close()
            elif out in _ASCII_PUNCTUATION or unicodedata.category(out).startswith("P") or _is_cjk(out):
                close()
                words.append((out, [i]))
            else:
                chars.append(out)
                origins.append(i)
    close()
    return words


@lru_cache(maxsize=4096)
def _normalised(ch: str) -> str:
    """BertNormalizer on one character: "" (dropped), " " (white space) or its folded form."""
    if ch in "\t\n\r" or (ch.isspace() and not unicodedata.category(ch).startswith("C")):
        return " "
    if ch in "\0\ufffd" or unicodedata.category(ch).startswith("C"):
        return ""
    decomposed = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    return decomposed.lower()


def _is_cjk(ch: str) -> bool:
    """The CJK ranges of the tokenizers library, which the model was trained through: it starts
    Extension E at U+2B920 where the original BERT code has U+2B820."""
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F or 0x2B920 <= code <= 0x2CEAF
            or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)
