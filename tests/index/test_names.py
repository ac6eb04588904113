from index.names import find_names, is_place, looks_like_person


def names_in(text):
    return [n.text for n in find_names(text)]


def test_names_without_sentence_openers():
    assert names_in("The talks in Vienna with US Secretary of State John Kerry ended.") == \
        ["Vienna", "US Secretary of State John Kerry"]
    assert names_in("However, Saryusz-Wolski said so. In Ukraine it was not.") == ["Saryusz-Wolski", "Ukraine"]


def test_people_and_places():
    text = "Erdogan said 224 Russian holidaymakers flew from Moscow with the EU envoy."
    found = {n.text: n for n in find_names(text)}
    assert looks_like_person(text, found["Erdogan"])
    assert not looks_like_person(text, found["Russian"])  # an adjective before a noun
    assert not looks_like_person(text, found["Moscow"])
    assert not looks_like_person(text, found["EU"])
    assert is_place("Moscow") and not is_place("Erdogan")
