"""Excel .xlsx with openpyxl: each sheet's rows as a Word table reads, a line a row, its cells
between tabs.

Questionnaires are often sent and returned as workbooks (a template's title block, a header
row "Issue | No. | Recommendation | Action taken | Comments", a row a recommendation). Written
as the Word reader writes a table, the same parsers read them. A workbook of more than one
sheet heads each with its name ("# Contacts"), as a Word heading. Cells hold what Excel last
computed (a formula's cached value); a line break typed in a cell (Alt+Enter) stays within its
cell, as a space; a row with nothing in it is left out, and so are a row's empty cells after
its last value. The text stored is this, so citations are offsets into it, like a Word file's.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from indexer.formats.base import Extracted, ExtractionError, version_of


def cell_text(value) -> str:
    """A cell's value as text: a whole number without ".0", a date without a midnight time."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def sheet_rows(rows) -> list[str]:
    """Each row with a value, its cells between tabs, the empty ones after its last value left out."""
    out = []
    for row in rows:
        cells = [cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append("\t".join(cells))
    return out


def extract(raw: bytes, sha256: str) -> Extracted:
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheets = []
            for ws in book.worksheets:
                if getattr(ws, "sheet_state", "visible") != "visible":
                    continue
                ws.reset_dimensions()  # the sheet's cells as they stand, not the size it declares (often wrong)
                sheets.append((ws.title, sheet_rows(ws.iter_rows(values_only=True))))
            title = (book.properties.title or "").strip() or None
        finally:
            book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExtractionError(f"unreadable XLSX ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # openpyxl raises its own and lxml's errors on damaged parts
        raise ExtractionError(f"unreadable XLSX ({type(exc).__name__}: {exc})") from None
    named = len([rows for _, rows in sheets if rows]) > 1
    blocks = [(f"# {name}\n\n" if named else "") + "\n".join(rows) for name, rows in sheets if rows]
    text = "\n\n".join(blocks)
    if not text.strip():
        raise ExtractionError("the XLSX has no text in its sheets")
    return Extracted(text=text + "\n", format="xlsx", extractor=f"openpyxl {version_of('openpyxl')}",
                     source_sha256=sha256, title=title)
