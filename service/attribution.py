"""Who proposed it: statements attributed to States in parentheses at their end, and questions
that ask for that attribution. Pure: text in, names or a yes or no out.

A UN review lists the recommendations States made to the State under review, each followed by
the States that made it ("100.1. Ratify the Optional Protocol to the Convention against
Torture … (Czech Republic, United Kingdom, Norway, Spain, Brazil, Ecuador);"); a session's
report lists its officers the same way ("Chair Asia-Pacific States Shambhu Kumaran (India)").
Asked "which States recommended …" or "what did Malaysia recommend", that item answers, where
the paragraph in which the State under review says it will ratify shares more of the words.
"""
from __future__ import annotations

import re

from indexer.countries import country_called, mentions

TRAILING = re.compile(r"\(([^()]{3,400})\)\s*[;.,:]?\s*$")  # "(Brazil, Ecuador);" ending the sentence
SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*")
NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:of|the|and|de|d’)?\s*[A-Z(][\w’'.)-]*){0,6}")  # a proper name
ASKS_WHO = re.compile(r"\bwho\b|\b(?:which|what) (?:states?|countr(?:y|ies)|delegations?|governments?|member states?)\b",
                      re.I)  # "who recommended …", "which States called for …"


def attributed_states(text: str) -> frozenset[str]:
    """The States a sentence is attributed to: the names in parentheses that end it, when every
    one is a proper name and one at least a country of the world (ISO 3166; "Democratic Republic
    of Congo" as written stays as written). None for "(Vienna)", "(E/CN.7/2025/L.8)", "(WHO)"."""
    m = TRAILING.search(text)
    if not m:
        return frozenset()
    parts = [p for p in SEPARATOR.split(m.group(1)) if p]
    if not parts or not all(NAME.fullmatch(p) for p in parts):
        return frozenset()
    countries = [country_called(p) for p in parts]
    if not any(countries):
        return frozenset()
    return frozenset(c.name if c else p for c, p in zip(countries, parts))


def asks_who(question: str) -> bool:
    return bool(ASKS_WHO.search(question))


def states_named(question: str) -> frozenset[str]:
    """The countries of the world a question names ("what did Malaysia recommend")."""
    return frozenset(mentions(question))
