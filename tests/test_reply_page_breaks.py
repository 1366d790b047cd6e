"""What a page break does to a reply printed as a PDF: a table row that breaks across pages,
its cells read in turn (indexer/parsers/split_rows.py), and footnotes at a page's foot between
a comment's label and its words (indexer/formats/page_notes.py). Real PDFs (fpdf2) read by
pdfium; the `form` and `texts` fixtures are in conftest.py.
"""
from __future__ import annotations

import textwrap

import pytest

from indexer.corpus import document_passages, parse_document
from indexer.formats.pdf import extract
from indexer.models import Document
from indexer.verify import first_bad_offset
from test_form_replies import answers
from tests.test_formats import latin1

HEAD = "Ministry of Justice of Ruritania - Reply to the CND questionnaire"
COMMENTS = {1: "The national police set up a cybercrime unit in 2019. It trains twenty officers a year in "
               "digital forensics and in the tracing of crypto-assets used in drug trafficking.",
            2: "Ruritania acceded to the Budapest Convention in 2018. Requests to foreign providers go through "
               "the 24/7 network, and 37 requests for the preservation of evidence were made in 2022 in drug "
               "cases investigated with neighbouring States.",
            3: "Prosecutors follow a course on electronic evidence at the judicial academy.",
            4: "Courts may suspend a sentence for a person who agrees to treatment."}


def _reply(doc: bytes) -> tuple[Document, object]:
    x = extract(doc, "")
    return Document(id="r", file="r.pdf", title="Ruritania", kind="questionnaire-response", parser="questionnaire"), x


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(latin1(text), width)


def table_reply(texts: dict, repeat_header: bool = True) -> bytes:
    """"Recommendation | Comments by Ruritania": a row's first cell (its number, its text, its
    mark) drawn before its second, as a Word table prints; each page holds 24 lines. Row 2's
    cells break across pages 1 and 2 mid-sentence; row 3's comment ends on page 2 while its
    first cell's last line and mark stand on page 3; the header repeats atop each page (or not)."""
    from fpdf import FPDF

    rows = []
    for n, (key, comment) in enumerate(zip([("I", 1), ("I", 2), ("I", 3), ("II", 1)], COMMENTS.values()), 1):
        left = [f"Recommendation {key[1]}", *_lines(texts[key], 44), "Any action taken: [X] YES [ ] NO"]
        rows.append((left, _lines(comment, 50)))
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    pages: list[list[tuple[list[str], list[str]]]] = [[], [], []]
    (l1, c1), (l2, c2), (l3, c3), (l4, c4) = rows
    pages[0] = [(l1, c1), (l2[:3], c2[:2])]  # row 2 cut: three lines of its text, two of its comment
    pages[1] = [(l2[3:], c2[2:]), (l3[:-2], c3)]  # row 3's comment whole, its text's last line and mark after
    pages[2] = [(l3[-2:], []), (l4, c4)]
    for number, cells in enumerate(pages, 1):
        pdf.add_page()
        pdf.text(15, 10, HEAD)
        pdf.text(15, 15, f"Page {number}")
        y = 25.0
        if number == 1:
            pdf.text(15, y, "Issue I: Use of the Internet for drug-related activities")
            y += 8
        if number == 1 or repeat_header:
            pdf.text(15, y, "Recommendation")
            pdf.text(100, y, "Comments by Ruritania")
            y += 8
        for left, right in cells:
            if left is l4:
                pdf.text(15, y, "Issue II: Alternatives to imprisonment")
                y += 8
            for i, line in enumerate(left):
                pdf.text(15, y + 4.5 * i, line)
            for i, line in enumerate(right):
                pdf.text(100, y + 4.5 * i, line)
            y += 4.5 * max(len(left), len(right)) + 4
    return bytes(pdf.output())


def test_a_table_row_broken_across_pages_keeps_its_text_and_its_comment_whole(form, texts):
    """pdfium reads row 2 as its text's first lines, its comment's first lines, the page break,
    the rest of its text and its mark, then the rest of its comment. Read in order, the comment's
    first part would end the recommendation's text and be lost to the comment. The form's wording
    tells where the text stops on page 1: each comment is read whole, each text is the
    recommendation's, and every citation is exact (two pieces for each cell)."""
    document, x = _reply(table_reply(texts))
    passages = parse_document(document, x.text, 10**6, page_starts=x.page_starts, form=form)
    got = answers(passages)
    for key, n in ((("I", 1), 1), (("I", 2), 2), (("I", 3), 3), (("II", 1), 4)):
        assert got[key] == ("yes", latin1(COMMENTS[n])), key
    by_key = {(p.fields["issue"], p.fields["recommendation"]): p for p in passages}
    for key, pieces in ((("I", 2), 4), (("I", 3), 3)):  # the text's two parts, the comment's two (I.3's one)
        assert by_key[key].fields["recommendation_text"] == latin1(texts[key])
        assert len(by_key[key].spans) == pieces
    for p in passages:
        assert first_bad_offset(x.text, p) is None, p.id


def test_a_row_broken_across_pages_without_a_repeated_header_is_read_as_before(form, texts):
    """With no header repeated atop the next page, nothing says the lines after the text are a
    table's other cell (a page's foot, a note, run on as a comment might: review 17): the rows keep
    the reading in order, row 2's comment its part after the mark, row 3's none."""
    document, x = _reply(table_reply(texts, repeat_header=False))
    got = answers(parse_document(document, x.text, 10**6, page_starts=x.page_starts, form=form))
    assert got[("I", 2)] == ("yes", latin1(COMMENTS[2]).split("go through the ", 1)[1])
    assert got[("I", 3)] == ("yes", "")


class _Printed:
    """A reply printed a line at a time down A4 pages (fpdf2, Helvetica 9), each page's lines
    from 20 mm down: "Recommendation N" over its text, "Any action taken: [X] YES [ ] NO",
    "Comments:" and the comment."""

    def __init__(self, texts: dict) -> None:
        from fpdf import FPDF

        self.pdf, self.texts, self.y = FPDF(format="A4"), texts, 20.0
        self.pdf.set_auto_page_break(False)
        self.pdf.set_font("Helvetica", size=9)

    def page(self) -> None:
        self.pdf.add_page()
        self.y = 20.0

    def line(self, text: str, gap: float = 4.5) -> None:
        self.pdf.text(15, self.y, text)
        self.y += gap

    def at(self, x: float, y: float, text: str) -> None:  # (a page's foot, its number, a footer)
        self.pdf.text(x, y, text)

    def recommendation(self, key: tuple[str, int]) -> None:
        self.line(f"Recommendation {key[1]}")
        for text in _lines(self.texts[key], 95):
            self.line(text)

    def answer(self, comment: str | None = None) -> None:
        self.line("Any action taken: [X] YES [ ] NO")
        self.line("Comments:")
        if comment is not None:
            self.line(comment, 8)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def noted_reply(texts: dict) -> bytes:
    """Page 1's comment on I.1 carries a note's mark ("in 2019.1"), and its foot holds the note,
    "- 1 -" and the running line, after I.2's "Comments:" (I.2's words open page 2)."""
    printed = _Printed(texts)

    def foot(page: int) -> None:
        printed.at(100, 285, f"- {page} -")
        printed.at(15, 292, HEAD)

    printed.page()
    printed.line("Issue I: Use of the Internet for drug-related activities", 8)
    printed.recommendation(("I", 1))
    printed.answer("The national police set up a cybercrime unit in 2019.1")
    printed.recommendation(("I", 2))
    printed.answer()
    printed.at(15, 270, "1 Act No. 12 of 2019 on the police, article 4.")
    foot(1)
    printed.page()
    printed.line("Requests to foreign providers go through the 24/7 network.", 8)
    printed.recommendation(("I", 3))
    printed.answer("Prosecutors follow a course on electronic evidence.")
    foot(2)
    printed.page()
    printed.line("Issue II: Alternatives to imprisonment", 8)
    printed.recommendation(("II", 1))
    printed.answer("Courts may suspend a sentence for a person who agrees to treatment.")
    foot(3)
    return printed.output()


def test_a_pages_notes_are_no_comments_words_and_a_passage_of_their_own(form, texts):
    """The note at page 1's foot stands between I.2's "Comments:" and its words on page 2: it
    is not I.2's comment, nor the end of I.1's (whose mark "2019.1" is left out of the comment);
    the reply's notes are passages of their own, after its answers, naming the answer whose
    words carry their mark."""
    document, x = _reply(noted_reply(texts))
    passages = document_passages(document, x.text, 10**6, page_starts=x.page_starts, form=form)
    got = answers([p for p in passages if p.type == "recommendation"])
    assert got[("I", 1)] == ("yes", "The national police set up a cybercrime unit in 2019.")
    assert got[("I", 2)] == ("yes", "Requests to foreign providers go through the 24/7 network.")
    assert got[("I", 3)] == ("yes", "Prosecutors follow a course on electronic evidence.")
    (note,) = [p for p in passages if p.type == "footnote"]
    assert note.text == "1 Act No. 12 of 2019 on the police, article 4."
    assert note.fields["ref_passage"] == "r:issue-I:rec-1"
    for p in passages:
        assert first_bad_offset(x.text, p) is None, p.id


@pytest.mark.parametrize("comment", ["Requests go through the 24/7 network.",
                                     "e-Evidence requests go through the 24/7 network."])  # (review 17: no capital)
def test_a_footer_on_the_first_page_only_is_no_comment_of_a_reply_without_table(form, texts, comment):
    """(review 16) No table: page 1's foot prints the ministry's address (on that page only),
    the break falls between I.2's text and its mark, and page 2 opens with "Comments:" over a
    sentence of its own. Nothing says a table's row was cut, so the footer stays out of the comment."""
    printed = _Printed(texts)
    printed.page()
    printed.at(100, 10, "- 1 -")
    printed.line("Issue I: Use of the Internet for drug-related activities", 8)
    printed.recommendation(("I", 1))
    printed.answer("The police set up a cybercrime unit in 2019.")
    printed.recommendation(("I", 2))
    printed.at(15, 285, "Ministry of Foreign Affairs, 1 Palace Square, Capital City")
    printed.page()
    printed.at(100, 10, "- 2 -")
    printed.answer(comment)
    printed.recommendation(("I", 3))
    printed.answer("Prosecutors follow a course on electronic evidence.")
    document, x = _reply(printed.output())
    got = answers(parse_document(document, x.text, 10**6, page_starts=x.page_starts, form=form))
    assert got[("I", 2)] == ("yes", comment)


def test_a_replys_notes_stay_when_it_is_read_from_its_tables(form, texts):
    """(review 16) A reply read from its tables (a Reading: here the identity one) has its page's
    note cut from its comment like any other, and the note is a passage of its own."""
    from indexer.cell_reading import Reading

    row = "Recommendation {n}\tAction taken\tComments\n{text}\tYes\t{comment}"
    page1 = ("Issue I: Use of the Internet for drug-related activities\n"
             + row.format(n=1, text=texts[("I", 1)], comment="The police set up a cybercrime unit in 2019.1")
             + "\n__________\n1 Act No. 12 of 2019 on the police, article 4.\n")
    page2 = row.format(n=2, text=texts[("I", 2)], comment="Requests go through the 24/7 network.") + "\n"
    text = page1 + "\f" + page2
    starts = [0, len(page1) + 1]
    document = Document(id="r", file="r.pdf", title="R", kind="questionnaire-response", parser="questionnaire")
    passages = document_passages(document, text, 10**6, page_starts=starts, form=form,
                                 reading=Reading(text=text, runs=[(0, 0, len(text))], page_starts=starts))
    (note,) = [p for p in passages if p.type == "footnote"]
    assert note.text == "1 Act No. 12 of 2019 on the police, article 4."
    assert answers([p for p in passages if p.type == "recommendation"])[("I", 1)][1].startswith(
        "The police set up a cybercrime unit in 2019.")


def test_a_pages_first_line_over_its_number_is_its_running_head():
    """A reply of two pages, the first a letterhead's: page 2's head ("Ruritania – Reply to the
    CND questionnaire") repeats on no other page, but it stands over the page's number ("Page 2
    of 2"): page furniture, not the last words of the answer before the break ("… (Yes)")."""
    from indexer.formats.layout import page_layout

    body = "".join(f"Rec. I.{n} — The unit acted on I.{n} in 2019 and reported on it in 2020. (Yes)\n" for n in range(1, 9))
    page1 = "REPUBLIC OF RURITANIA\nMinistry of Interior\n" + body + "Page 1 of 2\n"
    page2 = "Ruritania – Reply to the CND questionnaire DNC/2024\nPage 2 of 2\n" + body
    text = page1 + "\f" + page2
    layout = page_layout(text, [0, len(page1) + 1])
    running = {text[a:b] for a, b in layout.running}
    assert "Ruritania – Reply to the CND questionnaire DNC/2024" in running
    assert not any(line.startswith("Rec.") for line in running)
    # (review 17) a sentence's end opening a page, over a year on its own line, is the page's text
    page2 = "which entered into force on 1 January 2021 and covers all border crossings.\n2021\n" + body
    text = page1 + "\f" + page2
    running = {text[a:b] for a, b in page_layout(text, [0, len(page1) + 1]).running}
    assert not any("border crossings" in line for line in running)
