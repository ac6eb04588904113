"""Passages: verbatim slices with right offsets, losing and repeating no text."""
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from index.ingest.passages import split_passages
from index.ingest.reading import read_bytes, read_path
from tests.index.conftest import ARTICLE


def test_default_article_passages_know_their_place():
    doc = read_path(ARTICLE)
    passages = split_passages(doc)
    assert len(passages) == 40
    assert [p.paragraph for p in passages] == list(range(1, 41))
    assert passages[0].section is None
    assert passages[9].section == "The world mourns for France"
    assert passages[-1].section == "War talk"
    for p in passages:
        assert doc.text[p.start:p.end] == p.text
        assert doc.title not in p.text and "By Ben Aris" not in p.text


def test_long_paragraph_splits_at_sentence_boundaries():
    sentences = [f"Sentence number {i} says something about the matter at hand." for i in range(60)]
    doc = read_bytes((" ".join(sentences)).encode(), "long.txt", "text")
    passages = split_passages(doc, max_chars=300)
    assert len(passages) > 5
    assert all(len(p.text) <= 300 for p in passages)
    assert all(p.paragraph == 1 for p in passages)
    assert all(p.text.endswith(".") and p.text[0] == "S" for p in passages)


words = st.text(alphabet=string.ascii_letters + "\u00e9\u2019", min_size=1, max_size=12)
sentence = st.builds(lambda ws, end: " ".join(ws) + end, st.lists(words, min_size=1, max_size=12),
                     st.sampled_from([".", "!", "?", "", ".\u201d"]))
paragraph = st.builds(" ".join, st.lists(sentence, min_size=1, max_size=8))
separator = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n\u00a0\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=8), separator, st.integers(min_value=40, max_value=400))
def test_passages_are_verbatim_and_lose_or_repeat_nothing(paragraphs, sep, max_chars):
    text = sep.join(["An opening paragraph, so there is always one."] + paragraphs)
    doc = read_bytes(text.encode(), "p.txt", "text")
    passages = split_passages(doc, max_chars=max_chars)
    covered = []
    for p in passages:
        assert doc.text[p.start:p.end] == p.text
        for s, e in p.sentences:
            assert 0 <= s < e <= len(p.text)
        covered.append((p.start, p.end))
    assert covered == sorted(covered)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(covered, covered[1:]))  # no repeats
    # every non-space character of every paragraph block is in exactly one passage (nothing lost)
    in_passages = "".join(p.text for p in passages)
    in_blocks = "".join(doc.block_text(b) for b in doc.blocks if b.kind == "paragraph")
    assert "".join(in_passages.split()) == "".join(in_blocks.split())
