"""A document read with its tables cell after cell, for parsing, with the way back to the file.

pdfium reads a table line by line across its cells (formats/table_layout.py). Where that leaves a
reply's structure unreadable, the parsers read this instead: the same text, each table row
written as its cells in turn ("I.1<TAB>Governments …<TAB>Yes<TAB>The Cybercrime Division …"),
as a Word table reads. Every character of it but the tabs, spaces and line ends put between
cells is a character of the file, and `Reading.to_file` maps a passage parsed from it back to
the file's offsets (a cell's lines become pieces of its citation), so what is stored and cited
is still the text pdfium reads.

Pure: text and rows in, a reading out; a passage in, the same passage in the file's offsets out.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from indexer.formats.table_layout import Table
from indexer.models import Passage, Span

Run = tuple[int, int, int]  # (reading offset, file offset, length): characters copied verbatim


@dataclass(frozen=True)
class Reading:
    text: str
    runs: list[Run]
    page_starts: list[int]

    def to_file(self, passage: Passage) -> Passage:
        """The passage with its spans and its text's map in the file's offsets: each run of its
        map split where the reading puts cells side by side that the file does not; a span a
        piece the reading copied, joined to the piece before only where both follow on in the
        file as in the reading (a cell's next line is another span), the spans in file order."""
        offsets = [(t0 + (f - v0), f_file, n) for t0, v0, length in passage.offsets
                   for f, f_file, n in self._copied(v0, v0 + length)]
        spans: list[list[int]] = []  # in reading order, a piece joining the one before it in the file too
        for _, f, n in (run for s in passage.spans for run in self._copied(s.start, s.end)):
            if spans and f == spans[-1][1]:
                spans[-1][1] = f + n
            else:
                spans.append([f, f + n])
        return passage.model_copy(update={"offsets": offsets, "spans": [Span(start=a, end=b) for a, b in sorted(spans)]})

    def _copied(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(reading offset, file offset, length) of the copied characters of reading range [start, end)."""
        out = []
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        while i < len(self.runs) and self.runs[i][0] < end:
            v0, f0, n = self.runs[i]
            lo, hi = max(start, v0), min(end, v0 + n)
            if lo < hi:
                out.append((lo, f0 + lo - v0, hi - lo))
            i += 1
        return out

    @cached_property
    def _starts(self) -> list[int]:
        return [r[0] for r in self.runs]


def read_cells(text: str, tables: list[Table], page_starts: list[int]) -> Reading:
    """The text with each table's rows written cell after cell where the table stands: cells
    parted by tabs, a cell's lines by spaces, a row a line (a row a page further on ends is
    written whole where it begins). A table's span holds its rows' words and white space only,
    so nothing of the file's text is lost or read twice."""
    out: list[str] = []
    runs: list[Run] = []
    length = 0

    def copy(a: int, b: int) -> None:
        nonlocal length
        if b > a:
            runs.append((length, a, b - a))
            out.append(text[a:b])
            length += b - a

    def put(s: str) -> None:
        nonlocal length
        out.append(s)
        length += len(s)

    at = 0
    placed: list[tuple[int, int, int]] = []  # (file start, file end, reading start) of each table's part
    parts = sorted((part, n) for n, table in enumerate(tables) for part in table.parts)
    for (start, end), n in parts:
        copy(at, start)
        if out and not out[-1].endswith("\n"):
            put("\n")  # a row opens a line ("\f", a page's end, opens none)
        placed.append((start, end, length))
        if (start, end) == tables[n].parts[0]:  # the table's rows where it begins
            for row in tables[n].rows:
                for k, cell in enumerate(row.cells):
                    put("\t" if k else "")
                    for j, (a, b) in enumerate(cell):
                        put(" " if j else "")
                        copy(a, b)
                put("\n")
        at = max(at, end)
    copy(at, len(text))
    return Reading("".join(out), runs, [_to_reading(runs, placed, p) for p in page_starts])


def _to_reading(runs: list[Run], placed: list[tuple[int, int, int]], at: int) -> int:
    """Where file offset `at` (a page's start) stands in the reading: a table's first offset
    where the table's rows begin."""
    for start, end, reading_start in placed:
        if start <= at < end:
            return reading_start
    for v0, f0, n in runs:
        if f0 <= at < f0 + n:
            return v0 + at - f0
    return runs[-1][0] + runs[-1][2] if runs else 0
