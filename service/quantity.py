"""Questions that ask for a quantity, and sentences that give one: the two sides of one rule.

Asked how many, how much, how long or how often, the sentence that answers holds a count, an
amount, a duration or a frequency ("over 543 different NPS", "45 days", "monthly"), and
present.rank_sentences prefers it. A year ("In 2014") or a label's number ("Article 5",
"resolution 55/1") is no such answer. Asked "how many firearms", the one whose count counts
firearms ("at least 58 firearms") is preferred further: the question names what it counts
(asked_to_count), and so does the sentence (counted_words). Pure: text in, a yes or no, or
words, out.
"""
from __future__ import annotations

import re

from indexer.text import MONTHS

ASKS_QUANTITY = re.compile(
    r"\bhow (?:many|much|long(?![\w-])|often|frequently|old|large|big)\b"
    r"|(?:^|\b(?:the|what|total)\s+)(?:number|numbers|amount|share|proportion|percentage|count) of\b"
    r"|\bwhat (?:percentage|proportion|share)\b",
    re.I)  # "a (growing) number of measures" asks for the measures, "how long-term" and "how far" for no number
NUMBER = re.compile(
    r"(?<![\w./])(?!(?:19|20)\d\d(?![\d,.]\d))\d"  # a figure, not a year
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|twice"
    r"|(?:ten|eleven|twelf|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)tie"
    r"|hundred|thousand)th"  # an ordinal a treaty spells: "the fortieth instrument of ratification"
    r"|daily|weekly|monthly|quarterly|annually|yearly"
    r"|(?:one|a) (?:third|quarter|fifth|tenth)s?(?= of\b)"  # a fraction: "a third of all cocaine seized"
    r"|one (?:year|month|week|day|hour|third|quarter|hundred|thousand|million|billion)s?"
    r"|once (?:a|per|every) (?:year|month|week|day|quarter))\b",
    re.I)  # "one" and "once" alone are none ("one of the measures", "no one", "Once a victim is identified"),
#           nor "first" to "ninth" ("the first day of the month", "third countries")
ORDINAL_NAMES = re.compile(r"(?:(?<=th)|-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))\s+"
                           r"(?=(?:session|meeting|anniversary|century|edition|congress|conference|report|plenary"
                           r"|summit|round|cycle|amendment)s?\b)", re.I)  # after an ordinal ("sixtieth", "sixty-"
#                          "eighth"): what it names, not counts
NOT_A_COUNT = re.compile(rf"^\s*\(?\d{{1,3}}(?:\.\d{{1,3}})*[.)](?=\s)|^\s*\[\d{{1,3}}\]"  # the paragraph's or entry's own
#                          number: "3. UNDP fully …", "[5] United Nations, …"
                         rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s*(?:(?:to|and|-|–)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTHS}\b")
#                          a date's day, or a range of days: "31 December", "from 12 to 15 December" ("June 15
#                          people" is a count: a day after the month is not read as one)
NUMBERED = re.compile(r"\b(?:article|recommendation|section|proposal|issue|paragraph|resolution|decision|chapter"
                      r"|annex|item|rule|schedule|no\.?|project|programme)\s*$", re.I)  # "Article 5" names, not counts


ASKED_COUNT = re.compile(r"(?:\bhow (?:many|much)|(?:^|\b(?:the|what|total)\s+)(?:numbers?|amount|count) of)\s+"
                         r"((?:[A-Za-z][\w'-]*\s+){0,2}[A-Za-z][\w'-]*)", re.I)  # and "(the) number of …"
FUNCTION_WORDS = frozenset("""of the a an in on at for to by from with and or were was are is be been being has have
had do does did will would can could should may might must there they it he she we you their its his her per than
when where which who whom whose what that this these those more less each not no so as if""".split())
WORD = re.compile(r"[A-Za-z][\w'-]*")
COUNTED_SPAN = 40  # characters after a count where what it counts is named ("19 consecutive years", "58 firearms")
FIGURE_REST = re.compile(r"[\d,.]*\d|")  # the rest of a figure NUMBER matched the first digit of


HOW_MUCH = re.compile(r"\bhow (?:many|much|long(?![\w-])|often|frequently)\b|\bwhat (?:percentage|proportion|share)\b",
                      re.I)  # a quantity asked as the question's point, not a topic ("how can the number of … be cut")


def asks_quantity(question: str) -> bool:
    return bool(ASKS_QUANTITY.search(question))


def asks_how_much(question: str) -> bool:
    """The question asks how many, how much, how long or how often: a count is the answer."""
    return bool(HOW_MUCH.search(question))


def asked_to_count(question: str) -> list[str]:
    """What "how many", "how much" or "(the) number of" asks to count: the words after it, up to
    three, up to the first function word ("how many firearms did …", "number of firearms
    seized": firearms; "how many of the …": nothing)."""
    m = ASKED_COUNT.search(question)
    words = []
    for word in (m.group(1).split() if m else []):
        if word.lower() in FUNCTION_WORDS:
            break
        words.append(word.lower())
    return words


def _counts(text: str) -> list[re.Match]:
    """The counts, amounts, durations and frequencies the text gives (NUMBER), not a year, a
    date's day, the paragraph's own number or the number of an article, a recommendation or a
    resolution (NUMBERED), nor an ordinal that names ("the sixty-eighth session", "its
    twentieth anniversary": ORDINAL_NAMES)."""
    dates = [m.span() for m in NOT_A_COUNT.finditer(text)]
    return [m for m in NUMBER.finditer(text) if not (m.group(0).isdigit() and NUMBERED.search(text, 0, m.start()))
            and not any(a <= m.start() < b for a, b in dates) and not ORDINAL_NAMES.match(text, m.end())]


def holds_number(text: str) -> bool:
    """The text gives a count, an amount, a duration or how often."""
    return bool(_counts(text))


def counted_words(text: str) -> list[str]:
    """The words that name what the text's counts count: up to three words after each count,
    within its clause ("at least 58 firearms, many of which …": firearms; "This marks 19
    consecutive years": consecutive, years; "4.5 tonnes of cocaine": tonnes, of, cocaine).
    Asked "how many firearms", the sentence whose count counts firearms answers, not the one
    that gives an age ("a 31-year-old former police officer")."""
    return read_counts(text)[1]


def read_counts(text: str) -> tuple[bool, list[str]]:
    """holds_number and counted_words from one reading of the text (a loaded index asks both of
    every sentence)."""
    counts = _counts(text)
    out, rest = [], 0
    for m in counts:
        if m.start() < rest:
            continue  # inside the figure before: the "204" of "31,204"
        rest = FIGURE_REST.match(text, m.end()).end()  # past the figure's other digits: "4.5", "31,204"
        clause = re.split(r"[,.;:()\[\]]", text[rest:rest + COUNTED_SPAN], maxsplit=1)[0]
        out += [w.lower() for w in WORD.findall(clause)[:3]]
    return bool(counts), out
