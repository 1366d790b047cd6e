"""What a page adds to its text that is not the document's: running headers and footers,
page numbers, typesetting hyphens. Pure functions over the stored text and page starts.

The result is a list of character ranges that clean text leaves out (the stored text keeps
them, so offsets stay those of the extraction).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache

from indexer.formats.page_lines import TEXT_PAGE_NUMBER, PageLayout, page_lines
from indexer.formats.page_lines import line_key as _key
from indexer.formats.page_notes import footnotes, marks

EDGE_LINES = 3  # lines at the top and at the bottom of a page where running lines stand
LONG_RUNNING = 40  # characters of a running line found on all pages but one (a short document's header)
LETTERHEAD_LINES = 8  # ... and further down, a running line after running lines only (a letterhead of five lines)
PAGE_NUMBER = re.compile(r"^[\s\-–—]*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?[\s\-–—]*$", re.I)
# a running line that carries the page's number: "Chapter 2: ASN.1 structure handling 3", "12 Report of
# the Board" (its words may change from chapter to chapter, its number goes up with the page)
PAGE_NUMBERED = re.compile(r"^[ \t]*(\d{1,3})[ \t]+(\S.{1,100}?)[ \t]*$|^[ \t]*(\S.{1,100}?)[ \t]+(\d{1,3})[ \t]*$")
HEAD_LINES = 2  # a table's header pages repeat atop them: this many lines at least (repeated_heads) ...
HEAD_WIDTH = 40  # ... each this many characters at most (a column's head, not a paragraph's line)
# a form's own label at a page's edge, however often: "Recommendation #", "Comments:", "Any action taken …" (a
# short form's pages all end on a comment's label and begin with the next recommendation: no running line)
FORM_LABEL = re.compile(r"(?:recommend\w*|recomendaci\w+|recommandation)[ #.ivx]*$|(?:comments?|remarks|observations?"
                        r"|comentarios?|commentaires?)[ :]*$|(?:any )?actions? taken\b")
FORM_PLACE = re.compile(r"(?i:recommend|recomenda|recomend|issue|question|item)")  # a form's label, no page's line
SOFT_HYPHEN = re.compile("\ufffe[ \t]*(?:\r\n|\n|\r)?[ \t]*")


TEXT_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,})-[ \t]*(?:\r\n|\n|\r)[ \t]*([a-z][^\W\d_]*)")  # "investi-⏎gation"
PARTICLES = {"and", "or", "to", "up", "in", "on", "out", "off", "down", "und", "et", "ou", "y", "o"}  # "short-⏎and
#   long-term", "follow-⏎up": a compound's second part, never a word's end


def text_layout(text: str) -> PageLayout:
    """A plain text's print furniture, as a file converted from paper keeps it: lines holding a
    page's number alone ("- 3 -", "Page 3"), two or more numbered upward, are running lines, and
    in a text printed in pages (form feeds) the heads and feet its pages repeat (`page_layout`); a
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
    running = [(a, b) for a, b, _ in numbered] if upward else []
    if "\f" in text:  # printed in pages (form feeds): its running heads and feet found as a PDF's are
        running = sorted(set(running) | set(_paged_running(text)))
    return PageLayout(running=running, hyphens=hyphens)


def _paged_running(text: str) -> list[tuple[int, int]]:
    """A paged plain text's running lines, as `page_layout` finds them, kept where the text alone
    says so: a line its pages repeat word for word ("SEDRONAR – Reply to the CND questionnaire"),
    or a short line numbered as its page is ("Página 2 / Page 2"). (A page's edge reads few
    lines, so "Recommendation 1" atop page 1 and "Recommendation 4" atop page 4, or a year
    wrapped onto a page's top, match there too: a typed text marks no running line so.)"""
    starts = [0] + [m.end() for m in re.finditer("\f", text)]
    found = page_layout(text, starts).running
    said = Counter(text[a:b].strip() for a, b in found)
    kept = []
    for a, b in found:
        line = text[a:b].strip()
        page = bisect.bisect_right(starts, a)
        numbers = [int(n) for n in re.findall(r"\d{1,4}", line)]
        if said[line] >= 2 or (numbers and numbers[0] == page and len(line.split()) <= 6 and not FORM_PLACE.search(line)):
            kept.append((a, b))
    return kept


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
    running = {k for k, n in counts.items() if ((n >= need and len(k) >= 3)
               or (len(page_starts) >= 3 and n >= len(page_starts) - 1 and len(k) >= LONG_RUNNING
                   and not re.search(r"[.!?;:]$", k))) and not FORM_LABEL.match(k)}  # a short
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
        top, below = lines[0], lines[1]  # a page's first line over its number ("Page 2 of 2", "- 2 -") heads it,
        if below in found and TEXT_PAGE_NUMBER.match(text[slice(*below)]) and top not in found \
                and not re.search(r"[.!?;:,]\s*$", text[slice(*top)]):  # though no other page repeats it (a reply
            found.add(top)  # of two pages, its first a letterhead's; not the end of a sentence over a year, "2021")
    found |= repeated_heads(text, bounds, found)
    layout.running = sorted(found)
    footnotes(text, bounds, layout)
    marks(text, bounds, layout)
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
