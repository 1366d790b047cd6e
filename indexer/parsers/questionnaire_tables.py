"""Whole-issue tables and issues numbered without the word "Issue": the questionnaire form as
replies lay it out when they are not the printed form (a Word table an issue, "No. |
Recommendation | Action taken | Comments"; "1. Cybercrime" over "Recommendation 1.1"). Pure
functions over text with offsets."""
from __future__ import annotations

import re

from indexer.parsers.marks import BOX, action_mark, radios, table_mark
from indexer.parsers.questionnaire_labels import (
    ACTION,
    ISSUE,
    ACTION_CELL,
    COMMENTS_CELL,
    ISSUE_TABLE_HEADER,
    ISSUE_TABLE_ROW,
    NUMBERED_ISSUE,
    NUMBERED_REC,
    REC_CELL,
    TABLE_RULE,
)
from indexer.text import strip_span


def row_cells(doc: str, start: int, end: int, separator: str) -> list[tuple[int, int]]:
    """A table line's cells as (start, end), between tabs, or between pipes (not an escaped
    "\\|"; a Markdown row's outer pipes bound no cell). Two tabs side by side hold an empty cell."""
    line = doc[start:end]
    at = [m.start() for m in re.finditer(r"\t" if separator == "\t" else r"(?<!\\)\|", line)]
    bounds = [-1, *at, len(line)]
    cells = [(start + bounds[i] + 1, start + bounds[i + 1]) for i in range(len(bounds) - 1)]
    if separator == "|":
        cells = cells[1:] if line.lstrip().startswith("|") else cells
        cells = cells[:-1] if line.rstrip().endswith("|") else cells
    return [strip_span(doc, a, b) for a, b in cells]


def separator(line: str) -> str:
    return "\t" if "\t" in line else "|"


def issue_table_columns(doc: str, header: re.Match) -> tuple[int, int, int] | None:
    """(recommendation, action taken, comments) columns of a whole-issue table's header row;
    None when the row does not name all three."""
    cells = [doc[a:b] for a, b in row_cells(doc, header.start(), header.end(), separator(header.group(0)))]
    found = [next((i for i, c in enumerate(cells) if pattern.match(c)), None)
             for pattern in (REC_CELL, ACTION_CELL, COMMENTS_CELL)]
    return None if None in found else tuple(found)


def issue_table_rows(doc: str) -> list[tuple[re.Match, re.Match]]:
    """(row, its header) for each row of a whole-issue table: the numbered lines right under a
    header naming the form's columns (past Markdown's |---| rule and issues' headings), up to the
    first line that is no row."""
    out = []
    for header in ISSUE_TABLE_HEADER.finditer(doc):
        if issue_table_columns(doc, header) is None:
            continue
        at = header.end() + 1
        while at < len(doc):
            line_end = doc.find("\n", at)
            line_end = len(doc) if line_end < 0 else line_end
            row = ISSUE_TABLE_ROW.match(doc, at)
            if row is None and not TABLE_RULE.fullmatch(doc, at, line_end) and not ISSUE.match(doc, at):
                break  # (an issue's heading across the table, "Issue II: …", is the table's)
            out += [(row, header)] if row else []
            at = line_end + 1
    return out


def numbered_issues(doc: str, labels: list[re.Match]) -> list[re.Match]:
    """Issues headed by a number alone ("1. Cybercrime", "II. Alternatives"), read only where
    the recommendations say so: over "Recommendation 1.1", the last such heading numbered 1
    before it; over "Recommendation 1", a heading the next recommendation after it restarts the
    count under. A line ending a sentence ("1. Trained police.") is a comment's list, no heading."""
    labels = sorted(labels, key=lambda m: m.start())
    first: dict[str, int] = {}
    for label in labels:
        if "." in label.group(1):
            first.setdefault(label.group(1).split(".")[0], label.start())
    found: dict[str, re.Match] = {}
    for m in NUMBERED_ISSUE.finditer(doc):
        if m.group(2).rstrip("*_ ").endswith((".", ";", ":", ",")):
            continue
        following = next((label for label in labels if label.start() > m.start()), None)
        if m.start() < first.get(m.group(1), -1) or (
                not first and following is not None and following.group(1) == "1"):
            found[m.group(1)] = m
    return sorted(found.values(), key=lambda m: m.start())


def issue_table_block(doc: str, row: re.Match, header: re.Match):
    """A row of a whole-issue table: its cells in its header's order, each within the row's line
    (Word's and Markdown's cells are one line each)."""
    rec_col, action_col, comments_col = issue_table_columns(doc, header)
    cells = row_cells(doc, row.start(), row.end(), separator(header.group(0)))
    cells += [(row.end(), row.end())] * (max(rec_col, action_col, comments_col) + 1 - len(cells))
    rec_span, comment_span = cells[rec_col], cells[comments_col]
    pieces = [rec_span] + ([comment_span] if comment_span[1] > comment_span[0] else [])
    cell = doc[slice(*cells[action_col])]
    mark = table_mark(cell)
    if mark == "unknown" and BOX.search(radios(cell)):
        mark = action_mark(cell)  # "☒ Yes ☐ No": the boxes say which
    return rec_span, mark, comment_span, pieces


class Heading:
    """An issue no heading of the file names (numbered by its table's place, "1", "2", or as the
    form numbers it), read as a heading's match: group(1) its number, group(2) its title."""

    def __init__(self, number: str, title: str = ""):
        self.number, self.title = number, title

    def group(self, n: int) -> str:
        return self.number if n == 1 else self.title


def numbered_rows(doc: str, issues: list[re.Match]) -> list[re.Match]:
    """Within each issue, the items numbered 1, 2, 3 … in turn, each followed by an action-taken
    line before the next numbered line: a comment's own numbered list is passed over (its
    numbers are not the next one expected, or no action line follows them)."""
    out = []
    ends = [m.start() for m in issues[1:]] + [len(doc)]
    for issue, end in zip(issues, ends):
        items, expected = list(NUMBERED_REC.finditer(doc, issue.end(), end)), 1
        for i, item in enumerate(items):
            following = items[i + 1].start() if i + 1 < len(items) else end
            if int(item.group(1)) == expected and ACTION.search(doc, item.end(), following):
                out.append(item)
                expected += 1
    return out
