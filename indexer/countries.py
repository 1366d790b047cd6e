"""The world's countries, for documents the manifest does not describe.

The corpus grows by files dropped into the folder: another country's questionnaire response,
a report on a country the manifest never declared. The manifest's countries come first
(indexer/corpus.py); when none of them is the document's subject, this module names the
country from ISO 3166 (pycountry ships the list, so nothing is fetched): one the title or the
file name names, else one the text names far more often than any other. The country found
joins the index's countries, so a question naming it narrows to it and its responses get a
row of their own in a table across countries.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pycountry

from indexer.manifest import Country

DOMINANCE = 3  # the text names the country at least this many times as often as the next one


@lru_cache(maxsize=1)
def world_countries() -> tuple[Country, ...]:
    """Every ISO 3166 country under its everyday name ("Bolivia", "South Korea"), with its
    other names ("Plurinational State of Bolivia") as aliases. Names written with a comma
    ("Korea, Republic of") are index forms no document writes, and are left out."""
    out = []
    for c in pycountry.countries:
        forms = [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        forms = list(dict.fromkeys(f for f in forms if f and "," not in f))
        if forms:
            out.append(Country(forms[0], aliases=tuple(forms[1:])))
    return tuple(out)


def _mentions(text: str, country: Country) -> int:
    return sum(len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text)) for name in country.names())


def named_country(title: str, file_stem: str, text: str, floor: float) -> tuple[Country | None, str]:
    """(country, where it was found) for a document no manifest country describes: named in the
    title, else in the file name ("portugal-cnd-response.pdf"), else named in the text at least
    `floor` times and DOMINANCE times as often as any other (a report on one country, not a
    report naming fifty delegations). (None, why) when none qualifies."""
    countries = world_countries()
    for where, source in (("title", title), ("file name", re.sub(r"[-_]+", " ", file_stem))):
        found = [c for c in countries if _mentions(source, c) or _mentions(source.lower(), _lower(c))]
        if len(found) == 1:
            return found[0], f"{where} names {found[0].name} (ISO 3166)"
    counts = Counter({c: n for c in countries if (n := _mentions(text, c))})
    ranked = counts.most_common(2)
    if not ranked:
        return None, "no country of ISO 3166 named"
    (best, n), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0)
    if n >= floor and n >= DOMINANCE * runner_up:
        return best, f"text: {n} mentions of {best.name} among ISO 3166 countries (next: {runner_up})"
    return None, f"text: no ISO 3166 country named often enough above the others ({best.name}: {n}, next: {runner_up})"


def _lower(country: Country) -> Country:
    return Country(country.name.lower(), aliases=tuple(a.lower() for a in country.aliases))
