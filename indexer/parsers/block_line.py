"""One line of an answer's block in a reply read by the form: what it says and the mark it gives.

A line's words without Markdown's marks or a list's bullet (`plain`), a field ("Comments: …",
`FIELD`), a number alone that names a place in the form (`NUMBER_ALONE`), and its mark: a word,
a status, boxes beside their words, a badge, a number line's mark (`mark_of`, `badge`,
`number_mark`, `heading_mark`). answer_block.py reads a block's head and comment from them.
Pure functions over text.
"""
from __future__ import annotations

import re

from indexer.parsers.marks import (BOX, CROSSES, QUALIFIER, TICKS, WORDS, action_mark, mark_by_side, radios,
                                   said_twice, table_mark, two_options)
from indexer.parsers.questionnaire_labels import ACTION_WORDS, COMMENT_WORDS, ISSUE_WORD, REC_WORD

QUALIFIED_MARK = re.compile(rf"(?i:{WORDS})\.?{QUALIFIER}")  # a mark word with its qualifier: "Yes (partially)"
WORD = re.compile(r"[^\W_]+")  # letters and digits: "cyber-\r\nrelated" and "cyber-related" read alike
FIELD = re.compile(r"^([^\W\d][\w /()¿?'’-]{0,40}?)\s*[:：]\s*(.*)$")  # "Comments: …", "Status: Implemented"
# the comment's own labels: what follows them is the comment, however short ("Comments: Done.")
MARK_LABEL = re.compile(rf"(?i:\b(?:{WORDS})\b|status|{ACTION_WORDS}|answer|mark)")  # a field the mark fills
ANSWER_WORDS = (rf"(?:{COMMENT_WORDS}|remarks?|observa\w*|responses?|reply|replies|r[ée]ponses?|respuestas?|answers?"
                r"|details?|explanations?)")
# what a reply marks instead of Yes or No: a status ("Implemented", "✔ Action taken", "✘ No action")
STATUS = {"implemented": "yes", "fully implemented": "yes", "partially implemented": "yes", "action taken": "yes",
          "not implemented": "no", "no action": "no", "no action taken": "no",
          "implementada": "yes", "implementado": "yes", "parcialmente implementada": "yes", "no implementada": "no",
          "no implementado": "no", "mise en œuvre": "yes", "mise en oeuvre": "yes", "non mise en œuvre": "no",
          "non mise en oeuvre": "no", "attuata": "yes", "non attuata": "no",  # and in the working languages
          "partially": "yes", "partly": "yes"}  # some action taken ("In progress" says none yet: no mark)
STATUS_OPENERS = {k.split()[0] for k in STATUS if " " in k} - {"action"}  # "Not", "Partially": a status cell
#   wrapped after them ("Action" over "taken" heads a column)
CROSS = "".join(CROSSES)
SECOND_LANGUAGE = re.compile(rf"\b(?!(?i:{WORDS})\b)[^\W\d_]{{1,12}}\s*/\s*(?=(?i:{WORDS})\b)")  # "DA / YES": a mark's
# label in two languages, read by the one the marks' words know (not "Yes/No", both known)
NO_INFORMATION = re.compile(r"\b(?:no|sin|sans|sem|keine)\s+(?:information|informaci[oó]n|informa[çc][ãa]o|angaben)\b"
                            r"|\bnot (?:indicated|specified|stated|known)\b", re.I)  # a mark's field saying none was given
NOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")  # a Markdown footnote's reference, "[^3]"
# a label that names a place in the form: a number alone ("3.", "II.1", a letter "(c)"), "Recommendation 2"
NUMBER_ALONE = re.compile(rf"^(?:\(?(?-i:[a-z])\)$|(?-i:[IVX]+)\s?\(\d{{1,3}}\)$|(?:{REC_WORD}s?\s*)?(?:(?-i:[IVX]+)|(?:(?-i:[A-Z]{{1,2}}|[IVX]+)\.?\s?|No\.?\s?)?\d{{1,3}})"
                          rf"(?:[.-]\d{{1,3}})*[.:)]?(?:\s*\(\s*{ISSUE_WORD}\s+[IVX\d]+\s*\))?$)", re.I)  # not a year
#                          ("2030."); numbered straight through with its issue beside: "Recomendación 13 (Tema IV)";
#                          "IV(2)": a recommendation numbered within its issue


def plain(text: str) -> str:
    """A line without Markdown's marks and a list's bullet around it ("**Comments:**", "> …",
    "- **2.** *"), a label in brackets as a field's ("[Action taken] Yes": "Action taken: Yes";
    not "[X] Yes", "[sic]" or "[Update 2021]")."""
    text = NOTE_REF.sub("", text)  # "Sim[^1]": the mark, its comment in a footnote
    text = re.sub(r"^(?:[#>*_•◦▪\s]|[-:](?=\s))+|[*_\s]+$", "", text).replace("**", "").replace("__", "")
    return re.sub(rf"^\[((?i:{ACTION_WORDS}|status|{ANSWER_WORDS}))\]\s*", r"\1: ", text)


MARKED_NUMBER = re.compile(r"^(.*?)[ \t]*(?:[(\[]([^()\[\]\n]{1,30})[)\]]|([✓✔✗✘]))[ \t]*[:.–—-]?[ \t]*$")
# a recommendation's number line with its mark: "Recommendation 2 (Not implemented)", "I.3 [Yes]", "Recommendation 2 ✔"


def number_mark(bare: str) -> str | None:
    """The mark a recommendation's number line gives beside the number (MARKED_NUMBER), or None."""
    marked = MARKED_NUMBER.match(bare.strip())
    if not marked or not NUMBER_ALONE.match(marked.group(1).strip(" *_#")):
        return None
    inside = (marked.group(2) or marked.group(3)).strip()
    if inside.lower() == "x":
        return None  # "Recommendation 1 (x)": a sub-item's numeral, no tick
    status = badge(inside)
    mark = status if status is not None else table_mark(inside)
    return None if mark == "unknown" else mark


def number_line(doc: str, start: int) -> str:
    """The recommendation's own number line, bare: what stands before its text on the text's line,
    or the last line with words above it (a few lines up at most); "" when none."""
    end = doc.rfind("\n", 0, start)
    line = doc[end + 1:start]
    for _ in range(4):  # (read from where the text stands back)
        if plain(line) or end < 0:
            break
        begin = doc.rfind("\n", 0, end) + 1
        line, end = doc[begin:end], begin - 1
    return plain(line)


def heading_mark(doc: str, start: int) -> str | None:
    """The mark the recommendation's own number line gives, before its text (number_mark)."""
    return number_mark(number_line(doc, start))


def badge(bare: str) -> str | None:
    """The mark a badge gives ("Action taken", "✘ No action", "Implemented"), or None."""
    words = re.sub(r"^(?:implementation )?status ", "", words_of(bare))  # "Status Action taken": a badge and its label
    return None if ":" in bare else status_of(bare, words)


def words_of(text: str) -> str:
    """The text's words, lower-cased, one space between: what a status is looked up by."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w ]+", " ", text)).strip().lower()


def status_of(text: str, words: str) -> str | None:
    """The mark a status gives (STATUS), a cross making it "no" ("✘ Action taken"); None for no status."""
    if words not in STATUS:
        return None
    return "no" if any(c in text for c in CROSS) else STATUS[words]


BESIDE = r"[^\w\n]{0,4}"  # between a box and its word: spaces (a no-break one too), a quote, a bracket, a dash


def beside_a_box(line: str) -> bool:
    """A yes or no word stands right beside one of the line's boxes: "☒ Yes ☐ No", "Yes [X]",
    "Yes (☒)", "☒ “Yes”", "Yes – [X]"."""
    return any(re.match(rf"{BESIDE}(?:{WORDS})\b", line[box.end():], re.I) or
               re.search(rf"\b(?:{WORDS}){BESIDE}$", line[:box.start()], re.I) for box in BOX.finditer(line))


def mark_of(text: str, two_columns: bool) -> str | None:
    """The mark a line of the answer's head gives ("Yes", "☒ Yes ☐ No", "Status: Implemented",
    "✔ Action taken", "Action taken: No"), or None when the line is no mark. A lone tick under a
    table's "Yes" and "No" columns could be either: unknown."""
    bare = radios(plain(text).strip())
    numbered = re.fullmatch(r"(\S+)\s+(\S+)", bare)
    if numbered and NUMBER_ALONE.match(numbered.group(1)) and table_mark(numbered.group(2)) != "unknown":
        return table_mark(numbered.group(2))  # an answer table's row: the number's cell, the mark's ("I.1  Yes")
    shown = badge(bare)
    if shown is not None:
        return shown
    field = FIELD.match(bare)
    value = (field.group(2) if field else bare).strip(" *_")
    if field and value and MARK_LABEL.search(field.group(1)) and not re.sub(rf"(?i:\b(?:{WORDS})\b)|[^\w]", "", value):
        return action_mark(value)  # "Tiltak iverksatt / Action taken: Ja / Yes": the field's value, in two languages
    status = status_of(value, words_of(value))
    if field and re.fullmatch(r"(?:implementation )?status", field.group(1).strip(), re.I):
        return "unknown" if NO_INFORMATION.search(value) else status or action_mark(value)  # "Status: Implemented"; "Status: In progress": a mark's field
    if QUALIFIED_MARK.fullmatch(value) and table_mark(value) != "unknown":
        return table_mark(value)  # "Yes (partially)": a mark and its qualifier
    if said_twice(value):
        return said_twice(value)  # "Yes / Sí": one mark in two languages (not "Yes/No": both offered)
    if len(WORD.findall(value)) <= 1 and table_mark(value) != "unknown":  # a cell's "Yes", "Y", "✓", "✗"
        ticked = value.lower().rstrip(".") in TICKS
        return "unknown" if ticked and two_columns else table_mark(value)
    if field and re.fullmatch(rf"(?:[^/:\n]{{1,40}}/\s*)?(?:actions?|{ACTION_WORDS})", field.group(1).strip(), re.I) and len(WORD.findall(value)) <= 4 \
            and value.rstrip()[-1:] not in ".!?":
        return "unknown" if NO_INFORMATION.search(value) else status or action_mark(value)  # "Action: _Not
        #   indicated_", "Medidas adoptadas / Action taken: Pendiente / Pending": the mark's field, no mark given in
        #   it ("Sin información / No information": its "No" no mark)
    action = re.match(rf"^(?:[^/:\n]{{1,40}}/\s*)?(?:{ACTION_WORDS}|measures?\s+taken)\b[\s:]*(.*)$", bare, re.I)  # ("Measures
    #   taken Yes": a label column's head beside its cell, here only: "Measures taken in 2019 …" opens comments)
    offered = two_options(value)
    if offered:
        return offered  # "Ittikhadh ijraa': ☒ Na'am ☐ La": yes, offered first
    # boxes with their labels, or alone ("☒ Yes ☐ No", "[X]"), not a tick opening a comment ("✔ The Criminal Police …")
    boxed = BOX.search(bare) and (beside_a_box(bare) or not WORD.search(BOX.sub("", bare)))  # (not "[X] Under
    #   Act No. 140/2018 …": a comment on the box's line, its "No" no box's label)
    if boxed or (action and not re.sub(rf"(?i:\b(?:{WORDS}|x)\b)|[^\w]", "", SECOND_LANGUAGE.sub("", action.group(1)))):
        read = SECOND_LANGUAGE.sub("", bare)  # "Any action taken YES X NO", "☒ Yes ☐ No", "Action taken: No"
        if read != bare and mark_by_side(read, "after") != mark_by_side(read, "before"):
            return "unknown"  # "DA / YES X NE / NO": a box after "YES" or before "NO"; the reply's other lines may
        return action_mark(read)  # tell (questionnaire_form: x_side)
    return status if field else None  # "Implementation status: Fully implemented"


