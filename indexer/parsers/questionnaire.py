"""Questionnaire responses: one passage per recommendation, with the country's comment.

The form repeats "Issue N: title / Recommendation n / text / Any action taken [X] YES [X] NO /
Comments: …". An empty comment, or one of slashes only ("////"), means the country
reported nothing: the passage stays in the index with answered = false.
"""
from __future__ import annotations

import re

from indexer.models import Document, Passage, Span
from indexer.text import clean, count_tokens

# The form's labels as forms write them: "Recommendation 3", "RECOMMENDATION 1.2", "Rec. IV";
# "Any action taken", "Action taken", "Actions taken"; "Comments:", "Comment:", "Comments" alone.
ISSUE = re.compile(r"^Issue ([IVX]+|\d+)[:.][ \t]*(.+?)[ \t\r]*$", re.M)
RECOMMENDATION = re.compile(r"^(?:Recommendation|Rec\.)[ \t]+(\d+(?:\.\d+)*|[IVX]+|[a-z])\.?[ \t\r]*$", re.M | re.I)
ACTION = re.compile(r"^(?:Any )?actions? taken\b(.*)$", re.M | re.I)
COMMENTS = re.compile(r"^Comments?(?:[ \t]*:|[ \t]*(?=\r?$))", re.M | re.I)
COMMENTS_LABEL = "Comments:"
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def looks_like_questionnaire(doc: str) -> bool:
    return bool(RECOMMENDATION.search(doc) and ACTION.search(doc))


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


def action_mark(line: str) -> str:
    """'X YES NO' marks yes, 'YES X NO' marks no; no X leaves it unknown."""
    if re.search(r"\bX\s+YES\b", line):
        return "yes"
    if re.search(r"\bYES\s+X\s+NO\b|\bX\s+NO\b", line):
        return "no"
    return "unknown"


def _strip(doc: str, start: int, end: int) -> tuple[int, int]:
    while start < end and doc[start].isspace():
        start += 1
    while end > start and doc[end - 1].isspace():
        end -= 1
    return start, end


def _number(label: str) -> int | str:
    return int(label) if label.isdigit() else label


def parse_questionnaire(doc: str, document: Document, drop: list[tuple[int, int]] | None = None) -> list[Passage]:
    """`drop`: what a PDF page added (running headers, hyphens), left out of clean text."""
    issues = list(ISSUE.finditer(doc))
    recs = list(RECOMMENDATION.finditer(doc))
    boundaries = sorted([m.start() for m in issues] + [m.start() for m in recs] + [len(doc)])
    passages: list[Passage] = []
    for ordinal, rec in enumerate(recs):  # reading order: previous/next passage follow it
        issue = next((m for m in reversed(issues) if m.start() < rec.start()), None)
        issue_roman = issue.group(1) if issue else "?"
        issue_title = issue.group(2) if issue else ""
        block_end = next(b for b in boundaries if b > rec.start())
        action = ACTION.search(doc, rec.end(), block_end)
        comments = COMMENTS.search(doc, rec.end(), block_end)
        text_end = action.start() if action else (comments.start() if comments else block_end)
        rec_span = _strip(doc, rec.end(), text_end)
        pieces = [rec_span]
        comment_text = ""
        if comments:
            comment_span = _strip(doc, comments.end(), block_end)
            comment_text = clean(doc, [comment_span], drop=drop).text if comment_span[1] > comment_span[0] else ""
            pieces.append(_strip(doc, comments.start(), block_end))
        answered = bool(re.search(r"[A-Za-z0-9]", comment_text))
        mapped = clean(doc, pieces, drop=drop)
        number = _number(rec.group(1))
        heading = [f"Issue {issue_roman}: {issue_title}".strip(), f"Recommendation {number}"]
        passages.append(
            Passage(
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
                    "issue_number": ROMAN.get(issue_roman, 0),
                    "issue_title": issue_title,
                    "recommendation": number,
                    "recommendation_text": clean(doc, [rec_span], drop=drop).text,
                    "action_taken": action_mark(action.group(1)) if action else "unknown",
                    "comment": comment_text if answered else "",
                    "answered": answered,
                },
            )
        )
    return passages
