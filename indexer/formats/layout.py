"""What a page adds to its text that is not the document's: running headers and footers,
page numbers, typesetting hyphens. Pure functions over the stored text and page starts.

The result is a list of character ranges that clean text leaves out (the stored text keeps
them, so offsets stay those of the extraction).
"""
from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.text import MONTHS, REFERENCE_ABBREVIATIONS

EDGE_LINES = 3  # lines at the top and at the bottom of a page where running lines stand
LONG_RUNNING = 40  # characters of a running line found on all pages but one (a short document's header)
LETTERHEAD_LINES = 8  # ... and further down, a running line after running lines only (a letterhead of five lines)
PAGE_NUMBER = re.compile(r"^[\s\-–—]*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?[\s\-–—]*$", re.I)
# a running line that carries the page's number: "Chapter 2: ASN.1 structure handling 3", "12 Report of
# the Board" (its words may change from chapter to chapter, its number goes up with the page)
PAGE_NUMBERED = re.compile(r"^[ \t]*(\d{1,3})[ \t]+(\S.{1,100}?)[ \t]*$|^[ \t]*(\S.{1,100}?)[ \t]+(\d{1,3})[ \t]*$")
LINE = re.compile(r"[^\r\n\f]*(?:\r\n|\n|\r)?")
RULE = re.compile(r"^[ \t]*_{8,}[ \t]*$")
NOTE_START = re.compile(r"^[ \t]*(\d{1,3}|\*{1,3})[ \t]+\S")
NOTE_LINES = 4  # a page's notes with no rule above its running foot: this many lines at most (_above_the_foot)
HEADING_MARK = re.compile(r"(?<=[a-z] )(\d{1,3})(?=[ \t]*\r?\n[ \t]*[A-Z])")  # ... or a number set off at a line's end
#                                                        ("… public safety 2", a heading's mark), read so only there
SENTENCE_END = re.compile(r"[.!?;:)\]”\"]\s*$")  # the body's last line before them ends a sentence
LONE_NUMBER = re.compile(r"^[ \t]*(\d{1,3})[ \t]*$")  # a note's number on a line of its own, over its words
HEAD_LINES = 2  # a table's header pages repeat atop them: this many lines at least (repeated_heads) ...
HEAD_WIDTH = 40  # ... each this many characters at most (a column's head, not a paragraph's line)
NOTE_STEP = 3  # a page's next note is numbered at most this much higher (note_numbers)
# a numbered line that goes on with the note above it: a date wrapped to the next line ("1 April
# 2025, available at …") or a sentence's next words ("12 per cent of the seizures …")
GOES_ON = re.compile(rf"^[ \t]*\d{{1,3}}[ \t]+(?:{MONTHS}\b|[a-z]+[ \t])")
SOFT_HYPHEN = re.compile("\ufffe[ \t]*(?:\r\n|\n|\r)?[ \t]*")
# A footnote mark as pdfium reads a superscript: digits glued to the word or punctuation before them
# ("Development,14 in", "standards18 that", "these areas.2", "for 2024.3"), then a space, punctuation
# or the line end.
MARK = re.compile(r"(?:(?<=[A-Za-z]{2})|(?<=[A-Za-z)”’\"][.,;:)\]”’\"])|(?<=[0-9]\.)|(?<=\b(?:19|20)\d\d,))"
                  r"(\d{1,3})(?=[\s.,;:)\]]|$)")  # a year then a comma: "in 2016,29 in which"
# ... or, as pdfium sometimes spaces it, after punctuation and a space: "Protocol, 4 the", "Bourdon. 8"
SPACED_MARK = re.compile(r"(?<=([A-Za-z)”’\"])[.,;:] )(\d{1,3})(?=\s|$)")
# ... or after a word and a space at a line's end, where pdfium broke the line at the superscript and
# opens the rest of it with a space: "the arrest of three men and three women 45⏎ in an irregular situation"
LINE_END_MARK = re.compile(r"(?:(?<=[A-Za-z)”’\"] )|(?<=\b(?:19|20)\d\d ))(\d{1,3})"  # after a word, or a year: "of 1988 33"
                           r"(?=[ \t]*(?:\r\n|\n|\r)[ \t]+[a-z.,;:])")  # the rest of the line, not an indented "(a) …"
# after a full stop, digits are a mark only where a sentence ends: a capital or a new numbered
# paragraph next, on this line or the next ("areas.2⏎5. Particularly"), not "Rev.1 as amended"
AFTER_SENTENCE = re.compile(r"[ \t]*(?:$|\f)|[ \t]+[A-Z“\"(]|[ \t]*(?:\r\n|\n|\r)[ \t]*(?:[A-Z“\"(_]|\d{1,3}\.\s)")
ABBREVIATION = re.compile(rf"\b(?:{'|'.join(sorted(REFERENCE_ABBREVIATIONS))})[.,;:] $",
                          re.I)  # "No. 14", "para. 5", "vol. 3": a reference, not a mark


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


TEXT_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,})-[ \t]*(?:\r\n|\n|\r)[ \t]*([a-z][^\W\d_]*)")  # "investi-⏎gation"
TEXT_PAGE_NUMBER = re.compile(r"^[ \t]*(?:[-–—][ \t]*(\d{1,3})[ \t]*[-–—]|[Pp]age[ \t]+(\d{1,3})(?:[ \t]+of[ \t]+\d{1,3})?)[ \t]*$",
                              re.M)  # "- 3 -", "Page 3 of 9" (not "- 2018 -", a year heading); stricter than
#   PAGE_NUMBER, which a page's edge bounds: in a plain text a bare "3" on its line is a list's or a table's
PARTICLES = {"and", "or", "to", "up", "in", "on", "out", "off", "down", "und", "et", "ou", "y", "o"}  # "short-⏎and
#   long-term", "follow-⏎up": a compound's second part, never a word's end


def text_layout(text: str) -> PageLayout:
    """A plain text's print furniture, as a file converted from paper keeps it: lines holding a
    page's number alone ("- 3 -", "Page 3"), two or more numbered upward, are running lines; a
    word hyphenated across a line break ("authori-⏎ties") loses its hyphen and break in clean
    text; a compound (the file writes it hyphenated on one line too, "cyber-related", or its
    second part is a particle, "follow-⏎up") only its break."""
    numbered = [(m.start(), m.end(), int(m.group(1) or m.group(2))) for m in TEXT_PAGE_NUMBER.finditer(text)]
    upward = len(numbered) >= 2 and all(a[2] < b[2] for a, b in zip(numbered, numbered[1:]))
    compounds = set(re.findall(r"[^\W\d_]+-[^\W\d_]+", text.lower()))
    hyphens = []
    for m in TEXT_HYPHEN.finditer(text):
        left, right = m.group(1).lower(), m.group(2).lower()
        compound = right in PARTICLES or f"{left}-{right}" in compounds
        hyphens.append((m.start(1) + len(m.group(1)) + compound, m.start(2)))  # (a compound keeps its hyphen)
    return PageLayout(running=[(a, b) for a, b, _ in numbered] if upward else [], hyphens=hyphens)


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


def _key(line: str) -> str:
    """A running line with its page number taken out: '2 GE.11-14583' and 'GE.11-14583 3' agree."""
    line = re.sub(r"\s+", " ", line.strip())
    if len(line) <= 24 and re.fullmatch(r"[\d\s\-–/.()]+", line):
        return "<number>"  # '24-22638 5': a job number and a page number, both numbers
    return re.sub(r"\d+", "#", line).strip("# ").lower()


def page_layout(text: str, page_starts: list[int]) -> PageLayout:
    """Running headers and footers: a line repeated (page numbers aside) among the first or
    last lines of at least half the pages (three at least); and a lone page number there.
    Title inference, the parser and acronym harvesting each ask for a document's layout: it
    is found once (the result is shared; callers only read it)."""
    return _page_layout(text, tuple(page_starts))


@lru_cache(maxsize=1024)  # a build reads each document three times (title, passages, acronyms): keep them all
def _page_layout(text: str, page_starts: tuple[int, ...]) -> PageLayout:
    page_starts = list(page_starts)
    layout = PageLayout(hyphens=[(m.start(), m.end()) for m in SOFT_HYPHEN.finditer(text)])
    if not page_starts:
        return layout
    bounds = list(zip(page_starts, page_starts[1:] + [len(text) + 1]))
    edges: list[list[tuple[int, int]]] = []
    counts: Counter = Counter()
    sides: list[tuple[str, list[tuple[int, int]]]] = []  # each page's top and bottom, from its edge inwards
    placed: Counter = Counter()  # (side, place from the edge, line): how many pages hold it there
    for a, b in bounds:
        lines = page_lines(text, a, min(b - 1, len(text)))
        edge = lines[:EDGE_LINES] + [x for x in lines[-EDGE_LINES:] if x not in lines[:EDGE_LINES]]
        edges.append(edge)
        counts.update({_key(text[s:e]) for s, e in edge})
        for name, side in (("top", lines[:LETTERHEAD_LINES]), ("bottom", lines[::-1][:EDGE_LINES])):
            sides.append((name, side))  # (a letterhead stands at the top; at the bottom, a form's last lines
            placed.update({(name, i, _key(text[s:e])) for i, (s, e) in enumerate(side)})  # recur alike)
    need = max(3, (len(page_starts) + 1) // 2)
    running = {k for k, n in counts.items() if (n >= need and len(k) >= 3)
               or (len(page_starts) >= 3 and n >= len(page_starts) - 1 and len(k) >= LONG_RUNNING
                   and not re.search(r"[.!?;:]$", k))}  # a short
    #   reply's header, its first page a letterhead's instead: a long line at the edge of all of three or more
    #   pages but one (not "Recommendation 2", a short one; not a preamble quoted atop both pages of two; not
    #   a sentence, "No action has been taken on this recommendation." opening two pages' answers)
    numbered = page_numbered_lines(text, edges)

    def runs(name: str, i: int, s: int, e: int) -> bool:
        """Within EDGE_LINES of the edge, a line repeated on enough pages, or a page number; further
        in, a line each of those pages holds at the same place, after running lines only."""
        line = text[s:e]
        if i >= EDGE_LINES:
            return placed[(name, i, _key(line))] >= need and len(_key(line)) >= 3
        return _key(line) in running or (PAGE_NUMBER.match(line) and len(page_starts) >= 2) or (s, e) in numbered

    found = set()
    for name, side in sides:
        for i, (s, e) in enumerate(side):
            if i >= EDGE_LINES and not all(runs(name, j, *x) for j, x in enumerate(side[:i])):
                break
            if runs(name, i, s, e):
                found.add((s, e))
    for a, b in bounds:  # a line between two running lines at the edge runs too: the chapter a header names
        lines = page_lines(text, a, min(b - 1, len(text)))  # ("Issue 2 – …"), on a page with a body besides
        if len(lines) <= 2 * EDGE_LINES:  # (a page's one line of text between its header and footer is its own)
            continue
        for side in (lines[:EDGE_LINES], lines[::-1][:EDGE_LINES]):
            for before, line, after in zip(side, side[1:], side[2:]):
                if before in found and after in found:
                    found.add(line)
    found |= repeated_heads(text, bounds, found)
    layout.running = sorted(found)
    _footnotes(text, bounds, layout)
    _marks(text, bounds, layout)
    skip = sorted(layout.running + [(a, b) for a, b, _ in layout.notes])
    layout.hyphens = [_across_pages(text, a, b, skip) for a, b in layout.hyphens]
    return layout


def repeated_heads(text: str, bounds: list[tuple[int, int]], running: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """A table's header pages repeat atop them ("Recommendation" / "Action" / "taken" /
    "Comments" over the rows going on): the same short lines, HEAD_LINES at least, first after the
    running lines of two pages or more. Page furniture, no comment's words, though the page that
    first prints the header holds it further down."""
    tops: dict[tuple[str, ...], list[tuple[list[tuple[int, int]], list[str]]]] = {}
    for a, b in bounds:
        lines = [x for x in page_lines(text, a, min(b - 1, len(text))) if x not in running]
        keys = [_key(text[s:e]) for s, e in lines]
        if len(keys) > HEAD_LINES and all(0 < len(k) <= HEAD_WIDTH for k in keys[:HEAD_LINES]):
            tops.setdefault(tuple(keys[:HEAD_LINES]), []).append((lines, keys))
    found: set[tuple[int, int]] = set()
    for pages in (p for p in tops.values() if len(p) >= 2):
        n = HEAD_LINES
        while all(n < len(keys) and 0 < len(keys[n]) <= HEAD_WIDTH and keys[n] == pages[0][1][n]
                  for _, keys in pages):
            n += 1
        for lines, _ in pages:
            found.update(lines[:n])
    return found


def page_numbered_lines(text: str, edges: list[list[tuple[int, int]]]) -> set[tuple[int, int]]:
    """Lines at a page's edge that carry its printed number beside words that change from
    chapter to chapter ("Chapter 2: ASN.1 structure handling 3", "Chapter 3: Utilities 6"), so
    no one line repeats on half the pages. The printed number is the page's place plus one
    offset for the whole document, and the line stands where the others do (top or foot, the
    number before or after the words): the form three pages or more agree on. A line whose
    words end a sentence is a numbered note or paragraph, not a running line; nor is a line on
    a page that a page number of its own numbers already ("1" or "Page 1" above chapter 1's
    heading "1 Introduction")."""
    found: list[tuple[int, tuple, int, int]] = []  # (page place, form, start, end) of lines with a number
    forms: Counter = Counter()
    for place, edge in enumerate(edges):
        seen = set()
        for at, (s, e) in enumerate(edge):
            m = PAGE_NUMBERED.match(text[s:e])
            if not m:
                continue
            number, words = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if words.rstrip().endswith((".", ";", ":", ",")) or not re.search(r"[A-Za-z]{3}", words):
                continue
            form = (int(number) - place, at < EDGE_LINES, bool(m.group(1)))  # offset, at the top, number first
            found.append((place, form, s, e))
            if form not in seen:
                seen.add(form)
                forms[form] += 1
    if not forms:
        return set()
    form, pages = forms.most_common(1)[0]
    if pages < 3:
        return set()
    numbered = {place for place, edge in enumerate(edges) for s, e in edge
                if PAGE_NUMBER.match(text[s:e]) and re.search(rf"(?<!\d){place + form[0]}(?!\d)", text[s:e])}
    return {(s, e) for place, f, s, e in found if f == form and place not in numbered}


def _footnotes(text: str, bounds: list[tuple[int, int]], layout: PageLayout) -> None:
    """Footnotes stand below a rule of underscores at the foot of a page, each opening with its
    number; the rule is layout (dropped), each note a body of its own (a passage, not body text).
    A page with no rule may hold them below its foot's running line (`_below_the_foot`)."""
    running = set(layout.running)
    keys = {_key(text[s:e]) for s, e in running}
    for a, b in bounds:
        lines = page_lines(text, a, min(b - 1, len(text)))
        rules = [i for i, (s, e) in enumerate(lines) if RULE.match(text[s:e])]
        if rules:
            layout.running.append(lines[rules[-1]])
            _notes_of(text, [(s, e) for s, e in lines[rules[-1] + 1:] if (s, e) not in running], layout)
        elif (below := _below_the_foot(text, lines, running, keys)):
            feet, notes = below
            layout.running = [x for x in layout.running if x not in notes] + [x for x in feet if x not in running]
            _notes_of(text, notes, layout, lone=True)
    layout.running.sort()


def _first_marks(text: str, start: int, end: int, *patterns: re.Pattern) -> dict[str, int]:
    """Each mark's number and where it first stands between start and end (one pass over the page)."""
    first: dict[str, int] = {}
    for pattern in patterns:
        for m in pattern.finditer(text, start, end):
            first[m.group(1)] = min(first.get(m.group(1), m.start()), m.start())
    return first


def _a_foot(text: str, line: tuple[int, int], running: set[tuple[int, int]], keys: set[str]) -> bool:
    """The line is the page's furniture: a running line, one the other pages run (the notes below
    it push it from the page's edge), or a page number spelt as one ("– 4 –", "Page 4 of 7"; not
    a year's line, "2021", whose digits alone key alike)."""
    key = _key(text[slice(*line)])
    return line in running or (key in keys and (key != "<number>" or bool(TEXT_PAGE_NUMBER.match(text[slice(*line)]))))


def _below_the_foot(text: str, lines: list[tuple[int, int]], running: set[tuple[int, int]], keys: set[str]
                    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """(the foot's lines, the notes) of a page whose notes have no rule above them, as pdfium reads some
    pages: below a running line that follows the body (one the other pages run, though the notes
    push it from the page's edge), lines opening with a number (or the number alone over the
    note's words) that a mark glued in the body above names ("… countermeasures2" and, below
    "MALTA Reply to the CND Questionnaire", "2" over "Replies under Issue IV were …"), up to the
    next running line. None when there are none."""
    if len(lines) < 3:
        return None
    marks = _first_marks(text, lines[0][0], lines[-1][1], MARK)
    for i in range(2, len(lines)):
        (s, e), foot = lines[i], lines[i - 1]
        numbered_twice = LONE_NUMBER.match(text[s:e]) and _key(text[slice(*foot)]) == "<number>"  # "– 4 –" over
        #   "1": the page is numbered already, the lone number below opens a note
        if not _a_foot(text, foot, running, keys) or ((s, e) in running and not numbered_twice) \
                or all(x in running for x in lines[:i - 1]):
            continue
        opens = NOTE_START.match(text[s:e])
        if opens is None and i + 1 < len(lines) and lines[i + 1] not in running:
            opens = LONE_NUMBER.match(text[s:e])
        number = opens.group(1) if opens else ""
        if number.isdigit() and marks.get(number, len(text)) < foot[0] and not GOES_ON.match(text[s:e]):
            feet = list(itertools.takewhile(lambda x: _a_foot(text, x, running, keys), lines[i - 1::-1]))
            return feet, [lines[i], *itertools.takewhile(lambda x: x not in running, lines[i + 1:])]
    return _above_the_foot(text, lines, running)


def _above_the_foot(text: str, lines: list[tuple[int, int]], running: set[tuple[int, int]]
                    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """(the foot's first line, the notes) of a page whose last lines above its running foot ("- 5
    -") are a note with no rule: a line opening with a number that a mark in the body names
    (glued, or set off at a heading's end: HEADING_MARK), not going on with the line above
    (GOES_ON: "14 of these cases …"), after a line that ends a sentence, within NOTE_LINES of the
    foot ("… for drug use offences." over "2 Statistics in this section refer to calendar year
    2019 …"). None when there is none."""
    bottom = len(lines)
    while bottom and lines[bottom - 1] in running:
        bottom -= 1
    if bottom == len(lines) or bottom < 2:
        return None
    marks = _first_marks(text, lines[0][0], lines[bottom - 1][1], MARK, HEADING_MARK)
    for j in range(max(1, bottom - NOTE_LINES), bottom):
        line = text[slice(*lines[j])]
        opens = NOTE_START.match(line)
        if opens and opens.group(1).isdigit() and not GOES_ON.match(line) and SENTENCE_END.search(
                text[slice(*lines[j - 1])]) and marks.get(opens.group(1), len(text)) < lines[j][0]:
            return [lines[bottom]], lines[j:bottom]
    return None


def _notes_of(text: str, lines: list[tuple[int, int]], layout: PageLayout, lone: bool = False) -> None:
    """The notes among a page's lines below its body: each opens with its number (note_numbers),
    or (`lone`) stands over its words."""
    below = [(s, e, NOTE_START.match(text[s:e]) or (LONE_NUMBER.match(text[s:e]) if lone else None)) for s, e in lines]
    numbered = note_numbers([int(m.group(1)) if m and m.group(1).isdigit() else None for _, _, m in below],
                            [bool(GOES_ON.match(text[s:e])) for s, e, _ in below])
    current: list | None = None
    for i, (s, e, m) in enumerate(below):
        if m and (i in numbered or not m.group(1).isdigit()):  # "*" notes open a note wherever they stand
            if current:
                layout.notes.append(tuple(current))
            current = [s, e, m.group(1)]
        elif current:
            current[1] = e
    if current:
        layout.notes.append(tuple(current))


def note_numbers(numbers: list[int | None], goes_on: list[bool] | None = None) -> set[int]:
    """Which of a page's lines below the rule open a note, given the number each opens with
    (None: none) and whether it reads as going on with the line above (GOES_ON: a date or a
    lower-case word after the number). A page's notes are numbered one after another, so the
    notes are the longest run of lines whose numbers rise by 1 to NOTE_STEP (a note pdfium did
    not read leaves a gap), among lines that do not go on; of equally long runs, the one with
    the smallest gaps, then the one ending last (a wrapped "11 April 2025, …" stands before the
    real note 11); and the first numbered line, which nothing stands before to go on with. Other
    numbered lines go on with the note before them: under note 10, "1 April 2025, available at
    …"; under note 28, "30 March 2025." when note 29 follows."""
    goes_on = goes_on or [False] * len(numbers)
    runs = [None if g else n for n, g in zip(numbers, goes_on, strict=True)]
    best: list[tuple[int, int]] = []  # per line: (run length, -gaps) of the best run ending there
    back: list[int | None] = []
    for i, n in enumerate(runs):
        score, before = (0, 0), None
        if n is not None:
            score = (1, 0)
            for j in range(i):
                m = runs[j]
                if m is not None and 1 <= n - m <= NOTE_STEP:
                    length, gaps = best[j]
                    candidate = (length + 1, gaps - (n - m - 1))
                    if candidate >= score:  # ties: the later line, the real note after a wrapped one
                        score, before = candidate, j
        best.append(score)
        back.append(before)
    firsts = [i for i, n in enumerate(numbers) if n is not None]
    if not firsts:
        return set()
    end = max(range(len(runs)), key=lambda i: (best[i], i))
    if best[end][0] < 2:
        end = None  # no two notes in a row: the first numbered line is the page's one note
    chosen = {firsts[0]}  # the first numbered line opens a note, whatever follows
    while end is not None:
        chosen.add(end)
        end = back[end]
    return chosen


def _marks(text: str, bounds: list[tuple[int, int]], layout: PageLayout) -> None:
    """Footnote marks: pdfium reads a superscript as plain digits, so "Development,14 in" would
    reach the clean text. Digits count as a mark only when a footnote of that number stands at
    the foot of the same page, and they are glued to what precedes them; after a full stop they
    must also end the sentence ("areas.2 The", not "Rev.1 as amended")."""
    for a, b in bounds:
        page_notes = [(s, e, n) for s, e, n in layout.notes if a <= s < b]
        note_of: dict[str, int] = {}
        for s, _, n in page_notes:
            if n.isdigit():
                note_of.setdefault(n, s)
        if not note_of:
            continue
        body_end = min(s for s, _, _ in page_notes)
        glued = [m for m in MARK.finditer(text, a, body_end) if m.group(1) in note_of and (
            text[m.start() - 1] != "." or AFTER_SENTENCE.match(text, m.end()))]
        found = {m.group(1) for m in glued}
        spaced: dict[str, list] = {}
        for m in SPACED_MARK.finditer(text, a, body_end):
            if m.group(2) in note_of and m.group(2) not in found and not ABBREVIATION.search(text, a, m.start(2)):
                spaced.setdefault(m.group(2), []).append(m)
        for m in LINE_END_MARK.finditer(text, a, body_end):
            if m.group(1) in note_of and m.group(1) not in found:
                spaced.setdefault(m.group(1), []).append(m)
        unique = [ms[0] for ms in spaced.values() if len(ms) == 1]  # a spaced number is a mark only when alone
        for m in sorted(glued + unique, key=lambda m: m.start()):
            number = m.group(m.lastindex)
            start = m.start(m.lastindex) - (1 if m in unique else 0)  # a spaced mark's space goes too
            layout.marks.append((start, m.end(), number, note_of[number]))


def _across_pages(text: str, start: int, end: int, running: list[tuple[int, int]]) -> tuple[int, int]:
    """A hyphen at a page's last line reaches over the page break and the running lines to
    the next page's first word, so the two halves still join."""
    starts = {a: b for a, b in running}
    while end < len(text):
        if text[end].isspace():
            end += 1
        elif end in starts:
            end = starts[end]
        else:
            break
    return start, end
