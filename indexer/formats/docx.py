"""Word .docx with python-docx: paragraphs and tables in the order the body holds them.

The extracted text is Markdown-like plain text, so the general parser sees the structure
Word knew: a Heading n paragraph becomes "#"*n + title, a list paragraph "- item", a table
one line per row with cells separated by tabs; blocks are separated by a blank line.
"""
from __future__ import annotations

import io
import re
import zipfile

from indexer.formats.base import Extracted, ExtractionError, version_of


def _paragraph(p) -> str:
    text = p.text.strip()
    if not text:
        return ""
    style = (p.style.name if p.style is not None else "") or ""
    m = re.match(r"Heading (\d)", style)
    if m:
        return "#" * min(int(m.group(1)), 6) + " " + re.sub(r"\s+", " ", text)
    if style == "Title":
        return "# " + re.sub(r"\s+", " ", text)
    if "List" in style:
        return "- " + text
    return text


def _table(table) -> str:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(re.sub(r"\s+", " ", cell.text).strip())
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)


def extract(raw: bytes, sha256: str) -> Extracted:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(raw))
        blocks = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                blocks.append(_paragraph(Paragraph(child, document)))
            elif tag == "tbl":
                blocks.append(_table(Table(child, document)))
        title = (document.core_properties.title or "").strip() or None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # python-docx raises its own and lxml's errors on damaged parts
        raise ExtractionError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(b for b in blocks if b)
    if not text.strip():
        raise ExtractionError("the DOCX has no text")
    return Extracted(text=text + "\n", format="docx", extractor=f"python-docx {version_of('python-docx')}",
                     source_sha256=sha256, title=title)
