import pytest

from index.answering.extractors.dates import find_dates


@pytest.mark.parametrize("text, expected", [
    ("The summit began on November 15, after talks.", ["November 15"]),
    ("It was signed on 4 July 1776 in the city.", ["4 July 1776"]),
    ("Published November 16, 2015 online", ["November 16, 2015"]),
    ("the siege in 2002 and the 1990s", ["2002", "the 1990s"]),
    ("in the 19th century, around 300 BC", ["the 19th century", "300 BC"]),
    ("the attacks on Friday 13th", ["Friday 13th"]),
    ("You may go to the march now.", []),
    ("two bombs in Ankara at the end of October", ["the end of October"]),
    ("It opened in October and closed in May 2016.", ["October", "May 2016"]),
    ("October was cold. May I go?", []),  # a month alone only after "in"
])
def test_dates(text, expected):
    assert [text[d.start:d.end] for d in find_dates(text)] == expected
