"""A reader's int8 file back into PyTorch weights: every parameter comes back, each within its
quantisation step, and the model it makes scores as the int8 file does. Tiny encoder; skipped
without the train extra."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("onnx")

from index.answering.reader.model import Reader  # noqa: E402
from index.training.dequantize import write  # noqa: E402
from index.training.finetune import export_onnx  # noqa: E402


def test_the_int8_weights_come_back_as_the_model_they_were(tiny_base, tmp_path):
    torch.manual_seed(5)
    model = transformers.AutoModelForQuestionAnswering.from_pretrained(tiny_base).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_base)
    export_onnx(model, tokenizer, tmp_path / "reader")
    back = transformers.AutoModelForQuestionAnswering.from_pretrained(write(tmp_path / "reader", tiny_base, tmp_path / "fp32"))
    original, restored = model.state_dict(), back.state_dict()
    learnt = {k for k in original if not k.endswith("position_ids")}
    assert learnt <= set(restored)
    for name in learnt:
        step = original[name].abs().max() / 127 + 1e-6
        assert (original[name] - restored[name]).abs().max() <= step, name  # within a step of int8
    reader = Reader(tmp_path / "reader")
    window = reader.tokenizer.windows("Who opened it?", "Mayor Ilse Varga opened the bridge in 1932.", 64, 16)[0]
    starts, _ = reader._logits([window])
    ids = torch.tensor([window.ids])
    with torch.no_grad():
        mine = back(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=torch.tensor([window.type_ids]))
    assert np.corrcoef(mine.start_logits[0].numpy(), starts[0])[0, 1] > 0.95
