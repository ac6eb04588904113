"""Honest refusals on the default article: questions about what it never mentions are refused,
answerable ones are not. The questions are written for these tests, not taken from eval sets."""
import pytest

from index.engine import Engine
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from tests.index.conftest import CONTENT

# The evidence threshold these tests assume: a best passage holding under 15% of the question's
# weight is weak evidence. (Higher, answerable questions get refused: on SQuAD v2 every threshold
# from 0.2 up refuses answerable questions about as often as unanswerable ones.)
MIN_EVIDENCE = 0.15


@pytest.fixture(scope="module")
def article_engine(tmp_path_factory) -> Engine:
    path = tmp_path_factory.mktemp("refusals") / "index.sqlite3"
    settings = IndexSettings(index_path=path, content=[CONTENT], min_evidence=MIN_EVIDENCE)
    engine = Engine(SQLiteStore(path), settings=settings)
    engine.build()
    return engine

ANSWERABLE = [
    "How many police were deployed in Belek?",
    "Which city did the bombs hit in Turkey?",
    "Who did Lavrov talk to in Vienna?",
    "What did Russia say it would do after the attacks on Saturday?",
]
ABSENT_NAMES = [
    "What did the mayor of Chicago say?",
    "How many people died in Madrid?",
    "What happened in Paris in 1998?",
]


@pytest.mark.parametrize("question", ANSWERABLE)
def test_answerable_questions_are_not_refused(article_engine, question):
    result = article_engine.ask(question)
    assert not result.refused
    assert result.passages


@pytest.mark.parametrize("question", ABSENT_NAMES)
def test_names_and_numbers_the_article_never_mentions_are_refused(article_engine, question):
    result = article_engine.ask(question)
    assert result.refused
    assert result.answer is None


def test_unseen_common_word_does_not_refuse(article_engine):
    # "strolled" appears nowhere, but the question's names and things are all there.
    assert not article_engine.ask("How many police strolled around Belek?").refused


def test_near_forms_of_names_are_not_absent(article_engine):
    # A misspelt or adjectival form of a name the article uses is still that name. (The signals'
    # verdict: the arbiter may still find no answer likely enough, as for the second question.)
    loaded = article_engine.current()
    assert not article_engine.ask("How many polise were deployed in Belekk?").refused
    assert loaded.prepare("What did the Turkey president Erdogan say about terrorism?").supported


@pytest.mark.parametrize("question", ["What is the altitude of Antalya?", "How tall is Putin?"])
def test_questions_sharing_only_names_with_the_article_are_refused(article_engine, question):
    # Antalya and Putin are there; nothing about altitude or height is.
    loaded = article_engine.current()
    asked = loaded.retriever.question_terms(question)
    assert all(loaded.retriever.mentions(q.term) for q in asked if q.decisive)
    assert article_engine.ask(question).refused


def test_an_unknown_verb_alone_does_not_refuse(article_engine):
    # "blame" appears nowhere, but the article says whom Putin lambasted: another wording, which
    # the signals let through; whether an answer is likely enough is then the arbiter's call.
    prepared = article_engine.current().prepare("Who did Putin blame?")
    assert prepared.supported
    assert any("lambasted" in article_engine.current().passages[i].text for i in prepared.ranked[:3])  # read


def test_words_that_only_frame_a_question_are_not_its_subject(article_engine):
    # "role" appears nowhere, but it says what kind of answer is wanted, not what about.
    assert not article_engine.ask("What was Lavrov's role?").refused


def test_refused_results_may_still_list_passages(article_engine):
    result = article_engine.ask("What did the mayor of Chicago say about the summit?")
    assert result.refused
    assert result.passages  # the closest passages, for the reader to judge


def test_weak_evidence_in_the_best_passage_is_not_support(article_engine):
    loaded = article_engine.current()
    question = "How many police were deployed in Belek?"
    holding = [i for i, p in enumerate(loaded.passages) if "Belek" in p.text and "police" in p.text]
    silent = [i for i, p in enumerate(loaded.passages) if "Belek" not in p.text and "police" not in p.text]
    assert holding and silent
    assert loaded.supported(question, holding[:1])
    assert not loaded.supported(question, silent[:1])


def test_question_without_any_term_is_refused(article_engine):
    assert article_engine.ask("What is it?").refused
