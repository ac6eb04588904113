"""`python -m index eval --squad FILE`: retrieval inside one article, and short answers.

Each SQuAD article becomes one corpus whose passages are its paragraphs. For every question we
score whether the best passage is the gold paragraph (top-1, top-3, MRR) and the short answer
(exact match and token F1 with the usual SQuAD normalisation). Plain rank-bm25 over lowercase
word tokens is scored in the same run as the baseline row. On SQuAD v2.0 the refusals are
counted on unanswerable and on answerable questions.
"""
from __future__ import annotations

import json
import re
import string
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from rank_bm25 import BM25Okapi

from index.training.examples import calibration_halves
from index.evaluation.corpora import squad_article, squad_corpus
from index.retrieval.bm25 import Retriever
from index.settings import IndexSettings
from index.text.tokens import DEFAULT_TOKENIZER, Tokenizer, TokenizerOptions

WORD = re.compile(r"\w+")


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, no punctuation, no articles, single spaces."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def f1_score(prediction: str, gold: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(gold).split()
    common = Counter(pred) & Counter(ref)
    same = sum(common.values())
    if not pred or not ref:
        return float(pred == ref)
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


@dataclass
class Tally:
    """Sums over questions; figures are the means."""
    n: int = 0
    top1: float = 0.0
    top3: float = 0.0
    rr: float = 0.0
    em: float = 0.0
    f1: float = 0.0
    shown_right: int = 0  # an answer shown and an exact match
    shown_wrong: int = 0  # an answer shown and not an exact match
    by_kind: dict = field(default_factory=dict)
    by_article: dict = field(default_factory=dict)

    def add_rank(self, rank: int | None) -> None:
        self.n += 1
        self.top1 += rank == 1
        self.top3 += rank is not None and rank <= 3
        self.rr += 1 / rank if rank else 0.0

    def add_answer(self, kind: str, article: str, shown: bool, em: float, f1: float) -> None:
        self.em += em
        self.f1 += f1
        self.shown_right += shown and em == 1.0
        self.shown_wrong += shown and em < 1.0
        for table, key in ((self.by_kind, kind), (self.by_article, article)):
            total, count = table.get(key, (0.0, 0))
            table[key] = (total + em, count + 1)

    def figures(self) -> dict:
        n = max(1, self.n)
        out = {"questions": self.n, "top1": self.top1 / n, "top3": self.top3 / n, "mrr": self.rr / n}
        if self.by_kind:
            out.update(em=self.em / n, f1=self.f1 / n, right=self.shown_right / n,
                       wrong_shown=self.shown_wrong / n, no_answer=(n - self.shown_right - self.shown_wrong) / n,
                       em_by_kind={k: round(e / c, 3) for k, (e, c) in sorted(self.by_kind.items())},
                       em_by_article={k: round(e / c, 3) for k, (e, c) in sorted(self.by_article.items())})
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


@dataclass
class RefusalTally:
    unanswerable: int = 0
    unanswerable_refused: int = 0
    answerable: int = 0
    answerable_refused: int = 0

    def add(self, impossible: bool, refused: bool) -> None:
        if impossible:
            self.unanswerable += 1
            self.unanswerable_refused += refused
        else:
            self.answerable += 1
            self.answerable_refused += refused

    def figures(self) -> dict:
        refusals = self.unanswerable_refused + self.answerable_refused
        return {
            "refused_unanswerable": round(self.unanswerable_refused / max(1, self.unanswerable), 3),
            "refused_answerable": round(self.answerable_refused / max(1, self.answerable), 3),
            "refusals_that_are_right": round(self.unanswerable_refused / max(1, refusals), 3),
        }


def rank_of(ranked_paragraphs: list[int], gold: int) -> int | None:
    return ranked_paragraphs.index(gold) + 1 if gold in ranked_paragraphs else None


def baseline_ranking(paragraphs: list[str]):
    """Plain rank-bm25 (BM25Okapi) over lowercase word tokens: the README's baseline row."""
    bm25 = BM25Okapi([WORD.findall(p.lower()) for p in paragraphs])

    def rank(question: str) -> list[int]:
        scores = bm25.get_scores(WORD.findall(question.lower()))
        return [int(i) + 1 for i in np.argsort(-scores, kind="stable")[:10]]
    return rank


def evaluate(data: list[dict], settings: IndexSettings, answers: bool = True,
             tokenizer: Tokenizer | None = None, retrieval: dict | None = None) -> dict:
    """`tokenizer` and `retrieval` (Retriever options) replace the defaults, for the ablations."""
    ours, base, refusals = Tally(), Tally(), RefusalTally()
    for article in data:
        loaded = squad_article(article, settings)
        if tokenizer is not None or retrieval:
            # Ablations measure the lexical steps: without meaning, which would embed again.
            lexical = settings.model_copy(update={"semantic": False})
            loaded.retriever = Retriever.for_passages(loaded.passages, lexical,
                                                      tokenizer or DEFAULT_TOKENIZER, **(retrieval or {}))
        baseline = baseline_ranking([p["context"] for p in article["paragraphs"]])
        for number, paragraph in enumerate(article["paragraphs"], start=1):
            for qa in paragraph["qas"]:
                _score_question(loaded, baseline, qa, number, ours, base, refusals, answers, article["title"])
    result = {"verbatim": ours.figures(), "rank-bm25 baseline": base.figures()}
    if refusals.unanswerable:
        result["refusals"] = refusals.figures()
    return result


def _score_question(loaded, baseline, qa, gold, ours, base, refusals, answers, title) -> None:
    impossible = qa.get("is_impossible", False)
    if answers or impossible:
        result = loaded.ask(qa["question"], k=10)
        refusals.add(impossible, result.refused)
        if impossible:
            return
        ranked = [h.paragraph for h in result.passages]
        golds = [a["text"] for a in qa["answers"]]
        prediction = result.answer or ""
        em = max(float(normalize_answer(prediction) == normalize_answer(g)) for g in golds)
        f1 = max(f1_score(prediction, g) for g in golds)
        ours.add_answer(result.kind, title, result.answer is not None, em, f1)
    else:
        hits = loaded.retriever.search(qa["question"], k=10)
        ranked = [loaded.passages[h.index].paragraph for h in hits]
    ours.add_rank(rank_of(ranked, gold))
    base.add_rank(rank_of(baseline(qa["question"]), gold))


def evaluate_one_corpus(data: list[dict], settings: IndexSettings) -> dict:
    """Retrieval with every article as one corpus (SQuAD dev: 48 articles, 2,067 passages): the
    gold paragraph must be found among all of them, as in an archive; plain rank-bm25 beside it."""
    loaded = squad_corpus(data, settings)
    paragraphs = [p["context"] for a in data for p in a["paragraphs"]]
    baseline = baseline_ranking(paragraphs)
    ours, base = Tally(), Tally()
    gold = 0
    for article in data:
        for paragraph in article["paragraphs"]:
            gold += 1  # passages and the baseline's paragraphs are both numbered from 1 through the file
            for qa in paragraph["qas"]:
                ours.add_rank(rank_of([h.index + 1 for h in loaded.retriever.search(qa["question"], k=10)], gold))
                base.add_rank(rank_of(baseline(qa["question"]), gold))
    return {"verbatim": ours.figures(), "rank-bm25 baseline": base.figures(), "passages": len(loaded.passages)}


ABLATIONS = ("casefold", "stem", "stopwords", "numbers", "acronyms", "irregular", "accents")
# Retrieval steps, each switched off by one Retriever option.
RETRIEVAL_ABLATIONS = {"synonyms and near forms": {"expansion_weight": 0.0},
                       "bigrams": {"bigram_weight": 0.0},
                       "sentence fusion": {"sentence_weight": 0.0},
                       "coverage": {"coverage_weight": 0.0},
                       "name weight": {"name_weight": 1.0},
                       "English rarity": {"rarity_weight": 0.0}}


def main(args) -> int:
    from index.settings import load_settings

    data = json.loads(args.file.read_text(encoding="utf-8"))["data"]
    if args.held_out:  # SQuAD v2: only the development articles the arbiter was not calibrated on
        _, measured = calibration_halves([a["title"] for a in data])
        data = [a for a in data if a["title"] in measured]
    data = data[: args.limit]
    settings = load_settings(IndexSettings)
    started = time.perf_counter()
    if args.one_corpus:
        figures = evaluate_one_corpus(data, settings)
        figures["seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(figures) if args.json else json.dumps(figures, indent=2))
        return 0
    results = {"full": evaluate(data, settings)}
    if settings.reader:  # the baseline: the same engine answering by its hand-written rules
        results["rules"] = evaluate(data, settings.model_copy(update={"reader": False}))["verbatim"]
    if args.ablate:
        # The first row reorders by the short answer; the ablations compare with retrieval alone.
        results["retrieval alone"] = evaluate(data, settings, answers=False)["verbatim"]
        for step in ABLATIONS:
            off = Tokenizer(TokenizerOptions(**{step: False}))
            results[f"without {step}"] = evaluate(data, settings, answers=False, tokenizer=off)["verbatim"]
        for step, off in RETRIEVAL_ABLATIONS.items():
            results[f"without {step}"] = evaluate(data, settings, answers=False, retrieval=off)["verbatim"]
    results["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(results))
    else:
        _print_table(results)
    return 0


def _print_table(results: dict) -> None:
    full = results["full"]
    columns = ("top1", "top3", "mrr", "em", "f1", "right", "wrong_shown", "no_answer")
    print(f"{'setup':<32} " + " ".join(f"{c:>7}" for c in columns))
    rows = {"verbatim": full["verbatim"]}
    if "rules" in results:
        rows["rules, no reader (same run)"] = results["rules"]
    rows["rank-bm25 baseline"] = full["rank-bm25 baseline"]
    rows.update({k: v for k, v in results.items() if k.startswith(("without", "retrieval alone"))})
    for name, f in rows.items():
        print(f"{name:<32} " + " ".join(f"{f[c]:>7.3f}" if c in f else f"{'-':>7}" for c in columns))
    ours = full["verbatim"]
    print(f"questions: {ours['questions']}; EM by kind: {ours.get('em_by_kind')}")
    print(f"EM by article: {ours.get('em_by_article')}")
    if "refusals" in full:
        print("refusals:", json.dumps(full["refusals"]))
    print(f"seconds: {results['seconds']}")
