"""The reader's WordPiece tokenizer gives the tokenizers library's tokens, offsets and windows."""
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.answering.reader import SHIPPED
from index.answering.reader.wordpiece import WordPiece

tokenizers = pytest.importorskip("tokenizers")

PATH = SHIPPED / "tokenizer.json"


@pytest.fixture(scope="module")
def ours() -> WordPiece:
    return WordPiece.from_file(PATH)


@pytest.fixture(scope="module")
def library():
    tokenizer = tokenizers.Tokenizer.from_file(str(PATH))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _library_tokens(library, text):
    encoding = library.encode(text, add_special_tokens=False)
    return [(i, s, e) for i, (s, e) in zip(encoding.ids, encoding.offsets)]


@pytest.mark.parametrize("text", [
    "Putin's spokesman Dmitry Peskov said: \u201cThere can be no tolerance.\u201d",
    "caf\u00e9 na\u00efve \u0141\u00f3d\u017a \u0130stanbul \ufb01ne stra\u00dfe \u00bd \u00b2",
    "\u6771\u4eac\u306f\u65e5\u672c emoji \U0001F600 zero\u200bwidth\u00a0space\ttab\nline",
    "a" * 120 + " b", "$100 + 5% <tag> ~x^y `q` |p|", "\x00\x01ctrl\ufffd", "", "0\U0002b820 \U0002b920x",
])
def test_known_hard_texts(ours, library, text):
    assert ours.tokens(text) == _library_tokens(library, text)


# Python's Unicode tables and the library's are of different versions: a rare character may be
# unassigned in one and a letter in the other, or punctuation in one and a symbol in the other
# (U+166D); the library takes unassigned code points for letters. So the text is drawn from
# the assigned characters articles are written in: Latin, Greek, Cyrillic, general punctuation,
# currency signs, CJK, emoji, white space and control characters.
ARTICLE_CHARACTERS = st.one_of(
    st.characters(min_codepoint=0x00, max_codepoint=0x24F), st.characters(min_codepoint=0x370, max_codepoint=0x52F),
    st.characters(min_codepoint=0x2000, max_codepoint=0x206F), st.characters(min_codepoint=0x20A0, max_codepoint=0x20C0),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F),
).filter(lambda ch: unicodedata.category(ch) not in ("Cn", "Cs"))


@given(st.text(ARTICLE_CHARACTERS, max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_text(ours, library, text):
    assert ours.tokens(text) == _library_tokens(library, text)


def test_windows_overlap_as_the_library_truncates(ours):
    library = tokenizers.Tokenizer.from_file(str(PATH))
    library.no_padding()
    library.enable_truncation(64, stride=16, strategy="only_second")
    question = "Who opened the Kestrel Bridge?"
    context = " ".join(f"Sentence {i} says that the bridge was opened by someone." for i in range(12))
    encoding = library.encode(question, context)
    expected = [encoding, *encoding.overflowing]
    windows = ours.windows(question, context, 64, 16)
    assert len(windows) == len(expected) > 2
    for window, e in zip(windows, expected):
        assert window.ids == e.ids and window.type_ids == e.type_ids
        assert window.offsets == [tuple(o) if s == 1 else (0, 0) for o, s in zip(e.offsets, e.sequence_ids)]


def test_a_question_longer_than_the_input_is_cut(ours):
    windows = ours.windows("why " * 400, "The bridge opened in 1932.", 64, 16)
    assert len(windows) == 1 and len(windows[0].ids) <= 64 and any(windows[0].context)
