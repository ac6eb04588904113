"""A shipped reader's int8 ONNX weights back into a PyTorch model folder, to train on from there.

Training from the base encoder takes hours on two cores; going on from the reader already
shipped takes the new data to it in a fraction of that. The int8 file holds every weight:
each linear layer's as a MatMulInteger input (the layer named by the node's output, its matrix
transposed), the embeddings' by name; the rest (biases, LayerNorm) are float already.

`python -m index.training.dequantize MODEL_DIR OUTPUT_DIR` (the train extra): OUTPUT_DIR holds
the base encoder's config and tokenizer with the reader's weights, for `train-reader
--base-model OUTPUT_DIR`.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

from index.answering.reader.model import MODEL_FILE

WEIGHTS_FILE = "model.safetensors"
QUANTIZED = "_quantized"


def dequantized(model_file: Path) -> dict[str, np.ndarray]:
    """The model's weights as float32 arrays under the names PyTorch gives them."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(model_file)).graph
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    out = {name: value.astype(np.float32) for name, value in values.items()
           if value.dtype == np.float32 and value.ndim and not name.endswith("_scale")}
    for name in values:
        if name.endswith(QUANTIZED) and not name.startswith("onnx::"):  # embeddings, by name
            out[name[:-len(QUANTIZED)]] = _float(values, name[:-len(QUANTIZED)])
    for node in graph.node:
        if node.op_type == "MatMulInteger":
            layer = node.output[0].strip("/").rsplit("/", 1)[0].replace("/", ".")
            out[f"{layer}.weight"] = _float(values, node.input[1][:-len(QUANTIZED)]).T.copy()
    return out


def _float(values: dict[str, np.ndarray], stem: str) -> np.ndarray:
    q = values[stem + QUANTIZED].astype(np.float32)
    zero = values[stem + "_zero_point"].astype(np.float32)
    scale = values[stem + "_scale"].astype(np.float32)
    if scale.ndim:  # one scale per output channel
        shape = [1] * q.ndim
        shape[1 if q.shape[1] == scale.shape[0] else 0] = -1
        scale, zero = scale.reshape(shape), zero.reshape(shape)
    return (q - zero) * scale


def write(model_dir: Path, base: Path, output: Path) -> Path:
    """OUTPUT: the base encoder's files with the reader's weights in place of its own."""
    from safetensors.numpy import save_file

    output.mkdir(parents=True, exist_ok=True)
    for path in Path(base).iterdir():
        if path.is_file() and not path.name.endswith((".safetensors", ".bin", ".onnx")):
            shutil.copy(path, output / path.name)
    save_file(dequantized(Path(model_dir) / MODEL_FILE), str(output / WEIGHTS_FILE), metadata={"format": "pt"})
    return output


if __name__ == "__main__":
    from index.training.finetune import default_base_model

    print(write(Path(sys.argv[1]), default_base_model(), Path(sys.argv[2])))
