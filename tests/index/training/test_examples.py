"""Training examples: PolNeAR attributions become who-said questions with verbatim answers, and
splits are by article. The articles here are made up for the tests."""
import json

import pytest

from index.training import examples

TEXT = (
    "Senators met on Monday.\n\n"
    "Maria Okonkwo, the committee chair, opened the hearing. She said the budget would be "
    "balanced by the end of the decade, and nobody in the room disagreed.\n\n"
    "The hearing ended at noon."
)


def _offsets(text, fragment):
    start = text.index(fragment)
    return start, start + len(fragment)


@pytest.fixture
def polnear(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    name = "made-up_2016-01-01_hearing"
    (tmp_path / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    source = _offsets(TEXT, "She")
    cue = _offsets(TEXT, "said")
    content = _offsets(TEXT, "the budget would be balanced by the end of the decade")
    name_source = _offsets(TEXT, "Maria Okonkwo, the committee chair")
    opened = _offsets(TEXT, "opened")
    hearing = _offsets(TEXT, "the hearing")
    (tmp_path / "attributions" / f"{name}_ab12.ann").write_text(
        f"T1\tSource {name_source[0]} {name_source[1]}\tMaria Okonkwo, the committee chair\n"
        f"T2\tCue {opened[0]} {opened[1]}\topened\n"
        f"T3\tContent {hearing[0]} {hearing[1]}\tthe hearing\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        f"T5\tSource {source[0]} {source[1]}\tShe\n"
        f"T6\tCue {cue[0]} {cue[1]}\tsaid\n"
        f"T7\tContent {content[0]} {content[1]}\tthe budget would be balanced by the end of the decade\n"
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n", encoding="utf-8")
    return tmp_path


def test_a_pronoun_source_is_resolved_to_the_name_before_it(polnear):
    made = examples.polnear_examples(polnear)
    who = [e for e in made if e.id.endswith(":who")]
    assert len(who) == 1  # "opened" reports no speech
    example = who[0]
    assert example.question == 'Who said "the budget would be balanced by the end of the decade"?'
    text, start = example.answers[0]
    assert text == "Maria Okonkwo"
    assert example.context[start:start + len(text)] == text


def test_a_name_is_cut_from_a_longer_source():
    text = "Trump's campaign manager Corey Lewandowski said so."
    assert text[slice(*examples.speaker_name(text, (0, 42)))] == "Corey Lewandowski"
    text = "Eric Trump, the candidate's son, said so."
    assert text[slice(*examples.speaker_name(text, (0, 31)))] == "Eric Trump"
    text = "a poll taken in New Hampshire last week found it."
    assert examples.speaker_name(text, (0, 38)) is None  # the name is no speaker
    text = "a senior official said so."
    assert examples.speaker_name(text, (0, 17)) == (0, 17)


def test_a_party_or_an_abbreviation_is_never_the_speakers_name():
    def source(text: str, words: str):
        start = text.index(words)
        found = examples.speaker_name(text, (start, start + len(words)))
        return None if found is None else text[slice(*found)]

    # No name to give: the question is not asked (its answer would be "Democratic" or "S")
    text = "The Democratic nominee said the plan would fail, and a U.S. official agreed."
    assert source(text, "The Democratic nominee") is None
    assert source(text, "a U.S. official") is None
    text = "The American Federation of Teachers said so, as did the F.A.A. and Mr. Varga."
    assert source(text, "The American Federation of Teachers") == "American Federation of Teachers"
    assert source(text, "the F.A.A.") is None
    assert source(text, "Mr. Varga") == "Varga"
    text = "Gov. Phil Bryant (R) said he expects an appeal."
    assert source(text, "Gov. Phil Bryant (R)") == "Phil Bryant"


def test_squad_answers_are_located_even_when_their_start_is_off(tmp_path):
    path = tmp_path / "squad.json"
    context = "The bridge opened in 1932. It cost 4 million dollars."
    path.write_text(json.dumps({"data": [{"title": "Bridge", "paragraphs": [{"context": context, "qas": [
        {"id": "1", "question": "When did it open?", "answers": [{"text": "1932", "answer_start": 3}]},
        {"id": "2", "question": "Who built it?", "answers": [], "is_impossible": True},
        {"id": "3", "question": "What colour?", "answers": [{"text": "red", "answer_start": 0}]},
    ]}]}]}), encoding="utf-8")
    made = examples.squad_examples(path)
    assert [e.id for e in made] == ["1", "2"]  # an answer not in its paragraph teaches nothing
    assert made[0].answers == (("1932", context.index("1932")),)
    assert made[1].impossible


def test_splits_are_by_article_and_stable():
    titles = [f"Article {i}" for i in range(400)]
    splits = [examples.split_of(t) for t in titles]
    assert splits == [examples.split_of(t) for t in titles]
    assert 0.05 < splits.count("dev") / 400 < 0.16
    assert 0.05 < splits.count("test") / 400 < 0.16
    train, dev = examples.training_split([examples.Example(str(i), t, "q?", "c") for i, t in enumerate(titles)])
    assert {e.article for e in dev} == {t for t, s in zip(titles, splits) if s == "dev"}
    assert not {e.article for e in train} & {e.article for e in dev}


def test_polnear_test_articles_never_train():
    titles = [f"Article {i}" for i in range(200)]
    made = [examples.Example(str(i), t, "q?", "c", source="polnear") for i, t in enumerate(titles)]
    train, _ = examples.training_split(made)
    assert all(examples.split_of(e.article) == "train" for e in train)


def test_the_evaluation_articles_are_refused_as_training_data():
    reserved = examples.Example("1", "Super_Bowl_50", "Who won?", "Denver won.", (("Denver", 0),))
    with pytest.raises(examples.HeldOutError, match="Super_Bowl_50"):
        examples.training_split([reserved])


def test_calibration_and_measurement_halves_do_not_overlap():
    titles = [f"Article {i}" for i in range(300)]
    calibrating, measuring = examples.calibration_halves(titles)
    assert calibrating and measuring and not set(calibrating) & set(measuring)
    assert all(examples.split_of(t) == "dev" for t in calibrating + measuring)


def test_a_share_of_a_source_is_kept_the_same_way_every_time():
    made = [examples.Example(f"q{i}", "Made-up", "Who?", "Someone.", (), source)
            for i in range(400) for source in ("squad", "written")]
    kept = examples.sampled(made, {"squad": 0.25})
    squad = [e for e in kept if e.source == "squad"]
    assert 60 <= len(squad) <= 140 and sum(e.source == "written" for e in kept) == 400
    assert kept == examples.sampled(list(made), {"squad": 0.25})
    assert examples.sampled(made, {"squad": 1.0}) == made
