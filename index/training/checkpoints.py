"""Checkpoints of a fine-tuning run, so that one run can span sessions (`train-reader --resume`).

A checkpoint is the model's and the optimiser's state, the learning-rate schedule's, the random
number generator's and the step, with a fingerprint of the settings and the examples: a run is
resumed only with the data and settings it began with. Each save replaces the last one whole
(written beside it, then renamed), so a run killed while saving resumes from the save before.
Checkpoints belong outside the work tree: a few hundred MB each.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

CHECKPOINT_FILE = "checkpoint.pt"
EVERY = 200  # steps between saves: about five minutes of a MiniLM run on two cores


class CheckpointError(ValueError):
    """A checkpoint that belongs to another run, or cannot be read; the message names it."""


def fingerprint(config, examples) -> str:
    """The settings and the examples a run trains on, as one hash."""
    digest = hashlib.sha256(json.dumps(asdict(config), default=str, sort_keys=True).encode("utf-8"))
    for e in examples:
        digest.update(f"\0{e.id}\0{e.question}\0{e.context}\0{e.answers}".encode("utf-8"))
    return digest.hexdigest()


class Checkpoints:
    def __init__(self, folder: Path, every: int = EVERY, required: bool = False):
        self.folder, self.every, self.required = Path(folder), every, required
        self._fingerprint = ""

    @property
    def path(self) -> Path:
        return self.folder / CHECKPOINT_FILE

    def resume(self, model, optimizer, schedule, config, examples) -> int:
        """The step the run goes on from (0 for a new run), with the states restored."""
        import torch

        self._fingerprint = fingerprint(config, examples)
        if not self.path.is_file():
            if self.required:
                raise CheckpointError(f"no checkpoint to resume from: {self.path}")
            return 0
        try:
            saved = torch.load(self.path, map_location="cpu", weights_only=False)
        except Exception as exc:
            raise CheckpointError(f"the checkpoint cannot be read: {self.path} ({exc})") from None
        if saved.get("fingerprint") != self._fingerprint:
            raise CheckpointError(f"the checkpoint {self.path} is of another run (other data or settings); "
                                  "resume with what it began with, or give another folder")
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        schedule.load_state_dict(saved["schedule"])
        torch.set_rng_state(saved["rng"])
        return int(saved["step"])

    def save(self, model, optimizer, schedule, step: int) -> None:
        import torch

        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        torch.save({"fingerprint": self._fingerprint, "step": step, "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
                    "rng": torch.get_rng_state()}, partial)
        os.replace(partial, self.path)
