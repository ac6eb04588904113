"""The arbiter: a logistic model over candidate features and the thresholds picked for it."""
import numpy as np
import pytest

from index.answering.reader.arbitration import (
    Arbiter,
    candidate_features,
    fit_logistic,
    pick_threshold,
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


def test_threshold_shows_what_is_worth_showing():
    p = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    right = np.array([1, 1, 1, 0, 1, 0, 0])
    assert pick_threshold(p, right, wrong_cost=2.0) == 0.8  # the fifth answer does not pay for the fourth
    assert pick_threshold(p, right, wrong_cost=0.5) == 0.6
    assert pick_threshold(p, np.zeros(7), wrong_cost=2.0) == 1.0  # nothing is ever right: show nothing


def test_the_arbiter_survives_a_save(tmp_path):
    features = candidate_features(kind="who", from_rules=False, margin=3.0, rank=0, retrieval_share=1.0,
                                  evidence=0.8, agrees=True, text="Maria Okonkwo")
    arbiter = Arbiter([0.1] * len(features), -0.2, show_at=0.6, refuse_at=0.2, figures={"n": 1})
    arbiter.save(tmp_path / "arbitration.json")
    again = Arbiter.load(tmp_path / "arbitration.json")
    assert again == arbiter
    assert again.probability(features) == pytest.approx(arbiter.probability(features))
    with pytest.raises(ValueError, match="features"):
        arbiter.probability(features[:-1])


def test_the_best_candidate_wins():
    from index.answering.reader.arbitration import Candidate

    weak = candidate_features(kind="who", from_rules=False, margin=-2.0, rank=2, retrieval_share=0.5,
                              evidence=0.2, agrees=False, text="he")
    strong = candidate_features(kind="who", from_rules=False, margin=6.0, rank=0, retrieval_share=1.0,
                                evidence=0.9, agrees=True, text="Maria Okonkwo")
    weights = [1.0 if i == 0 else 0.0 for i in range(len(weak))]
    arbiter = Arbiter(weights, 0.0, show_at=0.5, refuse_at=0.1)
    best, p = arbiter.best([Candidate(1, 0, 2, False, weak), Candidate(0, 0, 13, False, strong)])
    assert best.passage == 0 and p > 0.99
    assert arbiter.best([]) == (None, 0.0)
