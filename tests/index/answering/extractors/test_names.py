from index.answering.extractors.names import find_names, is_place, looks_like_person


def names_in(text):
    return [n.text for n in find_names(text)]


def test_names_without_sentence_openers():
    assert names_in("The talks in Vienna with US Secretary of State John Kerry ended.") == \
        ["Vienna", "US Secretary of State John Kerry"]
    assert names_in("However, Saryusz-Wolski said so. In Ukraine it was not.") == ["Saryusz-Wolski", "Ukraine"]
    assert names_in("The men were members of Hizb ut-Tahrir, mostly.") == ["Hizb ut-Tahrir"]


def test_people_and_places():
    text = "Erdogan said 224 Russian holidaymakers flew from Moscow with the EU envoy."
    found = {n.text: n for n in find_names(text)}
    assert looks_like_person(text, found["Erdogan"])
    assert not looks_like_person(text, found["Russian"])  # an adjective before a noun
    assert not looks_like_person(text, found["Moscow"])
    assert not looks_like_person(text, found["EU"])
    assert is_place("Moscow") and not is_place("Erdogan")


def test_a_party_or_nationality_adjective_is_nobody():
    text = "The Democratic nominee met American voters and Mexican officials; Duncan said so."
    found = {n.text: n for n in find_names(text)}
    assert not any(looks_like_person(text, found[word]) for word in ("Democratic", "American", "Mexican"))
    assert looks_like_person(text, found["Duncan"])  # a name that ends like "-can" before a verb


def test_a_body_and_the_person_after_it_are_two_names():
    text = "A member of the European Union Jacek Saryusz-Wolski spoke; Supreme Court Justice Ann Lee agreed."
    assert names_in(text) == ["European Union", "Jacek Saryusz-Wolski", "Supreme Court", "Justice Ann Lee"]
    assert names_in("The European Union Law applies.") == ["European Union Law"]  # one word after: one name
    body = find_names(text)[0]
    assert not looks_like_person(text, body)
