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
from functools import lru_cache

from indexer.text import MONTHS, file_to_text, split_at

SPACE = r"[ \t\u00a0]"
DISTRIBUTION = re.compile(rf"\bDistr\.:?{SPACE}*(?:\r?\n{SPACE}*)?(?i:general|limited|restricted)\b")  # its own mark,
#              on one line or two ("Distr.\nGENERAL", the older print)
PAGES = 3  # the masthead stands on the first page that has one of the first three (after a cover or a blank page)
NEAR = 4  # lines of the date and the language stand within this many lines of the distribution
DATE = re.compile(rf"^{SPACE}*\d{{1,2}} {MONTHS} (?:19|20)\d\d{SPACE}*$")
LANGUAGE = re.compile(rf"^{SPACE}*(?:Original:{SPACE}*)?(?:Arabic|Chinese|English|French|Russian|Spanish)"
                      rf"(?:/(?:Arabic|Chinese|English|French|Russian|Spanish))*{SPACE}*$")
PRINT_JOB = re.compile(rf"^{SPACE}*(?:[A-Z]{{1,2}}\.)?\d{{2}}-\d{{5}}X?{SPACE}*\([A-Z]\)(?:{SPACE}+\d{{6}})*{SPACE}*$"
                       rf"|^{SPACE}*\*\d{{7}}\*{SPACE}*$")  # New York "24-22638X (E) 091224", Geneva "GE.11-…", Vienna "V.25-…"
LINE = re.compile(r"[^\r\n\f]+")


def masthead_ranges(doc: str) -> list[tuple[int, int]]:
    """File ranges of the masthead's lines on the first page that has one, of the first PAGES:
    the distribution, from "Distr." on (a body's name may share its line: "Security Council
    Distr.: General"), with a date after it on its line; a date or a language line near it; a
    print job line anywhere on that page. None without a distribution mark: no UN masthead,
    nothing to set apart."""
    return list(_masthead_ranges(doc))


@lru_cache(maxsize=4)
def _masthead_ranges(doc: str) -> tuple[tuple[int, int], ...]:
    """Cached: every passage of a document asks it of the same text (passage_sentences.passage_sentences)."""
    start = 0
    for page in doc.split("\f", PAGES)[:PAGES]:
        marks = list(DISTRIBUTION.finditer(page))
        if marks:
            return tuple((start + a, start + b) for a, b in _page_masthead(page, marks))
        start += len(page) + 1
    return ()


def _page_masthead(page: str, marks: list[re.Match]) -> list[tuple[int, int]]:
    lines = [(m.start(), m.end()) for m in LINE.finditer(page)]
    out, near = [], set()
    for mark in marks:
        at = [i for i, (a, b) in enumerate(lines) if a < mark.end() and mark.start() < b]
        line_end = lines[at[-1]][1]
        rest = page[mark.end():line_end]
        out.append((mark.start(), line_end if not rest.strip() or DATE.match(rest) else mark.end()))
        near |= {j for i in at for j in range(i - NEAR, i + NEAR + 1)} - set(at)
    for i, (a, b) in enumerate(lines):
        text = page[a:b]
        if any(x < b and a < y for x, y in out):
            continue
        if PRINT_JOB.match(text) or (i in near and (DATE.match(text) or LANGUAGE.match(text))):
            out.append((a, b))
    return sorted(out)


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
