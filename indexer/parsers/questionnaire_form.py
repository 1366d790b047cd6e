"""Replies read by the form they answer, whatever their template.

Every reply to a questionnaire carries the same recommendations, word for word; what differs
is the template around them (a Word table, Markdown headings "### 1.2", Spanish labels, a
PDF table with a "Yes" and a "No" column). Once one reply is read by its labels
(questionnaire.py), the recommendations it holds are the form. A file that holds most of them,
in order, is a reply: each recommendation's text is found in it (word by word, whatever its
line breaks, hyphens or emphasis), and what stands between one and the next is that
country's answer: the mark and its labels first, then the comment, then the labels of the
next recommendation (its number, the next issue's heading, a table's column heads), which are
no comment's words. The issue and number are the form's, so the row in every table and in
/coverage is the same row as the other countries'. Pure functions over text with offsets.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from indexer.models import Document, Passage
from indexer.parsers.marks import BOX, action_mark, table_mark
from indexer.parsers.questionnaire import around_running, response_passage
from indexer.parsers.questionnaire_tables import Heading
from indexer.text import clean, strip_span

WORD = re.compile(r"[^\W_]+")  # letters and digits: "cyber-\r\nrelated" and "cyber-related" read alike
ANCHOR = 8  # words a recommendation's text is first looked up by
FORM_SHARE = 0.5  # of a reply's recommendations a file must hold to be read as a reply to the same form
MIN_FOUND = 3  # and at least this many: a report quoting one or two recommendations is no reply
LABEL_WORDS = 12  # a line of at most this many words not ending a sentence is a label or heading, no comment's
SENTENCE_END = re.compile(r"[.!?;)\]\"”’]\s*$")
RULE = re.compile(r"^[-=_*~\s|:]+$")  # Markdown's "---", a text file's "=====" under a heading
FIELD = re.compile(r"^([^\W\d][\w /()¿?'’-]{0,40}?)\s*[:：]\s*(.*)$")  # "Comments: …", "Status: Implemented"
STATUS = {"implemented": "yes", "fully implemented": "yes", "not implemented": "no"}
PLACE = re.compile(r"^(?:.*\b(?:\d+(?:\.\d+)*|[IVX]+(?:\.\d+)?)\b.*|.*(?i:recomm|recomend|issue|tema|th[eè]me).*"
                   r"|(?i:n/?a|none|nil|-+))$")  # what names a place in the form, or says nothing
TWO_MARK_COLUMNS = re.compile(r"\b(?:yes|oui|s[ií])\s+(?:no|non)\b", re.I)  # a table header "… Yes No Comments"


@dataclass(frozen=True)
class FormItem:
    """One recommendation of the form, as a reply read by its labels numbers it."""

    issue: str
    issue_title: str
    number: int | str
    words: tuple[str, ...]
    source: str  # the reply it was read from


def words_of(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    return list(WORD.finditer(text, start, len(text) if end is None else end))


def form_of(passages: list[Passage]) -> list[FormItem]:
    """The recommendations replies read by their labels hold, each once (the first reply's numbering)."""
    items, seen = [], set()
    for p in passages:
        if p.type != "recommendation":
            continue
        words = tuple(w.group(0).lower() for w in WORD.finditer(p.fields.get("recommendation_text", "")))
        if len(words) >= ANCHOR and words not in seen:
            seen.add(words)
            items.append(FormItem(str(p.fields.get("issue")), p.fields.get("issue_title", ""),
                                  p.fields.get("recommendation"), words, p.document_id))
    return items


def form_digest(form: list[FormItem]) -> str:
    """What a reply read by the form depends on besides its own text (build.content_key)."""
    return hashlib.sha256(repr([(i.issue, i.number, i.words) for i in form]).encode()).hexdigest()[:12]


def _match(doc_words: list[re.Match], at: int, item: FormItem) -> int | None:
    """The index past the item's last word when its words stand from doc_words[at] on (a word a
    line break split without a hyphen, "investi" "gation", is read as one); None otherwise."""
    i = at
    for word in item.words:
        if i < len(doc_words) and doc_words[i].group(0).lower() == word:
            i += 1
        elif i + 1 < len(doc_words) and (doc_words[i].group(0) + doc_words[i + 1].group(0)).lower() == word:
            i += 2
        else:
            return None
    return i


def locate(doc: str, form: list[FormItem]) -> list[tuple[FormItem, int, int]]:
    """(item, start, end) of each form recommendation the text holds, in reading order."""
    by_anchor: dict[tuple[str, ...], list[FormItem]] = {}
    for item in form:
        by_anchor.setdefault(item.words[:ANCHOR], []).append(item)
    doc_words = words_of(doc)
    found, seen, i = [], set(), 0
    while i < len(doc_words):
        key = tuple(w.group(0).lower() for w in doc_words[i:i + ANCHOR])
        hit = next(((item, end) for item in by_anchor.get(key, []) if item.words not in seen
                    and (end := _match(doc_words, i, item)) is not None), None)
        if hit is None:
            i += 1
            continue
        item, end = hit
        seen.add(item.words)
        stop = doc_words[end - 1].end()
        while stop < len(doc) and doc[stop] in ".;":
            stop += 1
        found.append((item, doc_words[i].start(), stop))
        i = end
    return found


def answers_the_form(doc: str, form: list[FormItem]) -> tuple[int, int] | None:
    """(found, of how many) when the text holds most of one reply's recommendations; else None."""
    found = locate(doc, form)
    best = None
    for source in {item.source for item in form}:
        total = sum(item.source == source for item in form)
        hits = sum(item.source == source for item, _, _ in found)
        if hits >= MIN_FOUND and hits >= FORM_SHARE * total and (best is None or hits > best[0]):
            best = (hits, total)
    return best


def _segments(doc: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block's lines, and a table row's cells (Word's tabs), as spans without their white space."""
    out, at = [], start
    for m in re.finditer(r"[\n\f\t]", doc[start:end]):
        out.append(strip_span(doc, at, start + m.start()))
        at = start + m.end()
    out.append(strip_span(doc, at, end))
    return out


def _bare(text: str) -> str:
    """A line without Markdown's marks around it: "**Comments:**", "> …", "## 2.1"."""
    return re.sub(r"^[#>*_\s]+|[*_\s]+$", "", text).replace("**", "").replace("__", "")


def _label(text: str, running: bool, issue_words: set[str]) -> str | None:
    """Whether a line is no comment's: "place" for what names a place in the form or is page
    furniture (a running line, a rule, a heading, a number, the next issue's title, "N/A"),
    "short" for a short line ending no sentence (column heads; or a short comment with no full
    stop, "In progress", which the comment's own first line is kept as); None for a comment's line."""
    bare = _bare(text)
    if running or not bare or RULE.match(text) or text.lstrip().startswith(("#", "---", "===")):
        return "place"
    words = [w.lower() for w in WORD.findall(bare)]
    if issue_words and len(issue_words & set(words)) >= 0.6 * len(issue_words):
        return "place"
    if len(words) > LABEL_WORDS or SENTENCE_END.search(bare):
        return None
    return "place" if PLACE.match(bare) else "short"


def _mark_of(text: str, two_columns: bool) -> str | None:
    """The mark a line of the answer's head gives ("Yes", "☒ Yes ☐ No", "Status: Implemented",
    "Action taken: No"), or None when the line is no mark. A lone tick under a table's "Yes" and
    "No" columns could be either: unknown."""
    bare = _bare(text).strip()
    field = FIELD.match(bare)
    value = field.group(2).strip() if field else bare
    if value.lower().rstrip(".") in STATUS:
        return STATUS[value.lower().rstrip(".")]
    if len(WORD.findall(value)) <= 1 and table_mark(value) != "unknown":
        ticked = value.lower().rstrip(".") in ("x", "✓", "✔", "☒", "☑")
        return "unknown" if ticked and two_columns else table_mark(value)
    if BOX.search(bare):
        return action_mark(bare)
    return None


def parse_form_reply(doc: str, document: Document, form: list[FormItem], drop: list[tuple[int, int]] | None = None,
                     running: list[tuple[int, int]] | None = None) -> list[Passage]:
    """One passage per form recommendation the reply holds, numbered as the form numbers it."""
    running = running or []
    found = locate(doc, form)
    two_columns = any(TWO_MARK_COLUMNS.search(line) and re.search(r"recommend", line, re.I)
                      for line in doc.splitlines())
    passages = []
    for ordinal, (item, start, end) in enumerate(found):
        following = found[ordinal + 1] if ordinal + 1 < len(found) else None
        block_end = following[1] if following else len(doc)
        next_issue = set(w.lower() for w in WORD.findall(following[0].issue_title)) if following and \
            following[0].issue != item.issue else set()
        lines = _segments(doc, end, block_end)
        # a rule, or a blank to sign ("Signed: ……"), ends what the reply says: what follows closes the file
        stop = next((i for i, (a, b) in enumerate(lines) if RULE.match(doc[a:b]) and doc[a:b].strip()
                     or re.match(r"^[^\W\d][\w ]{0,30}:\s*[._…]{3,}", _bare(doc[a:b]))), None)
        lines = lines[:stop] if stop is not None else lines
        mark, head = "unknown", 0  # the head: the mark and its labels ("Action taken: ☒ Yes ☐ No", "Comments:")
        for head, (a, b) in enumerate(lines):
            text = doc[a:b]
            if _in((a, b), running) or not _bare(text):
                continue
            found_mark = _mark_of(text, two_columns)
            if found_mark is not None:
                mark = found_mark if mark == "unknown" else mark
                continue
            field = FIELD.match(_bare(text))
            if field and not field.group(2).strip():
                continue  # "Comments:", "Response:", "Observaciones:"
            if field and len(WORD.findall(field.group(1))) <= 4 and len(WORD.findall(field.group(2))) > 3:
                at = text.find(field.group(2))  # "Comments: Our police …": the comment after its label
                lines[head] = (a + max(at, 0), b)
            break
        else:
            head = len(lines)
        # the tail: the next recommendation's number, the next issue's heading, column heads
        while len(lines) > head and (kind := _label(doc[slice(*lines[-1])], _in(lines[-1], running), next_issue)) and (
                kind == "place" or len(lines) > head + 1):
            lines.pop()  # a short comment with no full stop ("In progress") stays; a number or heading does not
        comment_start = lines[head][0] if len(lines) > head else None
        comment_span = strip_span(doc, comment_start, lines[-1][1]) if comment_start is not None and lines else (end, end)
        comment = clean(doc, [comment_span], drop=drop).text if comment_span[1] > comment_span[0] else ""
        answered = bool(re.search(r"[A-Za-z0-9]", comment)) and comment.strip().lower() not in ("n/a", "na", "-")
        pieces = [(start, end)] + ([comment_span] if answered else [])
        passages.append(response_passage(doc, document, drop, ordinal, Heading(item.issue, item.issue_title), item.number,
                                 (start, end), mark, comment if answered else "", answered,
                                 around_running(doc, pieces, running)))
    return passages


def _in(span: tuple[int, int], running: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in running) and span[1] > span[0]
