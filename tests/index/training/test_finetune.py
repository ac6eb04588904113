"""`python -m index train-reader` and `calibrate-reader` end to end, on a tiny encoder made here
and made-up articles, as subprocesses. Skipped without the train extra."""
import json
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("onnx")

from index.answering.reader import Reader, load_reader  # noqa: E402
from index.training import examples  # noqa: E402
from index.training.negatives import retrieved_negatives  # noqa: E402
from tests.index.conftest import ROOT  # noqa: E402

PARAGRAPHS = [
    ("The Kestrel Bridge in Norrholm was opened by Mayor Ilse Varga in 1932.",
     [("Who opened the Kestrel Bridge?", "Mayor Ilse Varga"), ("When was the bridge opened?", "1932")]),
    ("Forty workers built the bridge from local granite over three summers.",
     [("What was the bridge built from?", "local granite"), ("How many workers built it?", "Forty")]),
]


def _titles(split: str, count: int) -> list[str]:
    found, i = [], 0
    while len(found) < count:
        title = f"Made-up article {i}"
        if examples.split_of(title) == split:
            found.append(title)
        i += 1
    return found


def _squad(path, titles, impossible=False):
    data = []
    for title in titles:
        paragraphs = []
        for context, qas in PARAGRAPHS:
            items = [{"id": f"{title}{q}", "question": q,
                      "answers": [{"text": a, "answer_start": context.index(a)}]} for q, a in qas]
            if impossible:
                items.append({"id": f"{title}-none", "question": "Who painted the bridge?", "answers": [],
                              "is_impossible": True})
            paragraphs.append({"context": context, "qas": items})
        data.append({"title": title, "paragraphs": paragraphs})
    path.write_text(json.dumps({"data": data}), encoding="utf-8")
    return path


def _run(*args):
    return subprocess.run([sys.executable, "-m", "index", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_base):
    work = tmp_path_factory.mktemp("train")
    train_file = _squad(work / "train.json", _titles("train", 3))
    out = work / "model"
    done = _run("train-reader", "--base-model", str(tiny_base), "--squad", str(train_file),
                "--polnear", "none", "--output", str(out), "--epochs", "2", "--batch-size", "4")
    assert done.returncode == 0, done.stderr
    return work, out, train_file


def test_training_writes_a_model_the_runtime_loads(trained):
    _, out, train_file = trained
    record = json.loads((out / "training.json").read_text())
    assert record["data"] == {str(train_file): examples.file_hash(train_file)}
    negatives = retrieved_negatives(examples.squad_examples(train_file))
    assert record["negatives"] == len(negatives) > 0  # each question's other paragraph, for some
    assert record["examples"] == 12 + len(negatives)
    reader = Reader(out)
    context = "The Kestrel Bridge in Norrholm was opened by Mayor Ilse Varga in 1932."
    [span] = reader.run("Who opened the Kestrel Bridge?", [context])
    assert 0 <= span.start < span.end <= len(context)  # a tiny model's answer, but a real slice


def test_calibration_writes_the_arbiter(trained):
    work, out, _ = trained
    dev_file = _squad(work / "dev.json", _titles("dev", 2), impossible=True)
    done = _run("calibrate-reader", "--model", str(out), "--squad", str(dev_file), "--polnear", "none")
    assert done.returncode == 0, done.stderr
    reader, arbiter = load_reader(out)
    assert 0.0 <= arbiter.refuse_at <= 1.0 and 0.0 <= arbiter.show_at <= 1.0
    assert arbiter.figures["questions"] == 6  # the first development article only: the other measures


def test_cross_validation_measures_by_article_and_writes_nothing(trained, tmp_path):
    work, out, _ = trained
    model = tmp_path / "model"
    shutil.copytree(out, model)
    (model / "arbitration.json").unlink(missing_ok=True)
    dev_file = _squad(work / "dev4.json", _titles("dev", 4), impossible=True)  # two calibrate
    done = _run("calibrate-reader", "--model", str(model), "--squad", str(dev_file), "--polnear", "none",
                "--cross-validate", "5")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout[done.stdout.index("{"):])
    assert (figures["questions"], figures["articles"], figures["folds"]) == (12, 2, 2)
    assert 0.0 <= figures["answerable_refused"] <= 1.0 and 0.0 <= figures["unanswerable_refused"] <= 1.0
    assert not (model / "arbitration.json").exists()


def test_the_evaluation_articles_cannot_be_trained_on(tmp_path, tiny_base):
    reserved = _squad(tmp_path / "reserved.json", ["Super_Bowl_50"])
    done = _run("train-reader", "--base-model", str(tiny_base), "--squad", str(reserved),
                "--polnear", "none", "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Super_Bowl_50" in done.stderr and not (tmp_path / "out").exists()


def test_missing_training_data_is_named(tmp_path):
    done = _run("train-reader", "--squad", str(tmp_path / "absent.json"), "--output", str(tmp_path / "out"))
    assert done.returncode == 2 and "absent.json" in done.stderr


def test_a_new_model_replaces_the_files_it_brings_and_drops_the_stale_calibration(tmp_path):
    from index.training.finetune import publish

    output, staging = tmp_path / "model", tmp_path / "model.new"
    output.mkdir()
    staging.mkdir()
    for name, text in [("model.onnx", "old"), ("arbitration.json", "{}"), ("CARD.md", "card")]:
        (output / name).write_text(text)
    (staging / "model.onnx").write_text("new")
    publish(staging, output)
    assert (output / "model.onnx").read_text() == "new"
    assert (output / "CARD.md").read_text() == "card"
    assert not (output / "arbitration.json").exists() and not staging.exists()


def test_a_pack_trains_elsewhere_without_the_engines_other_dependencies(tmp_path, tiny_base):
    train_file = _squad(tmp_path / "train.json", _titles("train", 3))
    pack = tmp_path / "pack"
    done = _run("train-reader", "--base-model", str(tiny_base), "--squad", str(train_file),
                "--polnear", "none", "--pack", str(pack))
    assert done.returncode == 0, done.stderr
    negatives = retrieved_negatives(examples.squad_examples(train_file))
    out = tmp_path / "model"
    # What the GPU machine runs; it has PyTorch and onnxruntime but not the settings, the store or discord.
    script = ("import runpy, sys; sys.argv = ['pack', *sys.argv[1:]]\n"
              "try:\n    runpy.run_module('index.training.pack', run_name='__main__')\n"
              "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
              "extra = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pydantic_settings', "
              "'rank_bm25', 'discord', 'psycopg'})\n"
              "assert not extra, extra\n")
    parts, joined = tmp_path / "parts", tmp_path / "joined"
    done = subprocess.run([sys.executable, "-c", script, "train", str(pack), str(out), "--epochs", "1",
                           "--batch-size", "4", "--parts", str(parts)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert all(p.stat().st_size <= 16 * 2**20 for p in parts.iterdir())
    done = subprocess.run([sys.executable, "-m", "index.training.pack", "join", str(parts), str(joined)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (joined / "model.onnx").read_bytes() == (out / "model.onnx").read_bytes()
    record = json.loads((out / "training.json").read_text())
    assert record["examples"] == 12 + len(negatives) and record["negatives"] == len(negatives)
    assert record["data"] == {str(train_file): examples.file_hash(train_file)}
    assert record["config"]["base_model"].startswith(str(tiny_base))  # the packed base, not a scratch folder
    context = "Forty workers built the bridge from local granite over three summers."
    [span] = Reader(joined).run("What was the bridge built from?", [context])
    assert 0 <= span.start < span.end <= len(context)


SPEAKERS = ("Anna Berg", "Tomas Lind", "Carla Moe")


def _polnear_article(root, name):
    """A made-up PolNeAR article in which three people say something, each in a paragraph."""
    said = [f'{who} said that the harbour wall number {i} will stand through the winter storms.'
            for i, who in enumerate(SPEAKERS, 1)]
    text = "\n\n".join(said)
    lines = []
    for i, (who, sentence) in enumerate(zip(SPEAKERS, said)):
        at = text.index(sentence)
        content = sentence[sentence.index("the harbour"):-1]
        spans = [("Source", at, who), ("Cue", at + len(who) + 1, "said"),
                 ("Content", at + sentence.index(content), content)]
        for k, (label, start, words) in enumerate(spans):
            lines.append(f"T{4 * i + k + 1}\t{label} {start} {start + len(words)}\t{words}")
        lines.append(f"E{i + 1}\tAttribution:T{4 * i + 4} Content:T{4 * i + 3} Cue:T{4 * i + 2} Source:T{4 * i + 1}")
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / f"{name}_ab12.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_who_said_questions_taken_from_one_article_are_capped_as_asked(tmp_path, tiny_base):
    from index.training.pack import PROVENANCE, read_examples

    name = next(n for n in (f"made-up_harbour-{i}" for i in range(100)) if examples.split_of(n) == "train")
    _polnear_article(tmp_path / "polnear", name)
    train_file = _squad(tmp_path / "train.json", _titles("train", 1))
    asked = {}
    for cap in (None, 1, 2):
        pack = tmp_path / f"pack{cap}"
        cap_args = ["--who-said-per-article", str(cap)] if cap else []
        done = _run("train-reader", "--base-model", str(tiny_base), "--squad", str(train_file),
                    "--polnear", str(tmp_path / "polnear"), "--pack", str(pack), *cap_args)
        assert done.returncode == 0, done.stderr
        who = [e for e in read_examples(pack) if e.id.endswith(":who")]
        asked[cap] = sorted(e.answers[0][0] for e in who)
        assert json.loads((pack / PROVENANCE).read_text())["who_said_per_article"] == (cap or examples.PER_ARTICLE)
    assert asked[None] == sorted(SPEAKERS)  # the default takes all three
    assert (len(asked[1]), len(asked[2])) == (1, 2)


def test_a_cap_below_one_is_refused_before_anything_is_read(tmp_path):
    done = _run("train-reader", "--who-said-per-article", "0", "--output", str(tmp_path / "out"))
    assert done.returncode == 2 and "--who-said-per-article: must be at least 1" in done.stderr
    assert not (tmp_path / "out").exists()


def test_packed_weights_are_int8_and_within_half_a_step_of_the_original():
    import numpy as np

    from index.training.pack import restored, rounded

    rng = np.random.default_rng(7)
    weights = {"matrix": rng.normal(size=(5, 40)).astype(np.float32), "bias": rng.normal(size=40).astype(np.float32),
               "zeros": np.zeros((2, 3), dtype=np.float32)}
    packed = rounded(weights)
    assert packed["matrix::int8"].dtype == np.int8 and packed["matrix::int8"].nbytes == 200
    back = restored(packed)
    step = np.abs(weights["matrix"]).max(axis=1, keepdims=True) / 127
    assert (np.abs(back["matrix"] - weights["matrix"]) <= step / 2 + 1e-7).all()
    assert (back["bias"] == weights["bias"]).all() and (back["zeros"] == 0).all()


def test_a_model_split_into_parts_joins_into_the_same_files(tmp_path, monkeypatch):
    from index.training import pack

    monkeypatch.setattr(pack, "PART_BYTES", 16)
    model, parts, output = tmp_path / "model", tmp_path / "parts", tmp_path / "output"
    model.mkdir()
    output.mkdir()
    (model / "model.onnx").write_bytes(bytes(range(40)))
    (model / "training.json").write_text("{}")
    (output / "arbitration.json").write_text("{}")  # the old model's calibration
    pack.split_model(model, parts)
    assert sorted(p.name for p in parts.iterdir()) == [
        "model.onnx.part00", "model.onnx.part01", "model.onnx.part02", "training.json"]
    pack.join_model(parts, output)
    assert (output / "model.onnx").read_bytes() == bytes(range(40))
    assert (output / "training.json").exists() and not (output / "arbitration.json").exists()


def test_a_share_that_is_no_fraction_is_refused_before_anything_is_read(tmp_path):
    for bad in ("squad=0", "squad=1.5", "squad", "=0.5", "squad=half"):
        done = _run("train-reader", "--share", bad, "--output", str(tmp_path / "out"))
        assert done.returncode == 2 and "give SOURCE=FRACTION" in done.stderr, bad
    assert not (tmp_path / "out").exists()
