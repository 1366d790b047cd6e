"""Which column head a lone mark in a PDF table stands under.

A form printed as a table marks its answer with an X in a "Yes" or a "No" column. The text
pdfium reads keeps the X (on a line of its own, or opening the comment's) but not where it
stood, so "X" alone cannot say yes or no. Its box can: the X stands under one of the heads of
the table's header row. This module finds, for every tick or cross standing apart in its line
(alone, or well clear of the words beside it), the word right above it in the nearest table
line that has a word there, and gives its offset; the parser decides what that word means
(parsers/questionnaire_form.py). The text is not touched: citations stay offsets into what
pdfium reads.

Pure: a page's text and its characters' boxes in, offsets out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"(?<!\S)[xX✓✔☒☑✗✘×](?!\S)")  # a tick or a cross standing as a word of its own
HEADS_KEPT = 40  # heads remembered for the pages after: the words of the header rows last used
GAP = 2.0  # a token this many of its own heights clear of the words beside it stands in a column of its own
LINE = re.compile(r"[^\r\n]+")
WORD = re.compile(r"\S+")

Box = tuple[float, float, float, float]  # pdfium's char box: left, bottom, right, top (y grows upwards)


@dataclass(frozen=True)
class Word:
    start: int  # offset in the page's text
    end: int
    left: float
    right: float
    bottom: float
    top: float

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class Head:
    """A head found on an earlier page: its span across the page and its offset in the document."""
    left: float
    right: float
    at: int


def page_words(text: str, boxes: list[Box]) -> list[list[Word]]:
    """The page's lines as its words with their boxes (a word's box: its characters' union)."""
    lines = []
    for line in LINE.finditer(text):
        words = []
        for w in WORD.finditer(text, line.start(), line.end()):
            chars = [boxes[i] for i in range(w.start(), w.end()) if i < len(boxes)]
            if chars:
                words.append(Word(w.start(), w.end(), min(c[0] for c in chars), max(c[2] for c in chars),
                                  min(c[1] for c in chars), max(c[3] for c in chars)))
        if words:
            lines.append(words)
    return lines


def _under(token: Word, word: Word) -> bool:
    """The token's middle lies within the word's width, widened by the token's own width."""
    width = token.right - token.left
    return word.left - width <= token.middle <= word.right + width


def has_lone_tokens(text: str) -> bool:
    """The page has a token to look up (its characters' boxes are read only then)."""
    return bool(TOKEN.search(text))


def _apart(line: list[Word], i: int) -> bool:
    """Word i of the line is a one-character token clear of the words beside it (GAP)."""
    token = line[i]
    if token.end - token.start != 1:
        return False
    room = GAP * (token.top - token.bottom)
    return (i == 0 or token.left - line[i - 1].right > room) and (
        i == len(line) - 1 or line[i + 1].left - token.right > room)


def _in_columns(line: list[Word]) -> bool:
    """The line is a table's: somewhere a gap of GAP heights parts its words into columns. A line
    of running prose above the table (a running head, a title) has none, and heads nothing."""
    height = max(w.top - w.bottom for w in line)
    return any(b.left - a.right > GAP * height for a, b in zip(line, line[1:]))


def heads_of_page(text: str, boxes: list[Box], offset: int, earlier: list[Head]) -> tuple[dict[int, int], list[Head]]:
    """({document offset of a lone token: document offset of the word it stands under}, the heads
    to remember for the next pages). The word is sought in the nearest table line above the token
    that has one there (other lone tokens above, a previous row's X, are skipped); a page whose
    table runs on without its header row uses the heads found on the pages before."""
    lines = page_words(text, boxes)
    tokens = {(n, i) for n, line in enumerate(lines) for i in range(len(line))
              if TOKEN.fullmatch(text, line[i].start, line[i].end) and _apart(line, i)}
    words = [(w, n) for n, line in enumerate(lines) if _in_columns(line) for i, w in enumerate(line)
             if (n, i) not in tokens]
    found: dict[int, int] = {}
    remembered = list(earlier)
    for n, i in sorted(tokens):
        token = lines[n][i]
        above = [(w.bottom - token.top, w, m) for w, m in words if m != n and w.bottom >= token.top and _under(token, w)]
        if above:
            _, head, row = min(above, key=lambda found: (found[0], abs(found[1].middle - token.middle)))
            found[offset + token.start] = offset + head.start
            remembered += [h for w in lines[row] if (h := Head(w.left, w.right, offset + w.start)) not in remembered]
            continue
        width = token.right - token.left
        before = [h for h in earlier if h.left - width <= token.middle <= h.right + width]
        if before:
            found[offset + token.start] = before[-1].at
    return found, remembered[-HEADS_KEPT:]
