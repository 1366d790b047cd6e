"""Marks a reply's text alone cannot place: an X alone on its line in a PDF table's "Yes" or
"No" column, read by the column head it stands under (indexer/formats/pdf_columns.py), and an
X between two labels ("DA / YES X NE / NO"), read by the side of its label the reply's other
X stand. Real PDFs (fpdf2) read by pdfium; the `form` and `texts` fixtures are in conftest.py.
"""
from __future__ import annotations

import pytest

from indexer.corpus import parse_document
from indexer.formats.pdf import extract
from indexer.models import Document
from indexer.verify import first_bad_offset
from test_form_replies import answers
from tests.test_formats import latin1

ROWS = [("I", 1, "yes", "The police set up a cybercrime unit."),
        ("I", 2, "no", "A draft law on evidence is before Parliament."),
        ("I", 3, "yes", "Courses are given twice a year."),
        ("II", 1, "no", "Courts seldom order treatment instead of prison."),
        ("II", 2, "yes", "Under Act No. 140/2018 on measures against money laundering, the courts may order treatment.")]
X_AT = {"yes": 132.0, "no": 146.0}  # the middle of the "Yes" and the "No" column, in mm


def table_pdf(texts: dict, header_on_every_page: bool, tick: str = "X", running_head: str = "") -> bytes:
    """A reply printed as a table, "No. | Recommendation | Yes | No | Comments", an X (or a
    typed box, "[X]") in the column of its mark, a row a page (the later pages' header row left
    out when asked; a one-word running head atop each page, over the "No" column, when given)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", orientation="L")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    for i, (issue, n, mark, comment) in enumerate(ROWS):
        pdf.add_page()
        if running_head:
            pdf.set_xy(X_AT["no"] - 15, 4)
            pdf.cell(30, 4, running_head, align="C")
        if i == 0:
            pdf.set_xy(10, 10)
            pdf.cell(0, 6, "Reply of Ruritania. Please mark X in the column Yes or No.")
        if i == 0 or header_on_every_page:
            for x, w, head in ((10, 12, "No."), (22, 100, "Recommendation"), (127, 10, "Yes"),
                               (141, 10, "No"), (160, 100, "Comments / remarks")):
                pdf.set_xy(x, 20)
                pdf.cell(w, 6, head, align="C" if w == 10 else "L")
        pdf.set_xy(10, 30)
        pdf.cell(12, 5, f"{issue}.{n}")
        pdf.set_xy(22, 30)
        pdf.multi_cell(100, 5, latin1(texts[(issue, n)]))
        pdf.set_xy(X_AT[mark] - 3, 30)
        pdf.cell(6, 5, tick, align="C")
        pdf.set_xy(160, 30)
        pdf.multi_cell(100, 5, latin1(comment))
    return bytes(pdf.output())


def marks(text: str, form, heads: dict | None, page_starts: list[int] | None = None) -> dict:
    document = Document(id="r", file="reply.pdf", title="R", kind="questionnaire-response", parser="questionnaire-form")
    passages = parse_document(document, text, 10**6, page_starts=page_starts, form=form, heads=heads)
    for p in passages:  # every citation is exact, into the text pdfium reads
        assert first_bad_offset(text, p) is None, p.id
    return answers(passages)


def test_a_lone_x_in_a_pdf_table_is_read_by_the_column_it_stands_in(form, texts):
    """The text pdfium reads has each X on a line of its own, where it cannot say yes or no;
    its place under the header row's "Yes" or "No" does. A page that runs the table on without
    its header row is read by the heads found before. A typed box "[X]" is read as an X; a
    comment read onto its line is the comment's, though it says "No." ("Act No. 140/2018"). A
    one-word running head over the "No" column ("RESTRICTED") heads no column."""
    for every_page, tick, head in ((True, "X", ""), (False, "X", ""), (True, "[X]", ""), (False, "X", "RESTRICTED")):
        x = extract(table_pdf(texts, every_page, tick, head), "sha")
        got = marks(x.text, form, x.heads, x.page_starts)
        assert got == {(issue, n): (mark, comment) for issue, n, mark, comment in ROWS}, (every_page, tick, got)
        # the text alone: an X that could stand in either column is no answer
        assert {mark for mark, _ in marks(x.text, form, None, x.page_starts).values()} == {"unknown"}


def test_an_x_between_two_labels_is_read_by_the_side_the_replys_x_stand(form, texts):
    """"DA / YES X NE / NO" could be a box after "YES" or one before "NO". A line whose X
    stands after its last label ("DA / YES NE / NO X") shows this reply prints each box after
    its label: its X between labels marks the label before it. Its mark lines are no comment."""
    lines = []
    for issue, n, mark, comment in ROWS:
        box = "DA / YES X NE / NO" if mark == "yes" else "DA / YES NE / NO X"
        lines += [f"Preporuka {issue}.{n} / Recommendation {issue}.{n}", texts[(issue, n)],
                  f"Poduzete mjere / Action taken {box}", "Komentar / Comments:", comment, ""]
    got = marks("\n".join(lines) + "\n", form, None)
    assert got == {(issue, n): (mark, comment) for issue, n, mark, comment in ROWS}, got
    # a reply printing each box before its label ("X DA / YES NE / NO" marks yes): there the
    # X between labels marks the label after it, no
    before = "\n".join(line.replace("DA / YES NE / NO X", "X DA / YES NE / NO") for line in lines) + "\n"
    flipped = {"yes": "no", "no": "yes"}
    assert {k: m for k, (m, _) in marks(before, form, None).items()} == {(i, n): flipped[m] for i, n, m, _ in ROWS}


def _reply(texts: dict, row) -> str:
    """Issue I's three recommendations, each laid out by `row(n, text)`."""
    return "Reply of Ruritania\n\n" + "".join(row(n, texts[("I", n)]) for n in (1, 2, 3))


def test_marks_as_tables_and_lists_write_them(form, texts):
    """Where the mark stands as other templates set it: an X in a Word table's "Yes" or "No"
    cell, read by its column's head; parenthesised boxes ("(X) Sí ( ) No"); a status column's
    word or a tick that pdfium reads into the comment's first line ("Implemented The …",
    "Partially⏎implemented⏎…", "✔ The …"), where most answers open so. "Nil" is no comment."""
    said = {1: "The police acted.", 2: "Nil", 3: "A unit was set up."}
    table = ("Recommendation\tYes\tNo\tComments\n" + "".join(
        f"{texts[('I', n)]}\t{'X' if n != 2 else ''}\t{'X' if n == 2 else ''}\t{said[n]}\n" for n in (1, 2, 3)))
    paren = _reply(texts, lambda n, t: f"Recomendación {n} (Tema I)\n{t}\n¿Se han adoptado medidas? "
                                       f"{'(X) Sí ( ) No' if n != 2 else '( ) Sí (X) No'}\nComentarios:\n{said[n]}\n")
    status = _reply(texts, lambda n, t: f"1.{n} {t}\n" + {1: "Implemented The police acted.\n",
                                                        2: "Not implemented A law is being drafted.\n",
                                                        3: "Partially\nimplemented\nA unit was set up.\n"}[n])
    ticks = _reply(texts, lambda n, t: f"I-{n} {t}\n" + {1: "✔ The police acted.\n", 2: "✘ A law is being drafted.\n",
                                                       3: "✔ A unit was set up.\n"}[n])
    for doc, want in ((table, [("yes", said[1]), ("no", ""), ("yes", said[3])]),
                      (paren, [("yes", said[1]), ("no", ""), ("yes", said[3])]),
                      (status, [("yes", "The police acted."), ("no", "A law is being drafted."), ("yes", said[3])]),
                      (ticks, [("yes", "The police acted."), ("no", "A law is being drafted."), ("yes", said[3])])):
        got = [(m, c) for m, c in marks(doc, form, None).values()]
        assert got == want, (doc[:80], got)


def test_marks_in_languages_the_table_of_marks_does_not_know_and_labels_it_does_not_name(form, texts):
    """Two boxes beside words not in the table of marks ("☒ Na'am ☐ La"): a form offers yes
    first. The next recommendation's label in such a language ("Tawsiya 2") is no comment's
    line; a comment opening "Yes;" or "No;" opens with its mark; a status in Spanish is one."""
    boxes = _reply(texts, lambda n, t: f"Tawsiya {n}\n{t}\nIttikhadh ijraa': {'☒ Na' + chr(39) + 'am ☐ La' if n != 2 else '☐ Na' + chr(39) + 'am ☒ La'}"
                                       f"\nMulahazat:\nThe unit acted in 201{n}.\n")
    assert [(m, c) for m, c in marks(boxes, form, None).values()] == [
        ("yes", "The unit acted in 2011."), ("no", "The unit acted in 2012."), ("yes", "The unit acted in 2013.")]
    semicolon = _reply(texts, lambda n, t: f"{n}. {t}\n\n{'Yes; the police acted.' if n != 2 else 'No; a law is drafted.'}\n\n")
    assert [m for m, _ in marks(semicolon, form, None).values()] == ["yes", "no", "yes"]
    status = _reply(texts, lambda n, t: f"Recomendación {n}\n{t}\nEstado: {'Implementada' if n != 2 else 'No implementada'}\n"
                                        "Observaciones: Se actuó.\n")
    assert [m for m, _ in marks(status, form, None).values()] == ["yes", "no", "yes"]


def test_a_status_after_the_answers_label_and_a_dash_is_the_mark(form, texts):
    """"Response: Implemented – The NPA …", as a reply in two columns writes its answers: the
    status is the mark, the dash no word of the comment; "Response: Not implemented" alone is
    the mark with no comment."""
    doc = _reply(texts, lambda n, t: f"Kankoku I-{n}\n{t}\n" + {1: "Response: Implemented – The NPA trains officers.\n",
                                                              2: "Response: Not implemented\n",
                                                              3: "Response: Partially implemented – A unit was set up.\n"}[n])
    assert [(m, c) for m, c in marks(doc, form, None).values()] == [
        ("yes", "The NPA trains officers."), ("no", ""), ("yes", "A unit was set up.")]


def test_a_box_and_its_word_beside_it_whatever_stands_between():
    """A box's label stands right beside it across a no-break space, a bracket, a dash or a quote
    ("☒\u00a0Yes", "Yes (☒)", "Yes – [X]", "☒ “Yes”"); a box opening a comment whose words say
    "No." somewhere is no mark's line (review of 0a6a8e6)."""
    from indexer.parsers.block_line import mark_of

    for line, mark in [("☒\u00a0Yes\u00a0\u00a0☐\u00a0No", "yes"), ("Yes (☒) No (☐)", "yes"), ("Yes – [X]", "yes"),
                       ("☒ “Yes” ☐ “No”", "yes"), ("Action taken: ☐ Yes ☒ No", "no"),
                       ("[X] Under Act No. 140/2018 on measures against money laundering, the", None)]:
        assert mark_of(line, False) == mark, line


def test_a_web_pages_details_with_the_mark_under_its_label_and_an_abbreviation(form, texts):
    """A CMS page (tpl26): each recommendation a <details> whose <summary> names it, its text in a
    <blockquote>, then "<dt>Action taken</dt><dd>No</dd><dt>Comments</dt><dd>…</dd>". "Action
    taken" over "No", "N/A" or "Comments" is the label over its value, no status of its own; an
    <abbr> runs on in its sentence: "(PCIC)", not "( PCIC )"."""
    from indexer.formats import extract_bytes
    from test_form_replies import read

    said = {("I", 1): ("Yes", "The <abbr title='Police'>PCIC</abbr> created a unit (<abbr>PCIC</abbr>) in 2022."),
            ("I", 2): ("No", "Training was requested from UNODC."), ("I", 3): ("N/A", "N/A"), ("II", 1): ("", "")}
    items = "".join(f"<details open><summary>Recommendation {i}.{n}</summary><blockquote>{texts[(i, n)]}</blockquote>"
                    f"<dl><dt>Action taken</dt><dd>{mark}</dd><dt>Comments</dt><dd>{comment}</dd></dl></details>"
                    for (i, n), (mark, comment) in said.items())
    text = extract_bytes(f"<html><body><main>{items}</main></body></html>".encode(), "html").text
    got = {key: value for key, value in answers(read(text, form, "reply.html")).items() if key in said}
    assert got == {("I", 1): ("yes", "The PCIC created a unit (PCIC) in 2022."),
                   ("I", 2): ("no", "Training was requested from UNODC."),
                   ("I", 3): ("unknown", ""), ("II", 1): ("unknown", "")}


def test_a_web_forms_character_counters_are_no_comment(form, texts):
    """A web form saved with its answers (tpl27): radio buttons for the mark, a text box for the
    comment and a counter under it ("367 / 3000", 3000 being the box's maxlength), "0 / 3000" under
    an empty one. The counters say how much was typed, not what; a count that is no box's limit
    ("12 / 40 officers trained") stays in the text."""
    from indexer.formats import extract_bytes
    from test_form_replies import read

    said = {("I", 1): ("yes", "The unit was set up in 2019."), ("I", 2): ("no", ""), ("I", 3): ("yes", "12 / 40")}
    items = "".join(
        f"<div><span>{i}.{n}</span> <p>{texts[(i, n)]}</p><div>Any action taken? "
        f"<input type=radio name=a{n} value=yes {'checked' if mark == 'yes' else ''}> <label>YES</label> "
        f"<input type=radio name=a{n} value=no {'checked' if mark == 'no' else ''}> <label>NO</label></div>"
        f"<div><label>Comments:</label><br><textarea maxlength=3000 readonly>{comment}</textarea>"
        f"<div class=counter>{len(comment)} / 3000</div></div></div>"
        for (i, n), (mark, comment) in said.items())
    text = extract_bytes(f"<html><body><form>{items}</form></body></html>".encode(), "html").text
    assert "/ 3000" not in text and "12 / 40" in text
    got = {key: value for key, value in answers(read(text, form, "reply.html")).items() if key in said}
    assert got == {("I", 1): ("yes", "The unit was set up in 2019."), ("I", 2): ("no", ""), ("I", 3): ("yes", "12 / 40")}


def test_a_spreadsheets_two_row_header_reads_each_x_by_its_column(form, texts):
    """A spreadsheet's header over two rows (tpl27): "Any action taken" over "YES | NO", the second
    row's cells ending at "NO" (a sheet writes no empty cells after it) while the rows under it run
    on to the comment's cell. An "x" under "NO" marks no."""
    rows = "".join(f"\t{n}\t{texts[('I', n)]}\t{'x' if n != 2 else ''}\t{'x' if n == 2 else ''}\tThe police acted {n}.\n"
                   for n in (1, 2, 3))
    doc = ("Reply of Ruritania\nIssue\tNo.\tRecommendation\tAny action taken\t\tComments\n\t\t\tYES\tNO\n" + rows)
    got = [m for m, _ in marks(doc, form, None).values()]
    assert got == ["yes", "no", "yes"]


def test_a_tables_rows_marking_in_words_are_no_header_for_the_ticks_below(form, texts):
    """A Word table saved as a web page (tpl28): "No. | Recommendation | Action taken | Comments",
    its mark cells "yes", "no", "✔" or "✘". A row whose mark cell says "no" holds the
    recommendation's text: it heads no column, and a "✔" in the rows below marks yes."""
    marks_of = {1: "no", 2: "✔", 3: "✘"}
    rows = "".join(f"I.{n}\t{texts[('I', n)]}\t{marks_of[n]}\tThe police acted {n}.\n" for n in (1, 2, 3))
    doc = "Reply of Ruritania\n\nNo.\tRecommendation\tAction taken\tComments\n" + rows
    assert [m for m, _ in marks(doc, form, None).values()] == ["no", "yes", "no"]


def test_a_spreadsheets_comment_continued_in_the_row_below_and_a_note_under_the_table(form, texts):
    """A sheet an issue (tpl28): "Rec. no. | Text | Action (Y/N) | Details"; a comment continued in
    the next row, its first cells empty (merged down), is the comment's; a recommendation whose
    row holds no comment is blank, and the "Source: …" note under the table is none of its."""
    doc = ("Issue I: Internet\nRec. no.\tText\tAction (Y/N)\tDetails\n"
           f"1\t{texts[('I', 1)]}\tY\tThe police set up a unit in 2019 with 12 officers.\n"
           "\t\t\tCustoms trained 30 officers in 2020 on parcels.\n"
           f"2\t{texts[('I', 2)]}\tY\tFinland joined the Budapest Convention in 2007.\n"
           f"3\t{texts[('I', 3)]}\n"
           "Source: Ministry of Social Affairs and Health / national contributions, March 2019.\n")
    got = marks(doc, form, None)
    assert got[("I", 1)] == ("yes", "The police set up a unit in 2019 with 12 officers. Customs trained 30 officers "
                                    "in 2020 on parcels.")
    assert got[("I", 2)] == ("yes", "Finland joined the Budapest Convention in 2007.")
    assert got[("I", 3)] == ("unknown", "")


def test_a_header_holds_for_its_own_table_only(form, texts):
    """"Answer options: Yes | No" above a table whose action column holds ticks is no header of
    that table: each "X" under "Action taken" marks yes (review of tpl28's mends)."""
    from test_form_replies import read

    out = ["# Reply of Ruritania\n", "Answer options: Yes | No\n", "| Recommendation | Action taken | Comments |",
           "|---|---|---|"]
    out += [f"| {texts[key]} | X | The police acted on {key[0]}.{key[1]} in 2019. |" for key in texts]
    got = answers(read("\n".join(out) + "\n", form))
    assert {mark for mark, _ in got.values()} == {"yes"}


def test_answers_in_prose_after_answers_in_a_tables_rows_keep_their_comments(form, texts):
    """Issues I and II answered in a table's rows (the comment in its cell), III and IV in prose
    under each text: a recommendation whose text is no table row is read as prose, its comment
    kept (a row with no comment's cell is blank only in a table)."""
    from test_form_replies import read

    out = ["Reply of Ruritania\n", "No.\tRecommendation\tAction taken\tComments"]
    out += [f"{i}.{n}\t{texts[(i, n)]}\tYes\tThe police set up a unit for {i}.{n} in 2019."
            for i, n in texts if i in ("I", "II")]
    out.append("")
    out += [f"{i}.{n} {texts[(i, n)]}\n\nYes. The ministry adopted a plan for {i}.{n} in 2020.\n"
            for i, n in texts if i in ("III", "IV")]
    got = answers(read("\n".join(out), form))
    assert got[("I", 1)] == ("yes", "The police set up a unit for I.1 in 2019.")
    assert got[("III", 1)] == ("yes", "The ministry adopted a plan for III.1 in 2020.")


def test_a_row_continued_below_only_from_the_comments_column(form, texts):
    """A sheet with a blank first column and the issue's cell merged down: the next row's cells
    before its number are empty too, but its number stands before the comment's column, so it
    is the next recommendation's row, not the comment going on."""
    from test_form_replies import read

    rows = ["Reply of Ruritania", "\tIssue\tNo.\tRecommendation\tAction taken\tComments"]
    for i, n in texts:
        text = "Prison-based programmes (shortened)" if (i, n) == ("II", 2) else texts[(i, n)]
        rows.append(f"\t{'Issue ' + i if n == 1 else ''}\t{n}\t{text}\tY\tThe police acted on {i}.{n} with partners.")
    got = answers(read("\n".join(rows) + "\n", form))
    assert got[("II", 1)] == ("yes", "The police acted on II.1 with partners.")


def test_a_printed_grid_of_abridged_texts_with_the_mark_opening_the_remarks(form, texts):
    """A spreadsheet printed to PDF (tpl26): each recommendation's first words, the dots wrapped to
    a line of their own, then the action cell's word opening the remarks' line ("Partially
    Uzbekistan …" marks yes), "N/A -" a blank mark and a blank remark."""
    from test_form_replies import read

    cells = [("Yes", "The police acted on {}."), ("Partially", "Ruritania acted on {} in part."), ("N/A", "-")]
    lines = ["Issue/Rec. Recommendation (abridged) Action taken Remarks"]
    for k, (i, n) in enumerate((item.issue, item.number) for item in form):
        words = texts[(i, n)].split()
        mark, remark = cells[k % 3]
        lines += [f"{i}.{n} {' '.join(words[:7])}", f"{' '.join(words[7:11])}", "...",
                  f"{mark} {remark.format(f'{i}.{n}')}"]
    got = answers(read("\r\n".join(lines) + "\r\n", form, "reply.pdf"))
    assert len(got) == 16
    assert got[("I", 1)] == ("yes", "The police acted on I.1.")
    assert got[("I", 2)] == ("yes", "Ruritania acted on I.2 in part.")
    assert got[("I", 3)] == ("unknown", "")


@pytest.mark.parametrize("not_width", [22, 40])
def test_an_x_under_a_status_columns_head_wrapped_in_its_cell(form, texts, not_width):
    """A summary table's status columns, "Implemented | Partially | Not implemented", the last
    wrapped in its narrow cell ("Not" over "implemented", each line a row of one word by its
    boxes) or on one line: an X under it marks no, under the others yes (tpl30's Poland)."""
    from fpdf import FPDF

    columns = {"Implemented": 150.0, "Partially": 175.0, "Not implemented": 200.0}  # each column's middle, in mm
    pdf = FPDF(format="A4", orientation="L")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    pdf.add_page()
    for middle, head, width in ((16.0, "No.", 10), (80.0, "Recommendation", 100), (150.0, "Implemented", 24),
                                (175.0, "Partially", 20), (200.0, "Not implemented", not_width)):
        pdf.set_xy(middle - width / 2, 18)
        pdf.multi_cell(width, 4, head, align="C")
    wanted = {}
    for row, (issue, n, _, _) in enumerate(ROWS):
        status = list(columns)[row % 3]
        wanted[(issue, n)] = ("no" if status.startswith("Not") else "yes", "")
        y = 32 + 22 * row
        pdf.set_xy(10, y)
        pdf.cell(12, 4, f"{issue}.{n}")
        pdf.set_xy(25, y)
        pdf.multi_cell(110, 4, latin1(texts[(issue, n)]))
        pdf.set_xy(columns[status] - 3, y)
        pdf.cell(6, 4, "X", align="C")
    x = extract(bytes(pdf.output()), "sha")
    assert ("Not\r\nimplemented" in x.text) == (not_width == 22)
    assert {k: v for k, v in marks(x.text, form, x.heads, x.page_starts).items()} == wanted
