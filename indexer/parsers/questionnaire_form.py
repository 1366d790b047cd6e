"""Replies read by the form they answer, whatever their template.

Every reply to a questionnaire carries the same recommendations, word for word; what differs
is the template around them (a Word table, Markdown headings "### 1.2", Spanish labels, a
PDF table with a "Yes" and a "No" column). Once one reply is read by its labels
(questionnaire.py), the recommendations it holds are the form. A file that holds most of them,
in order, is a reply: each recommendation's text is found in it (word by word, whatever its
line breaks, hyphens or emphasis), and what stands between one and the next is that
country's answer: the mark and its labels first, then the comment, then the labels of the
next recommendation (its number, the next issue's heading, a table's column heads), which are
no comment's words (each line read by answer_block.py). The issue and number are the form's, so the row in every table and in
/coverage is the same row as the other countries'. Pure functions over text with offsets.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

from indexer.models import Document, Passage
from indexer.parsers.answer_block import (ANSWER_LABEL, BREAK, COMMENT_LABEL, HEAD_CELL, LABEL_WORDS, LIST_ITEM, MARK_OPENS,
                                          QUOTED, SENTENCE_END, answer_at, in_running, line_kind, mark_after, quoted_form,
                                          read_head, segments)
from indexer.parsers.block_line import NOTE_REF, STATUS, WORD, heading_mark, plain
from indexer.parsers.marks import TICKS, YES_OR_NO, mark_by_side, x_side
from indexer.parsers.legend import legend_mark, mark_legend, without_legend_word
from indexer.parsers.form_places import MIN_FOUND, FormItem, answered_at, occurrences
from indexer.parsers.questionnaire import around_running, response_passage
from indexer.parsers.questionnaire_labels import (ACTION_WORDS, CLOSING, DASH_OR_COLON, ISSUE_WORD, QUOTED_MAIL, REC_WORD, ROMAN,
                                                  contact_head, says_something, sign_off_at)
from indexer.parsers.questionnaire_tables import Heading, row_cells, separator
from indexer.text import clean, strip_span

READER_VERSION = "42"  # bump when reading by the form (or answer_block.py, block_line.py) changes: a reply read by it is parsed
#                       and embedded again (2: a mark after the comment, an answer table's heads and number, an
#                       answer's heading; 3: a mark opening most answers, a badge word as a row's label, a bilingual
#                       mark field; 4: run-in fields, a letter's closing, a quoted e-mail, the answer's heading as
#                       most answers give it; 5: footnotes, bracketed labels, a question over its mark; 6: a place
#                       labelled in two languages, "Preporuka I.2 / Recommendation I.2"; 7: a PDF's lone X by
#                       the column head it stands under, an X by the side of its label the reply's X stand; 8: the
#                       next issue's heading and a letter's sign-off end a comment, a bilingual comment label; 9: a
#                       tick in a table's cell by its column's head, a status or a tick opening the comment's line;
#                       10: two boxes beside words not known, yes first; "Yes;" opening a comment; "Tawsiya 2" over
#                       the next text; statuses in Spanish, French and Italian; 11: a status after the answer's
#                       label, "Response: Implemented – …"; 21: a recommendation quoted cut short, "… agencies
#                       are well informed …"; a status wrapped in its cell, "Not" over "implemented"; 22: "Partially",
#                       "Partly" as statuses, a block quote's mark, the reply's notes after its last answer; 23: the
#                       next issue headed by its title after a label in another language, "Tema B — Alternatives …";
#                       24: a quote cut short only opening its line, notes only after the last answer, a quoted mark
#                       the reply's only where no line of its own marks; 25: numbered as most replies number the
#                       form, a comment's label with its first words after it; 26: an underlined heading ends a
#                       comment, "(no comments)" is none, "We remain at your disposal" closes the letter; 27: a
#                       question's options after it, "Q: Recommendation 2.", "Measures taken Yes", "Law No." over a number;
#                       28: "[X]" in a PDF's column, a comment on the tick's line, a heading's marks and opening quote;
#                       29: a page's notes with no rule are no comment's words; 30: "Action taken" over its value,
#                       "Partially" opening a remark, dots wrapped under a text cut short, "N/A -", review of 29;
#                       31: a two-row header's "YES | NO" read by its columns, "I-1." numbering a summarised text;
#                       32: texts listed under the reply's own labels, answered by them; a table's rows that mark in
#                       words head no column; a row continued below; a wrapped contact's address; 33: review of
#                       32; a status badge after a short title; Markdown definition lists; "Sin información / No
#                       information" no mark; a signature block of four lines at most, an annex after it; 34: a
#                       status column's head ("Not" over "implemented"), a survey's "Q2 [I.2]" before the text, a
#                       question over "Answer: Don't know", "[no answer]"; a summary of marks, comments by number; 35: a note verbale's
#                       paragraphs by number, a comment's first words after its mark sentence on one line;
#                       36: review: "Not implemented" on one line over an X, a one-word running head no column head;
#                       37: a note verbale's answer read as prose after its mark sentence (no labels), review;
#                       38: a mark in brackets closing the answer, "(Yes)", before the letter's sign-off;
#                       39: review: not a country's code, "Norway (NO)")
NOTE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*", re.M)  # a Markdown footnote's text: "[^3]: …"
SPACE = re.compile(r"[ \t]*")
TITLE_LABEL = re.compile(rf"(.{{0,60}}?)(?:{DASH_OR_COLON}|\)[ \t]*:?[ \t]*)(?=\S)")  # "Tema B — ", "… (Issue II): "
NOTES_HEADING = re.compile(r"(?i:(?:foot|end)?notes?|references|sources)[ \t]*:?")
NOTE_NUMBER = re.compile(r"[ \t]*(?:\[\d{1,3}\]|\d{1,3}[.)]?[ \t]|[¹²³⁴⁵⁶⁷⁸⁹])")
OTHER_LABEL = re.compile(r"[^\W\d_]{3,20}\.?\s+(?:[IVX]+[.-])?\d{1,2}(?:[.-]\d{1,2})?\.?")  # a word and a number
ACTION_LINE = re.compile(ACTION_WORDS, re.I)  # a mark's line names it: "Poduzete mjere / Action taken DA / YES X NE / NO"
NEXT_ISSUE = (rf"^(?:[^/]{{{{1,40}}}}/\s*)?{ISSUE_WORD}\s+(?:{{}}|{{}})\b\.?(?:\s*[:/–—-]|\s*$|\s+[A-Z][^.!?]*$)")  # "ISSUE
# II / TEMA II: …", "Tema 2:", "Issue II Alternatives to …" (not "Issue II (alternatives) is handled …", nor "Issue
# 2 Recommendation 1 covers it.": a sentence)
TWO_MARK_COLUMNS = re.compile(r"\b(?:yes|oui|s[ií])\s+(?:no|non)\b", re.I)  # a table header "… Yes No Comments"




def form_digest(form: list[FormItem]) -> str:
    """What a reply read by the form depends on besides its own text (build.content_key): the
    form, and how this module reads by it (READER_VERSION)."""
    read = [READER_VERSION, *((i.issue, i.issue_title, i.number, i.words) for i in form)]
    return hashlib.sha256(repr(read).encode()).hexdigest()[:12]


def _marks_open_answers(doc: str, blocks: list[list[tuple[int, int]]]) -> bool:
    """Most of the reply's answers (each block's lines) open with a mark and go on on its line
    ("Yes The Ministry …", "No –", after the answer's label: "Response: Implemented – The NPA …"):
    a PDF table's mark column that pdfium reads into the comment's first line. (One comment opening "No Member State objected" is no such reply.)"""
    firsts = [next(((a, b) for a, b in lines if plain(doc[a:b])), None) for lines in blocks]
    opened = sum(bool(MARK_OPENS.match(doc, answer_at(doc, *first), lines[-1][1]))
                 for first, lines in zip(firsts, blocks) if first is not None)
    return opened >= max(MIN_FOUND, len(blocks) / 2)


def _notes(doc: str) -> dict[str, tuple[int, int]]:
    """A Markdown reply's footnotes ("[^3]: The police …"), their text's span by id: to the next
    footnote, or to a line after a blank one that is not indented (a note's paragraphs go on
    indented)."""
    found = list(NOTE.finditer(doc))
    out = {}
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(doc)
        outdented = re.search(r"\n[ \t]*\n(?=[^ \t\n])", doc[m.end():end])
        out[m.group(1)] = strip_span(doc, m.end(), m.end() + outdented.start() if outdented else end)
    return out


def underlined(doc: str, lines: list[tuple[int, int]], i: int) -> bool:
    """A heading underlined by a rule about its length ("B.2  Recommendations on which no action
    …" over "-----"): the next section's, no comment's (a rule alone ends a comment too)."""
    if i + 1 >= len(lines) or not BREAK.match(doc[slice(*lines[i + 1])]) or (
            i and doc[slice(*lines[i - 1])].strip() and not re.search(r"\n[ \t\r]*\n", doc[lines[i - 1][1]:lines[i][0]])):
        return False  # (a heading stands apart from the lines above it; a comment's last line, "Full text:
    #                    https://…", over a rule parting the answers is the comment's)
    text = plain(doc[slice(*lines[i])])
    return len(WORD.findall(text)) <= LABEL_WORDS and not SENTENCE_END.search(text) and \
        len(doc[slice(*lines[i + 1])].strip()) >= 0.6 * len(text)


def titled(line: str, title: str) -> bool:
    """The line heads an issue by the form's title after its own label, in any language ("Al-Mihwar
    al-Thani (Issue II): Alternatives to imprisonment for …", "Tema B — Alternatives …"): at most
    six words, then a colon, a dash or a closing parenthesis, then the title's first words (four
    at least, or the whole title) to the line's end (a heading wrapped over two lines)."""
    label = TITLE_LABEL.match(line)
    if not label or len(WORD.findall(label.group(1))) > 6 or not label.group(1)[:1].isupper():
        return False  # ("the following: Alternatives to imprisonment …": a sentence's words, no label)
    said = [w.lower() for w in WORD.findall(line[label.end():])]
    words = [w.lower() for w in WORD.findall(title)]
    return len(said) >= min(4, len(words)) and said == words[:len(said)]


def _notes_heading(doc: str, lines: list[tuple[int, int]], i: int) -> bool:
    """The line heads the reply's notes: "Notes", "Footnotes", "Endnotes" or "References" over a
    note numbered "[1]", "1." or "¹" (a Word reply's notes typed at its end), no comment's words."""
    if not NOTES_HEADING.fullmatch(plain(doc[slice(*lines[i])]).strip()):
        return False
    after = next((doc[a:b] for a, b in lines[i + 1:] if doc[a:b].strip()), "")
    return bool(NOTE_NUMBER.match(after))


def _answer_headings(doc: str, blocks: list[list[tuple[int, int]]]) -> frozenset:
    """The lines that head the comment in most of the reply's answers ("Comments", "Australian
    Government response"), lower-cased: the template's, where one heading ("General comments")
    is a section of the reply's own."""
    seen: Counter = Counter()
    for lines in blocks:
        seen.update({line for a, b in lines if (line := plain(doc[a:b]).rstrip(":：").strip().lower())
                     and (COMMENT_LABEL.match(line) or ANSWER_LABEL.search(line)) and len(WORD.findall(line)) <= 4})
    return frozenset(line for line, n in seen.items() if n >= max(MIN_FOUND, len(blocks) / 2))


def column_marks(doc: str, heads: dict[int, list[int]] | None) -> dict[int, str]:
    """Lone ticks read by the column head they stand under (a PDF's Extracted.heads, nearest
    first): an X under "Yes" marks yes, under "No" no, whatever stands between ("Na'am" under
    "Yes", a header in two languages); under a status ("Implemented", "Partially", "Not
    implemented", the word before the head's on its line read with it), what the status says. A
    tick under no such head ("Action") is read as before."""
    out = {}
    for at, above in (heads or {}).items():
        words = [word.group(0).lower() for head in above if (word := WORD.match(doc, head))]
        before = re.search(r"(\w+)[ \t]+$", doc[doc.rfind("\n", 0, above[0]) + 1:above[0]]) if above else None
        mark = next((YES_OR_NO[w] for w in words if w in YES_OR_NO), None) or (
            STATUS.get(f"{before.group(1).lower()} {words[0]}") if before and words else None) or _status_head(words)
        if mark and re.match(r"\[?(.)\]?(?!\S)", doc[at:at + 4]) and doc[at:at + 4].strip("[] \t\r\n")[:1].lower() in TICKS:
            out[at] = mark  # "X", "☒", "[X]"
    return out


def _status_head(words: list[str]) -> str | None:
    """The mark a status column's head gives, its words read nearest first: "Implemented",
    "Partially", or "Not" over "implemented" (a head wrapped in its cell: the nearest words
    read top down, the longest that is a status first)."""
    for n in range(len(words), 0, -1):
        said = STATUS.get(" ".join(reversed(words[:n])))
        if said:
            return said
    return None


def cell_marks(doc: str) -> dict[int, str]:
    """Ticks in a table's cells read by their column's head, as a Word or Markdown table gives
    them (cells parted by tabs or pipes): under "Recommendation | Yes | No | Comments", the row
    "… | X |  | The police …" marks yes. The header is a row of the same table above with a yes
    and a no word for heads, short cells and no tick (not a row marking in words, "IV.2 |
    Governments are … | no | …"); a line that is no table row ends the table and its header.
    The rows have as many cells as the header, or more when the header's last row stands right
    above the first: a two-row header's second row ("Any action taken" over "YES | NO") ends
    where its last head does (its empty cells after it are not written), and the rows' cells
    line up with it from the left."""
    out: dict[int, str] = {}
    heads: list[str] = []
    longer = False  # the rows may have more cells than the header
    last_end = -2
    for line in re.finditer(r"[^\n]*[\t|][^\n]*", doc):
        if line.start() != last_end + 1:
            heads = []  # (a line between: another table, or prose: "Answer options: Yes | No" above one)
        last_end = line.end()
        cells = row_cells(doc, line.start(), line.end(), separator(line.group(0)))
        words = [doc[a:b].strip(" *_").lower().rstrip(".") for a, b in cells]
        said = {YES_OR_NO[w] for w in words if w in YES_OR_NO}
        if said == {"yes", "no"} and not any(w in TICKS for w in words) \
                and all(len(WORD.findall(w)) <= LABEL_WORDS for w in words):
            heads, longer = words, None
            continue
        if longer is None:  # the first row under the header
            longer = len(words) > len(heads)
        if not heads or len(words) < len(heads) or (len(words) > len(heads) and not longer):
            continue
        for (a, _), word, head in zip(cells, words, heads):
            if word in TICKS and head in YES_OR_NO:
                out[a] = YES_OR_NO[head]
    return out



def _continues_row(doc: str, at: int, column: int) -> bool:
    """The line at `at` continues the row above from its cell `column` on (the comment's), two at
    least: the cells before it empty, merged down (a spreadsheet's "2 | Governments … | Y | Finland
    …" over " |  |  | Finnish Customs …"), not a next row whose number stands in a later column."""
    line_end = doc.find("\n", at)
    cells = re.split(r"[\t|]", doc[at:len(doc) if line_end < 0 else line_end])
    first = next((k for k, cell in enumerate(cells) if cell.strip()), None)
    return first is not None and first >= max(column, 2)


def _comment_in_row(doc: str, end: int) -> bool:
    """A recommendation's text ends in a table's row that holds a comment in a cell after it:
    "Governments …<TAB>Y<TAB>Finland participates actively …" (a cell of more than four words)."""
    line_end = doc.find("\n", end)
    rest = doc[end:len(doc) if line_end < 0 else line_end]
    return any(len(WORD.findall(cell)) > 4 for cell in re.split(r"[\t|]", rest)[1:])


def _in_a_row(doc: str, start: int, end: int) -> bool:
    """The recommendation's text stands in a table's row: a tab or a pipe on its line."""
    line_end = doc.find("\n", end)
    return bool(re.search(r"[\t|]", doc[doc.rfind("\n", 0, start) + 1:len(doc) if line_end < 0 else line_end]))


def _line_lead(doc: str, at: int) -> int:
    """Where the line holding `at` starts, when only Markdown's marks ("## ", "> ", "**", a list's
    "- "), an opening quote (a heading quoting the recommendation: “Governments …”), a dash or
    its label ("Recommendation", then one or two short words with a digit: "Q2 [I.2]", a survey's
    question and the recommendation it asks of) stand before it there ("- **Recommendation I.2**
    – *Governments …"); else `at`."""
    line_start = doc.rfind("\n", 0, at) + 1
    lead = [w for w in (w.strip("#*_>“\"«„‘'") for w in doc[line_start:at].split()) if w not in ("", "-", "–", "—", ":")]
    lead = lead[1:] if lead and re.fullmatch(REC_WORD + ":?", lead[0], re.I) and len(lead) > 1 else lead
    return line_start if len(lead) <= 2 and all(len(w) <= 12 and any(c.isdigit() for c in w) for w in lead) else at


def parse_form_reply(doc: str, document: Document, form: list[FormItem], drop: list[tuple[int, int]] | None = None,
                     running: list[tuple[int, int]] | None = None, heads: dict[int, list[int]] | None = None,
                     places: list[tuple[FormItem, int, int]] | None = None, given_marks: dict | None = None,
                     prose: frozenset[int] = frozenset()) -> list[Passage]:
    """One passage per form recommendation the reply holds, numbered as the form numbers it;
    `heads`: the column head each lone mark of a PDF stands under (column_marks); `places`:
    where a reply naming them by number names each (questionnaire_numbers.py), instead of
    where their text stands, and `given_marks` the marks it gives elsewhere, by (issue, number);
    `prose`: the places (by start) whose answer goes on as running text right after them."""
    running = running or []
    by_column = column_marks(doc, heads) | cell_marks(doc)
    every = places if places is not None else occurrences(doc, form, running)
    found = answered_at(every)
    starts = [_line_lead(doc, start) for _, start, _ in every]  # a block ends where any recommendation stands
    #                                           (in reading order), with the heading marks before it ("## R1.2")
    two_columns = any(TWO_MARK_COLUMNS.search(line) and re.search(r"recommend", line, re.I)
                      for line in doc.splitlines())
    # each recommendation's block: what stands from its text to the next recommendation, line by line
    blocks = [segments(doc, end, next((x for x in starts if x > start), len(doc))) for _, start, end in found]
    in_rows = sum(_comment_in_row(doc, end) for _, _, end in found) > len(found) / 2
    opens = _marks_open_answers(doc, blocks)
    side = x_side([doc[a:b] for lines in blocks for a, b in lines if ACTION_LINE.search(doc, a, b)])  # an X after
    #                                                       its label, or before it, as the mark lines show
    headings = _answer_headings(doc, blocks)
    legend = mark_legend(doc)  # the reply's own words for its marks ("Green: Implemented …")
    notes = _notes(doc)
    passages = []
    for ordinal, (item, start, end) in enumerate(found):
        following = found[ordinal + 1] if ordinal + 1 < len(found) else None
        # the next recommendation's issue heading (a table may repeat it on every row)
        next_issue = set(w.lower() for w in WORD.findall(following[0].issue_title)) if following else set()
        lines = blocks[ordinal]
        # a section break, a blank to sign ("Signed: ……"), a quoted e-mail or the footnotes end what the reply says
        stop = next((i for i, (a, b) in enumerate(lines) if BREAK.match(doc[a:b]) or QUOTED_MAIL.match(doc[a:b])
                     or NOTE.match(doc[a:b]) or (following is None and _notes_heading(doc, lines, i))
                     or underlined(doc, lines, i)
                     or re.match(r"^[^\W\d][\w ]{0,30}:\s*[._…]{3,}", plain(doc[a:b]))), None)
        lines = lines[:stop] if stop is not None else lines
        cut = sign_off_at(doc, lines[0][0], lines[-1][1]) if following is None and lines else None
        before_sign_off = [span for span in lines if cut is None or span[0] < cut]  # (the last answer's mark after
        kept, later = mark_after(doc, before_sign_off, running, two_columns, next_issue)  # it, before the letter's end)
        lines = kept + lines[len(before_sign_off):] if later is not None else lines
        mark, comment_start = read_head(doc, lines, running, two_columns, next_issue, opens, headings,
                                        last=following is None, prose=start in prose)
        mark = later if mark == "unknown" and later else mark
        if cut is not None and comment_start is not None and comment_start >= cut and contact_head(doc, cut):
            comment_start = None  # the last answer left blank: what read as its comment is a contact block's
            #                       ("Action taken: No" over "Contact" over "Focal point: Ms. …")
        mark = heading_mark(doc, start) or legend_mark(doc, start, legend) or mark if mark == "unknown" else mark
        #      ("Recommendation 2 (Implemented)"; "Recommendation 1.2 Green", Green as the reply's legend defines it)
        mark = (given_marks or {}).get((item.issue, str(item.number)), mark) if mark == "unknown" else mark
        head_end = comment_start if comment_start is not None else (lines[-1][1] if lines else end)
        column = next((at for at in by_column if end <= at <= head_end), None)  # "X" under a table's "Yes" or
        if column is not None:  # "No" column, on a line of its own or opening the comment's: by its column
            mark = by_column[column]  # (read alone, a lone X had said yes)
            after = SPACE.match(doc, column + (3 if doc[column] == "[" else 1)).end()
            line_end = doc.find("\n", column) % (len(doc) + 1)
            if comment_start == column or (comment_start is not None and comment_start > line_end and ":" not in
                                           doc[after:comment_start] and len(WORD.findall(doc, after, line_end)) > 4):
                comment_start = after  # the comment opens on the tick's line: "[X] Under Act No. 140/2018 …"
                #                        (not read as a mark's line for the "No" in it)
        if side:  # "DA / YES X NE / NO": by the label on the side the reply's X stand
            mark = next((m for a, b in lines if a < head_end and (m := mark_by_side(doc[a:b], side))), mark)
        if in_rows and comment_start is not None and "\n" in doc[end:comment_start] and _in_a_row(doc, start, end) \
                and not _continues_row(doc, doc.rfind("\n", 0, comment_start) + 1, 0):
            comment_start = None  # a table's row with no comment's cell where the others hold one: blank (a
            #                       table's "Source: …" note below it is no comment)
        if comment_start is not None and "\n" not in doc[end:comment_start] and re.search(r"[\t|]", doc[end:comment_start]):
            row_end = doc.find("\n", comment_start)  # a table's row is one line (Word's, HTML's, Markdown's
            row_end = len(doc) if row_end < 0 else row_end  # cells): a comment in its cell ends with it, or
            column = len(re.findall(r"[\t|]", doc[doc.rfind("\n", 0, comment_start) + 1:comment_start]))
            while row_end < len(doc) and _continues_row(doc, row_end + 1, column):  # with the rows continuing it,
                row_end = doc.find("\n", row_end + 1) % (len(doc) + 1) or len(doc)  # its cells before the comment's empty
            lines = [span for span in lines if span[0] < row_end]
        if following is not None and comment_start is not None:  # the next issue's heading: what follows it
            issue = NEXT_ISSUE.format(re.escape(following[0].issue), ROMAN.get(following[0].issue, following[0].issue))
            new_issue = following[0].issue != item.issue
            heading = next((j for j, (a, b) in enumerate(lines) if a > comment_start and (
                re.match(issue, plain(doc[a:b])) or (new_issue and titled(plain(doc[a:b]), following[0].issue_title)))
                            and not in_running((a, b), running)), None)  # (its title in another language:
            #                "Alternativas al encarcelamiento …") is no comment; a running header naming it is none
            lines = lines[:heading] if heading is not None else lines
        signed = sign_off_at(doc, comment_start, lines[-1][1]) if following is None and comment_start is not None \
            and lines else None  # after the last comment, the letter's sign-off: "Cordialmente,", "(signed)"
        if signed is not None:
            lines = [span for span in lines if span[0] < signed]
            comment_start = comment_start if lines and comment_start < signed else None
        # the tail: the next recommendation's number, the next issue's heading, column heads; it
        # opens with one of those (a comment's last line with no full stop, "… online investigations", stays)
        tail = len(lines)
        inline = quoted_form(doc, lines)
        for j in range(len(lines) - 1, -1, -1):
            kind = line_kind(doc[slice(*lines[j])], in_running(lines[j], running), next_issue)
            kind = "place" if inline and QUOTED.match(doc, lines[j][0]) else kind  # (a bare ">" too: the next quote's)
            if kind is None and tail < len(lines) and HEAD_CELL.fullmatch(plain(doc[slice(*lines[j])]).strip()) \
                    and line_kind(doc[slice(*lines[j + 1])], False, next_issue) == "short":
                kind = "place"  # "No." over "Raqm": a column's head in two languages, among the column heads below
                #                 (a comment's last "No.", or one before the next recommendation's number, stays)
            if kind in (None, "short") and not any(plain(doc[x:y]) for x, y in lines[j + 1:]) and following is not None \
                    and OTHER_LABEL.fullmatch(without_legend_word(doc[slice(*lines[j])], legend)[0]):
                kind = "place"  # "Tawsiya 2", "Kankoku I-2": the next recommendation's label, right before its text
                if comment_start is not None and lines[j][0] <= comment_start:  # ... where the comment would
                    comment_start, tail = None, j  # begin: the answer left blank
                    break
            if comment_start is None or lines[j][0] <= comment_start or kind is None:
                break
            before = next((doc[x:y] for x, y in reversed(lines[:j]) if doc[x:y].strip()), "")
            if kind == "short" and before.rstrip().endswith(":"):
                break  # "… available at:" and its address: the comment's
            if re.search(r"\b(?:No|Nos|Art|Arts|N°|§)\.?$", before.rstrip()):
                break  # "… under Law No." over "20.000.": the number the line before names
            closing = following is None and kind == "short" and re.search(r"[.!?]\W*$", before) \
                and CLOSING.match(plain(doc[slice(*lines[j])])) and not LIST_ITEM.match(doc[slice(*lines[j])])
            if kind == "place" or (kind == "blank" and following is None) or closing:
                tail = j  # after the last recommendation, what follows a blank line, or a letter's place and
                #           date or its valediction after a finished sentence, closes the file
        lines = lines[:tail]
        comment_span = strip_span(doc, comment_start, lines[-1][1]) if comment_start is not None else (end, end)
        if comment_start is None:  # "Sim[^1]": the comment stands in the footnote
            comment_span = next((notes[m.group(1)] for a, b in lines for m in NOTE_REF.finditer(doc, a, b)
                                 if m.group(1) in notes and doc[end:m.start()].strip()), comment_span)
            #                     (a note on the recommendation's own text, "… trafficking.[^src]", is the form's)
        comment = clean(doc, [comment_span], drop=drop).text if comment_span[1] > comment_span[0] else ""
        answered = says_something(comment)
        pieces = [(start, end)] + ([comment_span] if answered else [])
        passages.append(response_passage(doc, document, drop, ordinal, Heading(item.issue, item.issue_title),
                                         item.number, (start, end), mark, comment if answered else "", answered,
                                         around_running(doc, pieces, running)))
    return passages
