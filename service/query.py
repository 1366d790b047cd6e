"""Reading a query the way a search engine user means it.

Quoted text is exact wording; a country or its adjective narrows to that country; words
like "countries" or "each" ask across countries (the answer's shape follows the evidence
too: see service/ask.py); words like "wording", or a fragment in single quotes or elided with
"…", ask for the text itself; acronyms expand both ways.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from indexer.corpus import Country
from indexer.countries import (
    abbreviated,
    adjective_of,
    coded,
    country_called,
    misspelt,
    named_in_question,
    names_in_questions,
    question_pattern,
)
from indexer.glossary import CONNECTIVES, expand_terms
from indexer.references import CITATION, cited
from service import attribution
from service.definitions import asks_definition
from service.quantity import asked_to_count, asks_quantity
from service.reasons import asks_why
from service.sentences import stems_of

PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”')
ACROSS = re.compile(
    r"\b(?:which|what|do|did|all|other|both|the two) (?:countries|member states|states|governments|respondents)\b"
    r"|\b(?:(?:either|neither)(?: of the(?: two)?)?|any of the(?: two)?) (?:countr(?:y|ies)|member states?"
    r"|states?(?! part)|governments?|respondents)\b"
    r"|\bresponding (?:countries|states|governments)\b"
    r"|\b(?:what|how) (?:have|did|do|are|were)(?: the)? (?:countries|member states|governments)\b(?!')"
    r"|\b(?:each|every) (?:country|member state|state|government)\b"
    r"|\bcountr(?:y|ies)'? (?:responses?|examples?|answers?|comparison|practices?)\b"
    r"|\b(?:by|per) (?:country|member states?)\b(?!\s+of\b)|\bcountry[- ]by[- ]country\b"
    r"|^\s*who (?:answered|responded|replied|commented|reported)\b"
    r"|\bwho (?:did|has|have|had|does|do)(?: not|n't)? (?:answer|respond|repl|comment|report)\w*"
    r"|\bacross countries\b|\bcompar(?:e|ing|ison)\b",
    re.I)  # asks across countries ("…, by country"; "who did not answer …": which of those asked; "has either
#           country …"); "how many countries", "victims by country of origin", "from any country",
#           "whistleblowers who report" do not
LETTERS = re.compile(r"[^\W\d_]+")
WORDING = re.compile(
    r"\b(?:wording|worded|language|text|phrasing|phrased|formulation|verbatim|exact words|quote|quotation|boilerplate"
    r"|agreed)\b|\bwhere\b[^?.]{0,30}\b(?:says?|said|stated?|written|mention(?:s|ed)?)\b",
    re.I)  # asks for the words themselves ("where is it said that …"), not what was done
RECOMMENDATION = re.compile(r"\b(?:recommend(?:s|ed|ation|ations)?|clauses?)\b", re.I)  # agreed text named by
#                 its subject ("the recommendation on …", "a clause on …") asks for its wording unless …
DONE_OR_SAID = re.compile(
    r"\b(?:comments?|commented|responses|responded|answers?|answered|repl(?:y|ies|ied)|reported|said"
    r"|(?:actions?|measures?|steps?) taken|done|implemented|acted on|feedback|views)\b", re.I)
DONE_BEFORE = re.compile(r"\b(?:implementation|status|progress|follow[- ]?up|responses? (?:to|on))\b", re.I)
# … the question asks what was done or said about it: the form's own fields ("Any action taken",
# "Comments") and what fills them ("responses to the recommendation on …", "what was said
# about …"). Nouns that may be the recommendation's own subject count only before the word
# "recommendation": "implementation of the recommendation on …", but not "the recommendation
# on the implementation of …" nor "… a coordinated global response to money-laundering".
AGENT = r"(?:minist\w*|bod(?:y|ies)|authorit\w*|department\w*|agenc\w*|institutions?|offices?|units?)"
ASKS_WHO_OR_WHEN = re.compile(
    r"(?:^|(?<=[;:?!–—-])|(?<=\band)|(?<=\bby))\s*(?:who(?:m|se)?|when)\b"
    rf"|\bwhich {AGENT}\b|\bresponsible {AGENT}\b|\bis responsible\b|\bcompetence\b"
    r"|\bin charge\b|\bdeadlines?\b|\bby what (?:date|time)\b|\btime ?(?:frame|line)s?\b|\btarget dates?\b"
    r"|\bdue (?:date|by)\b|\bis it due\b",
    re.I)
# asks who acts or by when ("who must …", "…, and by when?", "responsible body", "deadline"), not
# relative "who" or "when" ("users who try …", "offered, when possible") nor "competent
# authorities exchange …", "due diligence", "which services are offered": the words name
# fields the answer must carry, not what it is about
ASKS_DATE = re.compile(r"\b(?:what|which) (?:year|date|month|day)s?\s+(?:did|was|were|is|are|has|have|will|do|does)\b"
                       r"|\bsince when\b", re.I)
# asks for a date ("what year did … start", "since when …"): a fact, one answer, not a topic
QUOTING = re.compile(r"(?<![\w'])'[^'\s][^']*\s[^']*[^'\s]'(?![\w'])|\w\s*(?:\.\.\.|…)\s*\w")
# quotes with single marks, or elides with an ellipsis: a fragment of the text, cited as such


@dataclass
class ParsedQuery:
    text: str
    phrases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    across: bool = False
    stems: frozenset = frozenset()  # word stems of the query and its expansions, for highlighting (not the scope)
    wording: bool = False  # asks for wording (a precedent), not for what countries did
    names_responses: bool = False  # names what fills the form ("comments", "responses", "reported": DONE_OR_SAID)
    years: list[int] = field(default_factory=list)  # years the query names ("the 2025 report")
    carried_years: list[int] = field(default_factory=list)  # of those, the ones the index's editions carry
    other_editions: list[str] = field(default_factory=list)  # editions of other years, left out (a document id each)
    token_vectors: np.ndarray | None = None  # the expanded query's token vectors, for late interaction
    asks_who_or_when: bool = False  # asks who acts or by when (ASKS_WHO_OR_WHEN)
    asks_quantity: bool = False  # asks how many, how much, how long or how often (service/quantity.py)
    asks_date: bool = False  # asks for a date ("what year …", "since when …": ASKS_DATE)
    counted: frozenset = frozenset()  # stems of what "how many" asks to count (quantity.asked_to_count)
    concepts: tuple = ()  # (acronym stems, long form stems) of each acronym it uses or spells out (`concepts`)
    asks_definition: bool = False  # asks what a term means (service/definitions.py)
    asks_who: bool = False  # asks who, or which States proposed (service/attribution.py)
    asks_why: bool = False  # asks why (service/reasons.py): a sentence giving a reason answers
    proposers: frozenset = frozenset()  # States it asks what they proposed ("what did Malaysia recommend")
    absent_countries: list[str] = field(default_factory=list)  # named, none of the index's named, and no document
    #                                                            of the index is theirs ("what did Brazil report")
    citation: dict = field(default_factory=dict)  # labels it cites, kind -> numbers ("Issue II, Recommendation 3")
    cited: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # the passages carrying them
    #                  that the filters admit, found once against the whole index (Engine.parse)

    @property
    def asks_a_fact(self) -> bool:
        """Asks who, when, what date, how many, how much, how long or how often (asks_who_or_when,
        asks_date, asks_quantity): a fact, which one country's comment can hold alone, not a topic
        every country was asked about."""
        return self.asks_who_or_when or self.asks_quantity or self.asks_date

    @property
    def expanded(self) -> str:
        return " ".join([self.text, *self.expansions]).strip()


def highlight_stems(text: str, unscoped: str, expansions: list[str], stem) -> frozenset:
    """The words a sentence that answers shares with the query. A country the query names is
    its scope, not what it asks about: every sentence of that country's documents may name it,
    so the words that name it (`unscoped` is the text without them) count for none of them,
    unless they are all the query says."""
    stems = stems_of(" ".join([unscoped, *expansions]), stem)
    return stems or stems_of(" ".join([text, *expansions]), stem)


def concepts(acronyms: list[str], glossary: dict[str, str], stem) -> tuple:
    """(the acronym's stems, its long form's content-word stems) for each acronym a query uses or
    spells out: one concept named either way. A sentence naming it by its acronym ("over 543
    different NPS") holds what a question spelling it out asks ("new psychoactive substances"),
    and the reverse (service/present.shared_stems)."""
    connectives = stems_of(" ".join(CONNECTIVES), stem)
    return tuple((stems_of(a, stem), stems_of(glossary[a], stem) - connectives) for a in acronyms)


YEAR = re.compile(r"(?<![\d./-])((?:19|20)\d\d)(?![\d./-])")  # "2025", not "2025/28" or "E/2025"


def parse_query(q: str, countries: list[Country], glossary: dict[str, str], stem) -> ParsedQuery:
    phrases = [a or b for a, b in PHRASE.findall(q)]
    text = re.sub(r"\s+", " ", q.replace('"', " ").replace("“", " ").replace("”", " ")).strip()
    named, unscoped = [], text
    other_names = names_in_questions(tuple(countries))
    for country in countries:
        mentions = [rf"\b{question_pattern(name)}(?:'s)?(?!\w)"
                    for name in sorted(country.names(), key=len, reverse=True)]
        mentions += other_names.get(country.name, ())
        if any(re.search(m, q) for m in mentions):
            named.append(country.name)
            for m in mentions:
                unscoped = re.sub(m, " ", unscoped)
    # a country no manifest gives adjectives (one found in an unlisted file) is named by its
    # adjective's form too, among the words no country's name took ("Dominican Republic")
    if any(not c.adjectives for c in countries):
        for word in set(LETTERS.findall(unscoped)):
            country = adjective_of(word, countries)
            if country is not None:
                named += [country.name] if country.name not in named else []
                unscoped = re.sub(rf"\b{re.escape(word)}(?!\w)", " ", unscoped)
    across = bool(ACROSS.search(q)) or len(named) > 1
    states = named_in_question(text)  # the world's countries it names, in any case
    terms = expand_terms(q, glossary, stem)
    expansions = [added for added, _ in terms]
    uncited = CITATION.sub(" ", q)  # "Recommendation 3" names where a passage stands, not its words
    named_rec = RECOMMENDATION.search(uncited)
    done_or_said = DONE_OR_SAID.search(uncited) or (named_rec and DONE_BEFORE.search(uncited[:named_rec.start()]))
    who_or_when = bool(ASKS_WHO_OR_WHEN.search(text))  # "the revised deadline for the recommendation on …"
    asks_wording = WORDING.search(uncited) or (named_rec and not done_or_said and not who_or_when)
    wording = bool(phrases or asks_wording or QUOTING.search(q)) and not across and not named
    asks = not wording and who_or_when
    return ParsedQuery(text=text, phrases=[p.strip() for p in phrases if p.strip()], countries=named,
                       expansions=expansions, across=across, stems=highlight_stems(text, unscoped, expansions, stem),
                       wording=wording, years=sorted({int(y) for y in YEAR.findall(q)}),
                       asks_who_or_when=asks, asks_quantity=asks_quantity(text),
                       asks_date=bool(ASKS_DATE.search(text)),
                       counted=frozenset(stem(w) for w in asked_to_count(text)),
                       concepts=concepts([acronym for _, acronym in terms], glossary, stem),
                       asks_definition=asks_definition(text), citation=cited(q),
                       asks_who=attribution.asks_who(text), asks_why=asks_why(text), proposers=attribution.proposers(text, states),
                       absent_countries=[] if named else absent(states, countries),
                       names_responses=bool(DONE_OR_SAID.search(uncited)))


def absent(states: set[str], countries: list[Country]) -> list[str]:
    """Of the countries of the world a question names, those the index has no document of, by
    their ISO names (a manifest's "Czech Republic" is ISO's Czechia)."""
    held = {c.name for c in countries} | {found.name for c in countries if (found := country_called(c.name))}
    return sorted(states - held)


# a code joined to another name or code ("BE and LU", "BE/LU", "Belgium, LU"): a two-capital word
# standing alone is an acronym as often ("IT systems", "ID documents", "AT risk")
TWO_CAPITALS = re.compile(r"\b[A-Z]{2}\b")
JOIN = r"\s*(?:,|/|&|\band\b|\bor\b)\s*"
JOINED_AFTER = re.compile(rf"{JOIN}(?:[A-Z]{{2}}\b|[A-Z][a-z])")
JOINED_BEFORE = re.compile(rf"(?:\b[A-Z]{{2}}|\b[A-Z][a-z]+){JOIN}$")


def joined_codes(question: str) -> set[str]:
    """Two-capital words joined to another such word or a capitalised name."""
    return {m.group(0) for m in TWO_CAPITALS.finditer(question)
            if JOINED_AFTER.match(question, m.end()) or JOINED_BEFORE.search(question[:m.start()])}


def corrected(question: str, countries: list[Country], known, written=None) -> str:
    """The question with a country's name it misspells by one letter, shortens or gives as its
    ISO code written in full ("what did Belguim report", "Luxemburg's FIU", "Lux: any problems
    with ISPs?", "BE and LU: FIU access": indexer.countries.misspelt, abbreviated and coded), so
    it narrows to the country, or to the countries it names. A word some document holds
    (`known(word)`, in any case) is a word, not a misspelling; a code is read only joined to
    another name or code, and not where a passage writes it in capitals (`written(word)`: "NO"
    of an action-taken mark)."""
    written = written or known
    # (a question in capitals throughout writes no code)
    codes = joined_codes(question) if any(ch.islower() for ch in question) else set()
    named = tuple(countries)

    def right(m: re.Match) -> str:
        word = m.group(0)
        country = coded(word, named) if word in codes else None
        if country is not None:
            return country.name if not written(word) else word
        country = misspelt(word, named) or abbreviated(word, named)
        return country.name if country is not None and not known(word) else word

    return LETTERS.sub(right, question)
