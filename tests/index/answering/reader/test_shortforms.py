"""Short forms: the number, date or name inside a longer span, for the question kinds that ask
for one; made-up text."""
import pytest

from index.answering.reader.shortforms import short_forms


def _forms(kind, text):
    return [text[s:e] for s, e in short_forms(kind, text)]


@pytest.mark.parametrize("kind, text, expected", [
    ("how_many", "128 people died", ["128"]),
    ("how_many", "more than $413,000 from teachers", ["more than $413,000", "$413,000"]),
    ("when", "in the storm of March 1932", ["March 1932"]),
    ("who", "Harbour Commission Chairman Odile Brenn", ["Odile Brenn"]),
    ("who_said", "Mayor Ilse Varga", ["Ilse Varga"]),
    ("where", "the quay at Vessmark", ["Vessmark"]),
    ("what", "rye bread and 40 loaves", []),  # other kinds ask for no particular shape
    ("how_many", "128", []),  # the span itself is no shorter form of itself
    ("who", "the baker", []),
])
def test_the_part_of_the_shape_asked_for(kind, text, expected):
    found = _forms(kind, text)
    assert set(expected) <= set(found) if expected else found == []


def test_a_short_form_is_a_verbatim_part_of_its_span():
    text = "Forty-one boats and 1,200 nets were lost on 3 May 1932 near Vessmark, said Ines Kalder."
    for kind in ("how_many", "when", "who", "where"):
        for start, end in short_forms(kind, text):
            assert 0 <= start < end <= len(text) and (start, end) != (0, len(text))
