"""What a footnote is for: pointing to a source, or saying something. Pure: a note's text in.

Both footnote producers (the prose parser for text files, the general parser for PDF, Word and
HTML) make "footnote" passages; /ask reads a note that only cites where something comes from
after the text, as it reads a reference list's entry (service/kinds.py), because such a note
can match a question word for word ("Haiti Libre, “Mirebalais under attack, … more than 500
escapees …”, available at …") and say nothing the report does not say better.
"""
from __future__ import annotations

import re

# after the note's number or mark, if any: a pointer to another work
POINTER = re.compile(r"^\s*(?:\d{1,3}\s+|\*{1,3}\s*|[\u00b9\u00b2\u00b3\u2070-\u2079]+\s*)?"
                     r"(?:see\b|ibid\b|idem\b|id\.|cf\.|op\. cit\.|loc\. cit\.|source:)", re.I)
# ... or a link it ends with, as a source's address does ("…, available at www.x.org/news.html.");
# not one in brackets after a statement of its own ("… rose to 1,245 (www.gov.example/stats).")
TRAILING_LINK = re.compile(r"(?<!\()(?:https?://|www\.)[^\s()]+[.;]?\s*$", re.I)


def names_a_source(note_text: str) -> bool:
    """The note cites where something comes from ("See S/2024/752.", "Ibid., p. 43.", a link
    it ends with) rather than saying something of its own ("Known as “Kamikaze drones” in
    Haiti.", "Data available from 14 countries show …")."""
    return bool(POINTER.search(note_text) or TRAILING_LINK.search(note_text))
