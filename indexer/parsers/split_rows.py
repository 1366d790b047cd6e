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

Piece = tuple[int, int]
WORD = re.compile(r"\w+")
PAGE_BREAK = "\f"
LINE = re.compile(r"[^\r\n\f]+")
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
        line_end = _line_end(doc, before[first - 1][1], cut)
        if WORD.search(doc, before[first - 1][1], line_end):
            continue  # the wording stops within a line: no cell's edge
        comment_start = _line_start(doc, next((a for a, _, _ in before[first:] if a >= line_end), -1))
        if comment_start < 0 or not _repeats_header(doc, furniture, cut, after[-rest][0] if rest else end):
            continue
        pieces = [(start, line_end)] + ([(after[-rest][0], end)] if rest else [])
        return pieces, (comment_start, _strip_end(doc, comment_start, cut))
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
        line_end = _line_end(doc, words_in[len(words) - 1][1], end)
        if WORD.search(doc, words_in[len(words) - 1][1], line_end):
            continue  # the wording stops within a line: a sentence going on, not a comment below
        comment_start = _line_start(doc, next((a for a, _, _ in words_in[len(words):] if a >= line_end), -1))
        if comment_start < 0 or BLANK_FORM.match(doc, comment_start, end) or not SENTENCE.search(doc, comment_start, end):
            continue  # a comment says something in a sentence: the form's own blanks under its text ("☐ Yes ☐
            #           No", "Please describe …:", "(Please tick as appropriate)") or a source line are none
        return (start, _strip_end(doc, start, line_end)), comment_start
    return None


def _repeats_header(doc: str, furniture: list[Piece], start: int, end: int) -> bool:
    """The page after the break repeats a table's header over the row's rest: a whole line there
    that an earlier page printed as a line of its own, outside its furniture (the page that first
    prints a header holds it among its rows; the pages after, atop theirs, where
    layout.repeated_heads may have found it furniture). A running head is furniture on every
    page it heads: no earlier page holds it outside."""
    earlier = {m.group().strip() for m in LINE.finditer(doc, 0, start) if not any(a <= m.start() < b for a, b in furniture)}
    return any(len(text) >= 3 and text in earlier for m in LINE.finditer(doc, start, end) for text in [m.group().strip()])


def _line_start(doc: str, at: int) -> int:
    """The start of the line holding `at`, past its indent (-1 for -1): a comment opens with its
    line, brackets and quotes too ("(a) The …", "“…")."""
    if at < 0:
        return at
    begin = max(doc.rfind("\n", 0, at), doc.rfind(PAGE_BREAK, 0, at)) + 1
    while begin < at and doc[begin] in " \t\r":
        begin += 1
    return begin


def _words(doc: str, start: int, end: int, furniture: list[Piece]) -> list[tuple[int, int, str]]:
    """The words between start and end, outside the page's furniture (running lines, notes)."""
    starts = [a for a, _ in furniture]

    def furnishing(at: int) -> bool:
        i = bisect.bisect_right(starts, at) - 1
        return i >= 0 and furniture[i][0] <= at < furniture[i][1]

    return [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(doc, start, end) if not furnishing(m.start())]


def _common_tail(words: list[str], after: list[str]) -> int:
    """How many of the wording's last words the text after the break ends with."""
    n = 0
    while n < min(len(words), len(after)) and words[-1 - n] == after[-1 - n]:
        n += 1
    return n


def _opens_line(doc: str, at: int) -> bool:
    return not doc[doc.rfind("\n", 0, at) + 1:at].strip()


def _line_end(doc: str, at: int, limit: int) -> int:
    found = re.compile(r"\r\n|\n|\r").search(doc, at, limit)
    return found.start() if found else limit


def _strip_end(doc: str, start: int, end: int) -> int:
    while end > start and doc[end - 1].isspace():
        end -= 1
    return end
