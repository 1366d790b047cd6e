"""Which documents are read with their tables cell after cell (cell_reading.py), and that reading.

A PDF's text as pdfium reads it, or a plain text's table laid out with spaces, runs across a
table's cells line by line; where only reading the cells in turn shows a questionnaire reply's
structure, the parsers read that instead. I/O at the edge: a PDF's words and their boxes are read
from the file.
"""
from __future__ import annotations

import re
from pathlib import Path

from indexer.cell_reading import Reading, read_cells
from indexer.formats import Extracted
from indexer.formats.pdf import tables as pdf_tables
from indexer.formats.table_layout import text_tables
from indexer.parsers.questionnaire import looks_like_questionnaire
from indexer.parsers.questionnaire_labels import ACTION_WORDS, COMMENT_WORDS, ISSUE_TABLE_HEADER, REC_WORD, TABLE_ROW
from indexer.parsers.questionnaire_tables import issue_table_rows


def tables_read(path: Path, extracted: Extracted) -> Reading | None:
    """The document read with its tables cell after cell (cell_reading.py), when its text runs
    across their cells (a PDF's lines as pdfium reads them, a plain text's table laid out with
    spaces) and only that reading shows a questionnaire reply's structure: the reply's structure
    is what a table is read for; other documents keep their reading. Asked of a PDF only when its
    text names the form's columns (a recommendation, an action taken, a comment): reading its
    tables costs every word's box."""
    text = extracted.text
    if looks_like_questionnaire(text):
        return None
    if extracted.format == "pdf" and _names_the_columns(text):
        tables = pdf_tables(path.read_bytes())
    elif extracted.format == "text":  # a table laid out with spaces
        tables = text_tables(text)
    else:
        return None
    reading = read_cells(text, tables, extracted.page_starts) if tables else None
    if reading is None or not looks_like_questionnaire(reading.text):
        return None
    rows = sum(1 for table in tables for row in table.rows if not row.across and not row.header)
    read = sum(len(found) for found in (issue_table_rows(reading.text), TABLE_ROW.findall(reading.text),
                                          ISSUE_TABLE_HEADER.findall(reading.text)))
    return reading if read >= rows else None  # every row read as a recommendation's or a header: no row lost


def _names_the_columns(text: str, near: int = 2) -> bool:
    """A header row of the form's columns: an action (taken) named with a recommendation and a
    comment on its line or the lines next to it (a head wrapped in its cell takes two lines:
    "Action" over "taken")."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.search(rf"{ACTION_WORDS}|\baction\b", line, re.I):
            around = "\n".join(lines[max(0, i - near):i + near + 1])
            if re.search(REC_WORD, around, re.I) and re.search(COMMENT_WORDS, around, re.I):
                return True
    return False
