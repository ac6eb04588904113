"""One home for the short English word lists that several stages share: months, weekdays,
number words and pronouns. The longer lists live in data/*.txt and are read by tokens.load_words."""
from __future__ import annotations

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
             "nine": "ninth", "twelve": "twelfth"}


def number_words(digits: str) -> tuple[str, ...]:
    """"5" -> ("five", "fifth"); "18" -> ("eighteen", "eighteenth"); numbers past 99 have none here,
    nor digits that are no decimal number ("²" is a digit to str.isdigit, not to int)."""
    if not digits.isdecimal():
        return ()
    value = int(digits)
    if value >= 100:
        return ()
    word = UNITS[value] if value < 20 else TENS[value // 10 - 2]
    if value >= 20 and value % 10:
        return ()  # "twenty-one" is rare in running text as words
    ordinal = _ORDINALS.get(word) or (word[:-1] + "ieth" if word.endswith("y") else word + "th")
    return (word, ordinal)


# Words that stand for one person named elsewhere ("he said" -> who is "he"?).
PERSON_PRONOUNS = frozenset("he she him her his hers".split())
# Any pronoun: never the name a "who" question asks for.
PRONOUNS = PERSON_PRONOUNS | frozenset("i you we they it them its their this that".split())

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def slips(term: str) -> set[str]:
    """Every word one letter away from the term: one dropped, added, changed, or two swapped."""
    cuts = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    dropped = {a + b[1:] for a, b in cuts if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    changed = {a + ch + b[1:] for a, b in cuts if b for ch in LETTERS}
    added = {a + ch + b for a, b in cuts for ch in LETTERS}
    return dropped | swapped | changed | added
