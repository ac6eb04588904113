"""An onnxruntime session on the CPU, as the reader and the sentence embedder both run one."""
from __future__ import annotations

from pathlib import Path


def cpu_session(model_path: Path, threads: int, error: type[Exception], what: str):
    """The model's session, or `error` naming the file when it cannot be loaded."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise error(f"{what} cannot be loaded: {model_path} ({exc})") from None
