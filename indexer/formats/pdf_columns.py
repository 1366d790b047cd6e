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

TICK = "[xX✓✔☒☑✗✘×]"  # a tick or a cross
BOXED = rf"(?:{TICK}|\[{TICK}\])"  # ... or in brackets, a box typed: "[X]"
TOKEN = re.compile(rf"(?<!\S){BOXED}(?!\S)")  # ... standing as a word of its own
LINE_TOKEN = re.compile(rf"^[ \t]*{BOXED}(?:[ \t]|\r?$)", re.M)  # ... alone on its line, or opening it
HEADS_KEPT = 40  # heads remembered for the pages after: the words of the header rows last used
HEAD_ROWS = 3  # rows above a token its heads are read from, nearest first ("Yes" over "Na'am": a header in two
#               languages, each cell two lines)
GAP = 2.0  # a token this many of its own heights clear of the words beside it stands in a column of its own
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


def page_words(text: str, boxes: list[Box]) -> list[Word]:
    """The page's words with their boxes (a word's box: its characters' union)."""
    words = []
    for w in WORD.finditer(text):
        chars = [boxes[i] for i in range(w.start(), w.end()) if i < len(boxes)]
        if chars:
            words.append(Word(w.start(), w.end(), min(c[0] for c in chars), max(c[2] for c in chars),
                              min(c[1] for c in chars), max(c[3] for c in chars)))
    return words


def rows(words: list[Word]) -> list[list[Word]]:
    """The words as the page shows them, in rows, top first, each row left to right: a word
    whose middle height lies within a row's band joins it. pdfium's own lines may part a
    table's row into one line a cell, or run a cell's X into the next cell's text."""
    out: list[list[Word]] = []
    for word in sorted(words, key=lambda w: -w.top):
        middle = (word.top + word.bottom) / 2
        row = next((r for r in out if r[0].bottom <= middle <= r[0].top), None)
        if row is None:
            out.append([word])
        else:
            row.append(word)
    return [sorted(r, key=lambda w: w.left) for r in out]


def _under(token: Word, left: float, right: float) -> bool:
    """The token's middle lies within a word's width (left to right), widened by the token's own."""
    width = token.right - token.left
    return left - width <= token.middle <= right + width


def has_lone_tokens(text: str) -> bool:
    """The page has a token to look up: a tick or a cross alone on its line or opening it, as
    pdfium reads a table's mark cell ("X", "X The Ministry …"); its characters' boxes are read
    only then ("12 x 2.4 m", "Chapter X" mid-line are no mark cells)."""
    return bool(LINE_TOKEN.search(text))


def _apart(row: list[Word], i: int) -> bool:
    """Word i of the row is clear of the words beside it by GAP of its heights."""
    token = row[i]
    room = GAP * (token.top - token.bottom)
    return (i == 0 or token.left - row[i - 1].right > room) and (
        i == len(row) - 1 or row[i + 1].left - token.right > room)


def _in_columns(row: list[Word]) -> bool:
    """The row is a table's: somewhere a gap of GAP heights parts its words into columns. A line
    of running prose above the table (a running head, a title) has none, and heads nothing."""
    height = max(w.top - w.bottom for w in row)
    return any(b.left - a.right > GAP * height for a, b in zip(row, row[1:]))


def _table_rows(shown: list[list[Word]]) -> list[bool]:
    """Which rows are a table's (`_in_columns`), and a row of one word touching one that is (a
    head wrapped in its cell: "Not" over "implemented", beside "No. Recommendation Implemented
    Partially"; not a one-word running head standing apart over the table)."""
    tabular = [_in_columns(row) for row in shown]
    out = list(tabular)
    for n, row in enumerate(shown):
        if len(row) == 1 and not tabular[n]:
            height = row[0].top - row[0].bottom
            out[n] = any(tabular[m] and shown[m][0].bottom - height <= row[0].top and row[0].bottom - height
                         <= shown[m][0].top for m in (n - 1, n + 1) if 0 <= m < len(shown))
    return out


def heads_of_page(text: str, boxes: list[Box], offset: int, earlier: list[Head]
                  ) -> tuple[dict[int, list[int]], list[Head]]:
    """({document offset of a lone token: document offsets of the words it stands under, nearest
    first}, the heads to remember for the next pages). The words are sought in the nearest
    HEAD_ROWS table rows above the token that have one there (other lone tokens above, a
    previous row's X, are skipped); a page whose table runs on without its header row uses the
    heads found on the pages before, the latest first."""
    shown = rows(page_words(text, boxes))
    tokens = [(n, i) for n, row in enumerate(shown) for i, w in enumerate(row)
              if TOKEN.fullmatch(text, w.start, w.end) and _apart(row, i)]
    taken = set(tokens)
    tabular = _table_rows(shown)
    found: dict[int, list[int]] = {}
    remembered = list(earlier)
    for n, i in tokens:
        token = shown[n][i]
        heads = []
        for m in range(n - 1, -1, -1):  # the rows above, nearest first
            row = [w for k, w in enumerate(shown[m]) if (m, k) not in taken]
            word = next((w for w in row if _under(token, w.left, w.right)), None) if tabular[m] else None
            if word is None:
                continue
            heads.append(offset + word.start)
            remembered += [h for w in row if (h := Head(w.left, w.right, offset + w.start)) not in remembered]
            if len(heads) == HEAD_ROWS:
                break
        if not heads:
            heads = [h.at for h in reversed(earlier) if _under(token, h.left, h.right)][:HEAD_ROWS]
        if heads:
            found[offset + token.start] = heads
    return found, remembered[-HEADS_KEPT:]
