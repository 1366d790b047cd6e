"""A PDF table's cells, from where its words stand.

pdfium reads a table line by line across the page: a row whose cells wrap comes out with its
columns interleaved ("I.1 Governments should … their Yes The Cybercrime Division …" over "law
enforcement… by 24 investigators."), so neither the recommendation nor the comment is one run
of text. The characters' boxes tell the cells apart: within a table, wide gaps part a line into
segments, and segments start at the few x positions the columns start at. This module finds
those columns and gives each row's cells as the pieces of text (offsets into the page's text)
each holds, top to bottom; parsers/table_reading.py reads the rows cell after cell. The text
is not touched: citations stay offsets into what pdfium reads.

Pure: a page's text and its characters' boxes (a function of a character's index) in, rows of
cell pieces out.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # pdfium's char box: left, bottom, right, top (y grows upwards)
Piece = tuple[int, int]  # [start, end) in the page's text
WORD = re.compile(r"\S+")
LINE = re.compile(r"[^\r\n]+")
GAP_WORDS = 2.5  # a gap this many times the page's usual space between words parts two cells ...
GAP_HEIGHTS = 1.0  # ... and at least this many line heights (a justified line's wide spaces are no cells)
ALIGN = 3.0  # segments starting within this many points of each other start in one column
MIN_COLUMNS = 3  # a table: at least this many columns ...
MIN_ROWS = 3  # ... and this many lines parted into two cells or more
ROW_GAP = 1.3  # a line this many times the table's usual line pitch below the last starts a new row


@dataclass(frozen=True)
class Segment:
    """Words of one line standing together: a cell's line, or a line across the table."""

    start: int
    end: int
    left: float
    right: float


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    bottom: float
    top: float
    segments: tuple[Segment, ...]


@dataclass
class Row:
    """A table row: each column's pieces top to bottom (`across`: a line across the whole table,
    an issue's heading, read as one piece)."""

    cells: list[list[Piece]]
    across: bool = False
    continued: bool = False  # the rest of a row the page before began (its first column empty here)
    header: bool = False  # the table's header row


@dataclass
class Table:
    """A page's table: the span of the text it takes (its rows' words and the white space between
    them) and its rows, in the document's offsets; a row a page further on ends holds its lines
    from both pages (`page_tables`)."""

    start: int
    end: int
    rows: list[Row]


def page_tables(pages: list[tuple[int, int, list[Row]]]) -> list[Table]:
    """Each page's table (the page's index, its offset in the document, its rows in the page's
    offsets), in the document's offsets; the rest of a row the page before began joins that row."""
    tables: list[Table] = []
    before = -2
    for page, offset, rows in pages:
        shifted = [Row([[(a + offset, b + offset) for a, b in cell] for cell in row.cells], row.across,
                       row.continued, row.header) for row in rows]
        pieces = [p for row in shifted for cell in row.cells for p in cell]
        table = Table(min(a for a, _ in pieces), max(b for _, b in pieces), shifted)
        last = next((r for r in reversed(tables[-1].rows) if not r.across and not r.header), None) \
            if tables and before == page - 1 else None
        before = page
        for row in [r for r in shifted if r.continued]:
            if last is not None and len(last.cells) == len(row.cells):
                for mine, more in zip(last.cells, row.cells):
                    mine.extend(more)
                table.rows.remove(row)
        tables.append(table)
    return tables


def _lines(text: str, boxes: Callable[[int], Box]) -> list[Line]:
    """The page's lines, each parted into segments at gaps wider than a space between words (a
    word's box from its first and last characters': all a line's parting needs of pdfium)."""
    raw = []
    for m in LINE.finditer(text):
        words = []
        for w in WORD.finditer(m.group(0)):
            a, b = m.start() + w.start(), m.start() + w.end()
            first, last = boxes(a), boxes(b - 1)
            if first[2] <= first[0] and last[2] <= last[0]:
                continue  # no ink (a generated space or a mark pdfium placed nowhere)
            words.append((a, b, first[0], last[2], min(first[1], last[1]), max(first[3], last[3])))
        if words:
            raw.append(words)
    gaps = [b[2] - a[3] for words in raw for a, b in zip(words, words[1:]) if b[2] > a[3]]
    heights = [w[5] - w[4] for words in raw for w in words if w[5] > w[4]]
    if not gaps or not heights:
        return []
    wide = max(GAP_WORDS * statistics.median(gaps), GAP_HEIGHTS * statistics.median(heights))
    lines = []
    for words in raw:
        segments, current = [], [words[0]]
        for word in words[1:]:
            if word[2] - current[-1][3] > wide:
                segments.append(current)
                current = []
            current.append(word)
        segments.append(current)
        lines.append(Line(words[0][0], words[-1][1], min(w[4] for w in words), max(w[5] for w in words),
                          tuple(Segment(s[0][0], s[-1][1], s[0][2], s[-1][3]) for s in segments)))
    return lines


def _columns(lines: list[Line]) -> list[tuple[float, float]]:
    """Where the table's columns start (the lowest and highest left of each): the lefts that the
    segments of lines parted into cells share, each shared by at least two such lines."""
    lefts = sorted(s.left for line in lines if len(line.segments) > 1 for s in line.segments)
    clusters: list[list[float]] = []
    for left in lefts:
        if clusters and left - clusters[-1][-1] <= ALIGN:
            clusters[-1].append(left)
        else:
            clusters.append([left])
    return [(c[0], c[-1]) for c in clusters if len(c) >= 2]


def _column_of(segment: Segment, columns: list[tuple[float, float]]) -> int | None:
    """The column a segment stands in, None when it starts at no column's left or runs into the
    next column (a line across the table, a paragraph below it)."""
    at = next((i for i, (lo, hi) in enumerate(columns) if lo - ALIGN <= segment.left <= hi + ALIGN), None)
    if at is None:
        return None
    if at + 1 < len(columns) and segment.right > columns[at + 1][0] - ALIGN:
        return None
    return at


def table_rows(text: str, boxes: Callable[[int], Box], carried: list[tuple[float, float]] | None = None
               ) -> tuple[list[Row], list[tuple[float, float]] | None]:
    """The rows of the page's table (none when the page holds no table) and its columns: from the
    first line parted into cells to the last line whose segments all stand in its columns. A row
    begins where the first column holds words, or after a gap wider than the table's line pitch;
    a line across the columns is a row of its own. Above the first row, the lines of a row the
    page before began (`continued`: its first column empty) and, over them, the header row (its
    heads centred over their columns, each read into the column it stands over). `carried`: the
    columns of the table the page before held, which a page of one row or two goes on."""
    lines = _lines(text, boxes)
    parted = [i for i, line in enumerate(lines) if len(line.segments) > 1]
    found = _columns([lines[i] for i in parted]) if len(parted) >= MIN_ROWS else []
    for columns, least in ((found, MIN_ROWS), (carried or [], 1)):
        if len(columns) < MIN_COLUMNS:
            continue
        fits = [all(_column_of(s, columns) is not None for s in line.segments) for line in lines]
        inside = [i for i in parted if fits[i]]
        if len(inside) >= least:
            return _rows(lines, columns, fits, inside), columns
    return [], None


def _rows(lines: list[Line], columns: list[tuple[float, float]], fits: list[bool], inside: list[int]) -> list[Row]:
    first, last = inside[0], inside[-1]

    def continues(i: int) -> bool:  # a line of the column after the first, and no more
        return fits[i] and len(lines[i].segments) == 1 and _column_of(lines[i].segments[0], columns) != 0

    while last + 1 < len(lines) and continues(last + 1):
        last += 1  # a last comment's lines below the last parted line
    top = first
    while top > 0 and continues(top - 1):
        top -= 1  # a row the page before began
    rows: list[Row] = []
    header = _header(lines[top - 1], columns) if top > 0 else None
    if header is None and top > 1 and len(lines[top - 1].segments) == 1 and not continues(top - 1):
        header = _header(lines[top - 2], columns)  # over the first issue's heading
        top -= 1 if header else 0
    if header:
        rows.append(header)
    pitches = [lines[i].top - lines[i + 1].top for i in range(top, last) if fits[i] and fits[i + 1]]
    pitch = statistics.median(pitches) if pitches else 0.0  # most lines are a cell's next line
    for i in range(top, last + 1):
        line = lines[i]
        if not fits[i]:
            rows.append(Row([[(line.start, line.end)]], across=True))
            continue
        cells = {_column_of(s, columns): (s.start, s.end) for s in line.segments}
        gap = lines[i - 1].top - line.top if i > top else 0.0
        if i == top or rows[-1].across or 0 in cells or (pitch and gap > ROW_GAP * pitch):
            rows.append(Row([[] for _ in columns]))
        for column, piece in cells.items():
            rows[-1].cells[column].append(piece)
    opening = next((r for r in rows if not r.header and not r.across), None)
    if opening is not None and not opening.cells[0]:
        opening.continued = True  # no number, no first words: the rest of a row the page before began
    return rows


def _header(line: Line, columns: list[tuple[float, float]]) -> Row | None:
    """The line over a table's first row as its header row, when it is parted into a head for
    each of two columns or more: each head read into the last column starting left of it."""
    if len(line.segments) < 2:
        return None
    cells: list[list[Piece]] = [[] for _ in columns]
    for s in line.segments:
        at = max((i for i, (lo, _) in enumerate(columns) if lo - ALIGN <= s.left), default=0)
        cells[at].append((s.start, s.end))
    return Row(cells, header=True) if sum(1 for c in cells if c) >= 2 else None


def interleaved(rows: list[Row]) -> bool:
    """pdfium's text runs across a row's cells line by line (a cell's second line after the next
    cell's first): the text alone cannot tell the cells apart."""
    for row in rows:
        order = sorted((piece[0], column) for column, cell in enumerate(row.cells) for piece in cell)
        columns = [column for _, column in order]
        if any(b < a for a, b in zip(columns, columns[1:])):
            return True
    return False
