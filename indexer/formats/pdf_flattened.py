"""A filled form flattened by its sender: the fields' values printed after the page's own text.

Flattening turns each filled field into a drawing of its own where the field stood (a form
XObject: its box, a tick, its text), drawn after the page's content. pdfium's text then reads the
whole printed questionnaire down to its foot, and only then the answers, jumping back up the page
("… Page 1", then "Senegal Comité … 22 mars 2024 ✔", then each comment: tpl30). A page whose text
ends on such a tail is read as the fillable form was (pdf_fields.py): each value put where its
field stands, each ticked square as a ticked box beside its word.

The tail is told by the page's structure, not its words: it begins where the text jumps back up
the page after reaching lower than all it had read; every one of its characters stands inside a
field's drawing that holds none of the printed text, no bigger than a field (a page imposed on
another is none); each text field stands beside or under its printed label ("Member State:",
"Comments:"), and a square holds a tick or nothing (a square holding "12" is a text field). Any
other page (two columns, a stamp or a chart's labels drawn last, square bullets) keeps its text
as pdfium reads it: nothing is cut that is not put back.
"""
from __future__ import annotations

from indexer.formats.pdf_fields import BOX_SIDE, YES_NO_LINE, Field, lines_of

JUMP = 20.0  # points: a line standing this far above the lowest line read before it opens the tail
FIELD_HEIGHT = 0.4  # of the page's height, at most: a field's drawing (half a page imposed on a sheet is none)
LABEL_GAP = 3.0  # line heights at most between a field's top and its label's line above it
TICK_GLYPHS = set("✔✓✗✘xX■●☒☑")  # what a ticked square holds as text


def fields_written_after(page, text: str, charbox) -> tuple[int, list[Field]] | None:
    """(where the page's own text ends, the fields read from the tail) when the page is a
    flattened form's, else None. `charbox(i)`: the box of the text's character i."""
    if not _has_form(page):
        return None
    lines = lines_of(text, charbox)
    candidates, lowest = [], None
    for start, _, middle in lines:
        if lowest is not None and middle > lowest + JUMP:
            candidates.append(start)
        lowest = middle if lowest is None else min(lowest, middle)
    if not candidates:
        return None
    drawings = [d for d in _field_drawings(page) if d[0][3] - d[0][1] <= FIELD_HEIGHT * page.get_height()]
    owner = _owners(text, charbox, candidates[0], drawings)
    floor = max((i for i, k in owner.items() if k is None), default=-1)  # (a cut must leave no character out)
    for cut in (c for c in candidates if c > floor):
        found = _tail_fields(text, charbox, cut, drawings, owner, lines)
        if found is not None:
            return len(text[:cut].rstrip("\r\n")), found
    return None


def _owners(text: str, charbox, start: int, drawings: list[tuple[tuple, bool]]) -> dict[int, int | None]:
    """Each visible character from `start` on: the smallest drawing standing around it, or None."""
    out: dict[int, int | None] = {}
    for i in range(start, len(text)):
        if not text[i].isspace():
            box = charbox(i)
            x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            inside = [k for k, (rect, _) in enumerate(drawings) if _holds(rect, x, y)]
            out[i] = min(inside, key=lambda k: _area(drawings[k][0])) if inside else None
    return out


def _tail_fields(text: str, charbox, cut: int, drawings: list[tuple[tuple, bool]], owner: dict[int, int | None],
                 lines: list[tuple[int, int, float]]) -> list[Field] | None:
    """The fields the tail from `cut` fills, or None when a drawing holding the tail also holds a
    character of the printed text, or a text field stands by no label."""
    held: dict[int, list[str]] = {}
    bottoms: dict[int, float] = {}  # each drawing's last character's bottom
    current = None
    for i in range(cut, len(text)):
        if text[i].isspace():
            if current is not None:
                held[current].append(text[i])
            continue
        current, box = owner[i], charbox(i)
        chars = held.setdefault(current, [])
        if current in bottoms and box[3] < bottoms[current] and chars and not chars[-1].isspace():
            chars.append("\n")  # (a field's next line, read by pdfium with no break before it)
        bottoms[current] = box[1]
        chars.append(text[i])
    for i in range(cut):
        if not text[i].isspace():
            box = charbox(i)
            if any(_holds(drawings[k][0], (box[0] + box[2]) / 2, (box[1] + box[3]) / 2) for k in held):
                return None
    printed = [line for line in lines if line[0] < cut]
    boxes_offered = bool(YES_NO_LINE.search(text[:cut]))
    fields = []
    for k, (rect, ticked) in enumerate(drawings):
        value = "".join(held.get(k, [])).replace("\r\n", "\n").strip()
        if _square(rect) and (not value or value in TICK_GLYPHS):
            if boxes_offered:
                fields.append(Field(True, *rect, "", ticked or bool(value)))
        elif value:
            if not _labelled(text, charbox, printed, rect):
                return None
            fields.append(Field(False, *rect, value))
    return fields if any(not f.box or f.checked for f in fields) else None


def _labelled(text: str, charbox, printed: list[tuple[int, int, float]], rect: tuple) -> bool:
    """A printed label ends in a colon beside the field (its line's middle within the field's
    height, its end left of it) or over it (its line just above the field's top)."""
    for start, end, middle in printed:
        words = text[start:end].rstrip()
        if not words.endswith((":", "：")):
            continue
        last = charbox(start + len(words) - 1)
        height = max([1.0] + [(box[3] - box[1]) for box in map(charbox, range(start, start + len(words)))])
        beside = rect[1] - 2 <= middle <= rect[3] + 2 and last[2] <= rect[0] + 2
        above = rect[3] - 2 <= middle <= rect[3] + LABEL_GAP * height and charbox(start)[0] <= rect[2]
        if beside or above:
            return True
    return False


def _has_form(page) -> bool:
    """Whether the page draws any form XObject (asked of pdfium object by object: a page's objects,
    wrapped as Python objects, cost more to list than its text to read)."""
    import pypdfium2.raw as raw

    return any(raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page, i)) == raw.FPDF_PAGEOBJ_FORM
               for i in range(raw.FPDFPage_CountObjects(page)))


def _field_drawings(page) -> list[tuple[tuple, bool]]:
    """Each form XObject on the page holding no other (a field's drawing), in page space, and
    whether a path smaller than it stands inside (a tick drawn in a box)."""
    import pypdfium2 as pdfium

    matrices: list = []
    found: list[tuple[tuple, bool | None]] = []
    paths: list[tuple[int, tuple]] = []  # (drawing's index, the path's rectangle in page space)
    parents: list[int] = []
    for obj in page.get_objects(max_depth=4):
        del matrices[obj.level:], parents[obj.level:]
        rect = obj.get_bounds()
        for matrix in reversed(matrices):
            rect = matrix.on_rect(*rect)
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_FORM:
            if parents:
                found[parents[-1]] = (found[parents[-1]][0], None)  # (holds a form: not a field's drawing)
            found.append((tuple(rect), False))
            parents.append(len(found) - 1)
            matrices.append(obj.get_matrix())
        elif obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH and parents:
            paths.append((parents[-1], tuple(rect)))
    out = []
    for k, (rect, ticked) in enumerate(found):
        if ticked is None:
            continue
        side = min(rect[2] - rect[0], rect[3] - rect[1])
        tick = any(owner == k and (p[2] - p[0]) < 0.85 * side and (p[3] - p[1]) < 0.85 * side and p[2] > p[0]
                   for owner, p in paths)
        out.append((rect, tick))
    return out


def _holds(rect: tuple, x: float, y: float, slack: float = 1.0) -> bool:
    return rect[0] - slack <= x <= rect[2] + slack and rect[1] - slack <= y <= rect[3] + slack


def _area(rect: tuple) -> float:
    return (rect[2] - rect[0]) * (rect[3] - rect[1])


def _square(rect: tuple) -> bool:
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    return BOX_SIDE[0] <= width <= BOX_SIDE[1] and 0.8 <= height / max(width, 1e-6) <= 1.25
