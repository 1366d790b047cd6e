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

from indexer.countries import world_names

# "(Brazil, Ecuador);" ending the sentence, one name with a parenthesis of its own among them:
# "(Brazil, Venezuela (Bolivarian Republic of));"
TRAILING = re.compile(r"\(((?:[^()]|\([^()]*\)){3,400})\)\s*[;.,:]?\s*$")
SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*")
NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:of|the|and|de|d’)?\s*[A-Z][\w’'.-]*){0,6}")  # a proper name
PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
# asks who: "who …" opening the question or a clause of it ("…; who proposed it?"), not "people
# who inject drugs" or "What does WHO recommend"
WHO_OPENS = re.compile(r"(?:^|[;:?!–—(]\s*|\band\s+)[Ww]ho\b")
WHICH_STATES = re.compile(r"\b(?:which|what) (?:states?|countr(?:y|ies)|delegations?|governments?|member states?)\b",
                          re.I)
PROPOSES = re.compile(r"\b(?:recommend\w*|propos\w*|suggest\w*|call(?:ed|s|ing)? (?:for|on|upon)|urg\w*|ask\w*"
                      r"|(?:co-)?sponsor\w*|request\w*|submit\w*|put forward|rais\w*|encourag\w*|invit\w*)\b", re.I)


def attributed_states(text: str) -> frozenset[str]:
    """The States a sentence is attributed to: the names in parentheses that end it, when every
    one is a proper name and one at least a country of the world (ISO 3166, its longest names
    first: "United Kingdom of Great Britain and Northern Ireland", "Trinidad and Tobago" are one
    each; "Democratic Republic of Congo", not an ISO form, stays as written). None for
    "(Vienna)", "(E/CN.7/2025/L.8)", "(WHO)"."""
    m = TRAILING.search(text)
    if not m:
        return frozenset()
    pattern, by_name = world_names()
    found: list[str] = []

    def hold(match: re.Match) -> str:
        country = by_name.get(match.group(0))
        if country is None:
            return match.group(0)
        found.append(country.name)
        return f"\x00{len(found) - 1}\x00"

    held = re.sub(r"\s*\([^()]*\)", "", pattern.sub(hold, m.group(1)))  # "Venezuela (Bolivarian Republic of)"
    parts = [p for p in SEPARATOR.split(held) if p]
    if not found or not parts:
        return frozenset()
    names = []
    for part in parts:
        placed = PLACEHOLDER.fullmatch(part)
        if placed:
            names.append(found[int(placed.group(1))])
        elif NAME.fullmatch(part) and "\x00" not in part:
            names.append(part)
        else:
            return frozenset()
    return frozenset(names)


PROPOSING_VERB = re.compile(r"\b(?:recommend(?:s|ed)|propos(?:es|ed)|suggest(?:s|ed)|call(?:s|ed)? (?:for|on|upon)"
                            r"|urg(?:es|ed)|ask(?:s|ed)|request(?:s|ed)|encourag(?:es|ed)|invit(?:es|ed)|put(?:s)? forward"
                            r"|(?:co-)?sponsor(?:s|ed))\b", re.I)  # a finite verb: "Malaysia made recommendations." proposes nothing
AGENT = re.compile(r"\b(?:recommended|proposed|suggested|(?:co-)?sponsored|submitted|put forward|requested|introduced"
                   r"|tabled) by\s+(?:the\s+)?", re.I)
LIST_GLUE = re.compile(r"\s*(?:\([^()]*\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")  # ", ", " and ", "(Kingdom of the), "
PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", re.I)
SUBORDINATE = re.compile(r"\b(?:that|which|who|whom|whose|when|where|because|after|before|while|if|whether)\b", re.I)
COORDINATED = re.compile(r"(?:,|\band)\s+(?:\w+ly\s+)?(?:also\s+)?$", re.I)  # "… and urges", ", and also calls for"
OPENING = re.compile(r"^\W*(?:[^,.;:]{1,40},\s+)?(?:the\s+)?", re.I)  # "That being said, Belgium …": the clause's start


def proposing_states(text: str) -> frozenset[str]:
    """The States a sentence says propose something: the agents of a passive proposing verb
    ("sponsored by Belgium, Brazil …", `_agents`), and a State opening the sentence's main clause
    as its subject, a proposing verb after it ("Belgium calls for support from other European
    countries …", "That being said, Belgium strongly believes … and urges other countries …",
    "Malaysia recommended that …"), as a delegate's paper or a review's dialogue states it. Not
    "In Belgium, officers asked …" (the name opens no clause), nor "Belgium accounts for a third
    of the cocaine seized" or "Malaysia made recommendations." (no proposing verb: a review's
    summary line says who spoke, not what was proposed)."""
    pattern, by_name = world_names()
    found = _agents(text, pattern, by_name)
    name = pattern.match(text, OPENING.match(text).end())
    if name and by_name.get(name.group(0)) and any(_its_own(text[name.end():verb.start()])
                                                   for verb in PROPOSING_VERB.finditer(text, name.end())):
        found.append(by_name[name.group(0)].name)
    return frozenset(found)


def _its_own(between: str) -> bool:
    """The words between the State and a proposing verb leave the State its subject: no passive
    ("Afghanistan was urged by the Board"), and no clause of someone else's between ("Colombia
    reported that UNODC had recommended", "a member of the group that proposed"), unless the verb
    is coordinated with the State's own ("Belgium strongly believes that … and urges")."""
    if PASSIVE_BEFORE.search(between):
        return False
    return not SUBORDINATE.search(between) or bool(COORDINATED.search(between))


def _agents(text: str, pattern: re.Pattern, by_name: dict) -> list[str]:
    """The States a passive proposing verb names as its agents: "a draft resolution … sponsored by
    Belgium, Brazil, Colombia, … and Uruguay" (read up to the first word that is no State)."""
    out = []
    for agent in AGENT.finditer(text):
        at = agent.end()
        while (name := pattern.match(text, at)) and by_name.get(name.group(0)):
            out.append(by_name[name.group(0)].name)
            glue = LIST_GLUE.match(text, name.end())
            if not glue:
                break
            at = glue.end()
    return out


def asks_who(question: str) -> bool:
    """"Who recommended …", "which States proposed …": not "which countries grant FIU access"
    (a question across countries, answered by their own documents)."""
    return bool(WHO_OPENS.search(question) or (WHICH_STATES.search(question) and PROPOSES.search(question)))


def proposers(question: str, states: set[str]) -> frozenset[str]:
    """The States a question asks what they proposed, of those it names (`states`, read by
    countries.named_in_question: "what did malaysia recommend to Belgium?": Malaysia and
    Belgium); none when it asks nothing proposed ("what did Belgium say about …")."""
    return frozenset(states) if PROPOSES.search(question) else frozenset()
