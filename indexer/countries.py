"""The world's countries, for documents the manifest does not describe.

The corpus grows by files dropped into the folder: another country's questionnaire response,
a report on a country the manifest never declared. The manifest's countries come first
(indexer/corpus.py); when none of them is the document's subject, this module names the
country from ISO 3166 (pycountry ships the list, so nothing is fetched): one the title or the
file name names and the text names at least as often as any other, else one the text names
far more often than any other. The country found joins the index's countries, so a question
naming it narrows to it and its responses get a row of their own in a table across countries.
"""
from __future__ import annotations

import gettext
import os
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import pycountry

from indexer.manifest import Country

DOMINANCE = 3  # the text names the country at least this many times as often as the next one
# Names documents write that ISO 3166 does not give (its own are index forms, "Congo, The
# Democratic Republic of the", or newer ones, "Türkiye"): alpha-2 code -> other names
OTHER_NAMES = {
    "CD": ("Democratic Republic of the Congo", "DR Congo"), "RU": ("Russia",), "GB": ("UK", "Great Britain"),
    "US": ("USA", "United States of America"), "TR": ("Turkey",), "CZ": ("Czech Republic",),
    "CV": ("Cape Verde",), "CI": ("Ivory Coast", "Cote d'Ivoire"), "KR": ("Republic of Korea",),
    "KP": ("Democratic People's Republic of Korea",), "VA": ("Holy See", "Vatican"), "BN": ("Brunei",),
    "MK": ("Macedonia",), "SZ": ("Swaziland",), "PS": ("Palestine", "State of Palestine"),
    "FM": ("Micronesia",), "LA": ("Lao People's Democratic Republic",),
}


# Places named like a country that are not one: matched first (the longest name wins), counted for none
NOT_COUNTRIES = ("New Jersey", "New Mexico", "New South Wales", "Guinea pig")


# Languages whose names for the countries pycountry's own catalogues give (nothing is fetched):
# a reply written in Portuguese names Brazil "Brasil" throughout, one in Spanish Spain "España".
# A text is read as written in one when enough of its words are the language's function words,
# which an English text hardly holds (so "Rhode Island" is no German Iceland, "Maurice" no French
# Mauritius, in an English text)
FUNCTION_WORDS = {
    "es": "de la el los las del que y por para con una se", "fr": "le les des du et est pour dans une au aux sur",
    "pt": "o da dos das não que em para com uma ao à", "de": "der die das und ist nicht mit für von dem ein eine",
    "nl": "het een en van niet voor zijn wordt ook dat", "it": "il di che della del per con gli sono alla nel",
    "ru": "и в на не что с по для",
}
LANGUAGE_SHARE = 0.03  # share of a text's words, and
LANGUAGE_MIN = 5  # how many at least: a few words of a reply's own language among the form's English texts count


@lru_cache(maxsize=1)
def world_countries() -> tuple[Country, ...]:
    """Every ISO 3166 country under its everyday name ("Bolivia", "South Korea"), with its
    other names ("Plurinational State of Bolivia", OTHER_NAMES) as aliases. Names written with
    a comma ("Korea, Republic of") are index forms no document writes, and are left out."""
    out = []
    for c in pycountry.countries:
        forms = [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None),
                 *OTHER_NAMES.get(c.alpha_2, ())]
        forms = list(dict.fromkeys(f for f in forms if f and "," not in f))
        if forms:
            out.append(Country(forms[0], aliases=tuple(forms[1:])))
    return tuple(out)


@lru_cache(maxsize=16)
def _names(countries: tuple[Country, ...], typed: bool = False) -> tuple[re.Pattern, dict[str, Country | None]]:
    """One pattern for every name of `countries` (and NOT_COUNTRIES), the longest first, so
    "Democratic Republic of the Congo" is one mention of that country and not also of the
    Congo, "South Sudan" not of Sudan, "Kingdom of Belgium" not also of Belgium; and name ->
    its country. `typed`: each name matched as a question writes it (question_pattern), and
    keyed in lower case."""
    by_name: dict[str, Country | None] = {}
    for c in countries:
        for name in c.names():
            by_name.setdefault(name.lower() if typed else name, c)
    by_name.update({(n.lower() if typed else n): None for n in NOT_COUNTRIES})
    ordered = sorted({n for c in countries for n in c.names()} | set(NOT_COUNTRIES), key=len, reverse=True)
    written = question_pattern if typed else re.escape
    return re.compile(r"(?<!\w)(?:" + "|".join(written(n) for n in ordered) + r")(?!\w)"), by_name


# Names and adjectives of countries that are English words in lower case ("turkey", "chad",
# "polish"): a question names the country with one only when it is capitalised
WORD_NAMES = frozenset("chad china georgia guinea japan jersey jordan niger panama polish turkey".split())


def question_pattern(name: str) -> str:
    """A pattern for a country's name, alias or adjective as a question writes it: in any case,
    as people type into a search box ("belgium fiu access", "luxembourg prisons"), unless the
    name is written in capitals (an alias such as "US" or "UK": "us" is a pronoun) or is an
    English word in lower case (WORD_NAMES)."""
    escaped = re.escape(name)
    return escaped if name.isupper() or name.lower() in WORD_NAMES else f"(?i:{escaped})"


def named_in_question(question: str, countries: tuple[Country, ...] | None = None) -> set[str]:
    """The countries (the world's unless given) a question names, in any case as people type
    ("what did brazil report"), by the rules of question_pattern."""
    pattern, by_lower = _names(countries if countries is not None else world_countries(), typed=True)
    return {c.name for m in pattern.finditer(question) if (c := by_lower.get(m.group(0).lower()))}


# what follows the country's name, less its last letter or two, in its adjective: Chilean,
# Portuguese, Brazilian, Nigerian, Turkish, Iraqi, Argentine, Icelandic, German
ADJECTIVE_TAIL = re.compile(r"u?ese|[ie]?an|n|ish|i|ine|ic|")


def adjective_of(word: str, countries: list[Country]) -> Country | None:
    """The country a capitalised word is the adjective of, read from its form: a country's
    one-word name but for its last letter or two, then an adjective's tail ("Chilean",
    "Portuguese", "Turkish", "German"). Every country is weighed and the longest shared
    beginning wins ("Nigerian" is Nigeria's, not Niger's; "Australian" Australia's, not
    Austria's); the word is only taken for a country whose adjectives no manifest lists (one
    found in an unlisted file), as the manifest's are matched as written. "Roman", "Indiana",
    "Francis" and a country's own name are no adjectives."""
    w = word[:-1] if word.endswith("ans") else word  # "Chileans"
    if not w[:1].isupper() or len(w) < 5:
        return None
    best, best_shared = None, 0
    for country in countries:
        for name in (n.lower() for n in (*country.names(), *country.adjectives) if " " not in n):
            if w.lower() == name:
                return None  # a name as written ("Turkmenistan"), not the adjective of another
            shared = len(os.path.commonprefix([w.lower(), name]))
            tail = w.lower()[shared:]
            fits = ADJECTIVE_TAIL.fullmatch(tail) and (tail or shared == len(name) - 1)  # "German" of Germany
            if fits and shared >= 4 and shared >= len(name) - 2 and shared > best_shared:
                best, best_shared = country, shared
    return best if best is not None and not best.adjectives else None


@lru_cache(maxsize=8)
def names_in_questions(countries: tuple[Country, ...]) -> dict[str, tuple[str, ...]]:
    """Country name -> patterns for what a question may call it that its documents rarely do:
    the title its official name in ISO 3166 gives it ("the Grand Duchy", of the Grand Duchy of
    Luxembourg), when it is more than one word ("the Kingdom's law" names no kingdom), no other
    of `countries` has that title, and no "of" follows ("the Grand Duchy of Tuscany" is not
    Luxembourg). (Alpha-3 codes were tried and left out: CAN, PER, NOR and MDA are words or
    drugs before they are Canada, Peru, Norway or Moldova.)"""
    found: dict[str, str] = {}
    for country in countries:
        try:
            official = getattr(pycountry.countries.lookup(country.name), "official_name", "") or ""
        except LookupError:
            continue
        title = official.split(" of ")[0] if " of " in official else ""
        if " " in title:  # "Kingdom", "Republic": a word, not a name
            found[country.name] = title
    titles = Counter(found.values())
    return {name: (rf"\b[Tt]he {re.escape(title)}\b(?! of\b)",) for name, title in found.items() if titles[title] == 1}


def mentions(text: str, countries: tuple[Country, ...] | None = None) -> Counter:
    """Country name -> how many places in the text name it (by any of its names); the world's
    countries unless `countries` are given (the manifest's)."""
    pattern, by_name = _names(countries if countries is not None else world_countries())
    return Counter(c.name for m in pattern.finditer(text) if (c := by_name[m.group(0)]))


def unaccented(text: str) -> str:
    """The text without its letters' accents ("Perú" -> "Peru"), for counting names only."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def languages_of(text: str) -> tuple[str, ...]:
    """The languages of FUNCTION_WORDS the text is written in (English is none of them): their
    function words written in lower case, and not before a capitalised word, which names'
    particles are ("Juan de la Cruz", "Costa del Sol" in an English text), except in German,
    whose nouns are all capitalised ("die Polizei")."""
    tokens = re.findall(r"[^\W_]+", text[:50_000])
    lower = Counter(w for w in tokens if w.islower())
    before_name = Counter(w for w, after in zip(tokens, tokens[1:]) if w.islower() and after[:1].isupper())
    found = []
    for language, function in FUNCTION_WORDS.items():
        n = sum(lower[w] - (0 if language == "de" else before_name[w]) for w in function.split())
        if n >= LANGUAGE_MIN and n >= LANGUAGE_SHARE * len(tokens):
            found.append(language)
    return tuple(found)


@lru_cache(maxsize=16)
def local_countries(languages: tuple[str, ...]) -> tuple[Country, ...]:
    """The world's countries (world_countries, in its order) with their names in `languages` as
    further aliases ("Brasil", "Maroc", and "Espana" as file names write it), from the
    translations of ISO 3166 that pycountry ships. Only for naming the country of a document
    written in those languages when its English names settle nothing (named_country)."""
    catalogues = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
                  for language in languages]
    english = {c.name: c for c in world_countries()}
    out = []
    for iso in pycountry.countries:
        forms = [getattr(iso, "common_name", None), iso.name, getattr(iso, "official_name", None)]
        country = next((english[f] for f in forms if f in english), None)
        if country is None:
            continue
        local = [t.gettext(f) for f in forms if f for t in catalogues]
        local += [unaccented(n) for n in local]  # a file name writes "espana"
        aliases = dict.fromkeys(n for n in (*country.aliases, *local) if "," not in n and n != country.name)
        out.append(Country(country.name, aliases=tuple(aliases)))
    return tuple(out)


def named_country(title: str, file_stem: str, text: str, floor: float) -> tuple[Country | None, str]:
    """(country, where it was found) for a document no manifest country describes:
    - named in the title, or in the file name written as words ("portugal-cnd-response"), and
      named in the text at least once and as often as any other country ("Jordan Peterson
      lecture notes" or "niger-delta-notes" name no country the text is about);
    - else named in the text at least `floor` times and DOMINANCE times as often as any other
      (a report on one country, not one naming fifty delegations);
    - else, for a text written in another language, the same read with the countries' names in
      it too ("resposta-cnd" naming "Brasil" throughout: languages_of).
    (None, why) when none qualifies."""
    found, where = _named_among(world_countries(), title, file_stem, text, floor)
    languages = languages_of(f"{title} {file_stem} {text}")
    if found is not None or not languages:
        return found, where
    local, local_where = _named_among(local_countries(languages), title, file_stem, text, floor)
    if local is None:
        return None, where
    return next(c for c in world_countries() if c.name == local.name), f"{local_where}, by its names in {'/'.join(languages)}"


def _named_among(countries: tuple[Country, ...], title: str, file_stem: str, text: str, floor: float
                 ) -> tuple[Country | None, str]:
    """named_country's reading, with `countries`' names."""
    by_country = {c.name: c for c in countries}
    counts = mentions(text, countries) | mentions(unaccented(text), countries)  # "Perú", "México": Peru, Mexico
    top = counts.most_common(1)[0][1] if counts else 0
    for where, source in (("title", title), ("file name", re.sub(r"[-_]+", " ", file_stem).title())):
        named = set(mentions(source, countries))
        if len(named) == 1 and counts[(name := named.pop())] and counts[name] == top:
            return by_country[name], f"{where} names {name} (ISO 3166), the text {counts[name]} times"
    ranked = counts.most_common(2)
    if not ranked:
        return None, "no country of ISO 3166 named"
    (best, n), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0)
    if n >= floor and n >= DOMINANCE * runner_up:
        return by_country[best], f"text: {n} mentions of {best} among ISO 3166 countries (next: {runner_up})"
    return None, f"text: no ISO 3166 country named often enough above the others ({best}: {n}, next: {runner_up})"


def world_names() -> tuple[re.Pattern, dict[str, Country | None]]:
    """The world's countries' names as one pattern, the longest first, and name -> its country
    (None for a place named like one, NOT_COUNTRIES): for reading names out of a list."""
    return _names(world_countries())


def country_called(name: str) -> Country | None:
    """The country of the world a whole name denotes ("Czech Republic", "the Sudan"), if any."""
    pattern, by_name = world_names()
    name = re.sub(r"\s+", " ", name.strip())
    name = name[4:] if name.startswith("the ") else name
    return by_name.get(name) if pattern.fullmatch(name) else None


def one_edit_apart(a: str, b: str) -> bool:
    """a and b differ by one letter added, dropped or changed, or two side by side swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    i = next((k for k, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
    return short[i:] == long[i + 1:]


MISSPELT_MIN = 7  # letters a word needs to be read as a misspelt name: shorter ones are too near other words
#                  ("hungry", "Irland")


def misspelt(word: str, countries: tuple[Country, ...]) -> Country | None:
    """The one country of `countries` whose one-word name or adjective the word misspells by one
    letter ("Belguim", "Luxemburg", "Belgain"); None for a short word, a word that names a
    country of the world as written ("Iceland" is no misspelt Ireland), or one near two."""
    if len(word) < MISSPELT_MIN or named_in_question(word):
        return None
    return _only({c for c in countries for name in c.names()
                  if " " not in name and one_edit_apart(word.lower(), name.lower())})


ABBREVIATION_MIN = 3  # letters of a name's shortening ("Lux", "Belg"): shorter ones are initials or words


def abbreviated(word: str, countries: tuple[Country, ...]) -> Country | None:
    """The one country of `countries` whose one-word name a capitalised word shortens ("Lux:
    any problems with ISPs?", "Belg. customs"); None for a word that names a country of the
    world as written, or one that begins two names."""
    if len(word) < ABBREVIATION_MIN or not word[:1].isupper() or named_in_question(word):
        return None
    return _only({c for c in countries if " " not in c.name and len(word) < len(c.name)
                  and c.name.lower().startswith(word.lower())})


@lru_cache(maxsize=512)
def alpha_2(country: Country) -> str | None:
    """A country's ISO 3166 two-letter code ("BE"), by its name or, for a manifest's other
    name ("Czech Republic"), by the ISO country that name denotes."""
    found = country_called(country.name)
    try:
        return pycountry.countries.lookup(found.name if found else country.name).alpha_2
    except LookupError:
        return None


def coded(word: str, countries: tuple[Country, ...]) -> Country | None:
    """The one country of `countries` whose ISO 3166 code the word is, written in capitals as
    staff write it ("BE and LU: FIU access?"); None for any other word. (Whether the documents
    write the word in capitals themselves, "NO" of an action-taken mark, is the caller's check.)"""
    if len(word) != 2 or not word.isupper():
        return None
    return _only({c for c in countries if alpha_2(c) == word})


def _only(near: set[Country]) -> Country | None:
    """The country a word is near, when it is near one only."""
    return next(iter(near)) if len(near) == 1 else None
