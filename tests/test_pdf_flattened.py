"""A filled form flattened by its sender reads as the filled form: its values printed after the
page's own text are put back where their fields stand. Pages that only look alike (two columns,
a page drawn inside one form XObject) keep pdfium's text. The flattening is pdfium's own
(FPDFPage_Flatten), as a sender's PDF tool does it: each field becomes a drawing of its own.
"""
from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from indexer.corpus import parse_document
from indexer.formats import extract_bytes
from indexer.models import Document
from indexer.verify import first_bad_offset

FILLABLE = Path(__file__).parent / "fixtures" / "fillable-reply.pdf"


def _saved(pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _flattened(raw_pdf: bytes) -> bytes:
    pdf = pdfium.PdfDocument(raw_pdf)
    pdf.init_forms()
    for page in pdf:
        assert raw.FPDFPage_Flatten(page, raw.FLAT_PRINT) == raw.FLATTEN_SUCCESS
    return _saved(pdf)


def _pdfium_text(raw_pdf: bytes) -> str:
    pdf = pdfium.PdfDocument(raw_pdf)
    return "\f".join(page.get_textpage().get_text_range() for page in pdf)


def test_a_flattened_forms_values_are_read_where_their_fields_stood():
    """pdfium's text of the flattened form holds every printed question first and the answers
    after them, with no tick at all; read, each answer stands under its question again, each
    ticked box as ☒, and the reply's rows are the filled form's, every citation exact."""
    flat = _flattened(FILLABLE.read_bytes())
    read_by_pdfium = _pdfium_text(flat)
    assert "☒" not in read_by_pdfium and read_by_pdfium.index("The police set up") > read_by_pdfium.index(
        "Recommendation 3")
    x = extract_bytes(flat, "pdf")
    assert "Any action taken YES ☒ NO ☐\r\nComments:\r\nThe police set up a unit in 2019 with 12 officers.\r\n" \
           "Recommendation 2" in x.text
    assert "Any action taken YES ☐ NO ☒\r\nComments:\r\nRecommendation 3" in x.text
    assert x.text.endswith("Comments:\r\nA course for prosecutors\r\nis planned for 2025.")
    document = Document(id="f", file="f.pdf", title="F", kind="questionnaire-response", parser="questionnaire")
    passages = parse_document(document, x.text, 10**6, x.page_starts)
    for p in passages:
        assert first_bad_offset(x.text, p) is None, p.id
    got = [(p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"]) for p in passages]
    assert got == [(1, "yes", "The police set up a unit in 2019 with 12 officers."), (2, "no", ""),
                   (3, "unknown", "A course for prosecutors is planned for 2025.")]


def _two_columns() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for row in range(12):
        pdf.text(20, 30 + 8 * row, f"Left column line {row + 1} on drug policy.")
    pdf.text(20, 280, "Page 1")
    for row in range(12):
        pdf.text(115, 30 + 8 * row, f"Right column line {row + 1} on prevention.")
    return bytes(pdf.output())


def test_a_page_whose_text_jumps_back_up_with_no_fields_keeps_its_text():
    """Two columns read one after the other: the right column jumps back up the page after the
    page's foot, as a flattened form's answers do, but stands in no field's drawing."""
    pages = _two_columns()
    assert extract_bytes(pages, "pdf").text == _pdfium_text(pages)


def test_a_page_drawn_inside_one_form_xobject_keeps_its_text():
    """A page imposed onto another (the whole page one form XObject, as n-up tools and some
    printers' drivers make): its text jumps back up inside a drawing that also holds the text
    read before the jump, so it is no field, and the text is kept as pdfium reads it."""
    source = pdfium.PdfDocument(_two_columns())
    imposed = pdfium.PdfDocument.new()
    xobject = source.page_as_xobject(0, imposed)
    page = imposed.new_page(*source[0].get_size())
    page.insert_obj(xobject.as_pageobject())
    page.gen_content()
    wrapped = _saved(imposed)
    assert any(obj.type == raw.FPDF_PAGEOBJ_FORM for obj in pdfium.PdfDocument(wrapped)[0].get_objects(max_depth=0))
    assert extract_bytes(wrapped, "pdf").text == _pdfium_text(wrapped)
    assert "Right column line 1 on prevention." in _pdfium_text(wrapped)


def test_a_forms_page_image_is_shown_unboxed_rather_than_boxed_in_the_wrong_place(tmp_path):
    """The page image boxes a citation by pdfium's characters; a flattened form's stored page
    is not pdfium's text (its answers moved back under their questions), so its offsets would box
    other words: its page is shown bare. A page stored as pdfium read it is boxed."""
    from service.pages import render

    flat = tmp_path / "flat.pdf"
    flat.write_bytes(_flattened(FILLABLE.read_bytes()))
    stored = extract_bytes(flat.read_bytes(), "pdf").text.split("\f")[0]
    start = stored.index("The police set up")
    assert render(flat, 1, [(start, start + 40)], stored) == render(flat, 1, [])
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_two_columns())
    stored = extract_bytes(plain.read_bytes(), "pdf").text
    assert render(plain, 1, [(0, 30)], stored) != render(plain, 1, [])
