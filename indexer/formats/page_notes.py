"""A page's footnotes as pdfium reads them: the notes below a rule of underscores (or, with no
rule, below the page's running foot or right above its page number), and the marks in the body
that name them ("Development,14 in"), which pdfium reads as plain digits. Pure functions over
the stored text and its pages' bounds; they add to a PageLayout (page_lines.py) what they find.
"""
from __future__ import annotations

import itertools
import re

from indexer.formats.page_lines import TEXT_PAGE_NUMBER, PageLayout, line_key, page_lines
from indexer.text import MONTHS, REFERENCE_ABBREVIATIONS

RULE = re.compile(r"^[ \t]*_{8,}[ \t]*$")
NOTE_START = re.compile(r"^[ \t]*(\d{1,3}|\*{1,3})[ \t]+\S")
NOTE_LINES = 4  # a page's notes with no rule above its running foot: this many lines at most (_above_the_foot)
HEADING_MARK = re.compile(r"(?<=[a-z] )(\d{1,3})(?=[ \t]*\r?\n[ \t]*[A-Z])")  # ... or a number set off at a line's end
#                                                        ("… public safety 2", a heading's mark), read so only there
SENTENCE_END = re.compile(r"[.!?;:)\]”\"]\s*$")  # the body's last line before them ends a sentence
LONE_NUMBER = re.compile(r"^[ \t]*(\d{1,3})[ \t]*$")  # a note's number on a line of its own, over its words
NOTE_STEP = 3  # a page's next note is numbered at most this much higher (note_numbers)
# a numbered line that goes on with the note above it: a date wrapped to the next line ("1 April
# 2025, available at …") or a sentence's next words ("12 per cent of the seizures …")
GOES_ON = re.compile(rf"^[ \t]*\d{{1,3}}[ \t]+(?:{MONTHS}\b|[a-z]+[ \t])")
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


def footnotes(text: str, bounds: list[tuple[int, int]], layout: PageLayout) -> None:
    """Footnotes stand below a rule of underscores at the foot of a page, each opening with its
    number; the rule is layout (dropped), each note a body of its own (a passage, not body text).
    A page with no rule may hold them below its foot's running line (`_below_the_foot`)."""
    running = set(layout.running)
    keys = {line_key(text[s:e]) for s, e in running}
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
    key = line_key(text[slice(*line)])
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
        numbered_twice = LONE_NUMBER.match(text[s:e]) and line_key(text[slice(*foot)]) == "<number>"  # "– 4 –" over
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


def marks(text: str, bounds: list[tuple[int, int]], layout: PageLayout) -> None:
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
