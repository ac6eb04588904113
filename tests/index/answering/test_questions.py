"""Question analysis: the kind of answer wanted, the quoted words, the noun asked about."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.answering.questions import KINDS, analyse, asks_what_was_said, subject_words


@pytest.mark.parametrize("text, kind", [
    ('Who said "there can be no tolerance of terrorism"?', "who_said"),
    ("Who told reporters that the talks had failed?", "who_said"),
    ("Who expects a sharp response at the summit?", "who_said"),
    ("Who is the US Secretary of State?", "who"),
    ("Whose plane crashed?", "who"),
    ("How many people died?", "how_many"),
    ("How much did the stadium cost?", "how_many"),
    ("What fraction of Russians fear an attack?", "how_many"),
    ("How long is the bridge?", "how_many"),
    ("What was the death toll in the floods?", "how_many"),
    ("When did the summit start?", "when"),
    ("In what year was the siege?", "when"),
    ("The railroad built a station in what year?", "when"),
    ("Where were the suspects from?", "where"),
    ("In which city did the leaders meet?", "where"),
    ("Why did Russia act?", "why"),
    ("Was the airspace closed?", "yes_no"),
    ("In which theatre was the siege?", "what"),
    ("What did the minister promise?", "what"),
    ("Tell me about the attacks", "other"),
])
def test_kind(text, kind):
    assert analyse(text).kind == kind


def test_who_said_keeps_the_quoted_words():
    q = analyse('Who asked "Do you at least understand what you\'ve done?"')
    assert q.quote == "Do you at least understand what you've done?"
    assert analyse("Who said \u201cstand with us, arm us\u201d?").quote == "stand with us, arm us"


def test_who_said_without_quotes_keeps_the_reported_clause():
    assert analyse("Who said that by working together we will make the world safe?").quote == \
        "by working together we will make the world safe"
    assert analyse("Who said Russia wants concessions on Ukraine?").quote == "Russia wants concessions on Ukraine"


def test_other_kinds_have_no_quote():
    assert analyse("How many people died?").quote is None


@pytest.mark.parametrize("text, target", [
    ("How many bombs went off in Ankara?", "bombs"),
    ("How many Russian holidaymakers were killed?", "holidaymakers"),
    ("How many Russians died on the plane?", "russians"),  # "died" is the verb
    ("In which theatre was the siege?", "theatre"),
    ("What fraction of Russians fear an attack?", "fraction"),
    ("how many died?", None),  # a verb, not a counted noun
    ("What is the capital?", None),
])
def test_target_is_the_noun_asked_about(text, target):
    assert analyse(text).target == target


def test_content_words_and_names():
    q = analyse("Who is the US Secretary of State?")
    assert "secretary" in q.words and "who" not in q.words
    assert "US Secretary" in q.names
    assert "secretari" in q.terms
    assert analyse("How long did the siege last?").measure == "long"


@given(st.text(max_size=200))
def test_any_text_is_analysed(text):
    q = analyse(text)
    assert q.kind in KINDS
    assert q.text == text


@pytest.mark.parametrize("question, subjects", [
    ("What is the population of France?", ["population"]),
    ("What was Shen Kuo's religion?", ["religion"]),
    ("How tall is the tower?", ["tower", "tall"]),
    ("What did Hollande announce?", []),  # a verb: what happened, not a thing asked about
    ("Who did Putin blame for the attacks?", ["attacks"]),
])
def test_subject_words_are_the_nouns_asked_about(question, subjects):
    assert subject_words(question) == subjects


@pytest.mark.parametrize("text, name", [
    ("Who is Peskov?", "Peskov"),
    ("who was Francois Hollande", "Francois Hollande"),
    ("What is IS?", "IS"),
    ("What is the death toll?", None),
    ("Who is the US Secretary of State?", None),  # a title: the person is asked
    ("Who is President Obama?", None),
    ("Who is Putin meeting?", None),  # more than a name
    ("Who was Guy's rival?", None),
])
def test_who_or_what_is_a_name_asks_what_it_is(text, name):
    assert analyse(text).described == name


@pytest.mark.parametrize("text, said", [
    ("What did Mayor Varga say?", True),
    ("what did the harbour master tell the crews about the storm?", True),
    ("What has the ministry said about the flooding?", True),
    ("What does the report say?", True),
    ("What did Mayor Varga open in 1932?", False),
    ("What bridge did the workers build?", False),
    ("Who said the bridge would hold?", False),
])
def test_what_was_said_is_told_from_other_what_questions(text, said):
    assert asks_what_was_said(text) is said
