"""Questions that ask what a term means, and sentences that define one: the two sides of one rule.

Legal texts define their terms in a sentence of a fixed form: a term in quotation marks, then
"shall mean", "means" or "refers to" (a treaty's "Use of terms": “Victim” shall mean any natural
person …), or name a body's short name where they set it up ("The Group of experts …
(hereinafter referred to as “GRETA”), shall monitor …"). Asked how an instrument defines a term
(or what an acronym alone is), that sentence answers; without the rule, a sentence that merely
uses the term ("… receipt of a child for the purpose of exploitation shall be considered …")
shares more of the question's words and wins. Pure: text in, words or a yes or no out.
"""
from __future__ import annotations

import re

from service.quantity import WORD

ASKS_DEFINITION = re.compile(
    r"\bdefin(?:e|es|ed|ition|itions)\b|\bwhat (?:is|are) meant by\b|\bmeaning of\b"
    r"|\bwhat (?:does|do)\b[^?]{1,60}\b(?:mean|stand for)\b"
    r"|^\s*(?:what|who) (?:is|are) (?:the )?(?-i:[A-Z]{2,6})s?\s*\??\s*$",
    re.I)  # "how does the convention define a victim?", "definition of a child", "what does X mean",
#           "what is GRETA?": an acronym alone asks what it names
QUOTED_TERM = r"(?:``|[“\"'‘])([^”\"'’`]{2,80}?)(?:''|[”\"'’])"
DEFINES = re.compile(QUOTED_TERM + r",?\s+(?:shall mean|means|shall be understood as|refers to|is defined as)\b"
                     r"|\(hereinafter(?: referred to as| called)?\s+" + QUOTED_TERM + r"\)")  # "(hereinafter … “GRETA”)"


def asks_definition(question: str) -> bool:
    return bool(ASKS_DEFINITION.search(question))


def defined_terms(text: str) -> list[str]:
    """The words of the terms the text defines (“Child” shall mean …: child), lower-cased."""
    return [w.lower() for m in DEFINES.finditer(text) for w in WORD.findall(m.group(1) or m.group(2))]
