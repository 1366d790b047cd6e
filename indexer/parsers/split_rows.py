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
SENTENCE_END = re.compile(r"\W*?[.!?:;]")  # a sentence ends after the first part's last word


def split_row(doc: str, rec_span: Piece, wordings: list[str], furniture: list[Piece], goes_on: bool
              ) -> tuple[list[Piece], Piece] | None:
    """(the recommendation's pieces, the comment's first part) when a page break cuts the row:
    the text before the break opens with all of a wording's words but its last few, and what
    follows the break (past the page's furniture) ends with those last few, opening their line,
    or holds none of them (the first cell ended on the first page, its mark stands on the next);
    the words before the break past the wording, from the next line on, are the comment's. Only
    a table's row, so read: the next page repeats the table's header, or the break cuts the
    comment mid-sentence and it `goes_on` after the mark (not a page's note under one column of
    text, "… and lead" over "1With inputs from …"). None when no wording fits so, word for
    word: the reply is left as read."""
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
        repeated_header = _repeats_header(doc, furniture, cut, after[-rest][0] if rest else end)
        first = len(words) - rest
        if first < 1 or len(before) <= first or [w for _, _, w in before[:first]] != words[:first]:
            continue
        line_end = _line_end(doc, before[first - 1][1], cut)
        if WORD.search(doc, before[first - 1][1], line_end):
            continue  # the wording stops within a line: no cell's edge
        comment_start = next((a for a, _, _ in before[first:] if a >= line_end), None)
        cut_mid_sentence = goes_on and not SENTENCE_END.match(doc, before[-1][1], cut)
        if comment_start is None or not (repeated_header or cut_mid_sentence):
            continue  # a table's row: the page repeats its header, or the break cuts the comment
        pieces = [(start, line_end)] + ([(after[-rest][0], end)] if rest else [])
        return pieces, (comment_start, _strip_end(doc, comment_start, cut))
    return None


def past_wording(doc: str, rec_span: Piece, wordings: list[str], furniture: list[Piece]) -> tuple[Piece, Piece] | None:
    """(the recommendation's text, the comment) of a block with neither a mark nor a comment's
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
        comment_start = next((a for a, _, _ in words_in[len(words):] if a >= line_end), None)
        if comment_start is not None:
            return (start, _strip_end(doc, start, line_end)), (comment_start, _strip_end(doc, comment_start, end))
    return None


def _repeats_header(doc: str, furniture: list[Piece], start: int, end: int) -> bool:
    """The page after the break repeats a table's header over the row's rest: a line there that
    the document printed before outside its furniture (the page that first prints a header holds
    it among its rows; the pages after, atop theirs, where layout.repeated_heads may have found
    it furniture)."""
    for line in re.finditer(r"[^\r\n\f]+", doc[start:end]):
        text = line.group().strip()
        at = doc.find(text, 0, start) if len(text) >= 3 else -1
        while at >= 0:
            if not any(a <= at < b for a, b in furniture):
                return True
            at = doc.find(text, at + 1, start)
    return False


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
