"""Word .docx with python-docx: paragraphs and tables in the order the body holds them.

The extracted text is Markdown-like plain text, so the general parser sees the structure
Word knew: a Heading n paragraph becomes "#"*n + title, a list paragraph "- item", a table
one line per row with cells separated by tabs; blocks are separated by a blank line. What a
form's content controls hold is text like any other (a reply typed into "[Comments]"), but
their placeholders ("Click or tap here to enter text.") are not: nobody wrote them; nor is an
option struck through (a form's unused option struck out, "YES / ~~NO~~"): its writer withdrew it;
an option highlighted as the answer reads as a ticked box before it ("☒ YES NO").
"""
from __future__ import annotations

import io
import re
import zipfile

from indexer.formats.base import Extracted, ExtractionError, version_of
from indexer.parsers.marks import OPTIONS


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


CHARACTERS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}  # as python-docx gives them


def _text_of(element) -> str:
    """The text of a paragraph's (or a cell's) runs, content controls' included (python-docx's
    `text` leaves them out), a placeholder's left out, and text boxes' left out here: they are
    read once, after their paragraph's own text (`_text_boxes`; Word stores each twice)."""
    out = []
    options, ticks = 0, []  # the options the text offers, and where a highlighted one's tick was put
    for node in element.iter(f"{W}t", f"{W}p", *(W + name for name in CHARACTERS)):
        if any(sdt.find(f"{W}sdtPr/{W}showingPlcHdr") is not None for sdt in node.iterancestors(f"{W}sdt")) \
                or next(node.iterancestors(f"{W}txbxContent"), None) is not None:
            continue
        tag = node.tag[len(W):]
        option = tag == "t" and (node.text or "").strip(" /|").lower() in OPTIONS
        if option and _struck(node):
            continue  # an option struck out is withdrawn: "YES / ~~NO~~" answers yes (other struck words stay:
            #           an amendment's old wording is text)
        options += option
        if option and _highlighted(node):
            ticks.append(len(out))
            out.append("☒ ")  # an option highlighted as the answer reads as a ticked box before it: "☒ YES NO"
        out.append(node.text or "" if tag == "t" else CHARACTERS.get(tag) or ("\n" if out else ""))
    if ticks and len(ticks) >= options:  # every option shaded (a table's header cells, "Yes" alone): styling, no answer
        for at in ticks:
            out[at] = ""
    return "".join(out)


def _highlighted(text_node) -> bool:
    """The run holding the text is highlighted (Word's highlighter, or a shading other than white)."""
    props = text_node.getparent().find(f"{W}rPr")
    if props is None:
        return False
    mark = props.find(f"{W}highlight")
    if mark is not None and mark.get(f"{W}val", "none").lower() not in ("none", "white"):
        return True
    shading = props.find(f"{W}shd")
    return shading is not None and (shading.get(f"{W}fill") or "auto").lower() not in ("auto", "ffffff", "none")


def _struck(text_node) -> bool:
    """The run holding the text is struck through (single or double), as a form's unused option
    is struck out or a withdrawn word is."""
    props = text_node.getparent().find(f"{W}rPr")
    if props is None:
        return False
    for name in ("strike", "dstrike"):
        mark = props.find(f"{W}{name}")
        if mark is not None and mark.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none"):
            return True
    return False


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_boxes(element) -> list[str]:
    """What the text boxes anchored in a paragraph hold, each box's paragraphs on lines of their
    own (a form's answer typed into a box), once: not the copy Word keeps for older readers."""
    out = []
    for box in element.iter(f"{W}txbxContent"):
        if next(box.iterancestors(MC_FALLBACK), None) is not None:
            continue
        lines = ["".join(t.text or "" for t in p.iter(f"{W}t")).strip() for p in box.iter(f"{W}p")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(text)
    return out


def _paragraph(p) -> str:
    boxes = _text_boxes(p._p)
    text = "\n\n".join([t for t in [_text_of(p._p).strip()] if t] + boxes)
    if not text or boxes:
        return text
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
            cells.append(re.sub(r"\s+", " ", _text_of(cell._tc)).strip())
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
        children = list(document.element.body.iterchildren())
        while children:
            child = children.pop(0)
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                blocks.append(_paragraph(Paragraph(child, document)))
            elif tag == "tbl":
                blocks.append(_table(Table(child, document)))
            elif tag == "sdt" and child.find(f"{W}sdtPr/{W}showingPlcHdr") is None \
                    and child.find(f"{W}sdtPr/{W}docPartObj") is None:  # not a gallery's (a table of contents)
                content = child.find(f"{W}sdtContent")  # a block content control: its paragraphs and tables
                children[:0] = list(content.iterchildren()) if content is not None else []
        title = (document.core_properties.title or "").strip() or None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # python-docx raises its own and lxml's errors on damaged parts
        raise ExtractionError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(b for b in blocks if b).translate({0xA0: " ", 0x202F: " "})  # (a no-break space, French's
    #   before ":", stored as a space: one character for one)
    if not text.strip():
        raise ExtractionError("the DOCX has no text")
    return Extracted(text=text + "\n", format="docx", extractor=f"python-docx {version_of('python-docx')}",
                     source_sha256=sha256, title=title)
