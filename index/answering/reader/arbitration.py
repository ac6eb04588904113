"""One decision over the candidate answers: which span, whether to show it, whether to refuse.

Each candidate (one of the reader's best spans in one of the top passages, or a short form
inside one) is described by a few
numbers; a logistic model, fitted on the development split by `python -m index calibrate-reader`,
turns them into the probability that the span is right.
The best candidate is shown when that probability reaches `show_at`; below `refuse_at` the
question is refused as something the content does not say. Both thresholds are picked on the
same held-out data; the model card gives the precision and coverage they trade.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from index.answering.extractors.dates import DATE
from index.answering.extractors.numbers import QUANTITY
from index.answering.questions import asks_what_was_said
from index.text.lexicon import PRONOUNS

ARBITER_FILE = "arbitration.json"
SPANS_PER_PASSAGE = 1  # the reader's best spans weighed in each passage read (3 measured worse)
# The question kinds the arbiter tells apart: the analyser's, with "what did X say?" apart from
# other "what" questions (someone's words, most often long, against a fact).
KINDS = ("who_said", "who", "how_many", "when", "where", "what", "what_said", "why")


def arbiter_kind(kind: str, question: str) -> str:
    """The question's kind as the arbiter weighs it (see KINDS)."""
    return "what_said" if kind == "what" and asks_what_was_said(question) else kind


@dataclass(frozen=True)
class Candidate:
    passage: int  # index into the corpus's passages
    start: int  # character offsets into that passage
    end: int
    features: tuple[float, ...]


def candidate_features(*, kind: str, margin: float, probability: float, null_probability: float,
                       support: float, rank: int, retrieval_share: float, evidence: float,
                       text: str, order: int = 0, short_form: bool = False) -> tuple[float, ...]:
    """The numbers the arbiter weighs about one of the reader's spans in one passage: `margin` is
    its score minus the passage's no-answer score; `probability` and `null_probability` the
    reader's softmax shares of the span and of "no answer" (comparable across passages, unlike
    the scores); `support` the share of the read passages with a span that reads the same;
    `order` the rank of the span (or of the span it is a short form of) in its passage."""
    return (
        margin, max(margin, 0.0) ** 0.5, probability, null_probability, support,
        1.0 / (1 + rank), retrieval_share, evidence, float(text.strip().lower() in PRONOUNS),
        math.log(1 + len(text.split())), float(fits_kind(kind, text)), 1.0 / (1 + order), float(short_form),
        *[float(kind == k) for k in KINDS],  # last: the kind's indicators
    )


def fits_kind(kind: str, text: str) -> bool:
    """Does the span have the shape the question asks for: a number for "how many", a date or
    a number for "when", a capitalised name for "who" and "where"? Other kinds fit anything."""
    text = text.strip()
    if kind == "how_many":
        return bool(QUANTITY.search(text)) or any(c.isdigit() for c in text)
    if kind == "when":
        return bool(DATE.search(text)) or any(c.isdigit() for c in text)
    if kind in ("who", "who_said", "where"):
        return bool(text) and text[0].isupper() and text.lower() not in PRONOUNS
    return True


@dataclass
class Arbiter:
    weights: list[float]
    bias: float
    show_at: float  # least probability of a shown answer
    refuse_at: float  # below this for every candidate, the content does not say
    figures: dict = field(default_factory=dict)  # what the calibration measured, for the card

    def probability(self, features: tuple[float, ...]) -> float:
        if len(features) != len(self.weights):
            raise ValueError(f"the arbiter expects {len(self.weights)} features, got {len(features)}")
        z = self.bias + float(np.dot(self.weights, features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def best(self, candidates: list[Candidate]) -> tuple[Candidate | None, float]:
        scored = [(self.probability(c.features), c) for c in candidates]
        if not scored:
            return None, 0.0
        p, best = max(scored, key=lambda pc: pc[0])
        return best, p

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Arbiter":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(**data)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 3000,
                 rate: float = 0.5) -> tuple[np.ndarray, float]:
    """Weights and bias by gradient descent on the mean log loss with an L2 penalty; the
    features are standardised while fitting and the weights mapped back."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    z = (x - mean) / std
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        grad = p - y
        w -= rate * (z.T @ grad / len(y) + l2 * w)
        b -= rate * grad.mean()
    weights = w / std
    return weights, float(b - np.dot(weights, mean))


def show_threshold(wrong_cost: float) -> float:
    """The least probability of being right at which an answer is worth showing, a right answer
    counting 1 and a wrong one -`wrong_cost` (a wrong answer in bold is worse than none):
    p - wrong_cost * (1 - p) >= 0. The arbiter's probabilities are fitted on the development
    split, so this is the decision they support; the best cut of the development questions'
    own curve moved with their noise (0.66 to 0.71 from one fold of articles to another)."""
    return wrong_cost / (1.0 + wrong_cost)
