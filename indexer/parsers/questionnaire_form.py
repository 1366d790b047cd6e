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
from indexer.parsers.marks import BOX, CROSSES, TICKS, WORDS, action_mark, table_mark
from indexer.parsers.questionnaire import around_running, response_passage
from indexer.parsers.questionnaire_labels import ACTION_WORDS, COLUMN_HEADS, COMMENT_WORDS, ISSUE_WORD, REC_WORD
from indexer.parsers.questionnaire_tables import Heading
from indexer.text import clean, strip_span

READER_VERSION = "3"  # bump when reading by the form changes: a reply read by it is parsed and embedded again
#                       (2: a mark after the comment, an answer table's heads and number, an answer's heading;
#                       3: a mark opening most answers, a badge word as a row's label, a bilingual mark field)
WORD = re.compile(r"[^\W_]+")  # letters and digits: "cyber-\r\nrelated" and "cyber-related" read alike
ANCHOR = 8  # words a recommendation's text is first looked up by
FORM_SHARE = 0.5  # of a reply's recommendations a file must hold to be read as a reply to the same form
MIN_FOUND = 3  # and at least this many: a report quoting one or two recommendations is no reply
LABEL_WORDS = 12  # a line of at most this many words not ending a sentence is a label or heading, no comment's
SENTENCE_END = re.compile(r"[.!?;)\]\"”’]\s*$")
BREAK = re.compile(r"^\s*([-=_*~])(?:\s*\1){2,}\s*$")  # Markdown's "---", a text file's "=====": a section ends
AFTER_TEXT = "”’\"»)*_.;:"  # what closes a recommendation's text: its full stop, a quote, emphasis
FIELD = re.compile(r"^([^\W\d][\w /()¿?'’-]{0,40}?)\s*[:：]\s*(.*)$")  # "Comments: …", "Status: Implemented"
# the comment's own labels: what follows them is the comment, however short ("Comments: Done.")
MARK_LABEL = re.compile(rf"(?i:\b(?:{WORDS})\b|status|{ACTION_WORDS}|answer|mark)")  # a field the mark fills
ANSWER_WORDS = (rf"(?:{COMMENT_WORDS}|remarks?|observa\w*|responses?|reply|replies|r[ée]ponses?|respuestas?|answers?"
                r"|details?|explanations?)")
ANSWER_LABEL = re.compile(rf"\b{ANSWER_WORDS}$", re.I)  # ends a label with no colon: "Canada's response"
COMMENT_LABEL = re.compile(rf"^{ANSWER_WORDS}$", re.I)  # is a label before a colon: "Remarks: …"
# what a reply marks instead of Yes or No: a status ("Implemented", "✔ Action taken", "✘ No action")
STATUS = {"implemented": "yes", "fully implemented": "yes", "partially implemented": "yes", "action taken": "yes",
          "not implemented": "no", "no action": "no", "no action taken": "no"}
CROSS = "".join(CROSSES)
# a mark opening the comment ("YES. The police …", "No. No campaign …")
MARK_FIRST = re.compile(r"(?i:(yes|no|oui|non|s[ií]|sim|não|ja|nein))[.:]\s+(?=[A-Z“\"])")
# ... and with nothing after it, where most of a reply's answers open so: a table's mark column read
# into the comment's first line ("Yes The Ministry …", "No –")
MARK_OPENS = re.compile(rf"(?i:({WORDS}))\s+(?=\S)")
# labels that name a place in the form: a number alone ("3.", "II.1"), "Recommendation 2", an
# issue's heading ("THÈME III : …"), a table's column heads ("No.", "Action taken"), nothing said ("N/A")
NUMBER_ALONE = re.compile(rf"^(?:{REC_WORD}s?\s*)?(?:(?-i:[IVX]+)|(?:(?-i:[A-Z]{{1,2}})\.?\s?|No\.?\s?)?\d{{1,3}})"
                          rf"(?:[.-]\d{{1,3}})*[.:)]?$", re.I)  # not a year ("2030.")
ISSUE_HEADING = re.compile(rf"^{ISSUE_WORD}\s+[IVX\d]+\b")
HEAD_CELL = re.compile(rf"^(?:no\.?|n°|#|number|{REC_WORD}s?|{ACTION_WORDS}.*|{COMMENT_WORDS}|remarks?|yes|no"
                       rf"|measures? taken.*|responses?|n/?a|none|nil|-+)$", re.I)
TWO_MARK_COLUMNS = re.compile(r"\b(?:yes|oui|s[ií])\s+(?:no|non)\b", re.I)  # a table header "… Yes No Comments"


@dataclass(frozen=True)
class FormItem:
    """One recommendation of the form, as a reply read by its labels numbers it."""

    issue: str
    issue_title: str
    number: int | str
    words: tuple[str, ...]
    source: str  # the reply it was read from


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
    """What a reply read by the form depends on besides its own text (build.content_key): the
    form, and how this module reads by it (READER_VERSION)."""
    read = [READER_VERSION, *((i.issue, i.issue_title, i.number, i.words) for i in form)]
    return hashlib.sha256(repr(read).encode()).hexdigest()[:12]


def _match(words: list[str], at: int, item: FormItem) -> int | None:
    """The index past the item's last word when its words stand from words[at] on (a word a
    line break split without a hyphen, "investi" "gation", is read as one); None otherwise."""
    i = at
    for word in item.words:
        if i < len(words) and words[i] == word:
            i += 1
        elif i + 1 < len(words) and words[i] + words[i + 1] == word:
            i += 2
        else:
            return None
    return i


def occurrences(doc: str, form: list[FormItem]) -> list[tuple[FormItem, int, int]]:
    """(item, start, end) of every place the text holds a form recommendation's words, in
    reading order; where one recommendation's text begins another's, the longer is read."""
    by_anchor: dict[tuple[str, ...], list[FormItem]] = {}
    for item in sorted(form, key=lambda i: -len(i.words)):
        by_anchor.setdefault(item.words[:ANCHOR], []).append(item)
    firsts = {key[0] for key in by_anchor}
    spans = [(m.start(), m.end()) for m in WORD.finditer(doc)]
    words = [doc[x:y].lower() for x, y in spans]
    found, i = [], 0
    while i < len(words):
        if words[i] not in firsts:
            i += 1
            continue
        hit = next(((item, end) for item in by_anchor.get(tuple(words[i:i + ANCHOR]), [])
                    if (end := _match(words, i, item)) is not None), None)
        if hit is None:
            i += 1
            continue
        item, end = hit
        stop = spans[end - 1][1]
        while stop < len(doc) and doc[stop] in AFTER_TEXT:
            stop += 1
        found.append((item, spans[i][0], stop))
        i = end
    return found


def locate(doc: str, form: list[FormItem]) -> list[tuple[FormItem, int, int]]:
    """The place each recommendation is answered, in reading order (`answered_at`)."""
    return answered_at(occurrences(doc, form))


def answered_at(found: list[tuple[FormItem, int, int]]) -> list[tuple[FormItem, int, int]]:
    """Of each recommendation's occurrences, the last (a cover letter or a list of contents
    quoting it comes before the answers), in reading order."""
    last = {item.words: (item, start, end) for item, start, end in found}
    return sorted(last.values(), key=lambda place: place[1])


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
    """The block's lines, and a table row's cells (Word's tabs, Markdown's pipes), as spans
    without their white space."""
    out, at = [], start
    for m in re.finditer(r"[\n\f\t|]", doc[start:end]):
        out.append(strip_span(doc, at, start + m.start()))
        at = start + m.end()
    out.append(strip_span(doc, at, end))
    return out


def _bare(text: str) -> str:
    """A line without Markdown's marks and a list's bullet around it: "**Comments:**", "> …", "- **2.** *"."""
    return re.sub(r"^(?:[#>*_•◦▪\s]|[-:](?=\s))+|[*_\s]+$", "", text).replace("**", "").replace("__", "")


def _label(text: str, running: bool, issue_words: set[str]) -> str | None:
    """Whether a line is no comment's: "place" for what names a place in the form or is page
    furniture (a running line, a heading, a number, an issue's heading, column heads, "N/A"),
    "short" for a short line ending no sentence (a heading's wrapped end; or a short comment with
    no full stop, "In progress", which the comment's own first line is kept as); None for a
    comment's line."""
    bare = _bare(text)
    if not bare and not running:
        return "blank"
    if running or BREAK.match(text) or text.lstrip().startswith("#"):
        return "place"
    if NUMBER_ALONE.match(bare) or ISSUE_HEADING.match(bare):
        return "place"
    words = [w.lower() for w in WORD.findall(bare)]
    if SENTENCE_END.search(bare):
        return None
    shared = len(issue_words & set(words))
    if issue_words and shared >= 0.6 * len(issue_words) and shared >= 0.6 * len(set(words)):
        return "place"  # the next issue's heading, however long, and little else
    if len(words) > LABEL_WORDS:
        return None
    return "place" if HEAD_CELL.match(bare) or COLUMN_HEADS.match(bare) else "short"


def _badge(bare: str) -> str | None:
    """The mark a badge gives ("Action taken", "✘ No action", "Implemented"), or None."""
    badge = re.sub(r"\s+", " ", re.sub(r"[^\w ]+", " ", bare)).strip().lower()
    badge = re.sub(r"^(?:implementation )?status ", "", badge)  # "Status Action taken": a badge beside its label
    if ":" in bare or badge not in STATUS:
        return None
    return "no" if any(c in bare for c in CROSS) else STATUS[badge]


def _mark_of(text: str, two_columns: bool) -> str | None:
    """The mark a line of the answer's head gives ("Yes", "☒ Yes ☐ No", "Status: Implemented",
    "✔ Action taken", "Action taken: No"), or None when the line is no mark. A lone tick under a
    table's "Yes" and "No" columns could be either: unknown."""
    bare = _bare(text).strip()
    numbered = re.fullmatch(r"(\S+)\s+(\S+)", bare)
    if numbered and NUMBER_ALONE.match(numbered.group(1)) and table_mark(numbered.group(2)) != "unknown":
        return table_mark(numbered.group(2))  # an answer table's row: the number's cell, the mark's ("I.1  Yes")
    badge = _badge(bare)
    if badge is not None:
        return badge
    field = FIELD.match(bare)
    value = (field.group(2) if field else bare).strip(" *_")
    if field and value and MARK_LABEL.search(field.group(1)) and not re.sub(rf"(?i:\b(?:{WORDS})\b)|[^\w]", "", value):
        return action_mark(value)  # "Tiltak iverksatt / Action taken: Ja / Yes": the field's value, in two languages
    status = re.sub(r"\s+", " ", re.sub(r"[^\w ]+", " ", value)).strip().lower()
    if field and re.fullmatch(r"(?:implementation )?status", field.group(1).strip(), re.I):
        if status in STATUS:  # "Status: Implemented", "Status: ✔ Action taken"
            return "no" if any(c in value for c in CROSS) else STATUS[status]
        return action_mark(value)  # "Status: In progress": a mark's field, whatever it holds
    if len(WORD.findall(value)) <= 1 and table_mark(value) != "unknown":  # a cell's "Yes", "Y", "✓", "✗"
        ticked = value.lower().rstrip(".") in TICKS
        return "unknown" if ticked and two_columns else table_mark(value)
    action = re.match(rf"^(?:{ACTION_WORDS})\b[\s:]*(.*)$", bare, re.I)
    if BOX.search(bare) or (action and not re.sub(rf"(?i:\b(?:{WORDS}|x)\b)|[^\w]", "", action.group(1))):
        return action_mark(bare)  # "Any action taken YES X NO", "☒ Yes ☐ No", "Action taken: No"
    if field and status in STATUS:  # "Implementation status: Fully implemented"
        return "no" if any(c in value for c in CROSS) else STATUS[status]
    return None


def _head(doc: str, lines: list[tuple[int, int]], running: list[tuple[int, int]], two_columns: bool,
          next_issue: set[str], opens: bool = False) -> tuple[str, int | None]:
    """(the mark, where the comment starts) from the block's first lines: its mark and labels
    ("Action taken: ☒ Yes ☐ No", "Comments:"), a mark opening the comment ("YES. The police …";
    `opens`: "Yes The police …", as the reply's answers open), a label before the comment on its
    line ("Remarks: The police …"). No comment start when the next recommendation's labels come
    first (a blank comment)."""
    mark, labelled, in_table = "unknown", False, False
    for i, (a, b) in enumerate(lines):
        text = doc[a:b]
        if _in((a, b), running) or not _bare(text):
            continue
        found = None if labelled else _mark_of(text, two_columns)
        if found is not None and _badge(_bare(text)) is not None and i + 1 < len(lines) \
                and re.fullmatch(r"[ \t|]*[\t|][ \t|]*", doc[b:lines[i + 1][0]]) \
                and (not _bare(doc[slice(*lines[i + 1])]) or _mark_of(doc[slice(*lines[i + 1])], two_columns)):
            continue  # "Implemented<TAB>No": the row's label, its next cell the mark (or left empty)
        if found is not None:
            mark = found if mark == "unknown" else mark
            continue
        field = FIELD.match(_bare(text))
        if field and (ISSUE_HEADING.match(_bare(text)) or NUMBER_ALONE.match(field.group(1).strip())):
            return mark, None  # "Tema IV / Issue IV:", "Recommendation 2:": the next recommendation's place
        if field and not field.group(2).strip() and not re.search(r"(?i:\b(?:is|are|was|were|has|have|will)\b)",
                                                                  field.group(1)):
            labelled = not MARK_LABEL.search(field.group(1))  # "Comments:", "Measures adopted:": the comment follows
            continue  # ("The report is online:" opens the comment: a sentence, no label)
        if COMMENT_LABEL.match(_bare(text).rstrip(":：").strip()) or (
                text.lstrip().startswith("#") and ANSWER_LABEL.search(_bare(text)) and len(WORD.findall(text)) <= 4):
            continue  # "Comments" alone, "### Australian Government response": the answer's heading, the comment next
        if not labelled and COLUMN_HEADS.match(_bare(text)):
            in_table = True
            continue  # the answer's own table heads ("Recommendation  Action taken") over its number and mark
        if in_table and NUMBER_ALONE.match(_bare(text)) and not re.match(REC_WORD, _bare(text), re.I):
            continue  # under them, the row's number ("IV.2") beside an empty mark's cell
        kind = _label(text, False, next_issue)
        if kind == "place":
            return mark, None
        if labelled or re.match(r"\s*(?:[-•◦▪*]|\d+[.)])\s", text):
            pass  # after its label, or a list's item: the comment
        elif kind == "short" and ANSWER_LABEL.search(_bare(text)) and len(WORD.findall(_bare(text))) <= 4:
            continue  # "Canada's response", "Our reply": the answer's label, with no colon
        elif kind == "short" and len(WORD.findall(_bare(text))) <= 4 and (after := next(
                (doc[x:y] for x, y in lines[i + 1:] if _bare(doc[x:y])), None)) is not None and (
                _mark_of(after, two_columns) is not None or _label(after, False, next_issue) != "place"):
            continue  # a label with no colon ("Status", "Canada's response") before the mark or the comment
        at = a
        if field and (COMMENT_LABEL.match(field.group(1).strip()) or (
                len(WORD.findall(field.group(1))) <= 4 and len(WORD.findall(field.group(2))) > 3)):
            at = a + max(text.find(field.group(2)), 0)  # "Remarks: The police …": the comment after its label
        first = MARK_FIRST.match(doc, at, b) or (MARK_OPENS.match(doc, at, b) if opens and mark == "unknown" else None)
        if first:
            mark = table_mark(first.group(1)) if mark == "unknown" else mark
            at = first.end()
        return mark, at
    return mark, None


def _marks_open_answers(doc: str, found: list[tuple[FormItem, int, int]], starts: list[int]) -> bool:
    """Most of the reply's answers open with a mark and go on on its line ("Yes The Ministry …",
    "No –"): a PDF table's mark column that pdfium reads into the comment's first line. (One
    comment opening "No Member State objected" is no such reply.)"""
    opened = 0
    for _, start, end in found:
        block_end = next((x for x in starts if x > start), len(doc))
        first = next((doc[a:b] for a, b in _segments(doc, end, block_end) if _bare(doc[a:b])), "")
        opened += bool(MARK_OPENS.match(first))
    return opened >= max(MIN_FOUND, len(found) / 2)


def _mark_after(doc: str, lines: list[tuple[int, int]], running: list[tuple[int, int]], two_columns: bool,
                next_issue: set[str]) -> tuple[list[tuple[int, int]], str | None]:
    """(the block's lines without it, the mark) when the mark's field follows the comment ("A: The
    police …" then "Implemented? (Y/N): Y", as a web form exports it), before the next
    recommendation's labels; else (the lines, None)."""
    end = len(lines)
    while end and _label(doc[slice(*lines[end - 1])], _in(lines[end - 1], running), next_issue) in ("blank", "place"):
        end -= 1
    if not end:
        return lines, None
    last = _bare(doc[slice(*lines[end - 1])])
    field = FIELD.match(last)
    if not (field and field.group(2).strip()) or COMMENT_LABEL.match(field.group(1).strip()):
        return lines, None
    mark = _mark_of(last, two_columns)
    return (lines[:end - 1], mark) if mark is not None else (lines, None)  # what followed it: labels, blanks


def parse_form_reply(doc: str, document: Document, form: list[FormItem], drop: list[tuple[int, int]] | None = None,
                     running: list[tuple[int, int]] | None = None) -> list[Passage]:
    """One passage per form recommendation the reply holds, numbered as the form numbers it."""
    running = running or []
    every = occurrences(doc, form)
    found = answered_at(every)
    starts = [start for _, start, _ in every]  # a block ends where any recommendation stands (in reading order)
    two_columns = any(TWO_MARK_COLUMNS.search(line) and re.search(r"recommend", line, re.I)
                      for line in doc.splitlines())
    opens = _marks_open_answers(doc, found, starts)
    passages = []
    for ordinal, (item, start, end) in enumerate(found):
        following = found[ordinal + 1] if ordinal + 1 < len(found) else None
        block_end = next((x for x in starts if x > start), len(doc))
        # the next recommendation's issue heading (a table may repeat it on every row)
        next_issue = set(w.lower() for w in WORD.findall(following[0].issue_title)) if following else set()
        lines = _segments(doc, end, block_end)
        # a section break, or a blank to sign ("Signed: ……"), ends what the reply says: what follows closes the file
        stop = next((i for i, (a, b) in enumerate(lines) if BREAK.match(doc[a:b])
                     or re.match(r"^[^\W\d][\w ]{0,30}:\s*[._…]{3,}", _bare(doc[a:b]))), None)
        lines = lines[:stop] if stop is not None else lines
        lines, mark_after = _mark_after(doc, lines, running, two_columns, next_issue)
        mark, comment_start = _head(doc, lines, running, two_columns, next_issue, opens)
        mark = mark_after if mark == "unknown" and mark_after else mark
        if comment_start is not None and "\n" not in doc[end:comment_start] and re.search(r"[\t|]", doc[end:comment_start]):
            row_end = doc.find("\n", comment_start)  # a table's row is one line (Word's, HTML's, Markdown's
            row_end = len(doc) if row_end < 0 else row_end  # cells): a comment in its cell ends with it
            lines = [span for span in lines if span[0] < row_end]
        # the tail: the next recommendation's number, the next issue's heading, column heads; it
        # opens with one of those (a comment's last line with no full stop, "… online investigations", stays)
        tail = len(lines)
        for j in range(len(lines) - 1, -1, -1):
            kind = _label(doc[slice(*lines[j])], _in(lines[j], running), next_issue)
            if comment_start is None or lines[j][0] <= comment_start or kind is None:
                break
            before = next((doc[x:y] for x, y in reversed(lines[:j]) if doc[x:y].strip()), "")
            if kind == "short" and before.rstrip().endswith(":"):
                break  # "… available at:" and its address: the comment's
            closing = (following is None and kind == "short" and re.search(r"[.!?]\W*$", before)
                       and not re.match(r"\s*(?:[-•◦▪*]|\d+[.)])\s", doc[slice(*lines[j])]))
            if kind == "place" or (kind == "blank" and following is None) or closing:
                tail = j  # after the last recommendation, what follows a blank line, or a short line after a
                #           finished sentence ("Rabat, 12 November 2020", a signature), closes the file
        lines = lines[:tail]
        comment_span = strip_span(doc, comment_start, lines[-1][1]) if comment_start is not None else (end, end)
        comment = clean(doc, [comment_span], drop=drop).text if comment_span[1] > comment_span[0] else ""
        answered = bool(re.search(r"[^\W_]", comment)) and comment.strip().lower().rstrip(".") not in ("n/a", "na", "-")
        pieces = [(start, end)] + ([comment_span] if answered else [])
        passages.append(response_passage(doc, document, drop, ordinal, Heading(item.issue, item.issue_title),
                                         item.number, (start, end), mark, comment if answered else "", answered,
                                         around_running(doc, pieces, running)))
    return passages


def _in(span: tuple[int, int], running: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in running) and span[1] > span[0]
