from index.answering.extractors.numbers import find_quantities


def mentions(text):
    return [(text[q.start:q.unit_end or q.end], q.unit) for q in find_quantities(text)]


def test_counts_with_their_nouns():
    text = "After 128 people died, some 12,000 police and more than 100 soldiers were deployed."
    assert mentions(text) == [("128 people", "people"), ("12,000 police", "police"),
                              ("more than 100 soldiers", "soldiers")]


def test_percent_money_and_number_words():
    found = find_quantities("Nearly half (48%) paid $1.2 billion for two bombs.")
    text = "Nearly half (48%) paid $1.2 billion for two bombs."
    assert [text[q.start:q.end] for q in found] == ["Nearly half", "48%", "$1.2 billion", "two"]
    assert [q.percent for q in found] == [False, True, False, False]
    assert [q.money for q in found] == [False, False, True, False]


def test_years_dates_and_ordinals_are_no_counts():
    assert mentions("On November 15, 2015, the 13th day, in 1999") == []
