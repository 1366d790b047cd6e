"""Structural references: what a passage's headings number, and what a question cites.

Staff and delegates name a passage by where it stands: "Issue II, Recommendation 3",
"Proposal 14", "Article 5", "§ 4.1". Each heading of a passage's path may carry such a label
("Issue II: Alternatives to imprisonment …", "Recommendation 3", "Article 3 — Use of terms",
"4.1. Evaluation of the circular …"); a question citing labels is answered first by the
passages whose headings carry them. Pure functions: one normal form, (kind, number), for both
sides, so "Issue 2" cites what "Issue II" heads and "Rec. 3" what "Recommendation 3" heads.
"""
from __future__ import annotations

import re

KINDS = {"issue": "issue", "recommendation": "recommendation", "rec": "recommendation", "proposal": "proposal",
         "article": "article", "art": "article", "chapter": "chapter", "section": "section", "§": "section",
         "annex": "annex", "part": "part"}
# numbers: arabic, or roman in capitals ("Part Civil society" is no part 153); a lone roman
# letter only I, V or X ("Annex C" names an annex by letter, not the hundredth)
NUMBER = r"(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{2,6}|[IVX])"
# a question may type the roman number in lower case ("issue ii, rec 3"): a well-formed one of two
# letters or more, up to 39 ("part civil society" stays no part 153), or a lone i, v or x where a
# number ends ("issue i", "issues i to iv", "issue v, recommendation 2"; "part i of this" is no part 1)
TYPED_NUMBER = (r"(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{2,6}|[IVX]|x{1,3}(?:ix|iv|vi{0,3}|i{1,3})|x{2,3}|ix|iv|vi{1,3}"
                r"|i{2,3}|[ivx](?=\s*(?:$|[,;:?!.)&])|\s+(?:to|and|or|rec\w*)\b))")
HEADING_LABEL = re.compile(rf"^\s*((?i:issue|recommendation|proposal|article|chapter|section|annex|part))\s+({NUMBER})\b")
# "4.1 Evaluation …", "4.1. Evaluation …", "4. Investigations": section 4.1 or 4 ("10 key messages" is none)
NUMBERED_HEADING = re.compile(r"^\s*(?:(\d{1,3}(?:\.\d{1,3})+)\.?|(\d{1,3})\.)\s+\S")
# a citation: kind, then one number, several ("Recommendations 1 and 2", "Articles 3, 5 or 6")
# or a range ("Issues I to IV")
CITATION = re.compile(
    r"(?<![\w§])((?i:issues?|recommendations?|rec\.?|proposals?|articles?|art\.|chapters?|sections?|§|annex(?:es)?"
    rf"|parts?))\s*({TYPED_NUMBER}(?:\s*(?:,|(?i:and|or|to)|&|–|-)\s*{TYPED_NUMBER})*)\b")
PRONOUN_AFTER = re.compile(r"\s+(?!(?:and|or|of|to|in|on|rec\w*)\b)[a-z]")  # "the recommendation I should cite"
RANGE = re.compile(rf"({TYPED_NUMBER})\s*(?:(?i:to)|–|-)\s*({TYPED_NUMBER})")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
MAX_RANGE = 50  # "Articles 1 to 40" reads each; a wider span is no citation of passages


def kind_of(word: str) -> str:
    """"Issues", "Rec." and "annexes" are one kind each: "issue", "recommendation", "annex"."""
    word = word.lower().rstrip(".")
    return KINDS.get(word) or KINDS.get(word[:-1]) or KINDS.get(word[:-2])


def number_of(text: str) -> str:
    """"II", "ii" and "2" are one number; "4.1" stays as written."""
    if re.fullmatch(r"[IVXLC]+|[ivxlc]+", text):
        text = text.upper()
        total = 0
        for a, b in zip(text, text[1:] + " "):
            total += -ROMAN[a] if b != " " and ROMAN[b] > ROMAN[a] else ROMAN[a]
        return str(total)
    return text


def heading_labels(heading: list[str]) -> frozenset[tuple[str, str]]:
    """The (kind, number) labels a passage's heading path carries."""
    out = set()
    for title in heading:
        m = HEADING_LABEL.match(title)
        if m:
            out.add((kind_of(m.group(1)), number_of(m.group(2))))
            continue
        m = NUMBERED_HEADING.match(title)
        if m:
            out.add(("section", m.group(1) or m.group(2)))
    return frozenset(out)


def cited(question: str) -> dict[str, frozenset[str]]:
    """The labels a question cites, kind -> the numbers it names of that kind."""
    out: dict[str, set[str]] = {}
    for m in CITATION.finditer(question):
        kind, numbers = kind_of(m.group(1)), m.group(2)
        if kind is None or (numbers in ("I", "i") and PRONOUN_AFTER.match(question, m.end())):
            continue
        found = out.setdefault(kind, set())
        for a, b in RANGE.findall(numbers):  # "I to IV", "3–5"
            lo, hi = number_of(a), number_of(b)
            if lo.isdigit() and hi.isdigit() and 0 < int(hi) - int(lo) <= MAX_RANGE:
                found.update(str(n) for n in range(int(lo), int(hi) + 1))
        found.update(number_of(n) for n in re.findall(TYPED_NUMBER, numbers))
    return {k: frozenset(v) for k, v in out.items() if v}


def matches(labels: frozenset[tuple[str, str]], citation: dict[str, frozenset[str]]) -> bool:
    """A passage matches when, for every kind the question cites, its headings carry one of
    the numbers cited of that kind ("Issue II, Recommendations 1 and 2": either, under Issue II)."""
    return bool(citation) and all(any((kind, n) in labels for n in numbers) for kind, numbers in citation.items())


def describe(citation: dict[str, frozenset[str]]) -> list[str]:
    """A citation as a reader writes it: ["Issue 2", "Recommendation 1 or 3"]."""
    return [f"{kind.capitalize()} {' or '.join(sorted(numbers, key=lambda n: [int(x) for x in n.split('.')]))}"
            for kind, numbers in citation.items()]
