"""`eval`: quality figures on question sets, SQuAD and news summaries."""
from __future__ import annotations

from pathlib import Path

from index.errors import EngineError


def register(commands) -> None:
    ev = commands.add_parser("eval", help="measure answer, retrieval or summary quality")
    ev.add_argument("file", type=Path, metavar="FILE",
                    help="questions (.jsonl, the article_dev format), or with --squad / --summaries")
    kind = ev.add_mutually_exclusive_group()
    kind.add_argument("--squad", action="store_true", help="FILE is a SQuAD v1.1 or v2.0 JSON file")
    kind.add_argument("--summaries", action="store_true", help="FILE is news stories with highlights")
    kind.add_argument("--followups", action="store_true",
                      help="FILE is follow-up questions with their spelled-out forms (eval/followups.jsonl)")
    kind.add_argument("--pairs", action="store_true",
                      help="FILE is pairs of questions, the same or not (eval/question_pairs.jsonl): how gaps group")
    kind.add_argument("--news", action="store_true",
                      help="FILE is questions over PolNeAR articles (eval/news_heldout.jsonl)")
    ev.add_argument("--held-out", action="store_true",
                    help="SQuAD v2: only the development articles the reader was not calibrated on")
    ev.add_argument("--polnear", type=Path, default=Path("../shared/train/polnear"), metavar="DIR",
                    help="with --news: the PolNeAR folder holding the articles (default: %(default)s)")
    ev.add_argument("--limit", type=int, metavar="N", help="only the first N articles or stories")
    ev.add_argument("--one-corpus", action="store_true",
                    help="SQuAD: every article in one corpus, retrieval only (as in an archive)")
    ev.add_argument("--ablate", action="store_true",
                    help="also score with each tokenizer step switched off (SQuAD)")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument("--index", metavar="PATH", help="for a question file: the store to ask")
    ev.add_argument("--corpus", metavar="NAME")
    ev.set_defaults(run=run_eval)


def run_eval(args) -> int:
    for path in (args.file, args.polnear if args.news else None):
        if path is not None and not path.exists():
            raise EngineError(f"{path}: no such file or folder. The evaluation data is not in the repository: "
                              "it is expected in ../shared/eval and ../shared/train (see README, Evaluation)")
    if args.squad:
        from index.evaluation import squad
        return squad.main(args)
    if args.news:
        from index.evaluation import news
        return news.main(args)
    if args.pairs:
        from index.evaluation import pairs
        return pairs.main(args)
    if args.followups:
        from index.evaluation import followups
        return followups.main(args)
    if args.summaries:
        from index.evaluation import summaries
        return summaries.main(args)
    from index.evaluation import questions
    return questions.main(args)
