"""Questions that ask for a quantity, and sentences that give one: the two sides of one rule.

Asked how many, how much, how long or how often, the sentence that answers holds a count, an
amount, a duration or a frequency ("over 543 different NPS", "45 days", "monthly"), and
present.rank_sentences prefers it. A year ("In 2014") or a label's number ("Article 5",
"resolution 55/1") is no such answer. Pure: text in, a yes or no out.
"""
from __future__ import annotations

import re

ASKS_QUANTITY = re.compile(
    r"\bhow (?:many|much|long(?![\w-])|often|frequently|old|large|big)\b"
    r"|(?:^|\b(?:the|what|total)\s+)(?:number|numbers|amount|share|proportion|percentage|count) of\b"
    r"|\bwhat (?:percentage|proportion|share)\b",
    re.I)  # "a (growing) number of measures" asks for the measures, "how long-term" and "how far" for no number
NUMBER = re.compile(
    r"(?<![\w./])(?!(?:19|20)\d\d(?![\d,.]\d))\d"  # a figure, not a year
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?"
    r"|thousands?|millions?|billions?|dozens?|half|twice|daily|weekly|monthly|quarterly|annually|yearly"
    r"|one (?:year|month|week|day|hour|third|quarter|hundred|thousand|million|billion)s?"
    r"|once (?:a|per|every) (?:year|month|week|day|quarter))\b",
    re.I)  # "one" and "once" alone are none ("one of the measures", "no one", "Once a victim is identified")
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
NOT_A_COUNT = re.compile(rf"^\s*\(?\d{{1,3}}(?:\.\d{{1,3}})*[.)](?=\s)"  # the paragraph's own number: "3. UNDP fully …"
                         rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\b")  # a date's day: "31 December" ("June 15
#                          people" is a count: a day after the month is not read as one)
NUMBERED = re.compile(r"\b(?:article|recommendation|section|proposal|issue|paragraph|resolution|decision|chapter"
                      r"|annex|item|rule|schedule|no\.?|project|programme)\s*$", re.I)  # "Article 5" names, not counts


def asks_quantity(question: str) -> bool:
    return bool(ASKS_QUANTITY.search(question))


def holds_number(text: str) -> bool:
    """The text gives a count, an amount, a duration or how often (NUMBER), not only a year, a
    date's day, the paragraph's own number or the number of an article, a recommendation or a
    resolution (NUMBERED)."""
    dates = [m.span() for m in NOT_A_COUNT.finditer(text)]
    return any(not (m.group(0).isdigit() and NUMBERED.search(text, 0, m.start()))
               and not any(a <= m.start() < b for a, b in dates) for m in NUMBER.finditer(text))
