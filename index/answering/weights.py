"""Every number the hand-written rules weigh candidates by, in one place.

A candidate's score is its sentence's score (the share of the question's word weight it holds,
plus a small preference for the passages retrieval put first) plus the bonuses of its kind, less
a cost per word between it and the question's words. The values were set on the development
questions and SQuAD's training articles; `python -m index eval` measures a change.
"""

# -- sentences (rules.py) ---------------------------------------------------------------------------
SENTENCES_LOOKED_AT = 6  # the best sentences whose candidates compete
DESCRIBING_SENTENCES = 30  # "who is Peskov?": any sentence naming him may say who he is
MIN_COVERAGE = 0.3  # share of the question's word weight a sentence needs to be answered from
SENTENCE_SHARE = 0.7  # the rest is the whole passage: the answer may sit beside the matching sentence
SYNONYM_WEIGHT = 0.5  # a synonym of a question word counts this much of the word
RANK_PRIOR = 0.08  # a small preference for the passages retrieval put first
DISTANCE_COST = 0.015  # per word between a candidate and the nearest question word
MAX_DISTANCE = 12

# -- how many ---------------------------------------------------------------------------------------
COUNTS_THE_TARGET = 0.3  # "how many bombs" -> "two (bombs)": the question names the noun
COUNTS_A_QUESTION_WORD = 0.2  # "taken hostage" -> "850 (hostages)"
COUNTS_SOMETHING_ELSE = -0.2  # "population of France" is not "20 bombs"
SHARE_WANTED = 0.3  # a percentage where the question asks for a share
SHARE_UNWANTED = -0.1
MONEY_WANTED = 0.3  # an amount of money where the question asks how much it cost
MONEY_UNWANTED = -0.2
TIME_NOT_COUNTED = -0.3  # "two weeks ago" counts no people

# -- when, where, who ---------------------------------------------------------------------------------
YEAR_WANTED = 0.1  # a date with a year where the question asks for the year
KNOWN_PLACE = 0.2  # a place by its shape or a gazetteer, or "Antalya, Turkey"
AFTER_PLACE_PREPOSITION = 0.2  # "in Antalya"
LOOKS_LIKE_PERSON = 0.2
NOT_A_PERSON = -0.1

# -- quotations, names beside the target, phrases -----------------------------------------------------
QUOTATION = 0.3  # the words between quotation marks, for "what did X say?"
NAME_BESIDE_TARGET = 0.4  # a name next to the noun the question asks about beats any untyped phrase
NAME_ENDING_IN_TARGET = 0.5  # "What bridge": "Ludendorff Bridge", above a name merely beside it
PHRASE_WORDS = 3  # longer phrases pay for each word beyond: answers are short
PHRASE_LENGTH_COST = 0.03
PHRASE = -0.05  # a phrase of no particular type ranks below a typed candidate
AFTER_ASKED = 0.05  # the phrase right after the question's words
NOUN_PHRASE = 0.1  # a phrase shaped like a noun phrase (or less, for one that is not)
CONTEXT_WORDS = 4
CONTEXT_WEIGHT = 0.3

# -- who is X, what is X -----------------------------------------------------------------------------
SPELLED_OUT = 0.4  # "Islamic State" before "(IS)"
APPOSITION_OR_DEFINITION = 0.3  # "Peskov, the Kremlin spokesman"; "Tymnet was an international network"
TITLE_BEFORE = 0.2  # "Kremlin spokesman Dmitry Peskov"
