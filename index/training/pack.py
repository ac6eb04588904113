"""A training pack: what `train-reader` trains on, small enough to travel to a GPU machine.

`python -m index train-reader --pack DIR` derives the training examples here (SQuAD, PolNeAR,
the retrieved negatives, the split by article) and writes them to DIR with the base encoder:
examples.jsonl.gz, provenance.json and base/. The base weights are rounded to int8 per row,
because the device tool carries at most 64 MiB with the repository and the fp32 weights alone
are 88 MB; the rounding moves a weight by at most 1/254 of its row's largest, far less than
fine-tuning moves it.

The GPU machine has PyTorch but not this project's other dependencies, so this module needs
neither the settings nor the store: `python3 -m index.training.pack train DIR OUTPUT
--parts PARTS` trains from the pack, writes the model folder `train-reader` writes and the same
in parts small enough to come back; `python -m index.training.pack join PARTS MODEL`
puts them together here. The model card gives the commands.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from index.training.examples import Example
from index.answering.reader.model import MODEL_FILE

EXAMPLES = "examples.jsonl.gz"
PROVENANCE = "provenance.json"
BASE = "base"
WEIGHTS = "weights.npz"
WEIGHTS_FILE = "model.safetensors"
PART_BYTES = 15 * 2**20  # the device tool brings back files of up to 16 MiB
BASE_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def write(folder: Path, examples: list[Example], provenance: dict, base_model: Path) -> None:
    """The pack in `folder` (made anew)."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / BASE).mkdir(parents=True)
    with gzip.open(folder / EXAMPLES, "wt", encoding="utf-8") as out:
        for example in examples:
            out.write(json.dumps(asdict(example)) + "\n")
    (folder / PROVENANCE).write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    for name in BASE_FILES:
        if (base_model / name).exists():
            shutil.copy(base_model / name, folder / BASE / name)
    from safetensors.numpy import load_file

    np.savez_compressed(folder / BASE / WEIGHTS, **rounded(load_file(str(base_model / WEIGHTS_FILE))))


def read_examples(folder: Path) -> list[Example]:
    with gzip.open(folder / EXAMPLES, "rt", encoding="utf-8") as lines:
        examples = [Example(**json.loads(line)) for line in lines]
    return [replace(e, answers=tuple(tuple(a) for a in e.answers)) for e in examples]


def rounded(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each matrix as int8 with one scale per row; vectors (biases, norms) as they are."""
    out = {}
    for name, w in weights.items():
        w = w.astype(np.float32)
        if w.ndim < 2:
            out[name] = w
            continue
        scale = np.abs(w).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        out[f"{name}::int8"] = np.round(w / scale).astype(np.int8)
        out[f"{name}::scale"] = scale.astype(np.float32)
    return out


def restored(packed: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = {}
    for key, value in packed.items():
        if key.endswith("::scale"):
            continue
        if key.endswith("::int8"):
            name = key.removesuffix("::int8")
            out[name] = value.astype(np.float32) * packed[f"{name}::scale"]
        else:
            out[key] = value
    return out


def unpacked_base(folder: Path, into: Path) -> Path:
    """The pack's base encoder as a model folder transformers loads."""
    from safetensors.numpy import save_file

    into.mkdir(parents=True, exist_ok=True)
    for path in (folder / BASE).iterdir():
        if path.name != WEIGHTS:
            shutil.copy(path, into / path.name)
    with np.load(folder / BASE / WEIGHTS) as packed:
        save_file(restored(dict(packed)), str(into / WEIGHTS_FILE), metadata={"format": "pt"})
    return into


def train_from(folder: Path, output: Path, epochs: float | None = None, batch_size: int | None = None,
               learning_rate: float | None = None) -> dict:
    """Train on the pack as `train-reader` would have; returns what training.json records."""
    from index.training import finetune

    provenance = json.loads((folder / PROVENANCE).read_text(encoding="utf-8"))
    examples = read_examples(folder)
    with tempfile.TemporaryDirectory() as scratch:
        base = unpacked_base(folder, Path(scratch) / "base")
        config = finetune.TrainConfig.given(base, epochs=epochs, batch_size=batch_size, learning_rate=learning_rate)
        record = finetune.train(config, examples, output, provenance,
                                base_name=f"{provenance['packed_base']}, rounded to int8 per row in a pack")
    return record


def split_model(model: Path, parts: Path) -> None:
    """The model folder as files the device tool brings back (16 MiB each at most)."""
    parts.mkdir(parents=True, exist_ok=True)
    for path in model.iterdir():
        if path.name != MODEL_FILE:
            shutil.copy(path, parts / path.name)
    data = (model / MODEL_FILE).read_bytes()
    for number, start in enumerate(range(0, len(data), PART_BYTES)):
        (parts / f"{MODEL_FILE}.part{number:02d}").write_bytes(data[start:start + PART_BYTES])


def join_model(parts: Path, output: Path) -> None:
    """The model folder again, published over `output` (its stale calibration goes)."""
    from index.training.finetune import fresh_staging, publish

    pieces = sorted(parts.glob(f"{MODEL_FILE}.part*"))
    if not pieces:
        raise SystemExit(f"no {MODEL_FILE}.part* in {parts}")
    staging = fresh_staging(output)
    with open(staging / MODEL_FILE, "wb") as out:
        for piece in pieces:
            out.write(piece.read_bytes())
    for path in parts.iterdir():
        if not path.name.startswith(MODEL_FILE):
            shutil.copy(path, staging / path.name)
    publish(staging, output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.training.pack",
                                     description="train the reader from a training pack (see model/CARD.md)")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train from PACK into OUTPUT")
    train.add_argument("pack", type=Path)
    train.add_argument("output", type=Path)
    train.add_argument("--epochs", type=float)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--learning-rate", type=float)
    train.add_argument("--parts", type=Path, metavar="DIR", help="also write the model in parts to DIR")
    join = commands.add_parser("join", help="publish a model brought back in parts into OUTPUT")
    join.add_argument("parts", type=Path)
    join.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    if args.command == "join":
        join_model(args.parts, args.output)
        print(f"joined {args.parts} into {args.output}; now run `python -m index calibrate-reader`")
        return 0
    record = train_from(args.pack, args.output, args.epochs, args.batch_size, args.learning_rate)
    if args.parts:
        split_model(args.output, args.parts)
    print(f"trained on {record['examples']} examples in {record['minutes']} min: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
