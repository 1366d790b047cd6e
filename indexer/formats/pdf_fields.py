"""A fillable PDF's answers: the values of its form fields, read into the page's text; and
check boxes drawn as lines, a ticked one read as a form field's.

A questionnaire sent back as a fillable form keeps its answers in form fields (AcroForm widgets),
not in the page's text: pdfium reads the printed questions only. Each field's value is put where
it stands on the page: a ticked box as "☒" before the word beside it ("☒ YES ☐ NO", as a printed
box is read), a text field's value after the line it stands on ("Member State: Norway") or on
lines of its own after the line above it ("Comments:" over the comment). The page's own text is
kept as pdfium reads it; the values are inserted between its lines and characters. A box drawn
as a small square beside "Yes" or "No", with an X of lines inside it or none, is read as a
ticked or empty box the same way (`drawn_boxes`): pdfium's text holds no mark of it.
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

TICKED, EMPTY = "☒ ", "☐ "
BOX_SIDE = (5.0, 20.0)  # a drawn check box's side, in points (a square's, within a fifth)
YES_NO_LINE = re.compile(r"(?i)\b(?:yes|no|s[ií]|oui|non)\b[^\n]{0,40}\b(?:yes|no|s[ií]|oui|non)\b")  # a page that may
#   draw boxes beside its marks' words: only its paths are read (a page's objects cost a call each)


@dataclass(frozen=True)
class Field:
    box: bool  # a check box (or radio button); else a text field
    left: float
    bottom: float
    right: float
    top: float
    value: str  # a text field's value; for a box, "" (its state is `checked`)
    checked: bool = False


def page_fields(pdf, page) -> list[Field]:
    """The page's filled fields (a box ticked or not, a text field holding words), in no order;
    `pdf.init_forms()` must have been called before the page was loaded."""
    import pypdfium2.raw as raw

    env = pdf.formenv
    if env is None:
        return []
    fields = []
    for k in range(raw.FPDFPage_GetAnnotCount(page)):
        annot = raw.FPDFPage_GetAnnot(page, k)
        try:
            if raw.FPDFAnnot_GetSubtype(annot) != raw.FPDF_ANNOT_WIDGET:
                continue
            kind = raw.FPDFAnnot_GetFormFieldType(env, annot)
            rect = raw.FS_RECTF()
            if not raw.FPDFAnnot_GetRect(annot, rect):
                continue
            where = (min(rect.left, rect.right), min(rect.bottom, rect.top), max(rect.left, rect.right),
                     max(rect.bottom, rect.top))
            if kind in (raw.FPDF_FORMFIELD_CHECKBOX, raw.FPDF_FORMFIELD_RADIOBUTTON):
                fields.append(Field(True, *where, "", bool(raw.FPDFAnnot_IsChecked(env, annot))))
            elif kind in (raw.FPDF_FORMFIELD_TEXTFIELD, raw.FPDF_FORMFIELD_COMBOBOX):
                value = _value(raw, env, annot).strip()
                if value:
                    fields.append(Field(False, *where, value))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return fields


def _value(raw, env, annot) -> str:
    size = raw.FPDFAnnot_GetFormFieldValue(env, annot, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFAnnot_GetFormFieldValue(env, annot, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[:size - 2].decode("utf-16-le", errors="replace")


def with_fields(text: str, charbox, fields: list[Field]) -> str:
    """The page's text with its fields' values inserted where they stand (`charbox(i)`: the box of
    the text's character i, as pdfium's text page gives it). A box goes before the first word to
    its right on its line; a text field after the nearest line above it or beside it (the line
    whose middle is lowest while still above the field's bottom), on that line when the line
    runs beside the field, else on lines of its own."""
    lines = lines_of(text, charbox)
    inserts: list[tuple[int, str]] = []
    for field in fields:
        if field.box:
            beside = _word_beside(text, charbox, lines, field)
            if beside is not None:
                at, after = beside
                glyph = TICKED if field.checked else EMPTY
                inserts.append((at, " " + glyph.strip()) if after else (at, glyph))
            continue
        above = [(middle, end) for start, end, middle in lines if middle >= field.bottom]
        if not above:
            continue
        middle, end = min(above)
        value = "\r\n".join(part.strip() for part in field.value.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        inserts.append((end, (" " if middle <= field.top else "\r\n") + value))
    out, at = [], 0
    for position, words in sorted(inserts, key=lambda insert: insert[0]):
        out += [text[at:position], words]
        at = position
    return "".join(out) + text[at:]


def lines_of(text: str, charbox) -> list[tuple[int, int, float]]:
    """(start, end, vertical middle) of each line of the text that holds a character with a box."""
    out, start = [], 0
    while start <= len(text):
        end = text.find("\r\n", start)
        end = len(text) if end < 0 else end
        middle = next((_middle(charbox(i)) for i in range(start, end) if not text[i].isspace()), None)
        if middle is not None:
            out.append((start, end, middle))
        start = end + 2
    return out


def _middle(box) -> float:
    return (box[1] + box[3]) / 2


def _word_beside(text: str, charbox, lines, field: Field) -> tuple[int, bool] | None:
    """Where a box's glyph goes on the line running beside it: (before the first character right
    of it, False), or (after the last character left of it, True) when that one stands nearer:
    "YES [box] NO [box]" reads "YES ☒ NO ☐", "[box] YES [box] NO" reads "☒ YES ☐ NO"."""
    for start, end, middle in lines:
        if field.bottom - 2 <= middle <= field.top + 2:
            ink = [i for i in range(start, end) if not text[i].isspace()]
            right = [(charbox(i)[0] - field.right, i) for i in ink if charbox(i)[0] >= field.right - 2]
            left = [(field.left - charbox(i)[2], i) for i in ink if charbox(i)[2] <= field.left + 2]
            if left and (not right or min(left)[0] < min(right)[0]):
                return min(left)[1] + 1, True
            if right:
                return min(right)[1], False
    return None


def drawn_boxes(page, text: str) -> list[Field]:
    """Check boxes drawn as small squares on a page whose text offers a yes and a no on one line:
    ticked when a smaller drawing (an X's lines, a tick) stands inside the square. Boxes whose
    side is out of BOX_SIDE, or a page with fewer than two, give none."""
    import pypdfium2 as pdfium

    if not YES_NO_LINE.search(text):
        return []
    squares, marks = [], []
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if BOX_SIDE[0] <= width <= BOX_SIDE[1] and 0.8 <= height / max(width, 1e-6) <= 1.25:
            squares.append((left, bottom, right, top))
        elif 0 < width <= BOX_SIDE[1] and 0 < height <= BOX_SIDE[1]:
            marks.append((left, bottom, right, top))
    boxes = [box for box in squares if not any(other != box and _inside(box, other) for other in squares)]
    ticks = marks + [box for box in squares if box not in boxes]
    if len(boxes) < 2:
        return []
    return [Field(True, *box, "", any(_inside(mark, box) for mark in ticks)) for box in boxes]


def _inside(inner: tuple, outer: tuple, slack: float = 0.5) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack
            and inner[3] <= outer[3] + slack and inner != outer)
