"""A table's cells, from where its words stand: a PDF's by its characters' boxes, a plain
text's by its characters' columns.

pdfium reads a table line by line across the page: a row whose cells wrap comes out with its
columns interleaved ("I.1 Governments should … their Yes The Cybercrime Division …" over "law
enforcement… by 24 investigators."), so neither the recommendation nor the comment is one run
of text; a fixed-width text table is written so. Where the words stand tells the cells apart:
within a table, wide gaps part a line into segments, and segments start at the few places the
columns start at (in a fixed-width table, where the rule of dashes under its header says). This
module finds those columns and gives each row's cells as the pieces of text (offsets into the
page's text) each holds, top to bottom; indexer/cell_reading.py reads the rows cell after cell.
The text is not touched: citations stay offsets into the text stored.

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
WORD = re.compile(r"[^\s\ufffe]+\ufffe?|\ufffe")  # a soft hyphen (pdfium's U+FFFE) ends its word: the next line goes on
LINE = re.compile(r"[^\r\n]+")
GAP_WORDS = 1.8  # a gap this many times the page's usual space between words parts two cells ...
GAP_HEIGHTS = 1.0  # ... and at least this many line heights (a justified line's wide spaces are no cells)
ALIGN = 0.4  # segments starting within this many line heights of each other start in one column
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
    segments: tuple[Segment, ...]  # none for a rule
    rule: bool = False  # a line of dashes or equals signs between rows ("----- ------"): no cell's
    words: tuple[Segment, ...] = ()  # its words (a rule's: its runs of dashes)


RULE = re.compile(r"[-=_+|~*]{3,}(?:\s+[-=_+|~*]{3,})*")


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
    """A table: the spans of the text it takes (on each page, its rows' words and the white space
    between them) and its rows, in the document's offsets. A row a page further on ends holds its
    lines from both pages, and a page whose table goes on without a header row of its own adds
    its rows to the table of the page before (`page_tables`)."""

    parts: list[tuple[int, int]]
    rows: list[Row]


def page_tables(pages: list[tuple[int, int, list[Row]]]) -> list[Table]:
    """Each page's table (the page's index, its offset in the document, its rows in the page's
    offsets), in the document's offsets; the rest of a row the page before began joins that row,
    and a table the page before's goes on with, under no header of its own, joins that table."""
    tables: list[Table] = []
    before = -2
    for page, offset, rows in pages:
        shifted = [Row([[(a + offset, b + offset) for a, b in cell] for cell in row.cells], row.across,
                       row.continued, row.header) for row in rows]
        pieces = [p for row in shifted for cell in row.cells for p in cell]
        part = (min(a for a, _ in pieces), max(b for _, b in pieces))
        goes_on = bool(tables) and before == page - 1 and len(tables[-1].rows[-1].cells) == len(shifted[0].cells)
        before = page
        if goes_on:
            last = next((r for r in reversed(tables[-1].rows) if not r.across and not r.header), None)
            for row in [r for r in shifted if r.continued]:
                if last is not None:
                    for mine, more in zip(last.cells, row.cells):
                        mine.extend(more)
                    shifted.remove(row)
            if not any(r.header for r in shifted):
                tables[-1].parts.append(part)
                tables[-1].rows += shifted
                continue
        tables.append(Table([part], shifted))
    return tables


def _lines(text: str, boxes: Callable[[int], Box]) -> tuple[list[Line], float]:
    """The page's lines, each parted into segments at gaps wider than a space between words (a
    word's box from its first and last characters': all a line's parting needs of pdfium)."""
    raw = []
    for m in LINE.finditer(text):
        words: list[tuple] = []
        top = float("inf")  # the lowest bottom of the line's words so far (kept, not found again: a long line)
        for w in WORD.finditer(m.group(0)):
            a, b = m.start() + w.start(), m.start() + w.end()
            first, last = boxes(a), boxes(b - 1)
            if first[2] <= first[0] and last[2] <= last[0]:
                continue  # no ink (a generated space or a mark pdfium placed nowhere)
            word = (a, b, first[0], last[2], min(first[1], last[1]), max(first[3], last[3]))
            if words and word[5] < top:  # below the line read so far: pdfium joined
                raw.append((False, words))  # the next line on at a hyphen (U+FFFE)
                words, top = [], float("inf")
            words.append(word)
            top = min(top, word[4])
        if words:
            raw.append((RULE.fullmatch(text[words[0][0]:words[-1][1]].strip()) is not None, words))
    gaps = [b[2] - a[3] for _, words in raw for a, b in zip(words, words[1:]) if b[2] > a[3]]
    heights = [w[5] - w[4] for _, words in raw for w in words if w[5] > w[4]]
    if not gaps or not heights:
        return [], 0.0
    height = statistics.median(heights)
    wide = max(GAP_WORDS * statistics.median(gaps), GAP_HEIGHTS * height)
    lines = []
    for rule, words in raw:
        each = tuple(Segment(w[0], w[1], w[2], w[3]) for w in words)
        if rule:
            lines.append(Line(words[0][0], words[-1][1], min(w[4] for w in words), max(w[5] for w in words), (),
                              rule=True, words=each))
            continue
        segments, current = [], [words[0]]
        for word in words[1:]:
            if word[2] - current[-1][3] > wide:
                segments.append(current)
                current = []
            current.append(word)
        segments.append(current)
        lines.append(Line(words[0][0], words[-1][1], min(w[4] for w in words), max(w[5] for w in words),
                          tuple(Segment(s[0][0], s[-1][1], s[0][2], s[-1][3]) for s in segments), words=each))
    return lines, ALIGN * height


def _columns(lines: list[Line], align: float) -> list[tuple[float, float]]:
    """Where the table's columns start (the lowest and highest left of each): the lefts that the
    segments of lines parted into cells share, each shared by at least two such lines."""
    lefts = sorted(s.left for line in lines if len(line.segments) > 1 for s in line.segments)
    clusters: list[list[float]] = []
    for left in lefts:
        if clusters and left - clusters[-1][-1] <= align:
            clusters[-1].append(left)
        else:
            clusters.append([left])
    return [(c[0], c[-1]) for c in clusters if len(c) >= 2]


def _ruled(lines: list[Line], align: float) -> tuple[list[Line], list[tuple[float, float]]] | None:
    """A fixed-width table's columns from the rule under its header ("----- ------- ------"), a
    run of dashes a column, and its lines parted by them: a line parted into cells already whose
    cell runs into the next column across a single space ("III.1 Governments …") is parted where
    the rule's columns start. None when no rule of MIN_COLUMNS runs is found."""
    ruler = next((line for line in lines if line.rule and len(line.words) >= MIN_COLUMNS), None)
    if ruler is None:
        return None
    columns = [(w.left, w.left) for w in ruler.words]
    starts = [lo for lo, _ in columns]

    def column(left: float) -> int:
        return max((i for i, lo in enumerate(starts) if lo <= left + align), default=0)

    parted = []
    for line in lines:
        if len(line.segments) < 2:
            parted.append(line)
            continue
        segments: list[Segment] = []
        for s in line.segments:
            words = [w for w in line.words if s.start <= w.start < s.end]
            groups: list[list[Segment]] = []
            for w in words:
                if groups and column(w.left) == column(groups[-1][-1].left):
                    groups[-1].append(w)
                else:
                    groups.append([w])
            segments += [Segment(g[0].start, g[-1].end, g[0].left, g[-1].right) for g in groups]
        parted.append(Line(line.start, line.end, line.bottom, line.top, tuple(segments), words=line.words))
    return parted, columns


def _column_of(segment: Segment, columns: list[tuple[float, float]], align: float) -> int | None:
    """The column a segment stands in, None when it starts at no column's left or runs into the
    next column (a line across the table, a paragraph below it)."""
    at = next((i for i, (lo, hi) in enumerate(columns) if lo - align <= segment.left <= hi + align), None)
    if at is None and columns[0][0] == columns[0][1]:  # a rule's columns: a cell's line may stand in from its start
        at = max((i for i, (lo, _) in enumerate(columns) if lo <= segment.left), default=None)
    if at is None:
        return None
    if at + 1 < len(columns) and segment.right > columns[at + 1][0] - align:
        return None
    return at


def table_rows(text: str, boxes: Callable[[int], Box], carried: list[tuple[float, float]] | None = None,
               heads: tuple[str, ...] = ()) -> tuple[list[Row], list[tuple[float, float]] | None]:
    """The rows of the page's table (none when the page holds no table) and its columns: from the
    first line parted into cells to the last line whose segments all stand in its columns. A row
    begins where the first column holds words after a line whose first column held none (a
    number's row), or after a rule or a gap wider than the table's line pitch (a row whose first
    cell wraps); a line across the columns is a row of its own. Above the first row, the lines of a row the
    page before began (`continued`: its first column empty) and, over them, the header row (its
    heads centred over their columns, each read into the column it stands over). `carried`: the
    columns of the table the page before held, which a page of one row or two goes on; `heads`:
    its first row's words, cell by cell: a line repeating them is the header the page repeats."""
    lines, align = _lines(text, boxes)
    ruled = _ruled(lines, align)
    if ruled:  # the rule under a fixed-width table's header says where its columns start
        lines, carried = ruled[0], ruled[1]
    parted = [i for i, line in enumerate(lines) if len(line.segments) > 1]
    found = _columns([lines[i] for i in parted], align) if len(parted) >= MIN_ROWS and not ruled else []
    for columns, least in ((found, MIN_ROWS), (carried or [], 1)):
        if len(columns) < MIN_COLUMNS:
            continue
        fits = [all(_column_of(s, columns, align) is not None for s in line.segments) for line in lines]
        inside = [i for i in parted if fits[i]]
        if len(inside) >= least:
            return _rows(text, lines, columns, align, fits, inside, heads), columns
    return [], None


def _rows(text: str, lines: list[Line], columns: list[tuple[float, float]], align: float, fits: list[bool],
          inside: list[int], heads: tuple[str, ...]) -> list[Row]:
    first, last = inside[0], inside[-1]

    def continues(i: int) -> bool:  # a line of the column after the first, and no more; or a rule
        return lines[i].rule or (fits[i] and len(lines[i].segments) == 1
                                 and _column_of(lines[i].segments[0], columns, align) != 0)

    while last + 1 < len(lines) and continues(last + 1):
        last += 1  # a last comment's lines below the last parted line
    top = first
    while top > 0 and continues(top - 1):
        top -= 1  # a row the page before began
    rows: list[Row] = []
    header, top = _header(lines, top, columns, align)
    if header:
        rows.append(header)
    pitches = [lines[i].top - lines[i + 1].top for i in range(top, last) if fits[i] and fits[i + 1]]
    pitch = sorted(pitches)[len(pitches) // 4] if pitches else 0.0  # a cell's next line: the closest lines but a few
    ruled = False  # a rule since the last row's line: the next line begins a row
    first_column = False  # the line before held words in the first column (a row's first cell going on)
    for i in range(top, last + 1):
        line = lines[i]
        if line.rule:
            ruled = True
            continue
        if not fits[i]:
            if rows and rows[-1].across and not ruled and i > top and not fits[i - 1]:
                rows[-1].cells[0].append((line.start, line.end))  # a heading across, wrapped
            else:
                rows.append(Row([[(line.start, line.end)]], across=True))
            ruled = False
            continue
        cells: dict[int, list[Piece]] = {}
        for segment in line.segments:
            cells.setdefault(_column_of(segment, columns, align), []).append((segment.start, segment.end))
        gap = lines[i - 1].top - line.top if i > top else 0.0
        if not rows or rows[-1].across or rows[-1].header or (0 in cells and (
                ruled or not first_column or (pitch and gap > ROW_GAP * pitch))):
            repeated = bool(heads) and cell_words(text, [cells.get(k, []) for k in range(len(columns))]) == heads
            rows.append(Row([[] for _ in columns], header=repeated))
        ruled, first_column = False, 0 in cells
        for column, pieces in cells.items():
            rows[-1].cells[column].extend(pieces)
    body = [r for r in rows if not r.header and not r.across]
    opening = next((r for r in body[:2] if not r.cells[0]), None)  # (under a header row read as a row)
    if opening is not None:
        opening.continued = True  # no number, no first words: the rest of a row the page before began
    return rows


def _header(lines: list[Line], top: int, columns: list[tuple[float, float]], align: float
            ) -> tuple[Row | None, int]:
    """The header row over a table's first row (past an issue's heading right above it), and
    where the table's rows begin: the lines each of whose heads stands within its column, up to
    the highest one parted into two heads or more ("No. Recommendation Action Comments" over
    "taken" over "(Yes/No)": a head wrapped in its cell), each head read into the column its middle
    stands in. A line across the columns (a page's running title) is none."""
    def heads(line: Line) -> list[tuple[int, Piece]] | None:
        out = []
        for s in line.segments:
            middle = (s.left + s.right) / 2  # a head may be centred over its column, wider than its cells' words
            at = max((i for i, (lo, _) in enumerate(columns) if lo - align <= middle), default=0)
            if any(s.left < lo - align and lo + align < s.right for i, (lo, _) in enumerate(columns) if i != at):
                return None  # over another column's start too: a line across the columns
            out.append((at, (s.start, s.end)))
        return out

    above = [i for i in range(top - 1, -1, -1) if not lines[i].rule][:4]  # the content lines over it, nearest first
    start = 1 if above and heads(lines[above[0]]) is None else 0  # an issue's heading across the columns
    taken: list[tuple[int, list[tuple[int, Piece]]]] = []
    for i in above[start:start + 3]:
        found = heads(lines[i])
        if found is None:
            break
        taken.append((i, found))
    while taken and len(taken[-1][1]) < 2:
        taken.pop()  # the highest line read is the one parted into heads
    if not taken:
        return None, top
    cells: list[list[Piece]] = [[] for _ in columns]
    for _, found in reversed(taken):
        for at, piece in found:
            cells[at].append(piece)
    return Row(cells, header=True), above[0] if start else top


def interleaved(rows: list[Row]) -> bool:
    """pdfium's text runs across a row's cells line by line (a cell's second line after the next
    cell's first): the text alone cannot tell the cells apart."""
    for row in rows:
        order = sorted((piece[0], column) for column, cell in enumerate(row.cells) for piece in cell)
        columns = [column for _, column in order]
        if any(b < a for a, b in zip(columns, columns[1:])):
            return True
    return False


def text_boxes(text: str) -> Callable[[int], Box]:
    """A plain text's characters' boxes: each a column wide and a line high, as a fixed-width
    font prints it, so a table laid out with spaces is read as a PDF's by its boxes."""
    import bisect

    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def box(i: int) -> Box:
        line = bisect.bisect_right(starts, i) - 1
        column = float(i - starts[line])
        return column, -line - 1.0, column + 1.0, -float(line)
    return box


def text_tables(text: str) -> list[Table]:
    """A plain text's table laid out with spaces, when its cells' lines run across (a fixed-width
    table, each cell wrapped over lines of its own column), else none."""
    rows, _ = table_rows(text, text_boxes(text))
    return page_tables([(0, 0, rows)]) if rows and interleaved(rows) else []


def cell_words(text: str, cells: list[list[Piece]]) -> tuple[str, ...]:
    """A row's words, cell by cell: what tells a header a page repeats."""
    return tuple(" ".join(" ".join(text[a:b].split()) for a, b in cell) for cell in cells)
