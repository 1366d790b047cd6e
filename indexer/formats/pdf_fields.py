"""A fillable PDF's answers: the values of its form fields, read into the page's text.

A questionnaire sent back as a fillable form keeps its answers in form fields (AcroForm widgets),
not in the page's text: pdfium reads the printed questions only. Each field's value is put where
it stands on the page: a ticked box as "☒" before the word beside it ("☒ YES ☐ NO", as a printed
box is read), a text field's value after the line it stands on ("Member State: Norway") or on
lines of its own after the line above it ("Comments:" over the comment). The page's own text is
kept as pdfium reads it; the values are inserted between its lines and characters.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

TICKED, EMPTY = "☒ ", "☐ "


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
    lines = _lines(text, charbox)
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


def _lines(text: str, charbox) -> list[tuple[int, int, float]]:
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
