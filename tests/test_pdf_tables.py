"""A reply printed as a PDF table whose rows are drawn a line at a time across the columns:
pdfium reads "I.1 Governments … their Yes The unit …" over "law enforcement… by 24 officers."
(formats/table_layout.py finds the cells by where the words stand; cell_reading.py reads them in
turn). Real PDFs (fpdf2) read by pdfium; the `texts` fixture is in conftest.py.
"""
from __future__ import annotations

import re

import pytest

from indexer.cell_reading import read_cells
from indexer.corpus import parse_document
from indexer.table_readings import tables_read
from indexer.formats.pdf import extract, tables
from indexer.models import Document
from indexer.verify import first_bad_offset
from test_form_replies import ISSUES

COMMENTS = {("I", 1): "The Cybercrime Division was established in 2018 and is staffed by 24 investigators. Training "
                      "on darknet investigations was provided with the support of UNODC and a partner police agency.",
            ("I", 2): "Requests to foreign service providers go through the INTERPOL bureau, which can take months.",
            ("II", 2): "",
            ("II", 4): "The National Centre for Mental Health works with the courts in providing compulsory treatment "
                       "under a memorandum signed in 2019. Social workers of the probation service take part in the "
                       "case conferences. A joint training programme for judges and health staff is being prepared.",
            ("IV", 4): "No comment."}
MARKS = {("I", 2): "Yes (partly)", ("II", 2): "No", ("III", 3): "No"}


def comment(issue: str, n: int) -> str:
    return COMMENTS.get((issue, n), f"Measures on {issue}.{n} were taken in {2010 + n}.")


def line_by_line_table(texts: dict, repeat_header: bool = True, said=None) -> bytes:
    """Landscape pages, a header row, an issue's heading across the table, and each row's cells
    wrapped and drawn a line at a time across all four columns; II.4's comment runs onto the
    next page, under the repeated header (or none: `repeat_header`)."""
    said = said or comment
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(False)
    widths, line_height = [14, 90, 26, 140], 4.6
    heads = ["No.", "Recommendation", "Action taken", "Comments"]

    def header() -> None:
        pdf.set_font("Helvetica", "B", 9)
        x = 10
        for w, head in zip(widths, heads):
            pdf.set_xy(x, pdf.get_y())
            pdf.cell(w, 7, head, align="C")
            x += w
        pdf.set_xy(10, pdf.get_y() + 8)

    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, "Reply of the Government of Ruritania (2021)", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    header()
    for issue, count in ISSUES:
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(sum(widths), 6, f"Issue {issue}: a title of that issue", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        for n in range(1, count + 1):
            cells = [f"{issue}.{n}", texts[(issue, n)], MARKS.get((issue, n), "Yes"), said(issue, n)]
            lines = [pdf.multi_cell(w - 2, line_height, c, dry_run=True, output="LINES") if c else []
                     for w, c in zip(widths, cells)]
            pdf.set_y(pdf.get_y() + 2)
            for i in range(max(len(x) for x in lines)):
                if (issue, n) == ("II", 4) and i == 2:
                    pdf.add_page()
                    header() if repeat_header else pdf.set_y(10)
                x, y = 10, pdf.get_y()
                for w, cell_lines in zip(widths, lines):
                    if i < len(cell_lines):
                        pdf.set_xy(x + 1, y)
                        pdf.cell(w - 2, line_height, cell_lines[i])
                    x += w
                pdf.set_xy(10, y + line_height)
            if pdf.get_y() > 185:
                pdf.add_page()
                header() if repeat_header else pdf.set_y(10)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def table_reply(texts, tmp_path_factory):
    """(the file, what pdfium reads of it)."""
    import hashlib

    raw = line_by_line_table(texts)
    path = tmp_path_factory.mktemp("table") / "reply.pdf"
    path.write_bytes(raw)
    return path, extract(raw, hashlib.sha256(raw).hexdigest())


def test_the_cells_of_a_table_pdfium_reads_across_are_read_in_turn(table_reply, texts):
    path, x = table_reply
    first = texts[("I", 1)]
    assert first not in re.sub(r"\s+", " ", x.text)  # pdfium's lines run across the cells
    reading = read_cells(x.text, tables(path.read_bytes()), x.page_starts)
    assert f"I.1\t{first}\tYes\t{comment('I', 1)}\n" in reading.text
    assert f"II.4\t{texts[('II', 4)]}\tYes\t{comment('II', 4)}\n" in reading.text  # both pages' lines
    assert reading.text.count("No.\tRecommendation\tAction taken\tComments") == len(x.page_starts)
    for v0, f0, n in reading.runs:  # every character read is the file's, where the file has it
        assert reading.text[v0:v0 + n] == x.text[f0:f0 + n]
    assert tables_read(path, x).text == reading.text  # only read so does the text show a reply's structure


def test_a_table_reply_reads_each_mark_and_comment_cited_in_the_file(table_reply, texts):
    from service.loaded import PassageRow
    from service.present import text_pieces

    path, x = table_reply
    document = Document(id="r", file="reply.pdf", title="R", kind="questionnaire-response", parser="questionnaire")
    passages = parse_document(document, x.text, 10**6, x.page_starts, reading=tables_read(path, x))
    got = {(p.fields["issue"], p.fields["recommendation"]): p for p in passages}
    assert len(got) == 16
    for (issue, n), p in got.items():
        assert first_bad_offset(x.text, p) is None, p.id
        said = "" if (issue, n) in (("II", 2), ("IV", 4)) else comment(issue, n)
        mark = "no" if MARKS.get((issue, n), "Yes").startswith("No") else "yes"
        assert (p.fields["action_taken"], p.fields["comment"]) == (mark, said), (issue, n)
        assert p.fields["recommendation_text"] == texts[(issue, n)]
    across = got[("II", 4)]
    assert x.text.index("\f") < across.spans[-1].start  # its comment's last lines, cited on the next page
    # a sentence of a comment over two lines is cited as its two lines, not the cells between them
    row = PassageRow(0, across.id, "r", across.type, across.heading, None, across.kind, across.spans, across.text,
                     across.offsets, across.label, across.ordinal, across.fields)
    sentence = "The National Centre for Mental Health works with the courts in providing compulsory treatment " \
               "under a memorandum signed in 2019."
    at = across.text.index(sentence)
    pieces = text_pieces(row, at, at + len(sentence))
    assert len(pieces) >= 2
    assert " ".join(re.sub(r"\s+", " ", x.text[h.start:h.end]).strip() for h in pieces) == sentence


def test_a_table_going_on_without_its_header_is_one_table(texts, tmp_path):
    """Pages after the first repeat no header: their rows are the same table's, and the row the
    page break cuts is one row."""
    import hashlib

    raw = line_by_line_table(texts, repeat_header=False)
    path = tmp_path / "reply.pdf"
    path.write_bytes(raw)
    x = extract(raw, hashlib.sha256(raw).hexdigest())
    document = Document(id="r", file="reply.pdf", title="R", kind="questionnaire-response", parser="questionnaire")
    passages = parse_document(document, x.text, 10**6, x.page_starts, reading=tables_read(path, x))
    got = {(p.fields["issue"], p.fields["recommendation"]): p.fields["comment"] for p in passages}
    assert len(got) == 16 and got[("II", 4)] == comment("II", 4) and got[("IV", 4)] == ""


def test_a_hyphen_ending_a_cells_line_keeps_each_cell_its_words():
    """pdfium reads a hyphen ending a line as U+FFFE and joins the next line on, with no line
    break, though that line holds the other cells' words too: the words below are the next
    line's, each in its cell."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    from indexer.formats.table_layout import table_rows

    pdf = FPDF(orientation="L")
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    lines = [["No.", "Recommendation", "Action taken", "Comments"],
             ["I.1", "Governments should be well infor-", "Yes", "The Cybercrime Division was estab-"],
             ["", "med about the recommendation.", "", "lished in 2018 by the police."],
             ["I.2", "Governments must work together to overcome", "No", "Nothing was done so far on this one,"],
             ["", "the obstacles encountered.", "", "for want of funds."],
             ["I.3", "Governments should train.", "Yes", "Training was given."]]
    y = 20.0
    for line in lines:
        x, y = 10, y + (2 if line[0] else 0)  # a row's padding over its first line
        for width, words in zip((14, 90, 26, 140), line):
            pdf.set_xy(x + 1, y)
            pdf.cell(width - 2, 4.6, words)
            x += width
        y += 4.6
    textpage = pdfium.PdfDocument(bytes(pdf.output()))[0].get_textpage()
    text = textpage.get_text_range()
    assert "estab\ufffemed" in text  # the next line run on, as pdfium reads it
    rows, _ = table_rows(text, textpage.get_charbox)
    first = next(r for r in rows if text[slice(*r.cells[0][0])] == "I.1")
    assert [" ".join(text[a:b] for a, b in cell) for cell in first.cells] == [
        "I.1", "Governments should be well infor- med about the recommendation.", "Yes",
        "The Cybercrime Division was estab\ufffe lished in 2018 by the police."]


def test_a_fixed_width_text_table_is_read_by_its_columns(texts):
    """A plain text reply laid out as a fixed-width table: a rule of dashes under the header says
    where the columns start, each cell wraps within its column, rules part the rows, a number
    cell fills its column ("III.1 Governments …"), an issue's heading wraps across the columns."""
    from textwrap import wrap

    from indexer.formats.table_layout import text_tables

    rule = "----- " + "-" * 50 + "  ------  " + "-" * 44
    out = ["REPLY OF RURITANIA", "", "=" * 110, f"{'No.':<6}{'Recommendation':<52}{'Action':<8}Comments", rule, ""]
    for issue, count in ISSUES:
        title = "ISSUE " + issue + ": a title long enough to wrap across the columns of the table " * 2
        out += wrap(title.strip(), 110) + [""]
        for n in range(1, count + 1):
            cells = [[f"{issue}.{n}"], wrap(texts[(issue, n)], 50), [MARKS.get((issue, n), "Yes")[:3].strip()],
                     wrap(comment(issue, n), 44)]
            for i in range(max(len(c) for c in cells)):
                parts = [c[i] if i < len(c) else "" for c in cells]
                out.append(f"{parts[0]:<{6 if len(parts[0]) < 6 else 0}}{' ' if len(parts[0]) >= 6 else ''}"
                           f"{parts[1]:<52}{parts[2]:<8}{parts[3]}".rstrip())
            out.append(rule)
    text = "\n".join(out) + "\nSubmitted by the Ministry of the Interior.\n"
    reading = read_cells(text, text_tables(text), [0])
    assert f"III.1\t{texts[('III', 1)]}\tYes\t{comment('III', 1)}\n" in reading.text
    document = Document(id="r", file="reply.txt", title="R", kind="questionnaire-response", parser="questionnaire")
    passages = parse_document(document, text, 10**6, reading=reading)
    got = {(p.fields["issue"], p.fields["recommendation"]): p for p in passages}
    assert len(got) == 16 and all(first_bad_offset(text, p) is None for p in passages)
    assert got[("II", 4)].fields["comment"] == comment("II", 4)
