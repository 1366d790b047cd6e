"""An answer's block, line by line: what stands between one recommendation and the next in a
reply read by the form (questionnaire_form.py).

The block's lines and cells (`segments`, with fields a Word cell runs on one line cut apart);
what a line is: a label or a place in the form (`line_kind`; its words and mark: block_line.py);
the head, its mark and where the comment starts (`read_head`); and a mark's field after the
comment (`mark_after`). Pure functions over text with offsets.
"""
from __future__ import annotations

import re

from indexer.parsers.block_line import (ANSWER_WORDS, FIELD, MARK_LABEL, NUMBER_ALONE, STATUS, STATUS_OPENERS, WORD,
                                       badge, mark_of, number_mark, plain, words_of)
from indexer.parsers.marks import WORDS, YES_OR_NO, table_mark
from indexer.parsers.questionnaire_labels import (ACTION_WORDS, COLUMN_HEADS, COMMENT_WORDS, END_OF_REPLY, ISSUE_WORD, REC_WORD,
                                                 says_something)
from indexer.text import strip_span

WRAPPED_HEADING_WORDS = 5  # a line of at least this many of the next issue's title's words, and little else, is a
#                           line of its heading, wrapped
GOES_ON = re.compile(r"[ \t]*(?:[a-z]|\((?!\s*(?i:see|cf)\b)[^\W\d_])")  # a line going on with the sentence above it
LABEL_WORDS = 12  # a line of at most this many words not ending a sentence is a label or heading, no comment's
SENTENCE_END = re.compile(r"[.!?;)\]\"”’]\s*$")
BREAK = re.compile(r"^\s*([-=_*~])(?:\s*\1){2,}\s*$")  # Markdown's "---", a text file's "=====": a section ends
ANSWER_LABEL = re.compile(rf"\b{ANSWER_WORDS}$", re.I)  # ends a label with no colon: "Canada's response"
COMMENT_LABEL = re.compile(rf"^(?:[^/]{{1,40}}/\s*|[A-Z]{{2,6}}\s+)?{ANSWER_WORDS}(?:\s*\([^()]{{1,12}}\)|\s*/\s*[^\W\d_]+(?:\s+[^\W\d_]+){{0,2}})?$",
                           re.I)  # ("Comentarios / Comments", "Comments / Comentarios": a label in two languages)
# is a label before a colon: "Remarks: …", "Observaciones / Comments: …", "DNC REPLY: …", "Comments (Q3c)"
# a mark opening the comment ("YES. The police …", "No. No campaign …")
DASH = re.compile(r"(?:[–—-][ \t]+)?")
MARK_FIRST = re.compile(rf"(?i:({WORDS}))(?:[.:]\s+(?=[A-Z“\"])|;\s+)")  # "Yes. The …", "No; a referral …"
MARK_SENTENCE = re.compile(r"(?i:(no\s+)?(?:measures?|actions?|steps)\s+(?:has|have)\s+(not\s+)?(?:yet\s+)?been\s+"
                           r"(?:taken|adopted)(?:\s+(?:to\s+date|so\s+far|yet))?"
                           r"|(?:the|this)\s+recommendation\s+(?:has|is)\s+(not\s+)?(?:yet\s+)?(?:been\s+)?"
                           r"(?:fully\s+|partially\s+|partly\s+)?implemented(?:\s+(?:to\s+date|so\s+far|yet))?)\s*\.[ \t]*")
# the mark said in a sentence of its own, opening the reply: "Measures have been taken. The Police …",
# "No measures have been taken to date." (not "Measures have been taken to train …": what was done)
# ... and with nothing after it, where most of a reply's answers open so: a table's mark column read
# into the comment's first line ("Yes The Ministry …", "No –")
MARK_OPENS = re.compile(rf"((?i:{WORDS})|Y|N|[✓✔✗✘]|(?i:(?:fully|partially|not)\s+)?(?i:implemented)|(?i:partially|partly))"
                        rf"\s+(?=[A-Z“\"–-])")  # "Y The
# National Police …" under "(Y/N)", "✔ The Criminal Police …"; a status column's word, wrapped or not: "Partially⏎
# implemented⏎Kazakhstan …"
# fields run in on one line ("… trafficking. Status: Yes Comments: The …"): a mark's field holding a mark
# alone, then the comment's label after a mark (or an empty field)
RUN_IN_MARK = re.compile(rf"[ \t]+(?=(?i:{ACTION_WORDS}|status)[ \t]*:[ \t]*(?i:{WORDS}|[✓✗☒☑x])?"
                         rf"(?:[ \t]*(?:\n|$)|[ \t]+(?i:{ANSWER_WORDS})[ \t]*:))")
RUN_IN_COMMENT = re.compile(rf"[ \t]+(?=(?i:{ANSWER_WORDS})[ \t]*:)")
DEFINITION = re.compile(r"[ \t]*:[ \t]+(?=\S)")  # a Markdown definition's line: "Comments" over ": The FRC may …"
LIST_ITEM = re.compile(r"\s*(?:[-•◦▪*]|\d+[.)])\s")  # a list's item: "- training", "2) a unit"
# other labels that name a place in the form (beside block_line.NUMBER_ALONE): an issue's heading ("THÈME III : …"),
# a table's column heads ("No.", "Action taken"), nothing said ("N/A")
ISSUE_HEADING = re.compile(rf"^{ISSUE_WORD}\s+[IVX\d]+\b")
# ... and in two languages, the form's after a slash: "Preporuka I.2 / Recommendation I.2", "PITANJE II. / ISSUE II."
BILINGUAL_PLACE = re.compile(rf"^[^/]{{1,40}}/\s*(?:{REC_WORD}s?|{ISSUE_WORD})\s+[IVX\d]+(?:[.-]\d+)*\.?$", re.I)
HEAD_CELL = re.compile(rf"^(?:no\.?|n°|#|number|{REC_WORD}s?|{ACTION_WORDS}.*|{COMMENT_WORDS}|remarks?|yes|no"
                       rf"|measures? taken.*|responses?|n/?a|none|nil|-+)$", re.I)


def segments(doc: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block's lines, a table row's cells (Word's tabs, Markdown's pipes), and the fields a
    cell runs on one line ("… trafficking. Misure adottate: Sì Osservazioni: The DCSA …", as a
    Word cell's paragraphs are read), as spans without their white space."""
    block = doc[start:end]
    cuts = [(m.start(), m.end()) for m in re.finditer(r"[\n\f\t|]", block)]
    cuts += [(m.start(), m.end()) for m in RUN_IN_MARK.finditer(block) if _ends_before(block[:m.start()])]
    cuts += [(m.start(), m.end()) for m in RUN_IN_COMMENT.finditer(block) if _marked_before(block[:m.start()])]
    out, at = [], start
    for a, b in sorted(cuts):
        if start + a >= at:
            out.append(strip_span(doc, at, start + a))
            at = start + b
    out.append(strip_span(doc, at, end))
    return out


def _ends_before(before: str) -> bool:
    """What stands before a run-in mark's field ends the text before it: a sentence."""
    return before.rstrip()[-1:] in tuple(".!?;)]”\"")


def _marked_before(before: str) -> bool:
    """What stands before a run-in comment label is a mark ("Sì", "Yes", "✓") or a field left empty."""
    last = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
    return bool(last) and (table_mark(last) != "unknown" or last.endswith(":"))


def answer_at(doc: str, a: int, b: int) -> int:
    """Where a line's answer begins: after its comment label ("Response: Implemented – …"), else
    at the line's start."""
    field = FIELD.match(plain(doc[a:b]))
    return a + _value_at(doc[a:b], field.group(2)) if field and COMMENT_LABEL.match(field.group(1).strip()) else a


def _value_at(text: str, value: str) -> int:
    """Where a field's value stands in its raw line: its words as written, else after the label's
    colon (a footnote's reference or emphasis plain() took out: "**Comments:** … reported[^2].")."""
    at = text.find(value[:20]) if value else -1
    colon = re.search(r"[:：][*_\s]*", text)
    return at if at >= 0 else colon.end() if colon else 0


def line_kind(text: str, running: bool, issue_words: set[str]) -> str | None:
    """Whether a line is no comment's: "place" for what names a place in the form or is page
    furniture (a running line, a heading, a number, an issue's heading, column heads, "N/A"),
    "short" for a short line ending no sentence (a heading's wrapped end; or a short comment with
    no full stop, "In progress", which the comment's own first line is kept as); None for a
    comment's line."""
    bare = plain(text).rstrip(" “‘«([")  # "II.4   “" before the text it opens
    bare = bare[:-1].rstrip() if bare.endswith('"') and bare.count('"') % 2 else bare  # and a straight one
    if not bare and not running:
        return "blank"
    if running or BREAK.match(text) or text.lstrip().startswith("#"):
        return "place"
    field = FIELD.match(bare)
    if NUMBER_ALONE.match(bare) or ISSUE_HEADING.match(bare) or BILINGUAL_PLACE.search(bare) or number_mark(bare) or (
            field and len(WORD.findall(field.group(1))) <= 2 and re.match(REC_WORD, field.group(2).strip(), re.I)
            and NUMBER_ALONE.match(field.group(2).strip())):
        return "place"  # ("Q: Recommendation 2.": the next question's label)
    words = [w.lower() for w in WORD.findall(bare)]
    if SENTENCE_END.search(bare) and not END_OF_REPLY.match(bare):  # ("(End of document)": no sentence)
        return None
    shared = len(issue_words & set(words))
    if issue_words and shared >= 0.6 * len(issue_words) and shared >= 0.6 * len(set(words)):
        return "place"  # the next issue's heading, however long, and little else
    named = {w for w in words if not w.isdigit()}
    if issue_words and shared >= WRAPPED_HEADING_WORDS and shared >= 0.9 * len(named):
        return "place"  # ... or a line of it, wrapped: "2. Alternatives to imprisonment … demand reduction⏎strategies …"
    if len(words) > LABEL_WORDS:
        return None
    return "place" if HEAD_CELL.match(bare) or COLUMN_HEADS.match(bare) else "short"


def _value_below(doc: str, lines: list[tuple[int, int]], i: int, two_columns: bool) -> bool:
    """The line is the action's label alone ("Action taken", as a definition list's term or a
    form's field prints it) and the next line holds its value: a mark ("No"), a blank ("N/A",
    "—"), the comment's label (the value left empty), or a definition's whatever it says
    (": _Not indicated_")."""
    if re.sub(r"[^\w ]", "", plain(doc[slice(*lines[i])])).strip().lower() not in ("action taken", "any action taken"):
        return False
    below = next((doc[x:y] for x, y in lines[i + 1:] if plain(doc[x:y]).strip()), "")
    after = plain(below).strip()
    return (mark_of(after, two_columns) in ("yes", "no") or after.lower().rstrip(".") in ("n/a", "na", "-", "–", "—")
            or bool(COMMENT_LABEL.match(after.rstrip(":"))) or bool(DEFINITION.match(below)))


def read_head(doc: str, lines: list[tuple[int, int]], running: list[tuple[int, int]], two_columns: bool,
          next_issue: set[str], opens: bool = False, headings: frozenset = frozenset(), last: bool = False,
          prose: bool = False) -> tuple[str, int | None]:
    """(the mark, where the comment starts) from the block's first lines: its mark and labels
    ("Action taken: ☒ Yes ☐ No", "Comments:"), a mark opening the comment ("YES. The police …";
    `opens`: "Yes The police …", as the reply's answers open), a label before the comment on its
    line ("Remarks: The police …"), the answer's heading (`headings`). No comment start when the
    next recommendation's labels come first (a blank comment). `prose`: the answer goes on as
    running text right after its place (a note verbale's paragraph after its mark sentence,
    "… has been taken. The Judiciary⏎Police …", "… to date. No⏎specific …"): no labels nor marks."""
    mark, labelled, in_table = "unknown", False, False
    inline = quoted_form(doc, lines)
    wrapped = -1  # a status's second line, read with its first
    term_value = -1  # the line of the action's term's value (`_value_below`): "Action taken" over ": …"
    for i, (a, b) in enumerate(lines):
        text = doc[a:b]
        if i == wrapped or in_running((a, b), running) or not plain(text) or (inline and QUOTED.match(text)):
            continue  # (an e-mail answering inline: the quoted lines are the questionnaire's, "> Comments:")
        if prose:  # (the next issue's heading, or a number's line, after a mark sentence alone: no comment; a word
            #          alone going on, "No⏎specific …", the comment's first)
            placed = line_kind(text, False, next_issue) == "place" and len(WORD.findall(plain(text))) > 1
            return mark, (None if placed or ISSUE_HEADING.match(plain(text)) else a)
        found = None if labelled else mark_of(text, two_columns)
        if found is None and not labelled and i + 1 < len(lines) and words_of(plain(text)) in STATUS_OPENERS:
            found = badge(f"{plain(text)} {plain(doc[slice(*lines[i + 1])])}".strip())
            wrapped = i + 1 if found is not None else -1  # a status cell wrapped: "Not" over "implemented"
        if found is not None and badge(plain(text)) is not None and i + 1 < len(lines) \
                and not doc[doc.rfind("\n", 0, a) + 1:a].strip(" \t|-•") \
                and re.fullmatch(r"[ \t|]*[\t|][ \t|]*", doc[b:lines[i + 1][0]]) \
                and (not plain(doc[slice(*lines[i + 1])]) or mark_of(doc[slice(*lines[i + 1])], two_columns)):
            continue  # "Implemented<TAB>No" opening its row: the row's label, its next cell the mark (or empty)
        if found is None and i == term_value and DEFINITION.match(text):
            continue  # the action's term's definition, no mark: ": _Not indicated_" (no comment either)
        if found is not None and mark == "unknown" and _value_below(doc, lines, i, two_columns):
            term_value = next((j for j in range(i + 1, len(lines)) if plain(doc[slice(*lines[j])])), -1)
            continue  # "Action taken" over "No", "N/A" or "Comments": a label over its value, no status
        if found is not None:
            mark = found if mark == "unknown" else mark
            continue
        field = FIELD.match(plain(text))
        if field and not field.group(2).strip() and (ISSUE_HEADING.match(plain(text))
                                                      or NUMBER_ALONE.match(field.group(1).strip())):
            return mark, None  # "Tema IV / Issue IV:", "Recommendation 2:": the next recommendation's place
        if field and not field.group(2).strip() and not re.search(r"(?i:\b(?:is|are|was|were|has|have|will)\b)",
                                                                  field.group(1)):
            labelled = not MARK_LABEL.search(field.group(1))  # "Comments:", "Measures adopted:": the comment follows
            continue  # ("The report is online:" opens the comment: a sentence, no label)
        heading = plain(text).rstrip(":：").strip()
        if COMMENT_LABEL.match(heading) or (text.lstrip().startswith("#") and ANSWER_LABEL.search(heading) and len(
                WORD.findall(heading)) <= 4 and (not last or heading.lower() in headings)):
            continue  # "Comments", "### Australian Government response": the comment is next (after the last
            #           answer, "## General comments" heads the reply's own section unless most answers carry it)
        if not labelled and COLUMN_HEADS.match(plain(text)) and line_kind(text, False, next_issue) == "place":
            in_table = True
            continue  # the answer's own table heads ("Recommendation  Action taken") over its number and mark
        if in_table and NUMBER_ALONE.match(plain(text)) and not re.match(REC_WORD, plain(text), re.I):
            continue  # under them, the row's number ("IV.2") beside an empty mark's cell
        after = next((doc[x:y] for x, y in lines[i + 1:] if plain(doc[x:y])), None)
        asked = re.sub(r"[ \t]*\([^()]{1,30}\)$", "", plain(text))  # "¿Se ha adoptado alguna medida? (Sí / No)"
        answer_field = FIELD.match(plain(after)) if after is not None else None
        if not labelled and asked.endswith("?") and len(WORD.findall(text)) <= LABEL_WORDS and after is not None and (
                mark_of(after, two_columns) is not None or COMMENT_LABEL.match(plain(after).rstrip(":"))
                or (answer_field and MARK_LABEL.search(answer_field.group(1)))):
            continue  # "Wurden Maßnahmen gesetzt?" over its answer ("Ja"), or none, or its field ("Answer: Don't
            #           know", no mark): the question the mark answers
        kind = line_kind(text, False, next_issue)
        if kind == "place":
            return mark, None
        opening = MARK_OPENS.match(doc, a, b) if opens and mark == "unknown" and kind == "short" and not (
            after is not None and re.match(r"\s*[a-z]", after)) else None  # ("Implemented The Ministry⏎drafted
        #   a bill …": the comment's first line, its sentence going on)
        label_words = len(WORD.findall(plain(doc[opening.end():b] if opening else text)))  # a status aside
        if labelled or LIST_ITEM.match(text) or (field and field.group(2).strip() and COMMENT_LABEL.match(
                field.group(1).strip()) and not (after is not None and FIELD.match(plain(after)))):
            pass  # after its label, a list's item, or a comment's label with the comment's first words after it
            #       ("Reply: Not⏎all courts …"): the comment (not "Answer: Ongoing" over "Comments: …": a status)
        elif field and answer_field and not says_something(field.group(2)):
            continue  # "Answer: [no answer]" over "Comment: …": a field left blank, above the next
        elif kind == "short" and ANSWER_LABEL.search(plain(text)) and len(WORD.findall(plain(text))) <= 4:
            continue  # "Canada's response", "Our reply": the answer's label, with no colon
        elif kind == "short" and label_words <= 4 and after is not None and not (
                opening is None and GOES_ON.match(after)) and (  # (a narrow cell's first line, its sentence going
                mark_of(after, two_columns) is not None or line_kind(after, False, next_issue) != "place"):  # on below
            #   in lower case or a bracket: "The Financial Intelligence Unit" over "(Geldwäschemeldestelle) is …")
            if opening:  # a status column's word, the next cell's words beside it ("Implemented Ministry of
                mark = STATUS.get(re.sub(r"\s+", " ", opening.group(1)).lower()) or table_mark(opening.group(1))
            continue  # Internal⏎Affairs", a lead agency's); else a label with no colon ("Status", "Canada's
            #           response") before the mark or the comment
        at = DEFINITION.match(doc, a, b).end() if DEFINITION.match(doc, a, b) else a  # (": Under the Act …": a
        #   definition list's mark before the comment its term names)
        beside = None if field or mark == "unknown" else re.match(rf"(?i:{ANSWER_WORDS})[ \t]+(?=[A-Z“\"])", plain(text))
        if beside:  # "Details The NPA …" under "Measures taken Yes": a label column's cell beside the comment's
            at = a + len(text) - len(text.lstrip(" \t*_#>")) + beside.end()
        if field and (COMMENT_LABEL.match(field.group(1).strip()) or (
                len(WORD.findall(field.group(1))) <= 4 and len(WORD.findall(field.group(2))) > 3)):
            at = a + _value_at(text, field.group(2))  # "Remarks: The police …": the comment after its label
        mark_field = bool(field) and at > a and MARK_LABEL.search(field.group(1)) and not COMMENT_LABEL.match(
            field.group(1).strip())  # "Action taken: YES The Drug Enforcement Commission …": a Word cell's paragraphs
        first = MARK_FIRST.match(doc, at, b) or (MARK_OPENS.match(doc, at, lines[-1][1]) if (opens or mark_field)
                                                 and mark == "unknown" else None)  # run on one line
        said_so = MARK_SENTENCE.match(doc, at, lines[-1][1]) if not first else None
        if said_so:
            mark = ("no" if any(said_so.groups()) else "yes") if mark == "unknown" else mark
            at = said_so.end()
        elif first:
            said = re.sub(r"\s+", " ", first.group(1)).lower()
            mark = (STATUS.get(said) or table_mark(first.group(1))) if mark == "unknown" else mark
            at = DASH.match(doc, first.end()).end()  # "Implemented – The NPA …": the dash is no comment's
        return mark, at
    return mark, None


BRACKETED_MARK = re.compile(r"[ \t]*\((?!(?-i:[A-Z]{2})\))((?i:yes|no|oui|non|sí|si))\)[ \t]*(?=\r?$|\f)", re.M)  # not a
#   country's code in capitals, "Norway (NO)", "(SI)"  # a mark in brackets ending an answer's last line
QUOTED = re.compile(r"[ \t]*>")  # a line an e-mail quotes


def quoted_form(doc: str, lines: list[tuple[int, int]]) -> bool:
    """The block answers inline in an e-mail: it holds quoted lines ("> Any action taken? YES /
    NO", "> Comments:", the questionnaire's) and unquoted ones after them, the reply's."""
    kinds = [bool(QUOTED.match(doc, a)) for a, b in lines if doc[a:b].strip(" \t\r>")]
    if not (True in kinds and False in kinds[kinds.index(True):]):
        return False
    marked = [bool(QUOTED.match(doc, a)) for a, b in lines if mark_of(doc[a:b], False) in ("yes", "no")]
    return not (marked and all(marked))  # (a quote marking one where no line of the reply's own does, "> **Implementation:**
    #   Yes", is the reply's: a Markdown block quote; last year's answer quoted over this year's is the e-mail's)


def mark_after(doc: str, lines: list[tuple[int, int]], running: list[tuple[int, int]], two_columns: bool,
                next_issue: set[str]) -> tuple[list[tuple[int, int]], str | None]:
    """(the block's lines without it, the mark) when the mark's field follows the comment ("A: The
    police …" then "Implemented? (Y/N): Y", as a web form exports it), before the next
    recommendation's labels; else (the lines, None)."""
    end = len(lines)
    while end and line_kind(doc[slice(*lines[end - 1])], in_running(lines[end - 1], running),
                            next_issue) in ("blank", "place"):
        end -= 1
    if not end:
        return lines, None
    last = plain(doc[slice(*lines[end - 1])])
    closing = BRACKETED_MARK.search(doc, *lines[end - 1])
    if closing:  # "… 2,318 persons were released on probation. (Yes)": the answer's mark closes it, in brackets
        kept = lines[:end - 1] + ([(lines[end - 1][0], closing.start())] if doc[lines[end - 1][0]:closing.start()].strip()
                                  else [])
        return kept, YES_OR_NO[closing.group(1).lower()]
    field = FIELD.match(last)
    if not (field and field.group(2).strip()) or not re.search(rf"{MARK_LABEL.pattern}|implemented|\?|\(\s*y\s*/\s*n\s*\)",
                                                               field.group(1), re.I):
        return lines, None  # a field naming the mark ("Implemented? (Y/N)"), not any ("Adopted by Parliament: No")
    mark = mark_of(last, two_columns)
    return (lines[:end - 1], mark) if mark is not None else (lines, None)  # what followed it: labels, blanks


def in_running(span: tuple[int, int], running: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in running) and span[1] > span[0]
