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

KINDS = {"issue": "issue", "recommendation": "recommendation", "recommendations": "recommendation",
         "rec": "recommendation", "proposal": "proposal", "proposals": "proposal", "article": "article",
         "articles": "article", "art": "article", "chapter": "chapter", "section": "section", "§": "section",
         "annex": "annex", "part": "part"}
NUMBER = r"(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6})"
HEADING_LABEL = re.compile(rf"^\s*(issue|recommendation|proposal|article|chapter|section|annex|part)\s+({NUMBER})\b",
                           re.I)
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\.?\s+\S")  # "4.1. Evaluation …": section 4.1
# a citation: kind, then one number or several ("Recommendations 1 and 2", "Articles 3, 5 or 6")
CITATION = re.compile(
    rf"(?<![\w§])(issues?|recommendations?|rec\.?|proposals?|articles?|art\.|chapter|section|§|annex|part)\s*"
    rf"({NUMBER}(?:\s*(?:,|and|or|&)\s*{NUMBER})*)\b", re.I)
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def number_of(text: str) -> str:
    """"II" and "2" are one number; "4.1" stays as written."""
    upper = text.upper()
    if re.fullmatch(r"[IVXLC]+", upper):
        total = 0
        for a, b in zip(upper, upper[1:] + " "):
            total += -ROMAN[a] if b != " " and ROMAN[b] > ROMAN[a] else ROMAN[a]
        return str(total)
    return text


def heading_labels(heading: list[str]) -> frozenset[tuple[str, str]]:
    """The (kind, number) labels a passage's heading path carries."""
    out = set()
    for title in heading:
        m = HEADING_LABEL.match(title)
        if m:
            out.add((KINDS[m.group(1).lower()], number_of(m.group(2))))
            continue
        m = NUMBERED_HEADING.match(title)
        if m:
            out.add(("section", m.group(1)))
    return frozenset(out)


def cited(question: str) -> dict[str, frozenset[str]]:
    """The labels a question cites, kind -> the numbers it names of that kind. A roman number
    must be written in capitals ("Issue II"), so "part i" or "article I think" cite nothing."""
    out: dict[str, set[str]] = {}
    for m in CITATION.finditer(question):
        kind = KINDS[m.group(1).lower().rstrip(".")]
        for n in re.findall(NUMBER, m.group(2), flags=re.I):
            if re.fullmatch(r"[ivxlc]+", n, flags=re.I) and not n.isupper():
                continue
            out.setdefault(kind, set()).add(number_of(n))
    return {k: frozenset(v) for k, v in out.items()}


def matches(labels: frozenset[tuple[str, str]], citation: dict[str, frozenset[str]]) -> bool:
    """A passage matches when, for every kind the question cites, its headings carry one of
    the numbers cited of that kind ("Issue II, Recommendations 1 and 2": either, under Issue II)."""
    return bool(citation) and all(any((kind, n) in labels for n in numbers) for kind, numbers in citation.items())


def describe(citation: dict[str, frozenset[str]]) -> list[str]:
    """A citation as a reader writes it: ["Issue 2", "Recommendation 1 or 3"]."""
    return [f"{kind.capitalize()} {' or '.join(sorted(numbers, key=lambda n: [int(x) for x in n.split('.')]))}"
            for kind, numbers in citation.items()]
