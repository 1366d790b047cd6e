"""A page's lines, which of them only number the page, and the PageLayout both readers fill:
what the readers of page furniture (layout.py) and of page notes (page_notes.py) share. Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

LINE = re.compile(r"[^\r\n\f]*(?:\r\n|\n|\r)?")

TEXT_PAGE_NUMBER = re.compile(r"^[ \t]*(?:[-–—][ \t]*(\d{1,3})[ \t]*[-–—]|[Pp]age[ \t]+(\d{1,3})(?:[ \t]+of[ \t]+\d{1,3})?)[ \t]*$",
                              re.M)  # "- 3 -", "Page 3 of 9" (not "- 2018 -", a year heading); stricter than
#   PAGE_NUMBER, which a page's edge bounds: in a plain text a bare "3" on its line is a list's or a table's


def page_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines of text[start:end] as (start, end) without their line break."""
    out = []
    for m in LINE.finditer(text, start, end):
        a, b = m.start(), m.end()
        while b > a and text[b - 1] in "\r\n":
            b -= 1
        if text[a:b].strip():
            out.append((a, b))
        if m.end() >= end or m.end() == m.start():
            break
    return out


def line_key(line: str) -> str:
    """A running line with its page number taken out: '2 GE.11-14583' and 'GE.11-14583 3' agree."""
    line = re.sub(r"\s+", " ", line.strip())
    if len(line) <= 24 and re.fullmatch(r"[\d\s\-–/.()]+", line):
        return "<number>"  # '24-22638 5': a job number and a page number, both numbers
    return re.sub(r"\d+", "#", line).strip("# ").lower()


@dataclass
class PageLayout:
    """Ranges to leave out of clean text: whole running lines, and line-end hyphens with the
    line break after them (so the two halves of the word join)."""

    running: list[tuple[int, int]] = field(default_factory=list)
    hyphens: list[tuple[int, int]] = field(default_factory=list)
    notes: list[tuple[int, int, str]] = field(default_factory=list)  # footnote bodies below a page's rule line
    marks: list[tuple[int, int, str, int]] = field(default_factory=list)  # their marks: start, end, number, note start

    @property
    def drop(self) -> list[tuple[int, int]]:
        return sorted(self.running + self.hyphens + [(a, b) for a, b, _, _ in self.marks])

    @property
    def body_drop(self) -> list[tuple[int, int]]:
        """What body text leaves out: the page's additions and the footnotes (passages of their own)."""
        return sorted(self.drop + [(a, b) for a, b, _ in self.notes])
