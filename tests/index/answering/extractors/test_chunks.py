"""Phrase-like chunks: runs of words between punctuation, function words and the asked words."""
from index.answering.extractors.chunks import chunks, tokens


def chunks_of(text: str, asked: set[str] = frozenset()) -> list[str]:
    words = tokens(text, 0, len(text))
    return [text[c.start:c.end] for c in chunks(words, lambda w: w.text.lower() in asked)]


def test_asked_words_and_function_words_split_the_sentence():
    assert chunks_of("Luther wrote two catechisms as an outline of the faith.", {"luther", "outline"}) == \
        ["two catechisms", "the faith"]


def test_of_and_and_stay_inside_a_phrase_not_at_its_edges():
    assert chunks_of("It went to the Court of Justice and the Bank of the West.") == \
        ["the Court of Justice and the Bank of the West"]
    assert chunks_of("Cytotoxic or immunosuppressive drugs, and") == ["Cytotoxic or immunosuppressive drugs"]


def test_verbs_and_adverbs_are_no_phrases():
    assert chunks_of("The talks eventually became a forum for trade.") == ["The talks", "a forum", "trade"]
    assert chunks_of("Stockholm stated the rumour.") == ["Stockholm", "the rumour"]


def test_initials_and_money_stay_whole():
    assert chunks_of("Donald F. Turner earned \u00a326,719 in 1966.") == ["Donald F. Turner", "\u00a326,719", "1966"]


def test_acronyms_are_not_the_stopwords_they_spell():
    assert chunks_of("The attack claimed by IS shocked the US.") == ["The attack", "IS", "the US"]
