"""Acronyms harvested from the corpus, so queries can be expanded both ways.

Two sources: definitions in parentheses ("unaccompanied foreign minors (UFM)"), and
acronyms the corpus only ever spells out elsewhere: "FIU" in one sentence, "financial
intelligence units" in another, whose initials it is.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from bm25s import stopwords

CONNECTIVES = {"of", "in", "the", "and", "for", "on", "to", "against", "a", "an"}
WORD = re.compile(r"[^\W\d_][\w'-]*")  # letters of any script: "Autorité", not "Autorit"
ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
# (a match starts where a word does, and each word is read once, whole, at most 60 characters: a
# line of a million letters had taken the pattern hours, trying every position through the run,
# and "a-a-a-…" every way of parting its hyphens between words)
DEFINED = re.compile(r"(?<![\w'-])((?:(?>[A-Za-z][\w'-]{0,60})[ -]){1,9}?(?>[A-Za-z][\w'-]{0,60}))\s*"
                     r"\(([A-Z][A-Za-z]{1,6})\)")
# "IMI (Internal Market Information System)": the acronym first, its name in parentheses
DEFINED_AFTER = re.compile(r"\b([A-Z]{2,6})\s*\(((?:[A-Z][\w'-]*)(?:\s+[A-Za-z][\w'-]*){1,9})\)")
# words no name's initials stand for (the connectives above aside), in the corpus's languages;
# less the other languages' function words that are English content words ("War Crimes Unit")
ENGLISH_HOMOGRAPHS = {"war", "man", "men", "die", "want", "ben", "bin", "hat", "son", "era", "con", "sin", "par",
                      "sur", "mon", "aura", "ante", "nada", "tanto", "door", "weg", "hier", "hin"}
FUNCTION_WORDS = (set().union(stopwords.STOPWORDS_EN_PLUS, stopwords.STOPWORDS_DUTCH, stopwords.STOPWORDS_FRENCH,
                              stopwords.STOPWORDS_GERMAN, stopwords.STOPWORDS_SPANISH) - CONNECTIVES
                  - ENGLISH_HOMOGRAPHS)
# "(Autorité portuaire nationale – APN)": a name and its acronym in one parenthesis, after a dash
DEFINED_DASHED = re.compile(r"\(([A-Z][^()–]{2,120}?)\s+[–-]\s+([A-Z]{2,6})\)")
WORDS_NOT_ACRONYMS = FUNCTION_WORDS | CONNECTIVES  # typed in lower case, these are words ("who", "and")
NOT_ACRONYMS = {"YES", "NO", "EU", "II", "III", "IV", "VI", "XX", "PG", "USA", "THE", "UN"}


def _initials(words: list[str]) -> str:
    """One letter a word, or a part of a hyphenated word ("amphetamine-type stimulants": ATS)."""
    return "".join(part[0].upper() for w in words if w.lower() not in CONNECTIVES
                   for part in w.split("-") if part)


def _match_tail(words: list[str], acronym: str) -> list[str] | None:
    """The shortest run of words ending the list whose initials spell the acronym."""
    for n in range(1, min(len(words), 10) + 1):
        run = words[-n:]
        if run[0].lower() in CONNECTIVES:
            continue
        if _initials(run) == acronym.upper():
            return run
    return None


def harvest(texts: list[str]) -> dict[str, str]:
    """{acronym: expansion} over the corpus."""
    found: dict[str, Counter] = {}
    for text in texts:
        for m in DEFINED.finditer(text):
            acronym = m.group(2)
            run = _match_tail(WORD.findall(m.group(1)), acronym.rstrip("s"))
            if run and acronym.upper() not in NOT_ACRONYMS:
                found.setdefault(acronym.upper(), Counter())[" ".join(run).lower()] += 3
        for m in DEFINED_AFTER.finditer(text):
            acronym, words = m.group(1), WORD.findall(m.group(2))
            if acronym not in NOT_ACRONYMS and _initials(words).startswith(acronym):
                found.setdefault(acronym, Counter())[" ".join(words).lower()] += 3
        for m in DEFINED_DASHED.finditer(text):
            acronym, words = m.group(2), WORD.findall(m.group(1))
            if acronym not in NOT_ACRONYMS and _initials(words) == acronym:
                found.setdefault(acronym, Counter())[" ".join(words).lower()] += 3
    used: dict[str, list[str]] = {}  # acronym -> the texts that use it
    for text in texts:
        for acronym in {a.rstrip("s") for a in _uses(text)}:
            used.setdefault(acronym, []).append(text)
    lower_words = [set(re.findall(r"\b[a-z]+\b", text)) for text in texts]  # the words each text writes in lower case
    position = {id(text): i for i, text in enumerate(texts)}
    for acronym, users in used.items():
        if acronym in found or acronym in NOT_ACRONYMS or len(acronym) < 3:
            continue
        if any(acronym.lower() in lower_words[position[id(text)]] for text in users):
            continue  # "AND", "HET", "TEN" in a heading in capitals: a word the text also writes in lower case
        candidates = _spelled_out(acronym, texts, users)
        if candidates:
            found[acronym] = candidates
    return {a: c.most_common(1)[0][0] for a, c in sorted(found.items())}


def _uses(text: str) -> list[str]:
    """Acronyms the text uses, not words of a heading set in capitals ("DRUGS AND CRIME"): a
    token among two or more capitalised neighbours is left out."""
    out = []
    for m in ACRONYM.finditer(text):
        before = text[max(0, m.start() - 40):m.start()].split()[-2:]
        after = text[m.end():m.end() + 40].split()[:2]
        if sum(w.strip(".,;:()-").isupper() and len(w.strip(".,;:()-")) > 1 for w in before + after) < 2:
            out.append(m.group(0))
    return out


def _spelled_out(acronym: str, texts: list[str], users: list[str]) -> Counter:
    """Phrases elsewhere in the corpus whose initials spell an acronym it never defines.

    A phrase counts when it is a name: in title case as a whole name, not the start of a
    longer title ("Illegal Sale of Internationally Controlled Substances" is not ISI), or seen
    at least twice in a document that uses the acronym ("FIU" in one sentence, "financial
    intelligence units" in another). A name holds no function word beyond "of", "and" and
    their like: "that his country" is not THC, nor Dutch "het instellen van" HIV. Nor does it
    run from words in lower case into a capital ("the rights and interests of Americans" is no
    RIA), and a run glossed in a parenthesis of words is that gloss's, not the acronym's: in a
    table flattened to lines, "…other States / Peter Potman (Kingdom of the Netherlands)" is no SPP.
    """
    pattern = _spelled_out_pattern(acronym)
    candidates: Counter = Counter()
    title_case: set[str] = set()
    beside_a_use: set[str] = set()
    seen_contexts: set[str] = set()
    using = {id(u) for u in users}
    for text in texts:
        for m in pattern.finditer(text):
            words = [w for w in m.group(0).split() if w.lower() not in CONNECTIVES]
            if any(w.isupper() for w in words) or len(words) != len(acronym):
                continue  # "Foundation and the FPS", "jurisdictions and introduce": not spellings-out
            if any(w.lower() in FUNCTION_WORDS for w in words):
                continue
            if any(not a[0].isupper() and b[0].isupper() for a, b in zip(words, words[1:])):
                continue  # "rights and interests of Americans": a description of a name, not one
            context = text[max(0, m.start() - 40): m.end() + 40]
            if context in seen_contexts:
                continue  # the same sentence repeated in another response counts once
            seen_contexts.add(context)
            phrase = re.sub(r"\s+", " ", m.group(0).lower())
            candidates[phrase] += 1
            if id(text) in using:
                beside_a_use.add(phrase)
            continues = re.match(r"\s+(?:(?:of|and|the|for|in|on)\s+)?[A-Z]", text[m.end():])
            # a parenthesis of words glosses the run as something else: "Peter Potman (Kingdom of
            # the Netherlands)"; one in capitals abbreviates it ("Least Developed Countries (LDC
            # III)"), and a year or one word qualifies it ("(2016-2020)", "(Belgium)")
            glossed = re.match(r"\s*\((?![A-Z]{2,})[^()\s]+\s+[^()]*\)", text[m.end():])
            if all(w[0].isupper() for w in words) and not continues and not glossed:
                title_case.add(phrase)
    return Counter({p: n for p, n in candidates.items() if p in title_case or (n >= 2 and p in beside_a_use)})


def _spelled_out_pattern(acronym: str) -> re.Pattern:
    connective = r"(?:(?:" + "|".join(sorted(CONNECTIVES)) + r")\s+)?"
    parts = [rf"{letter}[a-z]+" for letter in acronym]
    body = (r"\s+" + connective).join(parts)
    return re.compile(rf"\b{body}\b", re.I)


def expand(query: str, glossary: dict[str, str], stem) -> list[str]:
    """Terms to add to a query: expansions of acronyms it uses, acronyms of phrases it spells out.

    The reverse way is strict: the query must contain every content word of the phrase, or a
    run of at least two of them in the phrase's order covering two thirds of it. One or two
    words a long name shares with everyday queries ("drug" in the EMCDDA's name) never add it.
    """
    return [added for added, _ in expand_terms(query, glossary, stem)]


def expand_terms(query: str, glossary: dict[str, str], stem) -> list[tuple[str, str]]:
    """(term added, acronym) for each of the glossary's acronyms the query uses or spells out."""
    added: list[tuple[str, str]] = []
    query_words = WORD.findall(query)
    # an acronym as one writes it, in capitals ("FIU", "ISPs"), or typed in lower case when that
    # is no function word ("fiu access"): "who" and "and" are words, not WHO or AND
    bare = [re.sub(r"['’]s$", "", t) for t in query_words]  # "the WHO's guidelines", "FIU's"
    tokens = {t for t in bare if t.isupper()} | {t[:-1] for t in bare if len(t) > 2 and t[:-1].isupper()}
    tokens |= {t.upper() for t in bare if t.islower() and len(t) > 2 and t not in WORDS_NOT_ACRONYMS}
    query_stems = [stem(w.lower()) for w in query_words if w.lower() not in CONNECTIVES]
    for acronym, expansion in glossary.items():
        if acronym in tokens or acronym + "S" in tokens:
            added.append((expansion, acronym))
        elif _spells_out(query_stems, _content_stems(expansion, stem)):
            added.append((acronym, acronym))
    return added


@lru_cache(maxsize=4096)
def _content_stems(expansion: str, stem) -> tuple[str, ...]:
    """A long form's content-word stems: the same on every query, so stemmed once."""
    return tuple(stem(w) for w in expansion.split() if w not in CONNECTIVES)


def _spells_out(query_stems: list[str], content: tuple[str, ...]) -> bool:
    distinct = set(content)
    if len(distinct) < 2:
        return False
    present = set(query_stems)
    if distinct <= present:
        return True
    if not any(a in present and b in present for a, b in zip(content, content[1:])):
        return False  # no two of the phrase's words follow each other in the query: no run of two
    longest = 0
    for i in range(len(query_stems)):  # the longest run of the phrase's words, in its order
        for j in range(len(content)):
            n = 0
            while i + n < len(query_stems) and j + n < len(content) and query_stems[i + n] == content[j + n]:
                n += 1
            longest = max(longest, n)
    return longest >= 2 and 3 * longest >= 2 * len(content)
