"""Fit the arbiter on the development split, and pick where it shows and where it refuses.

Every development question is asked as the engine asks it (retrieval, the existing signals, the
reader over the top passages); each candidate is labelled right when its span matches a gold
answer (token F1 at least RIGHT_F1; for the questions written about development articles, as
`eval --news` judges: the span holds an accepted answer, in SHORT_ANSWER_WORDS words at most).
A logistic model learns which candidates are right. Then:
- `show_at` is the probability above which showing an answer is worth it, a right answer
  counting 1 and a wrong one -`wrong_cost` (a wrong answer in bold is worse than none: with
  2, an answer is shown where it is right at least two times in three);
- on the same questions, `refuse_at` is the highest probability below which refusing costs at
  most `answerable_refused` of the answerable questions (counting those the existing signals
  refuse already).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.answering.reader.arbitration import (
    ARBITER_FILE,
    Arbiter,
    fit_logistic,
    show_threshold,
)
from index.training.examples import (
    calibration_halves,
    polnear_examples,
    split_of,
)
from index.answering.reader.model import shared_reader
from index.evaluation.corpora import squad_article, text_article
from index.evaluation.questions import holds_answer, load_questions
from index.evaluation.squad import f1_score
from index.settings import IndexSettings

RIGHT_F1 = 0.5
SHORT_ANSWER_WORDS = 6  # a written question's span longer than this is a passage, not a short answer


@dataclass
class Observed:
    impossible: bool
    supported: bool
    features: list[tuple[float, ...]]
    right: list[bool]
    article: str = ""


def matches_derived(text: str, golds: list[str]) -> bool:
    """A derived question's span is right when it is near enough a gold answer, word for word."""
    return max(f1_score(text, g) for g in golds) >= RIGHT_F1


def matches_written(text: str, golds: list[str]) -> bool:
    """A written question's span is right as `eval --news` judges it (it holds an accepted
    answer), when it is short: written answers are the least that answers ("Harris" for "Adm.
    Harry B. Harris Jr."), so word overlap would call right answers wrong."""
    return holds_answer(text, golds) and len(text.split()) <= SHORT_ANSWER_WORDS


Judge = Callable[[str, list[str]], bool]


def _ask_all(loaded, items: list[tuple[str, list[str], Judge]], article: str) -> list[Observed]:
    out = []
    for question, golds, judge in items:
        prepared = loaded.prepare(question)
        candidates = loaded.candidates(prepared) if prepared.supported else []
        texts = [loaded.passages[c.passage].text[c.start:c.end] for c in candidates]
        right = [bool(golds) and judge(t, golds) for t in texts]
        out.append(Observed(not golds, prepared.supported, [c.features for c in candidates], right, article))
    return out


def observe(model: Path, squad_files: list[Path], polnear: Path | None, written: list[Path],
            settings: IndexSettings, log=print) -> list[Observed]:
    """Every development question asked, with its candidates' features and labels. `written`:
    files of questions written about development PolNeAR articles (`eval --news`'s format;
    no answers: out of scope)."""
    reader = (shared_reader(model), None)
    plain = settings.model_copy(update={"reader": False})
    observed = []
    for path in squad_files:
        articles = json.loads(path.read_text(encoding="utf-8"))["data"]
        calibrating, _ = calibration_halves([a["title"] for a in articles])
        for article in articles:
            if article["title"] not in calibrating:
                continue
            loaded = squad_article(article, plain, reader=reader)
            items = [(qa["question"], [] if qa.get("is_impossible") else [a["text"] for a in qa["answers"]],
                      matches_derived) for p in article["paragraphs"] for qa in p["qas"]]
            observed += _ask_all(loaded, items, article["title"])
            log(f"{article['title']}: {len(items)} questions")
    if polnear is not None:
        by_article: dict[str, list[tuple[str, list[str], Judge]]] = {}
        dev = {p.stem for p in (polnear / "text").glob("*.txt") if split_of(p.stem) == "dev"}
        for e in polnear_examples(polnear, dev):
            by_article.setdefault(e.article, []).append((e.question, [e.answers[0][0]], matches_derived))
        for path in written:
            for item in load_questions(path):
                if split_of(item["article"]) != "dev":
                    raise ValueError(f"{path}: {item['article']} is not a development article")
                by_article.setdefault(item["article"], []).append((item["q"], item["answers"], matches_written))
        for name, items in sorted(by_article.items()):
            text = (polnear / "text" / f"{name}.txt").read_text(encoding="utf-8")
            observed += _ask_all(text_article(name, text, plain, reader=reader), items, name)
        log(f"PolNeAR: {len(by_article)} articles, {sum(map(len, by_article.values()))} questions")
    return observed


def fit(observed: list[Observed], wrong_cost: float, answerable_refused: float) -> Arbiter:
    x = np.array([f for o in observed for f in o.features])
    y = np.array([r for o in observed for r in o.right], dtype=float)
    weights, bias = fit_logistic(x, y)
    arbiter = Arbiter(list(map(float, weights)), bias, show_at=show_threshold(wrong_cost), refuse_at=0.0)
    best_p, best_right = _best(arbiter, observed)
    supported = np.array([o.supported for o in observed])
    answerable = np.array([not o.impossible for o in observed])
    budget = answerable_refused * answerable.sum() - (answerable & ~supported).sum()
    pool = np.sort(best_p[answerable & supported])
    arbiter.refuse_at = float(pool[int(budget)]) if budget >= 1 and len(pool) else 0.0
    arbiter.figures = measure(arbiter, observed, best_p, best_right)
    return arbiter


def _best(arbiter: Arbiter, observed: list[Observed]) -> tuple[np.ndarray, np.ndarray]:
    """Per question: the best candidate's probability and whether it is right."""
    best_p, best_right = [], []
    for o in observed:
        scored = [(arbiter.probability(f), r) for f, r in zip(o.features, o.right)]
        p, right = max(scored, default=(0.0, False))
        best_p.append(p)
        best_right.append(right)
    return np.array(best_p), np.array(best_right)


def measure(arbiter: Arbiter, observed: list[Observed], best_p: np.ndarray, best_right: np.ndarray) -> dict:
    supported = np.array([o.supported for o in observed])
    answerable = np.array([not o.impossible for o in observed])
    shown, refused = _decided(supported, best_p, arbiter.show_at, arbiter.refuse_at)
    return {
        "questions": int(len(observed)), "answerable": int(answerable.sum()),
        **_outcome(shown, refused, best_right, answerable),
        "by_threshold": {f"{t:.2f}": _at(t, supported, best_p, best_right, answerable)
                         for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)},
    }


def _decided(supported: np.ndarray, best_p: np.ndarray, show_at: float,
             refuse_at: float) -> tuple[np.ndarray, np.ndarray]:
    """(shown, refused) per question, as LoadedVersion._decide decides."""
    shown = supported & (best_p >= show_at)
    return shown, ~supported | (~shown & (best_p < refuse_at))


def _outcome(shown: np.ndarray, refused: np.ndarray, right: np.ndarray, answerable: np.ndarray) -> dict:
    return {
        "shown_right": round(float(right[shown].mean()) if shown.any() else 0.0, 3),
        "answerable_right": round(float((shown & right)[answerable].mean()), 3),
        "answerable_refused": round(float(refused[answerable].mean()), 3),
        "unanswerable_refused": round(float(refused[~answerable].mean()), 3) if (~answerable).any() else None,
    }


def _at(threshold, supported, best_p, best_right, answerable) -> dict:
    shown = supported & (best_p >= threshold)
    return {"precision": round(float(best_right[shown].mean()) if shown.any() else 0.0, 3),
            "coverage": round(float((shown & best_right)[answerable].mean()), 3)}


def cross_validate(observed: list[Observed], wrong_cost: float, answerable_refused: float,
                   folds: int = 5) -> dict:
    """What calibration would measure on articles it did not see: the articles are dealt into
    `folds` groups; each group is measured by an arbiter fitted, with its thresholds, on the
    others. Returns the pooled figures and the AUC of right against wrong shown answers."""
    articles = sorted({o.article for o in observed})
    if len(articles) < 2:
        raise ValueError("cross-validation needs questions from two articles or more")
    group = {a: i % min(folds, len(articles)) for i, a in enumerate(articles)}
    best_p = np.zeros(len(observed))
    best_right, shown, refused = (np.zeros(len(observed), dtype=bool) for _ in range(3))
    for k in set(group.values()):
        held = [i for i, o in enumerate(observed) if group[o.article] == k]
        arbiter = fit([o for o in observed if group[o.article] != k], wrong_cost, answerable_refused)
        best_p[held], best_right[held] = _best(arbiter, [observed[i] for i in held])
        supported = np.array([observed[i].supported for i in held])
        shown[held], refused[held] = _decided(supported, best_p[held], arbiter.show_at, arbiter.refuse_at)
    answerable = np.array([not o.impossible for o in observed])
    return {
        "questions": len(observed), "articles": len(articles), "folds": len(set(group.values())),
        **_outcome(shown, refused, best_right, answerable),
        "auc_right": _auc(best_p[answerable], best_right[answerable]),
    }


def _auc(scores: np.ndarray, positive: np.ndarray) -> float | None:
    """The chance that a positive outscores a negative (ties count half)."""
    pos, neg = scores[positive], scores[~positive]
    if not len(pos) or not len(neg):
        return None
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return round(float(wins / (len(pos) * len(neg))), 3)


def calibrate(model: Path, observed: list[Observed], wrong_cost: float, answerable_refused: float) -> Arbiter:
    arbiter = fit(observed, wrong_cost, answerable_refused)
    arbiter.save(Path(model) / ARBITER_FILE)
    return arbiter
