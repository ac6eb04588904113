"""A fine-tuning run saved and resumed goes on exactly as the run that was never stopped; a
checkpoint of another run, or one that cannot be read, is refused naming it. Tiny encoder;
skipped without the train extra."""
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from index.training.checkpoints import CheckpointError, Checkpoints  # noqa: E402
from index.training.examples import Example  # noqa: E402
from index.training.finetune import TrainConfig, fine_tune  # noqa: E402

CONTEXT = "The Kestrel Bridge in Norrholm was opened by Mayor Ilse Varga in 1932 after three summers."
QUESTIONS = [("Who opened the bridge?", "Mayor Ilse Varga"), ("When was it opened?", "1932"),
             ("Where is the Kestrel Bridge?", "Norrholm"), ("How long did it take?", "three summers")]
EXAMPLES = [Example(f"q{i}", "Made-up", q, CONTEXT, ((a, CONTEXT.index(a)),)) for i, (q, a) in enumerate(QUESTIONS)]


def _config(tiny_base, **values):
    return TrainConfig(base_model=tiny_base, epochs=3, batch_size=2, max_length=64, stride=16,
                       threads=1, bf16=False, **values)


def _weights(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_a_resumed_run_takes_the_same_steps_as_an_uninterrupted_one(tiny_base, tmp_path):
    whole, _ = fine_tune(_config(tiny_base), EXAMPLES, log=lambda *_: None)
    checkpoints = Checkpoints(tmp_path / "run", every=2)
    fine_tune(_config(tiny_base), EXAMPLES, log=lambda *_: None, checkpoints=checkpoints, stop_after=3)
    assert torch.load(checkpoints.path, weights_only=False)["step"] == 3  # the last step is saved too
    logged = []
    resumed, _ = fine_tune(_config(tiny_base), EXAMPLES, log=logged.append,
                           checkpoints=Checkpoints(tmp_path / "run", every=2, required=True))
    assert "resumed at step 3" in logged[0]
    expected, got = _weights(whole), _weights(resumed)
    assert expected.keys() == got.keys()
    assert all(torch.allclose(expected[k], got[k], atol=1e-6) for k in expected)
    untrained, _ = fine_tune(_config(tiny_base), EXAMPLES, log=lambda *_: None, stop_after=1)
    assert not all(torch.allclose(expected[k], v, atol=1e-6) for k, v in _weights(untrained).items())


def test_a_checkpoint_of_other_data_or_settings_is_refused(tiny_base, tmp_path):
    fine_tune(_config(tiny_base), EXAMPLES, log=lambda *_: None,
              checkpoints=Checkpoints(tmp_path / "run"), stop_after=1)
    with pytest.raises(CheckpointError, match="of another run"):
        fine_tune(_config(tiny_base), EXAMPLES[:3], log=lambda *_: None, checkpoints=Checkpoints(tmp_path / "run"))
    with pytest.raises(CheckpointError, match="of another run"):
        fine_tune(_config(tiny_base, learning_rate=5e-5), EXAMPLES, log=lambda *_: None,
                  checkpoints=Checkpoints(tmp_path / "run"))


def test_a_missing_or_unreadable_checkpoint_is_named(tiny_base, tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint to resume from: .*checkpoint.pt"):
        fine_tune(_config(tiny_base), EXAMPLES, log=lambda *_: None,
                  checkpoints=Checkpoints(tmp_path / "none", required=True))
    broken = Checkpoints(tmp_path / "broken")
    broken.folder.mkdir()
    broken.path.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="cannot be read: .*broken"):
        fine_tune(_config(tiny_base), EXAMPLES, log=lambda *_: None, checkpoints=broken)
