"""Retrieved negatives: a question paired with the best-ranked paragraph of its own article that
does not hold its answer, as a "no answer" example. Made-up articles."""
from index.training.examples import Example
from index.training.negatives import SOURCE, retrieved_negatives

HARBOUR = "The harbour of Vessmark was dredged in 1904 by the Brann company."
HARBOUR_AGAIN = "Ships still enter the harbour of Vessmark at high tide, as they did before it was dredged."
MILLS = "Three windmills stood on the hill above the town until a storm in 1911."
ANSWERED_ELSEWHERE = "Brann also built the lighthouse of Vessmark."
OTHERS = ["The town school opened in 1890 with forty pupils.", "Rye bread is baked on Fridays.",
          "The mayor is elected every four years."]


def _example(i, question, context, answer=None, article="Vessmark", source="squad"):
    answers = ((answer, context.index(answer)),) if answer else ()
    return Example(f"q{i}", article, question, context, answers, source)


def _questions(count=40):
    return [_example(i, f"When was the harbour of Vessmark dredged? ({i})", HARBOUR, "1904") for i in range(count)]


def _background():
    """Other paragraphs of the article, behind questions of their own."""
    return [Example(f"b{i}", "Vessmark", "What else happened?", text, (), "squad")
            for i, text in enumerate([MILLS, *OTHERS])]


def test_the_negative_is_the_best_ranked_paragraph_without_the_answer():
    data = [*_questions(), *_background(),
            Example("u", "Vessmark", "Who sailed in at high tide?", HARBOUR_AGAIN, (), "squad")]
    negatives = retrieved_negatives(data, every=2)
    harbour = [n for n in negatives if "harbour" in n.question]
    assert harbour, "about half of the answerable questions get one"
    for negative in harbour:
        assert negative.context == HARBOUR_AGAIN  # shares the question's words, lacks "1904"
        assert negative.impossible and negative.source == SOURCE and negative.article == "Vessmark"


def test_about_one_question_in_every_n_gets_a_negative_and_always_the_same():
    data = [*_questions(200), *_background()]
    two, three = retrieved_negatives(data, every=2), retrieved_negatives(data, every=3)
    assert 60 <= len(two) <= 140 and 35 <= len(three) <= 100
    assert [n.id for n in retrieved_negatives(data, every=2)] == [n.id for n in two]


def test_a_paragraph_holding_the_answer_is_never_a_negative():
    data = [_example(i, f"Who dredged the harbour of Vessmark? ({i})", HARBOUR, "Brann") for i in range(40)]
    data += [_example(98, "What did Brann build?", ANSWERED_ELSEWHERE, "the lighthouse of Vessmark"),
             *_background()]
    negatives = [n for n in retrieved_negatives(data, every=2) if "dredged" in n.question]
    assert negatives and all("Brann" not in n.context for n in negatives)


def test_negatives_come_from_the_questions_own_article_and_from_squad_only():
    data = [_example(0, "When was the harbour dredged?", HARBOUR, "1904", article="Vessmark"),
            _example(1, "How many windmills stood there?", MILLS, "Three", article="Olvund"),
            Example("q2", "Vessmark", "Who painted the harbour?", HARBOUR_AGAIN, (), "squad"),
            _example(3, "Who said it?", OTHERS[0], "forty pupils", article="Vessmark", source="polnear")]
    [negative] = retrieved_negatives(data, every=1)  # the unanswerable q2 and the polnear q3 get none
    assert (negative.id, negative.context) == ("q0-negative", HARBOUR_AGAIN)
