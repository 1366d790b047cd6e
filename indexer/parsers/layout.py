"""Where a paged document's line ends a piece of writing that has no full stop: a heading, a
line of a title block, a table's row.

A PDF's text comes as lines, and the lines of a paragraph fill the page's width; a heading or
a title's line stops well short of it and has no full stop. The sentence splitter, which reads
the passage's text with its lines joined, ran such lines into the sentence after them ("First
regular session 2025 27 to 31 January 2025, New York Item 2 of the provisional agenda
Recommendations of the Board of Auditors … Summary In July 2024, the United Nations Board of
Auditors …"), and that run-on answered questions about the report. A line short of the page's
width, followed by a line that starts as a sentence does (a capital or a digit), ends its
sentence here, unless it ends in a word or a mark that carries the sentence on ("of", "and",
a comma, a hyphen). So does a line of any width that stands alone between a finished sentence
and a numbered paragraph, with no full stop of its own: that paragraph's heading. A heading, or
a line of the title block, is then no sentence of a section (without_headings); a list item, a
table's row and a response's short comment stay sentences.

Only text with pages (form feeds) is read so: a text file or Markdown has no page width to
measure, and its paragraphs are told apart by blank lines (indexer/text.py). Pure: the
document's text in, positions out.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

from indexer.parsers.general import ITEM, LABELLED, NUMBERED_ITEM, RUN_ON
from indexer.text import CLOSERS, SENTENCE_END as ENDS, file_to_text, split_at

SHORT = 0.7  # a line shorter than this share of its page's full width has stopped short
FULL = 0.9  # the page's full width: this quantile of its lines' lengths
MIN_LINES = 5  # a page with fewer lines has no width to measure (a cover, a map's caption)
LINE = re.compile(r"[^\n]+")
CARRIES_ON = tuple(",-–—/(")  # a line ending in one of these, or in a word the general parser reads on from
#                               ("of", "the", "and": RUN_ON), carries its sentence onto the next line
PARAGRAPH_NUMBER = re.compile(r"\s*\d{1,3}\.\s+\S")  # "22. Haitian and Dominican authorities …"
WORD = re.compile(r"[^\W\d_]{2}")  # a line without a word ("8.", "100.58.", "iv") numbers what follows it
SENTENCE_END = re.compile(f"[{re.escape(ENDS)}][{re.escape(CLOSERS)}]*(?:\\s?\\d{{1,3}})?$")  # a line ending so has
#                 ended its sentence (indexer/text.py; a footnote's mark may follow): no heading
MARK_AT_END = re.compile(r"(?:[,.;:)]\s?\d{1,3}|\b(?:19|20)\d\d\d{1,2})$")


class Line(NamedTuple):
    """A line of a paged document, as file positions: where it starts and ends, whether it
    stopped short of the page's width, where the line after it starts when this one ends its
    sentence (-1 when it does not), and whether it can head what follows."""

    start: int
    end: int
    short: bool
    ends_before: int
    heads: bool  # a paragraph comes next (_paragraph, or a numbered one)
    front: bool  # it stands in the title block, before the document's first long line


def at_stopped_lines(text: str, offsets: list[tuple[int, int, int]], spans: list[tuple[int, int]],
                     doc: str) -> list[tuple[int, int]]:
    """A passage's sentence spans cut where a line begins after a line that stopped short with
    no full stop, and a line that only numbers a paragraph ("8.") kept with the paragraph.
    `offsets`: the passage's runs (text start, file start, length).

    Lines the passage leaves out (a running header) stop nothing, and a line that ends in a
    footnote mark, which pdfium breaks the line at, does not let the piece of line after it
    stop: that piece is short because the mark cut it, not because it ended (pdfium starts
    such a piece with a space: "… three women 45 / in an irregular situation. In March 2025,
    the General / Directorate of Migration …")."""
    if not _lines(doc) or not offsets:
        return spans
    _, starts = _passage_lines(tuple(map(tuple, offsets)), doc)
    return numbers_kept(text, split_at(text, spans, starts))


def without_headings(text: str, offsets: list[tuple[int, int, int]], spans: list[tuple[int, int]],
                     doc: str) -> list[tuple[int, int]]:
    """The spans less those that are a heading or a title block's line (heading()), unless the
    passage has nothing else to answer with. Their words stay in the passage's text, for
    the search and the citation; as an answer they say nothing ("Summary", "Report of the UNDP
    Administrator"). Run after the masthead is cut out: "Security Council" is what is left of
    its line ("Security Council Distr.: General")."""
    mine, _ = _passage_lines(tuple(map(tuple, offsets)), doc)
    kept = [(a, b) for a, b in spans if not heading(text, (a, b), mine)]
    return kept or spans


@lru_cache(maxsize=2)
def _passage_lines(offsets: tuple[tuple[int, int, int], ...], doc: str
                   ) -> tuple[list[tuple[Line, tuple[int, int], bool]], list[int]]:
    """The passage's lines with their ranges in its text and whether each opens after a
    finished sentence (or at the passage's start, or after a line the text leaves out), and
    where in its text a sentence must start because the line before stopped. Cached: both
    steps (at_stopped_lines, without_headings) read the same passage's lines in turn."""
    lines = _lines(doc)
    if not lines or not offsets:
        return [], []
    lo, hi = offsets[0][1], offsets[-1][1] + offsets[-1][2]
    first, last = bisect.bisect_left(lines, (lo,)) - 1, bisect.bisect_left(lines, (hi,))
    mine: list[tuple[Line, tuple[int, int], bool]] = []
    starts, marked, previous_digit, opens = [], False, False, True
    for x in lines[max(first, 0):last]:
        where = file_to_text(offsets, x.start, x.end)
        if x.end <= lo:  # the line before the passage: its piece may open the passage
            marked = bool(MARK_AT_END.search(doc, x.start, x.end)) and not SENTENCE_END.search(doc, x.start, x.end)
            previous_digit = doc[x.end - 1].isdigit()
            continue
        if where[1] <= where[0]:  # left out of the passage's text (a running header): no piece of a
            marked = previous_digit = False  # line of it follows, and the next line opens
            opens = True
            continue
        after = file_to_text(offsets, x.ends_before, x.ends_before + 1) if x.ends_before >= 0 else (0, 0)
        piece = marked or (doc[x.start - 1:x.start] in (" ", "\t") and previous_digit)  # " in an irregular …"
        if after[1] > after[0] and not piece and not ends_in_a_mark(x, offsets, doc):
            starts.append(after[0])
        marked = ends_in_a_mark(x, offsets, doc) and not SENTENCE_END.search(doc, x.start, x.end)
        previous_digit = doc[x.end - 1].isdigit()
        mine.append((x, where, opens))
        opens = bool(SENTENCE_END.search(doc, x.start, x.end))
    return mine, sorted(starts)


def heading(text: str, span: tuple[int, int], lines: list[tuple[Line, tuple[int, int], bool]]) -> bool:
    """The span lies on short lines only, the last of them stopped, starts where its first line
    does, is no list item and ends with no full stop; and it stands in the title block, or
    stands between a finished sentence and a paragraph. A sentence that begins mid-line is no
    heading, nor is a table's row ("Chair Asia-Pacific States Shambhu Kumaran (India)", and the
    last row too, "Rapporteur African States … (Morocco)", which a paragraph follows), nor "1.
    Review all project documents before extension"."""
    on = [(x, where, opens) for x, where, opens in lines if where[0] < span[1] and span[0] < where[1]]
    if not on or not all(x.short for x, _, _ in on) or on[-1][0].ends_before < 0:
        return False
    placed = all(x.front for x, _, _ in on) or (on[0][2] and on[-1][0].heads)
    return (placed and not text[on[0][1][0]:span[0]].strip() and not SENTENCE_END.search(text[span[0]:span[1]])
            and not (ITEM.match(text[span[0]:span[1]]) or NUMBERED_ITEM.match(text, span[0])))


def ends_in_a_mark(line: Line, offsets: list[tuple[int, int, int]], doc: str) -> bool:
    """The line ends in a footnote mark: one the passage's text left out, or digits set after
    punctuation or glued to a year ("Protocol, 4", "of 1988, 6", "Substances of 19715")."""
    kept = file_to_text(offsets, line.end - 1, line.end)
    return kept[1] <= kept[0] or bool(MARK_AT_END.search(doc, line.start, line.end))


def numbers_kept(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A span with no word ("8.", "100.58.") joined to the span after it: the number of the
    paragraph that follows on its own line, which the splitter took for a sentence."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and not WORD.search(text, *out[-1]) and not text[out[-1][1]:a].strip():
            a = out.pop()[0]
        out.append((a, b))
    return out


@lru_cache(maxsize=4)
def _lines(doc: str) -> tuple[Line, ...]:
    """Every line of a paged document. Cached: every passage of a document asks it of the same
    text (passage_sentences.passage_sentences)."""
    if "\f" not in doc:
        return ()
    out, page_start, front = [], 0, True
    for page in doc.split("\f"):
        for a, b, short, c, heads in _page_lines(page):
            front = front and short
            out.append(Line(page_start + a, page_start + b, short, page_start + c if c >= 0 else -1, heads, front))
        page_start += len(page) + 1
    return tuple(out)


def _page_lines(page: str) -> list[tuple[int, int, bool, int, bool]]:
    lines = [(m.start(), m.group()) for m in LINE.finditer(page) if m.group().strip()]
    if len(lines) < MIN_LINES:
        return []
    widths = sorted(len(line.strip()) for _, line in lines)
    full = widths[int(FULL * (len(widths) - 1))]
    out = []
    for i, (start, line) in enumerate(lines):
        words = line.strip()
        begin = start + len(line) - len(line.lstrip())
        field = bool(LABELLED.match(words))  # "Target date: …": a field's value, which says something
        after = lines[i + 1] if i + 1 < len(lines) else None
        # a line alone between a finished sentence and a numbered paragraph heads that paragraph,
        # however long: "… armed groups in Haiti. / Firearms and ammunition seizures involving Haiti
        # and the Dominican Republic / 22. Haitian and Dominican authorities …"
        alone = (i > 0 and after is not None and bool(SENTENCE_END.search(lines[i - 1][1].rstrip()))
                 and not SENTENCE_END.search(words) and bool(PARAGRAPH_NUMBER.match(after[1])))
        stopped = len(words) < SHORT * full or alone
        short = stopped and not field
        stops = (stopped and after is not None and WORD.search(words) and not carries_on(words)
                 and (after[1].lstrip()[:1].isupper() or after[1].lstrip()[:1].isdigit())
                 and not (field and LABELLED.match(after[1]) and not PARAGRAPH_NUMBER.match(after[1])))
        #        a record's fields read as one sentence, up to the next numbered paragraph
        heads = after is not None and (bool(PARAGRAPH_NUMBER.match(after[1])) or _paragraph(lines[i + 1:i + 3], full))
        out.append((begin, begin + len(words), short,
                    after[0] + len(after[1]) - len(after[1].lstrip()) if stops else -1, heads))
    return out


def _paragraph(lines: list[tuple[int, str]], full: int) -> bool:
    """The lines open a paragraph: the first fills the page's width and ends its sentence or is
    followed by another that does too (a table's next row is long, the one after it is not)."""
    long = [len(line.strip()) >= SHORT * full for _, line in lines]
    return long[0] and (bool(SENTENCE_END.search(lines[0][1].rstrip())) or len(long) > 1 and long[1])


def carries_on(line: str) -> bool:
    return line.endswith(CARRIES_ON) or line.rsplit(None, 1)[-1].lower() in RUN_ON
