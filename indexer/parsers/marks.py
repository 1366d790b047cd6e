"""The action-taken mark of a questionnaire reply: yes, no or unknown, as forms write it.

One table of words in the questionnaire's working languages and others replies are written in
("Yes", "Oui", "Sí", "Sim", "Ja", "Да"; "No", "Non", "Não", "Nein", "Nei", "Нет")
serves every way a form marks it: a word ("Action taken: Yes"), an X before a label ("X YES
NO"), printed check boxes on either side of their labels ("☒ Yes ☐ No", "[X] Sí [ ] No"), a
table's cell ("Yes", "X", "✓"). Pure functions over text.
"""
from __future__ import annotations

import re

YES_OR_NO = {"yes": "yes", "oui": "yes", "sí": "yes", "si": "yes", "sì": "yes", "sim": "yes", "ja": "yes", "да": "yes",
             "no": "no", "non": "no", "não": "no", "nao": "no", "nein": "no", "nee": "no", "nei": "no", "nej": "no",
             "нет": "no"}
CELL_LETTERS = {"y": "yes", "n": "no"}  # a "(Y/N)" column's cell
WORDS = "|".join(YES_OR_NO)
OPTIONS = frozenset(YES_OR_NO) | {"implemented", "not implemented", "partially implemented", "partially"}  # a form's
#   options, as a Word or web form offers them to strike out or highlight (formats/docx.py, formats/html.py)
ALONE = re.compile(rf"[ \t]*[—–-]?[ \t]*\((?i:({WORDS}))\)[ \t]*\r?")  # a mark alone in brackets: "— (No)"
TICKS = ("x", "✓", "✔", "☒", "☑")  # a table cell holding one of these alone marks yes
CROSSES = ("✗", "✘", "❌")  # ... and one of these no (an icon's "no action")
QUALIFIER = r"[ \t]+\([^()\n]{1,25}\)"  # what a mark says of itself: "Yes (partially)"
MARK_WORD = rf"(?i:{WORDS}|x|✓|✔|☒|☑)\.?(?:{QUALIFIER})?"  # a mark as a cell or line of its own holds it
# a printed check box: "[X]", "[ ]", "☒", "☐" (group 1 or 2 holds a tick: checked)
BOX = re.compile(r"\[\s*([xX✓✔]?)\s*\]|([☒☑■✓✔])|[☐□]|\(\s*([xX✓✔•●◉*])\s*\)|\(\s+\)")  # "(X) Sí ( ) No" too,
#                 and a survey's radio buttons printed as text: "(•) Yes ( ) No"; "● Yes ○ No": `radios`
FILLED, HOLLOW = "●◉", "○◯"


def radios(line: str) -> str:
    """The line with radio buttons printed as circles read as boxes, ● as ☒ and ○ as ☐ (one
    character each: offsets hold), when it holds both kinds ("● Yes ○ No", "○ Yes ○ No" too,
    all hollow); a ● alone is a list's bullet ("● No specialised unit …")."""
    if not any(c in line for c in HOLLOW):
        return line
    return line.translate({ord(c): "☒" for c in FILLED} | {ord(c): "☐" for c in HOLLOW})
LABEL = re.compile(rf"\b({WORDS})\b", re.I)


def ticked(box: re.Match) -> bool:
    """A BOX match holds a tick: "[X]", "☒", "(X)"; not "[ ]", "☐", "( )"."""
    return bool(box.group(1) or box.group(2) or box.group(3))


STATUS_LABEL = re.compile(r"(?i:\b(no\s+action(?:\s+taken)?|not\s+implemented)|\b(?:action\s+taken|implemented))\b")
# a box's label that is a status, not a word of YES_OR_NO: "☑ Action taken ☐ No action"


def said_twice(value: str) -> str | None:
    """The mark a value gives in two languages, both words the same mark ("Yes / Sí", "Non / No");
    None for anything else ("Yes/No": both offered, no mark)."""
    both = re.fullmatch(rf"[ \t*_]*(?i:({WORDS}))[ \t]*/[ \t]*(?i:({WORDS}))[ \t*_.]*", value)
    if both and YES_OR_NO[both.group(1).lower()] == YES_OR_NO[both.group(2).lower()]:
        return YES_OR_NO[both.group(1).lower()]
    return None


def action_mark(line: str) -> str:
    """'X YES NO' marks yes, 'YES X NO' marks no; 'Action taken: Yes' answers in a word; both
    labels and no X leave it unknown. Printed check boxes, one a label, pair in order whichever
    side they stand ('☒ Yes ☐ No', 'Yes ☐ No ☒', '[X] YES [ ] NO'); with boxes for other labels
    too ('☐ Yes ☐ Partially ☒ No') a ticked box marks the label after it; a box's label may be a
    status ('☑ Action taken ☐ No action'). Two ticked: unknown.
    A label naming both ('Measures taken (Yes/No): Yes') is read past its colon."""
    line = radios(line)
    label, colon, value = line.rpartition(":")
    both = re.search(rf"\b({WORDS})\s*/\s*({WORDS})\b", label, re.I)
    if colon and LABEL.search(value) and both and {YES_OR_NO[w.lower()] for w in both.groups()} == {"yes", "no"}:
        line = value  # "Measures taken (Yes/No): Yes": the label names both, the value marks one
    boxes = [(m.start(), ticked(m)) for m in BOX.finditer(line)]
    phrases = [(m.start(), m.end(), "no" if m.group(1) else "yes") for m in STATUS_LABEL.finditer(line)] if boxes else []
    labels = sorted([(m.start(), YES_OR_NO[m.group(1).lower()]) for m in LABEL.finditer(line)
                     if not any(a <= m.start() < b for a, b, _ in phrases)] + [(a, said) for a, _, said in phrases])
    if boxes and labels:
        if len(boxes) == len(labels):
            marked = {label for (_, ticked), (_, label) in zip(boxes, labels) if ticked}
        else:
            marked = {next((label for at, label in labels if at > box), labels[-1][1]) for box, ticked in boxes if ticked}
        return marked.pop() if len(marked) == 1 else "unknown"
    x_before = {YES_OR_NO[m.group(1).lower()] for m in re.finditer(rf"\bX\s+((?i:{WORDS}))\b", line)}
    if len(x_before) == 1:  # "X YES NO", "YES X NO", "X OUI NON"
        return x_before.pop()
    words = {label for _, label in labels}
    return words.pop() if len(words) == 1 else "unknown"  # "Action taken: Yes" (both labels, unmarked: unknown)


def table_mark(cell: str) -> str:
    """A table form's action-taken cell: "Yes" or a tick or an X marks yes, "No" or a cross no,
    a word with its qualifier the word ("Yes (partly)"), and an icon beside the word it shows
    ("✔ Yes", "✘ No")."""
    word = cell.strip().lower().rstrip(".")
    iconed = re.fullmatch(rf"([✓✔{''.join(CROSSES)}])\s*(\w+)", word)  # icons, not boxes: "☒ No" is a box's
    if iconed and YES_OR_NO.get(iconed.group(2)) == ("yes" if iconed.group(1) in TICKS else "no"):
        return YES_OR_NO[iconed.group(2)]  # "✘ No", "✔ Yes": an icon and its word, agreeing
    qualified = re.fullmatch(r"(\w+)(?:\s*\(.*\)|\s+[-–—]\s+.*|\s*[,;:]\s+.*)", word)  # "Yes (partly)", "No – under
    #                                                                   study" (not "Non-applicable")
    if qualified and qualified.group(1) in YES_OR_NO:
        return YES_OR_NO[qualified.group(1)]
    return (YES_OR_NO.get(word) or CELL_LETTERS.get(word) or ("yes" if word in TICKS else "no" if word in CROSSES
                                                              else "unknown"))


X_TOKEN = re.compile(r"(?<![\w\[(-])[xX](?![\w\])-])")  # an X standing alone (not "[X]" or "(X)", boxes, nor "X-ray")


def x_side(lines: list[str]) -> str | None:
    """Which side of its label a reply's X stands, as its mark lines show where only one side can
    be meant: "after" when some line ends with an X after its last label ("DA / YES NE / NO X",
    a box printed after each label) and none opens with one before its first ("X YES NO");
    "before" in the opposite case; None when no line shows it, or lines show both."""
    sides = set()
    for line in lines:
        found = _one_x(line)
        if found is None:
            continue
        labels, x = found
        if x.start() > labels[-1].end():
            sides.add("after")
        elif x.end() < labels[0].start():
            sides.add("before")
    return sides.pop() if len(sides) == 1 else None


def _one_x(line: str) -> tuple[list[re.Match], re.Match] | None:
    """(the line's yes/no labels, its X) when it holds two labels or more and one X alone."""
    labels = list(LABEL.finditer(line))
    xs = list(X_TOKEN.finditer(line))
    return (labels, xs[0]) if len(labels) >= 2 and len(xs) == 1 else None


def mark_by_side(line: str, side: str) -> str | None:
    """A line's one X read by the label on the side the reply's X stand (x_side): "DA / YES X
    NE / NO" marks yes where an X follows its label, no where it precedes it. None: no such line."""
    found = _one_x(line)
    if found is None:
        return None
    labels, x = found
    at = x.start()
    near = [m for m in labels if m.end() <= at] if side == "after" else [m for m in labels if m.start() > at]
    if not near:
        return None
    return YES_OR_NO[(near[-1] if side == "after" else near[0]).group(1).lower()]


def two_options(value: str) -> str | None:
    """Two boxes, one ticked, each beside one word the table of marks does not know ("☒ Na'am
    ☐ La", "[X] Evet [ ] Hayır"): a form offers yes first, so the first ticked marks yes and the
    second no. None for anything else (known words are read by action_mark)."""
    value = radios(value)
    boxes = list(BOX.finditer(value))
    words = re.findall(r"[^\W\d_][\w'’-]*", BOX.sub(" ", value))
    if len(boxes) != 2 or len(words) != 2 or LABEL.search(value) or any(len(w) > 12 for w in words):
        return None
    marked = [ticked(m) for m in boxes]
    return None if marked.count(True) != 1 else ("yes" if marked[0] else "no")
