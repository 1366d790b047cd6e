"""The masthead of a United Nations document: the lines on its first page that say how it is
distributed ("Distr.: General"), when it was issued ("2 December 2024"), in which language it
was written ("Original: English") and its print job ("24-22638X (E) 091224", "*2422638*").

They stay in the text, so a citation or a search for the date still finds them, but they are
no sentence: pdfium gives them as lines with no full stop, and the sentence splitter ran them
into the title after them (": General 2 December 2024 Original: English 24-22638X (E) …
Recommendations of the Board of Auditors"), which then answered questions about the report.
Pure: the document's text in, file ranges out.
"""
from __future__ import annotations

import re

from indexer.text import file_to_text, split_at

DISTRIBUTION = re.compile(r"\bDistr\.:[ \t]*(?:General|Limited|Restricted)\b[ \t]*$")  # the masthead's own mark
NEAR = 4  # lines of the date and the language stand within this many lines of the distribution
DATE = re.compile(r"^[ \t]*\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
                  r"|November|December) (?:19|20)\d\d[ \t]*$")
LANGUAGE = re.compile(r"^[ \t]*(?:Original:[ \t]*)?(?:Arabic|Chinese|English|French|Russian|Spanish)"
                      r"(?:/(?:Arabic|Chinese|English|French|Russian|Spanish))*[ \t]*$")
PRINT_JOB = re.compile(r"^[ \t]*(?:GE\.)?\d{2}-\d{5}X?[ \t]*\([A-Z]\)(?:[ \t]+\d{6})*[ \t]*$|^[ \t]*\*\d{7}\*[ \t]*$")
LINE = re.compile(r"[^\r\n\f]+")


def masthead_ranges(doc: str) -> list[tuple[int, int]]:
    """File ranges of the masthead's lines on the first page (before the first form feed):
    the distribution, from "Distr.:" on (a body's name may share its line: "Security Council
    Distr.: General"); a date or a language line near it; a print job line anywhere on the page.
    None without a distribution line: no UN masthead, nothing to set apart."""
    page = doc[:doc.find("\f")] if "\f" in doc else doc[:6000]
    lines = [(m.start(), m.end()) for m in LINE.finditer(page)]
    marks = [i for i, (a, b) in enumerate(lines) if DISTRIBUTION.search(page, a, b)]
    if not marks:
        return []
    out = []
    for i, (a, b) in enumerate(lines):
        text = page[a:b]
        near = any(abs(i - m) <= NEAR for m in marks)
        if i in marks:
            out.append((DISTRIBUTION.search(page, a, b).start(), b))
        elif PRINT_JOB.match(text) or (near and (DATE.match(text) or LANGUAGE.match(text))):
            out.append((a, b))
    return out


def outside_masthead(text: str, offsets: list[tuple[int, int, int]], spans: list[tuple[int, int]],
                     ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A passage's sentence spans cut where a masthead line begins and ends, and those that lie
    within one dropped. `offsets`: the passage's runs (text start, file start, length)."""
    inside = [r for r in (file_to_text(offsets, a, b) for a, b in ranges) if r[1] > r[0]]
    if not inside:
        return spans
    out = []
    for a, b in split_at(text, spans, sorted({p for r in inside for p in r})):
        while a < b and text[a].isspace():
            a += 1
        if a < b and not any(lo <= a and b <= hi for lo, hi in inside):
            out.append((a, b))
    return out
