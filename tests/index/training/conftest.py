"""A tiny encoder for the training tests: two layers, random weights, the real tokenizer."""
import shutil

import pytest


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory):
    """A two-layer BERT with random weights and the real tokenizer: trains in seconds."""
    transformers = pytest.importorskip("transformers")
    from index.training.finetune import default_base_model

    folder = tmp_path_factory.mktemp("tiny-base")
    real = default_base_model()
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        shutil.copy(real / name, folder / name)
    config = transformers.BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=64)
    transformers.BertModel(config).save_pretrained(folder)
    return folder
