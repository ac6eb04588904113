import subprocess
import sys

import pytest

from index.retrieval import rarity
from index.retrieval.postings import zipf_weight
from index.store.sqlite import SQLiteStore
from tests.index.conftest import ARTICLE, ROOT


def weights_of(forms, weight=2.0):
    return {t: zipf_weight(z, weight) for t, z in rarity.commonest_zipf(forms).items()}


def test_a_word_common_in_english_gets_no_boost_and_an_unknown_one_the_most():
    weights = weights_of({"peopl": {"people"}, "gunmen": {"gunmen"}, "zorblax": {"zorblax"}})
    assert weights["peopl"] == 1.0
    assert 1.0 < weights["gunmen"] < weights["zorblax"] == pytest.approx(3.0)


def test_a_term_weighs_as_its_commonest_form():
    alone = weights_of({"kill": {"killings"}})["kill"]
    with_kill = weights_of({"kill": {"killings", "kill"}})["kill"]
    assert with_kill < alone


def test_weight_zero_or_a_term_the_content_lacks_counts_once():
    assert weights_of({"gunmen": {"gunmen"}}, weight=0) == {"gunmen": 1.0}
    assert zipf_weight(None, 2.0) == 1.0


def test_frequencies_are_kept_in_the_store_and_read_back(tmp_path):
    store = SQLiteStore(tmp_path / "index.sqlite3")
    store.save_word_frequencies({})  # creates the file
    first = rarity.zipf_frequencies({"people", "gunmen"}, store)
    assert first["people"] > first["gunmen"] > 0
    assert store.word_frequencies(["gunmen", "people"]) == first
    store.save_word_frequencies({"gunmen": 1.0})  # kept values win over a fresh look-up
    assert rarity.zipf_frequencies({"gunmen"}, store) == {"gunmen": first["gunmen"]}


def test_a_built_index_answers_without_loading_wordfreq(tmp_path):
    """The cold start: frequencies kept at build time, so a question never imports wordfreq."""
    index = tmp_path / "index.sqlite3"
    subprocess.run([sys.executable, "-m", "index", "build", str(ARTICLE), "--index", str(index)],
                   cwd=ROOT, check=True, capture_output=True)
    probe = ("import sys; from index.engine import Engine; from index.settings import IndexSettings; "
             f"e = Engine.from_settings(IndexSettings(index_path={str(index)!r})); "
             "answer = e.ask('How many people died?').answer; print('wordfreq' in sys.modules, answer)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    loaded, answer = out.strip().split(" ", 1)
    assert loaded == "False" and answer.startswith("128")
