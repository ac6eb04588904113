"""Questions typed in one case, or with a slip of the keyboard, ask what the well-written one asks."""
from index.answering.spelling import QuestionNormaliser
from index.text.tokens import word_counts

CONTENT = [
    "Mayor Ilse Varga opened the Kestrel Bridge in Norrholm on Friday. Forty workers built it.",
    "Varga said the bridge had cost the city less than planned.",
]
ENGLISH = frozenset("how many who what where is was the built bridge born said".split())


def normaliser():
    return QuestionNormaliser(lambda: word_counts(CONTENT), ENGLISH)


def test_a_question_in_one_case_takes_the_contents_forms():
    n = normaliser()
    assert n.normalise("who opened the kestrel bridge?") == "Who opened the Kestrel Bridge?"
    assert n.normalise("WHO OPENED THE KESTREL BRIDGE?") == "Who opened the Kestrel Bridge?"
    assert n.normalise("where is norrholm?") == "Where is Norrholm?"


def test_a_mixed_case_question_keeps_its_capitals():
    assert normaliser().normalise("Who opened the bridge in Norrholm?") == "Who opened the bridge in Norrholm?"


def test_typos_are_mended_from_the_contents_words():
    n = normaliser()
    assert n.normalise("Who opned the Kestrel Bridge?") == "Who opened the Kestrel Bridge?"
    assert n.normalise("how many wokers built it?") == "How many workers built it?"
    assert n.normalise("who is mayor of norrolm?") == "Who is Mayor of Norrholm?"


def test_a_misspelt_question_word_is_mended_to_the_word_a_dropped_letter_explains():
    n = normaliser()  # "which" is not in the content; "with" is as near, but by a wrong letter
    assert n.normalise("Wich bridge did Varga open?") == "Which bridge did Varga open?"
    assert n.normalise("wich workers built it?") == "Which workers built it?"
    assert n.normalise("Wokers built it?") == "Workers built it?"  # the capital that starts it stays


def test_english_words_and_unrelated_words_are_left_alone():
    n = normaliser()
    assert n.normalise("When was Varga born?") == "When was Varga born?"  # "born" is a word, not "bone"
    assert n.normalise("What is the zyxwvut?") == "What is the zyxwvut?"
