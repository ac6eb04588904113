"""Speakers found from reporting verbs, colons, appositions and pronouns."""
from index.answering.extractors.speakers import find_speaker
from index.ingest.passages import split_passages
from index.ingest.reading import read_text


def speaker(at_words: str, *paragraphs: str) -> str | None:
    passages = split_passages(read_text("\n\n".join(paragraphs) + "\n", "made-up.txt"))
    index = next(i for i, p in enumerate(passages) if at_words in p.text)
    found = find_speaker(passages, index, passages[index].text.index(at_words))
    return None if found is None else passages[found.passage].text[found.start:found.end]


def test_title_and_country_are_left_out():
    assert speaker("redouble", '"We will redouble efforts," said US President Barack Obama.') == "Barack Obama"


def test_pronoun_resolved_across_paragraphs_outside_quotes():
    first = "Mayor Lena Holm visited the flooded town of Brask on Monday."
    second = '"Brask will be rebuilt and Sweden will help," she told reporters.'
    assert speaker("rebuilt", first, second) == "Lena Holm"


def test_quote_continued_in_the_next_paragraph_looks_back():
    first = '"The dam held," said Tom Reed. "But the river is still rising'
    second = '"and we cannot promise the town will stay dry."'
    assert speaker("promise", first, second) == "Tom Reed"


def test_according_to():
    assert speaker("tragedy", "The tragedy shocked the nation, according to Maria Lopez.") == "Maria Lopez"


def test_nobody_said_it():
    assert speaker("rain", "The rain fell all night over the hills.") is None
