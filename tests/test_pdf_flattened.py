"""A filled form flattened by its sender reads as the filled form: its values printed after the
page's own text are put back where their fields stand. Pages that only look alike (two columns,
a page drawn inside one form XObject) keep pdfium's text. The flattening is pdfium's own
(FPDFPage_Flatten), as a sender's PDF tool does it: each field becomes a drawing of its own.
"""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from indexer.formats import extract_bytes

from test_formats_pdf import FILLABLE, FILLED_ROWS, filled_form_rows


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
    assert filled_form_rows(x) == FILLED_ROWS


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


def _page(lines: list[tuple[float, float, str]]) -> bytes:
    """A printed page (points, y from the top)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(595, 842))
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for x, y, words in lines:
        pdf.text(x, y, words)
    return bytes(pdf.output())


def _drawing(width: float, height: float, words: str = "", square: bool = False, tick: bool = False) -> bytes:
    """What a field (or a stamp, an icon) draws: a small page, to be placed on another as a form XObject."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=10)
    pdf.add_page()
    if square:
        pdf.rect(0.5, 0.5, width - 1, height - 1)
    if tick:
        pdf.line(2, 2, width - 2, height - 2)
        pdf.line(2, height - 2, width - 2, 2)
    for k, line in enumerate(words.splitlines()):
        pdf.text(2, 11 + 12 * k, line)
    return bytes(pdf.output())


def _drawn_after(page: bytes, drawings: list[tuple[bytes, float, float]]) -> bytes:
    """The page with each drawing placed at (x, y from the bottom) after its content, as a form XObject."""
    pdf = pdfium.PdfDocument(page)
    target = pdf[0]
    sources = []
    for raw_drawing, x, y in drawings:
        sources.append(pdfium.PdfDocument(raw_drawing))
        placed = sources[-1].page_as_xobject(0, pdf).as_pageobject()
        placed.transform(pdfium.PdfMatrix().translate(x, y))
        target.insert_obj(placed)
    target.gen_content()
    return _saved(pdf)


def test_what_is_drawn_last_on_an_ordinary_page_keeps_its_place_and_words():
    """A registry's stamp drawn last at the top of a report page, a list's square bullets (one
    with a cross), a chart's labels drawn after its caption: pdfium reads them after the page's
    foot, as a flattened form's answers, but none is a field standing by its label, so the text is
    kept as pdfium reads it: nothing cut, no box read into it."""
    report = _page([(50, 80, "Measures taken by the Ministry")] + [
        (70, 110 + 20 * k, words) for k, words in enumerate(["Yes, a national plan was adopted.",
                                                              "No new legislation was needed, yes or no."])]
        + [(50, 400, "Figure 3. Seizures by region (tonnes)"), (50, 800, "Page 2")])
    drawn = _drawn_after(report, [(_drawing(10, 10, square=True, tick=k == 1), 55, 842 - 114 - 20 * k) for k in range(2)]
                         + [(_drawing(150, 30, "RECEIVED\n12 MAR 2024"), 400, 842 - 50)]
                         + [(_drawing(40, 14, f"Reg {k}"), 60 + 50 * k, 842 - 380) for k in range(6)])
    assert extract_bytes(drawn, "pdf").text == _pdfium_text(drawn)
    assert "RECEIVED" in _pdfium_text(drawn) and "Reg 5" in _pdfium_text(drawn)


def test_a_square_field_holding_a_number_is_a_text_field():
    """A flattened form's small square field holding "12" (a box for digits) is its value beside
    its label, not a ticked box; a square holding a cross beside "Yes" is one."""
    form = _page([(50, 100, "Country:"), (50, 140, "Number of officers trained:"), (50, 180, "Any action taken"), (160, 180, "YES"), (200, 180, "NO"),
                  (50, 220, "Comments:"), (50, 800, "Page 1")])
    drawn = _drawn_after(form, [(_drawing(200, 16, "Senegal"), 110, 842 - 104), (_drawing(16, 16, "12", square=True),
                                                                                200, 842 - 145),
                                (_drawing(10, 10, square=True, tick=True), 186, 842 - 183),
                                (_drawing(10, 10, square=True), 220, 842 - 183),
                                (_drawing(300, 40, "Training in 2023."), 50, 842 - 270)])
    text = extract_bytes(drawn, "pdf").text
    assert text.split("\r\n") == ["Country: Senegal", "Number of officers trained: 12", "Any action taken YES ☒ NO ☐",
                                  "Comments:", "Training in 2023.", "Page 1"], text
