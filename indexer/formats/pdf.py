"""PDF text with pypdfium2 (Apache/BSD, unlike PyMuPDF's AGPL): one string, page by page.

Pages are joined with a form feed and kept exactly as pdfium reads them (its CR LF line
ends and U+FFFE soft-hyphen marks included), so a citation's offsets can be checked
against pdfium on the page they name, and de-hyphenation is exact: only a U+FFFE at a line
end is a hyphen the typesetter added. A filled form's page also holds its fields' values
where they stand (pdf_fields.py): pdfium's text reads only the printed questions; a form
its sender flattened, the same (pdf_flattened.py): pdfium reads its answers after all its questions.
"""
from __future__ import annotations

import logging

from indexer.formats import pdf_columns, pdf_fields, pdf_flattened, table_layout
from indexer.formats.base import Extracted, ExtractionError, version_of

log = logging.getLogger(__name__)
PAGE_BREAK = "\f"
MIN_TEXT_CHARS_PER_PAGE = 3  # fewer visible characters on every page: a scan without a text layer
_NOT_TITLES = {"", "untitled", "title", "document", "microsoft word"}


def _title(metadata: dict) -> str | None:
    title = (metadata.get("Title") or "").strip()
    if title.lower() in _NOT_TITLES or title.lower().startswith("microsoft word -") or title.endswith((".doc", ".docx")):
        return None
    return title[:200]


def _open(raw: bytes):
    """The PDF, its form fields readable when it has any (a fillable form sent back filled in)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(raw)
    if pdf.get_formtype() != pdfium.raw.FORMTYPE_NONE:
        pdf.init_forms()
    return pdf


def _pages(pdf):
    """Each page's index, its text's offset in the document (pages joined by PAGE_BREAK), its text,
    its text page (closed once the caller has read it), and whether the text is pdfium's alone
    (a filled form's page has its fields' values put in: pdf_fields.py, so the text page's
    character boxes no longer line up with it): what `extract` and `tables` read."""
    offset = 0
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        fields = pdf_fields.page_fields(pdf, page) if pdf.formenv is not None else []
        flattened = pdf_flattened.fields_written_after(page, text, textpage.get_charbox)
        if flattened is not None:  # (a form flattened by its sender: its values printed after the page's text)
            end, written = flattened
            text, fields = text[:end], fields + written
        else:
            fields += pdf_fields.drawn_boxes(page, text)
        exact = not fields
        if fields:
            text = pdf_fields.with_fields(text, textpage.get_charbox, fields)
        try:
            yield i, offset, text, textpage, exact
        finally:
            textpage.close()
            page.close()
        offset += len(text) + len(PAGE_BREAK)


def extract(raw: bytes, sha256: str) -> Extracted:
    import pypdfium2 as pdfium

    try:
        pdf = _open(raw)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("encrypted PDF (a password is needed to open it)") from None
        raise ExtractionError(f"corrupt or not a PDF (pdfium: {exc})") from None
    try:
        texts: list[str] = []
        labels: list[str | None] = []
        heads: dict[int, list[int]] = {}
        remembered: list[pdf_columns.Head] = []
        for i, offset, text, textpage, exact in _pages(pdf):
            texts.append(text)
            if exact and pdf_columns.has_lone_tokens(text):  # "X" alone on its line: which column head it stands under
                boxes = [textpage.get_charbox(c) for c in range(textpage.count_chars())]
                found, remembered = pdf_columns.heads_of_page(text, boxes, offset, remembered)
                heads.update(found)
            labels.append(pdf.get_page_label(i) or None)
        metadata = pdf.get_metadata_dict()
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"corrupt PDF (pdfium: {exc})") from None
    finally:
        pdf.close()
    if not texts:
        raise ExtractionError("the PDF has no pages")
    if all(sum(not c.isspace() for c in t) < MIN_TEXT_CHARS_PER_PAGE for t in texts):
        raise ExtractionError("no text layer; OCR is not supported")
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + len(PAGE_BREAK)
    return Extracted(text=PAGE_BREAK.join(texts), format="pdf", extractor=f"pypdfium2 {version_of('pypdfium2')}",
                     source_sha256=sha256, page_starts=starts,
                     page_labels=labels if any(labels) else [None] * len(texts), title=_title(metadata),
                     heads=heads)


def tables(raw: bytes) -> list[table_layout.Table]:
    """The PDF's tables, when pdfium reads their cells interleaved (formats/table_layout.py), else
    none. Apart from `extract`: a word's box is a call to pdfium for each of its ends, which costs
    as much again as reading the text, so only a file that may need its tables read asks
    (indexer/table_readings.tables_read). The file is the one `extract` read: the offsets are its text's."""
    pdf = _open(raw)
    try:
        pages: list[tuple[int, int, list[table_layout.Row]]] = []  # the pages holding a table: index, offset, rows
        columns = None  # the columns of the last page's table
        heads: tuple[str, ...] = ()  # the words of the first table's first row, cell by cell
        for i, offset, text, textpage, exact in _pages(pdf):
            if not exact:
                continue  # (a filled form's page: its fields' values stand between pdfium's characters)
            rows, columns = table_layout.table_rows(text, textpage.get_charbox, columns, heads)
            if rows:
                pages.append((i, offset, rows))
                first = next((r for r in rows if not r.across), None)
                heads = heads or (table_layout.cell_words(text, first.cells) if first else ())
    finally:
        pdf.close()
    return table_layout.page_tables(pages) if any(table_layout.interleaved(rows) for _, _, rows in pages) else []
