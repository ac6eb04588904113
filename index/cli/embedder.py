"""`export-embedder`: export the sentence embedding model to int8 ONNX (needs the `train` extra)."""
from __future__ import annotations

from pathlib import Path

from index.errors import EngineError


def register(commands) -> None:
    export = commands.add_parser("export-embedder",
                                 help="export all-MiniLM-L6-v2 to int8 ONNX (pip install -e '.[train]')")
    export.add_argument("--output", type=Path, metavar="DIR",
                        help="where the model goes (default: the shipped one, index/retrieval/embedder)")
    export.add_argument("--sentences", type=Path, nargs="+", metavar="PATH",
                        help="files or folders whose sentences measure the int8 model against the fp32 one "
                             "(default: content)")
    export.set_defaults(run=run_export)


def run_export(args) -> int:
    try:
        from index.retrieval import exporting
    except ImportError as exc:
        raise EngineError(f"export-embedder needs the train extra: pip install -e '.[train]' ({exc})") from None
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise EngineError(f"export-embedder needs the train extra: pip install -e '.[train]' ({exc.name})") from None
    for path in args.sentences or []:
        if not path.exists():
            raise EngineError(f"{path}: no such file or folder")
    record = exporting.export_embedder(args.output or exporting.SHIPPED, args.sentences)
    print(f"kept {record['kept']}: {record['bytes'] / 1e6:.1f} MB, agreement {record['agreement'][record['kept']]}")
    return 0
