"""The shipped reader: it loads, answers made-up passages, keeps answers verbatim whatever the
case of the question, and a missing or broken model file is named in a clear error."""
import shutil
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from index.answering.reader import SHIPPED, Reader, ReaderError, load_reader
from index.engine import Engine
from index.errors import ReaderUnavailableError
from index.settings import IndexSettings
from index.store.sqlite import SQLiteStore
from tests.index.conftest import ROOT

BAKERY = ("The Qwertly Bakery was founded in 1871 by Ottilie Brann, a baker from Lubeck. "
          "Today it employs 38 people and sells rye bread in the old harbour district of Vessmark.")
FERRY = "The night ferry to Olvund leaves at 22:40 and takes about six hours."


@pytest.fixture(scope="module")
def reader() -> Reader:
    return load_reader()[0]


@pytest.mark.parametrize("question, answer", [
    ("Who founded the Qwertly Bakery?", "Ottilie Brann"),
    ("When was the Qwertly Bakery founded?", "1871"),
    ("How many people does the bakery employ?", "38"),
])
def test_the_shipped_reader_answers_a_made_up_passage(reader, question, answer):
    spans = reader.run(question, [FERRY, BAKERY])
    best = max(filter(None, spans), key=lambda s: s.margin)
    assert best.context == 1
    assert BAKERY[best.start:best.end] == answer


def test_no_answer_scores_higher_on_a_passage_that_does_not_say(reader):
    [said, silent] = reader.run("Who founded the Qwertly Bakery?", [BAKERY, FERRY])
    assert said.margin > 0 > silent.margin
    assert said.probability > said.null_probability and silent.null_probability > silent.probability


def test_span_and_no_answer_shares_are_probabilities_of_one_window(reader):
    long_passage = " ".join([FERRY] * 60 + [BAKERY])  # several windows
    for span in filter(None, reader.run("When was the bakery founded?", [BAKERY, FERRY, long_passage])):
        assert 0.0 < span.probability <= 1.0 and 0.0 < span.null_probability <= 1.0
        assert span.probability + span.null_probability <= 1.0 + 1e-9


@pytest.fixture(scope="module")
def made_up_engine(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("made-up")
    (folder / "bakery.txt").write_text(f"The Qwertly Bakery\n\n{BAKERY}\n\n{FERRY}\n", encoding="utf-8")
    path = folder / "index.sqlite3"
    engine = Engine(SQLiteStore(path), settings=IndexSettings(index_path=path, content=[folder / "bakery.txt"]))
    engine.build()
    return engine


def test_the_engine_shows_the_readers_answer_from_its_first_passage(made_up_engine):
    result = made_up_engine.ask("Who founded the Qwertly Bakery?")
    assert result.answer == "Ottilie Brann" and not result.refused
    first = result.passages[0]
    assert first.text[first.answer_start:first.answer_end] == result.answer


# Questions the calibrated engine answers (a shown answer, not only passages), so that the
# variants below compare answers.
QUESTIONS = ["Who founded the Qwertly Bakery?", "How many people does the bakery employ?",
             "How long does the night ferry take?", "When was the Qwertly Bakery founded?"]


@given(question=st.sampled_from(QUESTIONS), flips=st.lists(st.booleans(), min_size=60, max_size=60))
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_answers_are_verbatim_slices_whatever_the_case(made_up_engine, question, flips):
    mixed = "".join(ch.upper() if flip else ch.lower() for ch, flip in zip(question, flips + [False] * 99))
    for asked in (mixed, question.lower(), question.upper()):
        result = made_up_engine.ask(asked)
        if result.answer is not None:
            first = result.passages[0]
            assert first.text[first.answer_start:first.answer_end] == result.answer


@pytest.mark.parametrize("question", QUESTIONS)
def test_one_case_questions_get_the_well_written_answer(made_up_engine, question):
    expected = made_up_engine.ask(question).answer
    assert expected is not None
    assert made_up_engine.ask(question.lower()).answer == expected
    assert made_up_engine.ask(question.upper()).answer == expected


@pytest.mark.parametrize("typed, meant", [
    ("Who fonded the Qwertly Bakery?", "Who founded the Qwertly Bakery?"),
    ("How many peopel does the bakery employ?", "How many people does the bakery employ?"),
    ("how long does the nigth ferry take?", "How long does the night ferry take?"),
])
def test_common_typos_get_the_well_written_answer(made_up_engine, typed, meant):
    expected = made_up_engine.ask(meant).answer
    assert expected is not None
    assert made_up_engine.ask(typed).answer == expected


def _copy_of_shipped(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def test_a_missing_model_file_is_named(tmp_path):
    folder = _copy_of_shipped(tmp_path)
    (folder / "model.onnx").unlink()
    with pytest.raises(ReaderError, match=r"missing: .*model\.onnx"):
        Reader(folder)


@pytest.mark.parametrize("name", ["model.onnx", "tokenizer.json", "arbitration.json"])
def test_a_corrupt_model_file_is_named(tmp_path, name):
    folder = _copy_of_shipped(tmp_path)
    (folder / name).write_bytes(b"\x00garbage" * 100)
    with pytest.raises(ReaderError, match=name.replace(".", r"\.")):
        load_reader(folder)


def test_the_command_line_names_a_missing_model_and_exits_2(tmp_path, made_up_engine):
    env = {"VERBATIM_READER_MODEL": str(tmp_path / "nowhere"),
           "VERBATIM_INDEX_PATH": str(made_up_engine.settings.index_path), "PATH": ""}
    done = subprocess.run([sys.executable, "-m", "index", "ask", "Who founded the bakery?"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and "nowhere/model.onnx" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_engine_reports_a_broken_model_as_its_own_error(tmp_path, made_up_engine):
    folder = _copy_of_shipped(tmp_path)
    (folder / "tokenizer.json").unlink()
    settings = made_up_engine.settings.model_copy(update={"reader_model": folder})
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    with pytest.raises(ReaderUnavailableError, match="tokenizer.json"):
        engine.ask("Who founded the bakery?")


def test_without_the_reader_the_rules_still_answer(made_up_engine):
    settings = made_up_engine.settings.model_copy(update={"reader": False})
    engine = Engine(SQLiteStore(settings.index_path), settings=settings)
    result = engine.ask("How many people does the bakery employ?")
    assert engine.current().reader is None
    assert result.answer == "38"  # the rules leave out the counted noun the question repeats


HARBOUR = ("Harbour master Odile Brenn spoke at the quay in Vessmark on Monday.\n\n"
           "Forty-one boats were lost in the storm of March 1932, and 212 fishermen died, the port's records show.\n\n"
           "The quay was rebuilt in 1987 with granite from the northern quarry at a cost of $4.2 million.")


def _best_candidate(question):
    from index.evaluation.corpora import text_article
    from index.settings import IndexSettings

    loaded = text_article("made-up harbour", HARBOUR, IndexSettings())
    prepared = loaded.prepare(question)
    _, arbiter = loaded.reader
    best, _ = arbiter.best(loaded.candidates(prepared))
    return loaded.passages[best.passage].text[best.start:best.end]


@pytest.mark.parametrize("question, answer", [
    ("How many fishermen died?", "212"),  # not "212 fishermen died"
    ("How much did the rebuilding cost?", "$4.2 million"),
    ("When was the quay rebuilt?", "1987"),
])
def test_a_number_inside_a_longer_span_comes_out_short(question, answer):
    assert _best_candidate(question) == answer


def test_a_who_question_gets_a_name_not_a_number():
    found = _best_candidate("Who is the harbour master?")
    assert found in ("Odile Brenn", "Brenn") and not any(c.isdigit() for c in found)
