"""Questionnaire responses: one passage per recommendation, with the country's comment.

The form repeats "Issue N: title / Recommendation n / text / Any action taken [X] YES [X] NO /
Comments: …". A form filled in as a table (a Word reply, say) has a header row
"Recommendation n | Action taken | Comments" and a row under it with the recommendation's
text, the mark ("Yes", "No", "X") and the comment, in the header's order; printed to PDF, the
header's words share a line and each cell under it has lines of its own. An empty comment, or
one of slashes only ("////"), means the country reported nothing: the passage stays in the
index with answered = false.
"""
from __future__ import annotations

import re

from indexer.models import Document, Passage, Span
from indexer.parsers.marks import WORDS, action_mark, said_twice, table_mark
from indexer.parsers.questionnaire_labels import (
    ACTION,
    ACTION_CELL,
    CLOSING,
    PLACE_DATE,
    CELL_END,
    COLUMN_HEADS,
    COMMENTS,
    COMMENTS_CELL,
    FLAT_COLUMN,
    FLAT_ROW,
    ISSUE,
    ISSUE_TABLE_ROW,
    ISSUE_TABLE_SHARE,
    MARK_AFTER_TEXT,
    MARK_LINE,
    QUOTED_MAIL,
    RECOMMENDATION,
    ROMAN,
    ROW_ISSUE,
    TABLE_ROW,
    VALEDICTION,
    says_something,
    sign_off_at,
    signatory_lines,
)
from indexer.parsers.shared_answers import SHARED, item_spans, numbers_named
from indexer.parsers.split_rows import past_wording, split_row
from indexer.parsers.questionnaire_tables import (
    Heading,
    issue_table_block,
    issue_table_rows,
    numbered_issues,
    numbered_rows,
)
from indexer.text import clean, count_tokens, strip_span


def looks_like_questionnaire(doc: str, listed: bool = False) -> bool:
    """The form's labels with an action-taken mark, a table form's header, or (most of the
    text, unless the manifest lists it as a reply: a report with one follow-up table in an annex
    is a report) whole-issue tables, or issues numbering their recommendations, each with its
    action-taken line."""
    if bool(RECOMMENDATION.search(doc) and ACTION.search(doc)) or any(
            _table_columns(m) for m in (*TABLE_ROW.finditer(doc), *FLAT_ROW.finditer(doc))):
        return True
    rows = issue_table_rows(doc)
    if rows:
        return listed or sum(len(r.group(0)) for r, _ in rows) >= ISSUE_TABLE_SHARE * len(doc.strip())
    return len(numbered_rows(doc, list(ISSUE.finditer(doc)))) >= 2


def _header_cells(header: re.Match) -> list[str]:
    """A header row's cells after the recommendation's: between tabs, or the labels a PDF's
    line of spaces holds."""
    if header.re is FLAT_ROW:
        return FLAT_COLUMN.findall(header.group(2))
    return header.group(2).split("\t")


def _table_columns(header: re.Match) -> tuple[int, int] | None:
    """(action column, comments column) of a table form's header row, counted from its first
    cell (the recommendation's); None when the row is not the form's."""
    cells = _header_cells(header)
    action = next((i for i, c in enumerate(cells) if ACTION_CELL.match(c)), None)
    comments = next((i for i, c in enumerate(cells) if COMMENTS_CELL.match(c)), None)
    return (action + 1, comments + 1) if action is not None and comments is not None else None


def comment_span(text: str, fields: dict) -> tuple[int, int] | None:
    """Where the country's own comment stands in a response passage's `text` (None: no comment).

    Found from the comment this parser read, not from a label, so "Comment:", "Comments" or
    no label at all give the same range. The service reads answers from this range."""
    if not fields.get("answered"):
        return None
    comment = fields.get("comment", "")
    at = text.rfind(comment) if comment else -1
    if at < 0:
        at = len(fields.get("recommendation_text", ""))
    return at, len(text)


def recommendation_span(text: str, fields: dict) -> tuple[int, int] | None:
    """Where the recommendation's own text stands in a response passage's `text`: what a
    question for its wording is answered with."""
    wording = fields.get("recommendation_text", "")
    return (0, len(wording)) if wording and text.startswith(wording) else None


def recommendation_name(fields: dict) -> str | None:
    """"Issue IV, Recommendation 1": how staff name a recommendation (None when unnumbered)."""
    if fields.get("issue") and fields.get("recommendation"):
        return f"Issue {fields['issue']}, Recommendation {fields['recommendation']}"
    return None


def order_key(fields: dict) -> tuple:
    """Where a response's recommendation stands in the questionnaire: issue, then number, part
    by part ("1.2" before "1.10", 2 before 10; a lettered one, "a", after the numbered)."""
    parts = str(fields.get("recommendation", 0)).split(".")
    return (fields.get("issue_number", 0), tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts))


def straight_through(numbered: list[tuple[str | None, str]]) -> dict[str | None, int]:
    """What to take off each issue's numbers when a reply numbers its recommendations 1 to 16
    straight through the issues (Issue II opening on "Recommendation 4"): every issue after the
    first opens on the number after the last of the issue before. Empty when it does not."""
    by_issue: dict[str | None, list[int]] = {}
    for issue, label in numbered:
        if not label.isdigit():
            return {}
        by_issue.setdefault(issue, []).append(int(label))
    runs = list(by_issue.items())
    if len(runs) < 2 or runs[0][1][0] != 1 or any(b[0] != a[-1] + 1 for (_, a), (_, b) in zip(runs, runs[1:])):
        return {}
    offsets, taken = {}, 0
    for issue, numbers in runs:
        offsets[issue] = taken
        taken = numbers[-1]
    return offsets


def _number(label: str) -> int | str:
    return int(label) if label.isdigit() else label


def parse_questionnaire(doc: str, document: Document, drop: list[tuple[int, int]] | None = None,
                        running: list[tuple[int, int]] | None = None, wordings: list[str] | None = None
                        ) -> list[Passage]:
    """`drop`: what a PDF page added (running headers, hyphens), left out of clean text;
    `running`: of those, the whole lines (a page's head and foot), which citations leave out;
    `wordings`: the form's recommendations as printed, which tell a row a page break cuts
    (split_rows.py)."""
    table_rows = issue_table_rows(doc)
    header_of = {row.start(): header for row, header in table_rows}
    labels = [*RECOMMENDATION.finditer(doc), *(m for m in (*TABLE_ROW.finditer(doc), *FLAT_ROW.finditer(doc))
                                                if _table_columns(m)), *(row for row, _ in table_rows),
              *SHARED.finditer(doc)]  # ("Recommendations 1, 2 and 3:": one answer for each)
    headed = list(ISSUE.finditer(doc))
    if not labels:  # "Issue I: …" / "1. Governments …" / "Action taken: Yes" / the comment
        labels = numbered_rows(doc, headed)
    issues = headed or numbered_issues(doc, labels)
    # tables under headings that say no "Issue": one an issue, numbered in reading order
    table_number = {at: str(n) for n, at in enumerate(sorted({h.start() for h in header_of.values()}), 1)}
    def issue_of(at: int):
        return next((m for m in reversed(issues) if m.start() < at), None)

    def under(m: re.Match, number: str) -> tuple[int, str]:  # a number as its issue holds it ("II.3" under Issue II: 3)
        issue = issue_of(m.start())
        prefix, _, last = number.rpartition(".")
        return (issue.start() if issue else -1, last if issue and prefix == issue.group(1) else number)

    def named_by(m: re.Match) -> list[str]:  # the numbers a label names: one, or a shared answer's
        return numbers_named(m.group(1)) if m.re is SHARED else [m.group(1)]

    singles = {under(m, m.group(1)) for m in labels if m.re is not SHARED}
    labels = [m for m in labels if m.re is not SHARED or not any(  # a heading naming a range its answers follow one
        under(m, n) in singles for n in numbers_named(m.group(1)))]  # by one ("Recommendations 1–3: see below") is none
    recs, seen = [], set()
    for rec in sorted(labels, key=lambda m: m.start()):  # reading order
        issue = issue_of(rec.start())
        prefix = ROW_ISSUE.match(rec.group(0)) if rec.re is ISSUE_TABLE_ROW else None
        if prefix:  # "II.1": the row names its issue
            issue = Heading(prefix.group(1), issue.group(2) if issue and issue.group(1) == prefix.group(1) else "")
        elif issue is None and rec.start() in header_of:
            issue = Heading(table_number[header_of[rec.start()].start()])
        keys = [(issue.group(1) if issue else "?", n) for n in named_by(rec)]
        if not seen.intersection(keys):  # a comment's line "Recommendation 1: the police …" quotes one already read
            seen.update(keys)
            recs.append((rec, issue))
    offset = straight_through([(issue.group(1) if issue else None, n) for rec, issue in recs for n in named_by(rec)])
    boundaries = sorted([m.start() for m in issues] + [rec.start() for rec, _ in recs] + [len(doc)])
    passages: list[Passage] = []
    for rec, issue in recs:
        block_end = next(b for b in boundaries if b > rec.start())
        read = None
        if rec.re is ISSUE_TABLE_ROW:
            rec_span, mark, comment_span, pieces = issue_table_block(doc, rec, header_of[rec.start()])
        else:
            read = {TABLE_ROW: _table_block, FLAT_ROW: _flat_table_block}.get(rec.re, _form_block)
            rec_span, mark, comment_span, pieces = read(doc, rec, block_end)
        comment_pieces = [comment_span] if comment_span[1] > comment_span[0] else []
        split = split_row(doc, rec_span, wordings or [], running or []) if read is _form_block else None
        if split:  # the recommendation's text in two parts, the comment's first part before its mark
            rec_span, opening = split
            comment_pieces.insert(0, opening)
            pieces = rec_span + [opening] + pieces[1:]  # (pieces[0]: the text, read as one piece)
        elif read is _form_block and mark == "unknown" and not comment_pieces and \
                (past := past_wording(doc, rec_span, wordings or [], running or [])):
            rec_span, opens = past  # no mark, no label: the comment right under the text, to the letter's end
            comment = strip_span(doc, opens, comment_end(doc, opens, block_end))
            comment_pieces = [comment] if comment[1] > comment[0] else []
            pieces = [rec_span] + comment_pieces
        comment_text = clean(doc, comment_pieces, drop=drop).text
        answered = says_something(comment_text)
        named = [under(rec, n)[1] for n in named_by(rec)] if rec.re is SHARED else named_by(rec)
        own = item_spans(doc, *rec_span, named) if rec.re is SHARED and not split and isinstance(rec_span, tuple) else {}
        for number in named:  # (a shared answer: each recommendation named, its own item of the text)
            text_span = own.get(number, rec_span)
            cited = [text_span] + pieces[1:] if own else pieces
            number = _number(number)
            number = number - offset.get(issue.group(1) if issue else None, 0) if isinstance(number, int) else number
            passages.append(response_passage(doc, document, drop, len(passages), issue, number, text_span,
                                             mark, comment_text if answered else "", answered,
                                             around_running(doc, cited, running or [])))
    return passages


SECTION_BREAK = re.compile(r"^[ \t]*([-=_*~])(?:[ \t]*\1){2,}[ \t]*\r?$", re.M)  # a rule: what follows is the next block's


def _form_block(doc: str, rec: re.Match, block_end: int):
    """The printed form: the text, then "Any action taken X YES NO", then "Comments:" and the
    comment. (recommendation span, mark, comment span, the pieces the passage cites)."""
    action = ACTION.search(doc, rec.end(), block_end)
    comments = COMMENTS.search(doc, rec.end(), block_end)
    text_end = action.start() if action else (comments.start() if comments else block_end)
    rec_span = strip_span(doc, rec.end(), text_end)
    comment_span, pieces = (block_end, block_end), [rec_span]
    opened = comments or action  # the comment follows its label, or else (no "Comments:") the mark's line
    if opened:
        start = opened.end()
        run_in = None if comments else RUN_IN.match(action.group(1))
        if run_in:  # "Action taken: yes. NAMPOL established …": the comment goes on after the mark, on its line
            start = action.start(1) + run_in.end()
        below = None if comments else MARK_LINE.search(doc, start, block_end)
        if below and not _said_on_line(action) and not doc[start:below.start()].strip():
            start = below.end()  # "Action taken" over "Yes": the comment after the mark
        end = comment_end(doc, start, block_end, labelled=bool(comments))
        comment_span = strip_span(doc, start, end)
        label = strip_span(doc, comments.start(), end) if comments else comment_span
        pieces += [label] if label[1] > label[0] else []
    return rec_span, _form_mark(doc, action, comments.start() if comments else block_end), comment_span, pieces


def comment_end(doc: str, start: int, block_end: int, labelled: bool = False) -> int:
    """Where a comment starting at `start` ends within its block: at a rule ("-----"), the e-mail
    replied to, quoted, a valediction ("Best regards,"), a page's repeated column heads (unless
    the comment has its label), or after the last comment the letter's sign-off ("For the
    Minister of Health", "Jakarta, 30 …") or closing lines."""
    rule = SECTION_BREAK.search(doc, start, block_end)  # "-----", "=====": the block's own end
    mail = QUOTED_MAIL.search(doc, start, block_end)  # the e-mail replied to, quoted
    signed = VALEDICTION.search(doc, start, block_end)  # "Best regards,": the letter closes
    heads = None if labelled else COLUMN_HEADS.search(doc, start, block_end)  # a page's repeated heads
    ends = [m.start() for m in (rule, mail, signed, heads) if m]
    if block_end == len(doc):  # after the last comment, the letter's sign-off
        ends += [at for at in [sign_off_at(doc, start, block_end)] if at is not None]
        ends += [start + m.start() for m in re.finditer(r"[^\n]+", doc[start:block_end])
                 if CLOSING.match(m.group(0).strip()) and (not PLACE_DATE.match(m.group(0).strip()) or signatory_lines(
                     [t.strip() for t in doc[start + m.end():block_end].splitlines() if t.strip()]))][:1]
        #        (a place and date closes the letter over its signatory, not in a list of meetings)
    return min(ends) if ends else block_end


RUN_IN = re.compile(rf"[ \t]*[:：]?[ \t]*[*_]{{0,2}}(?i:{WORDS})[.;:]?[*_]{{0,2}}[.;:]?[ \t]+(?=[A-Z“\"(])")  # a mark, then
#   the comment's first sentence on the mark's line


def _form_mark(doc: str, action: re.Match | None, until: int) -> str:
    """The mark on the label's line ("Any action taken X YES NO"), or, the label alone on its line,
    a mark alone on the next ("Action taken" over "Yes": a definition list, a form's cells)."""
    if action is None:
        return "unknown"
    if _said_on_line(action):
        return action_mark(action.group(1))
    below = MARK_LINE.search(doc, action.end(), until)
    if not below or doc[action.end():below.start()].strip():
        return "unknown"
    return said_twice(below.group(0)) or action_mark(below.group(0))


def _said_on_line(action: re.Match) -> bool:
    """The mark's label has words after it on its line, other than its name in another language
    ("Action taken / Medida adoptada" over "Yes / Sí" says nothing on its own line)."""
    return bool(re.sub(rf"^[ \t]*/[ \t]*(?![ \t]*(?i:{WORDS})\b)[^/:\d\n]{{1,40}}$", "", action.group(1)).strip())  # ("Any
    #   action taken / YES": a mark, no second language)


def _table_block(doc: str, header: re.Match, block_end: int):
    """The table form: the row under the header, as many cells as the header has, each ending
    at its tab or at the end of its line; the last cell runs to the end of the block (a
    comment of several paragraphs, when the comment is the last column)."""
    action_col, comments_col = _table_columns(header)
    width = 1 + header.group(2).count("\t") + 1
    at = min(header.end() + 1, block_end)
    cells = []
    for column in range(width):
        if column == width - 1:
            end = block_end
        else:
            ends = [e for e in (doc.find("\t", at, block_end), doc.find("\n", at, block_end)) if e >= 0]
            end = min(ends, default=block_end)
        cells.append(strip_span(doc, at, end))
        at = min(end + 1, block_end)
    rec_span, comment_span = cells[0], cells[comments_col]
    pieces = [rec_span] + ([comment_span] if comment_span[1] > comment_span[0] else [])
    mark = doc[slice(*cells[action_col])].split("\n", 1)[0]  # a last column runs on: its first line marks
    return rec_span, table_mark(mark), comment_span, pieces


def _flat_table_block(doc: str, header: re.Match, block_end: int):
    """The table form as a PDF prints it: the recommendation's cell, then the others in the
    header's order, each on lines of its own. A mark ("Yes", "X") is the action-taken cell: the
    first after the text when the comment follows it, the block's last line when the comment
    precedes it. The recommendation's and the comment's cells, when no mark stands between
    them, part where a line ends a sentence and the next opens with a capital."""
    action_col, comments_col = _table_columns(header)
    start = min(header.end() + 1, block_end)
    if action_col < comments_col:  # text | mark | comment: the mark parts them
        first_line_end = min((e for e in (doc.find("\n", start, block_end), doc.find("\f", start, block_end))
                              if e >= 0), default=block_end)
        mark = MARK_AFTER_TEXT.search(doc, start, first_line_end) or next(
            (m for m in MARK_LINE.finditer(doc, start, block_end) if doc[start:m.start()].strip()), None)
        split = mark or CELL_END.search(doc, start, block_end)
        rec_end = (split.start() if mark else split.start() + 1) if split else block_end  # the full stop stays
        rec_span = strip_span(doc, start, rec_end)
        comment_span = strip_span(doc, split.end() if split else block_end, block_end)
    else:  # text | comment | mark: the mark ends the block
        mark = next((m for m in MARK_LINE.finditer(doc, start, block_end)
                     if doc[start:m.start()].strip() and not doc[m.end():block_end].strip()), None)
        end = mark.start() if mark else block_end
        split = CELL_END.search(doc, start, end)
        rec_span = strip_span(doc, start, split.start() + 1 if split else end)
        comment_span = strip_span(doc, split.end() if split else end, end)
    pieces = [rec_span] + ([comment_span] if comment_span[1] > comment_span[0] else [])
    return rec_span, table_mark(mark.group(0).strip()) if mark else "unknown", comment_span, pieces


def around_running(doc: str, pieces: list[tuple[int, int]], running: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces with a page's running lines cut out ("Page 4 of 5", the running head): a
    comment across a page break is cited as its two parts, not the page's furniture between."""
    out = []
    for a, b in pieces:
        cuts = sorted(d for d in running if d[0] < b and d[1] > a)
        if not cuts:
            out.append((a, b))
            continue
        for x, y in cuts:
            out.append(strip_span(doc, a, x))
            a = max(a, y)
        out.append(strip_span(doc, a, b))
    return [(a, b) for a, b in out if b > a] or pieces[:1]


def response_passage(doc: str, document: Document, drop, ordinal: int, issue: re.Match | None, number: int | str,
             rec_span: tuple[int, int] | list[tuple[int, int]], mark: str, comment: str, answered: bool,
             pieces: list[tuple[int, int]]) -> Passage:
    issue_roman = issue.group(1) if issue else "?"
    issue_title = issue.group(2) if issue else ""
    glued = FLAT_ROW.search(issue_title)  # "… public safetyRecommendation 1 Action taken Comments"
    issue_title = issue_title[:glued.start()].rstrip() if glued else issue_title
    mapped = clean(doc, pieces, drop=drop)
    rec_pieces = rec_span if isinstance(rec_span, list) else [rec_span]  # (two, where a page break cuts the row)
    heading = [f"Issue {issue_roman}: {issue_title}".strip(), f"Recommendation {number}"]
    return Passage(
        id=f"{document.id}:issue-{issue_roman}:rec-{number}",
        document_id=document.id,
        type="recommendation",
        heading=heading,
        country=document.country,
        kind=document.kind,
        spans=[Span(start=a, end=b) for a, b in pieces],
        text=mapped.text,
        offsets=mapped.runs(),
        tokens=count_tokens(mapped.text),
        label=f"{document.title}, Issue {issue_roman}, Recommendation {number}",
        ordinal=ordinal,
        fields={
            "issue": issue_roman,
            "issue_number": ROMAN.get(issue_roman) or (int(issue_roman) if issue_roman.isdigit() else 0),
            "issue_title": issue_title,
            "recommendation": number,
            "recommendation_text": clean(doc, rec_pieces, drop=drop).text,
            "action_taken": mark,
            "comment": comment,
            "answered": answered,
        },
    )
