"""The arbiter: a logistic model over candidate features and the thresholds picked for it."""
import numpy as np
import pytest

from index.answering.reader.arbitration import (
    Arbiter,
    candidate_features,
    fit_logistic,
    fits_kind,
    show_threshold,
)


def test_logistic_fit_learns_which_feature_tells():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 3))
    y = (x[:, 1] + 0.1 * rng.normal(size=600) > 0).astype(float)
    weights, bias = fit_logistic(x, y)
    assert abs(weights[1]) > 5 * max(abs(weights[0]), abs(weights[2]))
    arbiter = Arbiter(list(weights), bias, show_at=0.5, refuse_at=0.1)
    predicted = np.array([arbiter.probability(tuple(row)) >= 0.5 for row in x])
    assert (predicted == y.astype(bool)).mean() > 0.95


def test_the_threshold_shows_what_is_worth_showing():
    rng = np.random.default_rng(3)
    p = rng.random(40_000)  # an arbiter's probabilities, right as often as they say
    right = rng.random(40_000) < p
    for wrong_cost in (2.0, 0.5):
        grid = np.linspace(0.05, 0.95, 19)
        worth = [(right[p >= t]).sum() - wrong_cost * (~right[p >= t]).sum() for t in grid]
        assert abs(grid[int(np.argmax(worth))] - show_threshold(wrong_cost)) <= 0.05
    assert show_threshold(2.0) == 2 / 3  # shown where right at least two times in three


def test_the_arbiter_survives_a_save(tmp_path):
    features = candidate_features(kind="who", margin=3.0, probability=0.8, null_probability=0.01, support=1.0,
                                  rank=0, retrieval_share=1.0, evidence=0.8, text="Maria Okonkwo")
    arbiter = Arbiter([0.1] * len(features), -0.2, show_at=0.6, refuse_at=0.2, figures={"n": 1})
    arbiter.save(tmp_path / "arbitration.json")
    again = Arbiter.load(tmp_path / "arbitration.json")
    assert again == arbiter
    assert again.probability(features) == pytest.approx(arbiter.probability(features))
    with pytest.raises(ValueError, match="features"):
        arbiter.probability(features[:-1])


def test_the_best_candidate_wins():
    from index.answering.reader.arbitration import Candidate

    weak = candidate_features(kind="who", margin=-2.0, probability=0.1, null_probability=0.7, support=1 / 3,
                              rank=2, retrieval_share=0.5, evidence=0.2, text="he")
    strong = candidate_features(kind="who", margin=6.0, probability=0.9, null_probability=0.01, support=1 / 3,
                                rank=0, retrieval_share=1.0, evidence=0.9, text="Maria Okonkwo")
    weights = [1.0 if i == 0 else 0.0 for i in range(len(weak))]
    arbiter = Arbiter(weights, 0.0, show_at=0.5, refuse_at=0.1)
    best, p = arbiter.best([Candidate(1, 0, 2, weak), Candidate(0, 0, 13, strong)])
    assert best.passage == 0 and p > 0.99
    assert arbiter.best([]) == (None, 0.0)


@pytest.mark.parametrize("kind, text, fits", [
    ("how_many", "38", True), ("how_many", "forty workers", True), ("how_many", "Ottilie Brann", False),
    ("when", "in March 1871", True), ("when", "1871", True), ("when", "the baker", False),
    ("who", "Ottilie Brann", True), ("who", "he", False), ("who", "a baker from Lubeck", False),
    ("who_said", "She", False), ("where", "Vessmark", True), ("where", "the old harbour", False),
    ("what", "rye bread", True), ("why", "because of the storm", True),
])
def test_a_span_fits_the_kind_of_answer_asked_for(kind, text, fits):
    assert fits_kind(kind, text) is fits


def test_the_shipped_arbiter_weighs_every_feature_the_engine_gives():
    from index.answering.reader import SHIPPED
    from index.answering.reader.arbitration import ARBITER_FILE

    features = candidate_features(kind="who", margin=1.0, probability=0.4, null_probability=0.1, support=2 / 3,
                                  rank=1, retrieval_share=0.7, evidence=0.5, text="Ottilie Brann")
    arbiter = Arbiter.load(SHIPPED / ARBITER_FILE)
    assert len(arbiter.weights) == len(features)
    assert 0.0 < arbiter.probability(features) < 1.0


def test_cross_validation_finds_a_telling_feature_on_unseen_articles():
    from index.training.calibration import Observed, cross_validate

    rng = np.random.default_rng(3)
    observed = []
    for i in range(300):
        x = rng.normal()
        observed.append(Observed(False, True, [(x, rng.normal())], [bool(x > 0)], f"article {i % 6}"))
    figures = cross_validate(observed, wrong_cost=2.0, answerable_refused=0.04, folds=3)
    assert (figures["articles"], figures["folds"]) == (6, 3)
    assert figures["auc_right"] > 0.95 and figures["shown_right"] > 0.9
    with pytest.raises(ValueError, match="two articles"):
        cross_validate([Observed(False, True, [(1.0,)], [True], "one")], 2.0, 0.04)


def test_the_engine_tells_the_arbiter_a_question_asks_for_someones_words():
    from index.answering.reader.arbitration import KINDS
    from index.evaluation.corpora import text_article
    from index.settings import IndexSettings

    text = ("Harbour master Odile Brenn spoke at the quay on Monday.\n\n"
            '"The breakwater will hold through the winter," Brenn said, after the storm had passed.\n\n'
            "The quay was rebuilt in 1987 with granite from the northern quarry.")
    loaded = text_article("made-up harbour", text, IndexSettings(reader_passages=3))

    def kind_of(question):
        prepared = loaded.prepare(question)
        [first, *_] = loaded.candidates(prepared)
        indicators = first.features[-len(KINDS):]
        return KINDS[indicators.index(1.0)]

    assert kind_of("What did Odile Brenn say about the breakwater?") == "what_said"
    assert kind_of("What was the quay rebuilt with?") == "what"
