"""OpenDocument text (.odt, LibreOffice's and many ministries' own format) read as Word is read.

The extracted text is the same Markdown-like plain text docx.py writes, so one parser reads
both: a heading (text:h) becomes "#"*level + title, a list's item "- item", a table one line
per row with its cells between tabs, blocks parted by a blank line. A paragraph's tabs, line
breaks and runs of spaces (text:s) are kept as written (a no-break space as a space: French's
"Observations :"); notes (text:note) and tracked deletions
are left out, as Word's footnotes and deleted runs are; a text box's paragraphs follow the
paragraph that anchors it. The XML is parsed with entities and network access off.
"""
from __future__ import annotations

import io
import re
import zipfile

from indexer.formats.base import Extracted, ExtractionError, version_of

NS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
      "dc": "http://purl.org/dc/elements/1.1/"}
TEXT, TABLE, DRAW = (f"{{{NS[k]}}}" for k in ("text", "table", "draw"))
SKIPPED = {f"{TEXT}note", f"{TEXT}tracked-changes", f"{TEXT}bookmark-ref", f"{TEXT}soft-page-break",
           f"{DRAW}frame", "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation",
           "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation-end"}  # (a frame's text box is read after
#   its paragraph, `_boxes`; a reviewer's comment is no part of the text)
MAX_REPEAT = 50  # a cell repeated more often than this is written this often (an empty row's tail is cut anyway)
NO_BREAK = {0xA0: " ", 0x202F: " "}  # a no-break space (French sets one before ":") stored as a space: one character
MAX_XML_BYTES = 200 * 2**20  # content.xml unpacked: a zip bomb stops here


def _count(element, name: str) -> int:
    """An attribute counting something (spaces, a heading's level, repeated cells): 1 when absent
    or not a number."""
    value = element.get(name, "1") or "1"
    return max(int(value), 1) if value.isdigit() else 1


def _inline(element, out: list[str]) -> None:
    """The text of a paragraph's children, in order: spans and links read through (an XML
    comment or processing instruction is no text: only its tail is)."""
    if element.text:
        out.append(element.text)
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            pass
        elif tag == f"{TEXT}s":
            out.append(" " * min(_count(child, f"{TEXT}c"), 100))
        elif tag == f"{TEXT}tab":
            out.append("\t")
        elif tag == f"{TEXT}line-break":
            out.append("\n")
        elif tag not in SKIPPED:
            _inline(child, out)
        if child.tail:
            out.append(child.tail)


def _text(element) -> str:
    out: list[str] = []
    _inline(element, out)
    return "".join(out)


def _boxes(paragraph) -> list[str]:
    """The paragraphs of the text boxes a paragraph anchors, each box's on lines of their own."""
    out = []
    for box in paragraph.iter(f"{DRAW}text-box"):
        if next(box.iterancestors(f"{DRAW}text-box"), None) is not None:
            continue  # (a box in a box: read with the outer one's paragraphs)
        lines = [_text(p).strip() for p in box.iter(f"{TEXT}p", f"{TEXT}h")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(text)
    return out


def _paragraph(element, styles: dict[str, str]) -> str:
    text = _text(element).strip()
    boxes = _boxes(element)
    if text and element.tag == f"{TEXT}h" and not boxes:
        level = _count(element, f"{TEXT}outline-level")
        text = "#" * min(max(level, 1), 6) + " " + re.sub(r"\s+", " ", text)
    elif text and styles.get(element.get(f"{TEXT}style-name", ""), "").lower() == "title" and not boxes:
        text = "# " + re.sub(r"\s+", " ", text)
    return "\n\n".join([t for t in [text] if t] + boxes)


def _table(table) -> str:
    rows = []
    for row in table.iter(f"{TABLE}table-row"):
        if next(row.iterancestors(f"{TABLE}table"), None) is not table:
            continue  # (a table nested in a cell: read as that cell's text)
        cells = []
        for cell in row:
            if cell.tag == f"{TABLE}table-cell":
                said = re.sub(r"\s+", " ", " ".join(_text(p) for p in cell.iter(f"{TEXT}p", f"{TEXT}h"))).strip()
                cells += [said] * min(_count(cell, f"{TABLE}number-columns-repeated"), MAX_REPEAT)
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append("\t".join(cells))
    return "\n".join(rows)


def _blocks(parent, styles: dict[str, str]) -> list[str]:
    out = []
    for child in parent:
        tag = child.tag
        if tag in (f"{TEXT}p", f"{TEXT}h"):
            out.append(_paragraph(child, styles))
        elif tag == f"{TEXT}list":
            for item in child.iterchildren(f"{TEXT}list-item", f"{TEXT}list-header"):
                for block in _blocks(item, styles):  # (a nested list's items among them, each its own)
                    out.append(block if block.startswith("- ") else "- " + block if block else "")
        elif tag == f"{TABLE}table":
            out.append(_table(child))
        elif tag in (f"{TEXT}section", f"{TEXT}list-item", f"{TEXT}list-header"):
            out += _blocks(child, styles)
    return out


def _parse(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    return etree.fromstring(data, parser)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise ExtractionError(f"{name} unpacks to {info.file_size / 2**20:.0f} MB, over {MAX_XML_BYTES / 2**20:.0f} MB")
    return archive.read(name)


def extract(raw: bytes, sha256: str) -> Extracted:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            content = _parse(_member(archive, "content.xml"))
            meta = _parse(_member(archive, "meta.xml")) if "meta.xml" in archive.namelist() else None
            styles_xml = _parse(_member(archive, "styles.xml")) if "styles.xml" in archive.namelist() else None
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"unreadable ODT ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # zlib's, an encrypted or an unsupported compression's member: any other damage
        raise ExtractionError(f"unreadable ODT ({type(exc).__name__}: {exc})") from None
    body = content.find("office:body/office:text", NS)
    if body is None:
        raise ExtractionError("unreadable ODT (no office:text body: a spreadsheet or a drawing?)")
    styles = {}  # a paragraph style's name -> the name of the style it derives from, when that is "Title"
    for root in (content, styles_xml):
        for style in (root.iter("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}style") if root is not None else []):
            name = style.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name", "")
            parent = style.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}parent-style-name", "")
            styles[name] = "title" if "title" in (name.lower(), parent.lower()) else ""
    text = "\n\n".join(b for b in _blocks(body, styles) if b).translate(NO_BREAK)
    if not text.strip():
        raise ExtractionError("the ODT has no text")
    title = None
    if meta is not None:
        found = meta.find(".//dc:title", NS)
        title = (found.text or "").strip()[:200] or None if found is not None else None
    return Extracted(text=text + "\n", format="odt", extractor=f"lxml {version_of('lxml')}", source_sha256=sha256,
                     title=title)
