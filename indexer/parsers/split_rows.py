"""A reply's table row that a page break cuts, its cells read in turn.

Word lets a table's row break across pages (its default), and pdfium reads a page's cells in
turn, so each cell of such a row comes out in two parts: the first page's parts before the page
break, the rest after it ("Governments should … lead to successful criminal" over "Law 1273 of
2009 created …", the break, then "prosecutions." over "Any action taken: ☒ YES ☐ NO" over
"evidence, chain of custody …"). Read in order, the comment's first part would end the
recommendation's text. The form's wording of the recommendation (Corpus.form: what the replies
read by their labels print) says where its text stops on the first page; the words after it, up
to the break, open the comment. So too where an answer gives no mark and no label, its comment
right under the text (`past_wording`). Pure: text and offsets in, pieces out.
"""
from __future__ import annotations

import bisect
import re

from indexer.parsers.block_line import WORD
from indexer.text import strip_span

Piece = tuple[int, int]
PAGE_BREAK = "\f"
LINE = re.compile(r"[^\r\n\f]+")
LINE_BREAK = re.compile(r"\r\n|\n|\r")
BLANK_FORM = re.compile(r"[☐□❑◻○]|\[ \]|(?i:please|kindly)\b[^\n]*:[ \t]*$|[^\n]*:\s*\Z", re.M)  # a box left
#   empty, or an instruction over a blank ("Please describe the measures taken:", a label over nothing)
SENTENCE = re.compile(r"[^\W\d_]+(?:\W+\w+){2,}?[^\n.!?]*[.!?](?:\s|$)")  # three words or more, then a full stop


def split_row(doc: str, rec_span: Piece, wordings: list[str], furniture: list[Piece]) -> tuple[list[Piece], Piece] | None:
    """(the recommendation's pieces, the comment's first part) when a page break cuts the row:
    the text before the break opens with all of a wording's words but its last few, and what
    follows the break (past the page's furniture) ends with those last few, opening their line,
    or holds none of them (the first cell ended on the first page, its mark stands on the next);
    the lines before the break past the wording are the comment's. Only a table's row, so read:
    the next page repeats a line of the table's header (Word's "repeat header row"), not a page's
    foot or a note under one column of text, however its words run on. None when no wording fits
    so, word for word: the reply is left as read."""
    start, end = rec_span
    cut = doc.find(PAGE_BREAK, start, end)
    if cut < 0 or not wordings:
        return None
    before = _words(doc, start, cut, furniture)
    after = _words(doc, cut, end, furniture)
    for wording in wordings:
        words = [w.lower() for w in WORD.findall(wording)]
        rest = _common_tail(words, [w for _, _, w in after])
        if (rest and not _opens_line(doc, after[-rest][0])) or (not rest and after):
            continue  # after the break, the rest of the first cell on lines of its own, or nothing
        first = len(words) - rest
        if first < 1 or len(before) <= first or [w for _, _, w in before[:first]] != words[:first]:
            continue
        past = _past_the_line(doc, before, first, cut)  # (the wording stops within a line: no cell's edge)
        if past is None or not _repeats_header(doc, furniture, cut, after[-rest][0] if rest else end):
            continue
        line_end, comment_start = past
        pieces = [(start, line_end)] + ([(after[-rest][0], end)] if rest else [])
        return pieces, strip_span(doc, comment_start, cut)
    return None


def past_wording(doc: str, rec_span: Piece, wordings: list[str], furniture: list[Piece]) -> tuple[Piece, int] | None:
    """(the recommendation's text, where the comment starts) of a block with neither a mark nor a comment's
    label, whose text goes on past a wording of the form, word for word, from the line after its
    last word ("… the transfer of evidence." over "The Cybercrime Bill … was tabled in 2024."):
    an answer left unmarked, its comment right under the text. None when no wording fits so."""
    start, end = rec_span
    words_in = _words(doc, start, end, furniture)
    for wording in wordings:
        words = [w.lower() for w in WORD.findall(wording)]
        if len(words_in) <= len(words) or [w for _, _, w in words_in[:len(words)]] != words:
            continue
        past = _past_the_line(doc, words_in, len(words), end)  # (the wording stops within a line: its sentence
        if past is None:  # going on, not a comment below)
            continue
        line_end, comment_start = past
        if BLANK_FORM.match(doc, comment_start, end) or not SENTENCE.search(doc, comment_start, end):
            continue  # a comment says something in a sentence: the form's own blanks under its text ("☐ Yes ☐
            #           No", "Please describe …:", "(Please tick as appropriate)") or a source line are none
        return strip_span(doc, start, line_end), comment_start
    return None


def _past_the_line(doc: str, words: list[tuple[int, int, str]], count: int, limit: int) -> tuple[int, int] | None:
    """(where the line of the `count`-th word ends, where the next line with words starts) when no
    word follows that one on its line, and a line with words follows before `limit`; else None."""
    line_end = _line_end(doc, words[count - 1][1], limit)
    if WORD.search(doc, words[count - 1][1], line_end):
        return None
    following = next((a for a, _, _ in words[count:] if a >= line_end), None)
    return None if following is None else (line_end, _line_start(doc, following))


def _repeats_header(doc: str, furniture: list[Piece], start: int, end: int) -> bool:
    """The page after the break repeats a table's header over the row's rest: a whole line there
    that an earlier page printed as a line of its own, outside its furniture (the page that first
    prints a header holds it among its rows; the pages after, atop theirs, where
    layout.repeated_heads may have found it furniture). A running head is furniture on every
    page it heads: no earlier page holds it outside."""
    inside = _inside(furniture)
    earlier = {m.group().strip() for m in LINE.finditer(doc, 0, start) if not inside(m.start())}
    return any(len(text) >= 3 and text in earlier for m in LINE.finditer(doc, start, end) for text in [m.group().strip()])


def _line_start(doc: str, at: int) -> int:
    """The start of the line holding `at`, past its indent: a comment opens with its line,
    brackets and quotes too ("(a) The …", "“…")."""
    begin = max(doc.rfind("\n", 0, at), doc.rfind(PAGE_BREAK, 0, at)) + 1
    while begin < at and doc[begin] in " \t\r":
        begin += 1
    return begin


def _inside(furniture: list[Piece]):
    """Whether an offset stands within the page's furniture (sorted ranges: running lines, notes)."""
    starts = [a for a, _ in furniture]

    def furnishing(at: int) -> bool:
        i = bisect.bisect_right(starts, at) - 1
        return i >= 0 and furniture[i][0] <= at < furniture[i][1]

    return furnishing


def _words(doc: str, start: int, end: int, furniture: list[Piece]) -> list[tuple[int, int, str]]:
    """The words between start and end, outside the page's furniture."""
    inside = _inside(furniture)
    return [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(doc, start, end) if not inside(m.start())]


def _common_tail(words: list[str], after: list[str]) -> int:
    """How many of the wording's last words the text after the break ends with."""
    n = 0
    while n < min(len(words), len(after)) and words[-1 - n] == after[-1 - n]:
        n += 1
    return n


def _opens_line(doc: str, at: int) -> bool:
    return not doc[doc.rfind("\n", 0, at) + 1:at].strip()


def _line_end(doc: str, at: int, limit: int) -> int:
    found = LINE_BREAK.search(doc, at, limit)
    return found.start() if found else limit
