"""Reading a query the way a search engine user means it.

Quoted text is exact wording; a country or its adjective narrows to that country; words
like "countries" or "each" ask across countries; acronyms expand both ways.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.corpus import Country
from indexer.glossary import expand

PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”')
ACROSS = re.compile(
    r"\b(?:which|what|do|did|how do|how did|all|other|both|the two) (?:countries|member states|states|governments)\b"
    r"|\b(?:each|every) (?:country|member state|state|government)\b"
    r"|\bcountr(?:y|ies)'? (?:responses?|examples?|answers?|comparison|practices?)\b"
    r"|\bwhat do countries\b|\bacross countries\b|\bcompar(?:e|ing|ison)\b",
    re.I)  # asks across countries; "how many countries" or "each other" do not


@dataclass
class ParsedQuery:
    text: str
    phrases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    across: bool = False

    @property
    def expanded(self) -> str:
        return " ".join([self.text, *self.expansions]).strip()


def parse_query(q: str, countries: list[Country], glossary: dict[str, str], stem) -> ParsedQuery:
    phrases = [a or b for a, b in PHRASE.findall(q)]
    text = re.sub(r"\s+", " ", q.replace('"', " ").replace("“", " ").replace("”", " ")).strip()
    named = []
    for country in countries:
        if any(re.search(rf"\b{re.escape(name)}(?:'s)?\b", q) for name in country.names()):
            named.append(country.name)
    across = bool(ACROSS.search(q)) or len(named) > 1
    return ParsedQuery(text=text, phrases=[p.strip() for p in phrases if p.strip()], countries=named,
                       expansions=expand(q, glossary, stem), across=across)
