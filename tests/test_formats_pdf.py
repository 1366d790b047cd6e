"""PDFs read into text with offsets: pages joined by form feeds, every paragraph cited on the
page it was printed on, running headers, page numbers and soft hyphens kept out of passages,
footnote marks taken out of the text and the notes below the rule made passages of their own,
and a questionnaire printed to PDF read as its text file. The PDFs are made with fpdf2
(test_formats.make_pdf), so every paragraph's page is known.
"""
from __future__ import annotations

import re

import pytest

from indexer.corpus import parse_document
from indexer.formats import extract_bytes, page_span
from indexer.formats.layout import page_layout
from indexer.models import Document
from indexer.parsers.general import parse_general
from indexer.text import paragraphs
from indexer.verify import first_bad_offset

from test_formats import CORPUS, HEADER, doc, latin1, make_pdf, seed_pages


@pytest.fixture(scope="module")
def seed_pdf():
    pages = seed_pages("unodc-report-drugs-and-crime.txt")
    return pages, extract_bytes(make_pdf(pages), "pdf")


def test_pdf_pages_are_joined_by_form_feeds_and_kept_as_read(seed_pdf):
    pages, x = seed_pdf
    assert x.format == "pdf" and x.extractor.startswith("pypdfium2 ") and len(x.page_starts) == len(pages)
    for i, start in enumerate(x.page_starts[1:], 1):
        assert x.text[start - 1] == "\f"
    assert HEADER in x.text[: x.page_starts[1]]


def test_every_paragraph_is_cited_on_the_page_it_was_printed_on(seed_pdf):
    pages, x = seed_pdf
    passages = parse_document(doc(), x.text, 200, page_starts=x.page_starts)
    assert passages
    checked = 0
    for number, paras in enumerate(pages, 1):
        for para in paras:
            words = " ".join(latin1(para).split()[:8])
            holder = next(p for p in passages if words in p.text)
            at = holder.text.index(words)
            run = next(r for r in holder.offsets if r[0] <= at < r[0] + r[2])
            offset = run[1] + at - run[0]
            assert page_span(x.page_starts, offset, offset + 1)[0] == number, (number, words)
            checked += 1
    assert checked == sum(len(p) for p in pages)


def test_running_headers_and_page_numbers_stay_out_of_passages(seed_pdf):
    _, x = seed_pdf
    layout = page_layout(x.text, x.page_starts)
    assert len(layout.running) == 2 * len(x.page_starts)  # a header and a number on every page
    for p in parse_document(doc(), x.text, 200, page_starts=x.page_starts):
        assert HEADER not in p.text and "running header" not in p.text
        assert first_bad_offset(x.text, p) is None, p.id
        for t0, f0, n in p.offsets:
            assert not any(a < f0 + n and f0 < b for a, b in layout.running), p.id


def test_an_inline_bullet_leaves_the_space_that_parts_the_items():
    """"… human beings; • the legal basis …": the bullet goes, the words stay apart."""
    from indexer.text import clean

    text = "in particular: • the objective of the analysis; • the legal basis; • the resources."
    assert clean(text, [(0, len(text))]).text == "in particular: the objective of the analysis; the legal basis; the resources."


def test_soft_hyphens_join_the_word_and_keep_the_map():
    text = "Introduction\r\n1. The traffick\ufffe\r\ning of persons is an offence under the law.\r\n"
    (p,) = parse_general(text, doc(), 200, drop=page_layout(text, [0]).drop)
    assert "trafficking of persons" in p.text and first_bad_offset(text, p) is None


def test_footnote_marks_read_as_digits_leave_the_text_and_other_numbers_stay():
    """A mark is digits glued to what precedes them (or set off after punctuation) whose number
    is a footnote at the foot of the same page; document symbols, lists and paragraph numbers
    that happen to share a footnote's number stay."""
    text = ("Introduction\r\n1. Recalling the Agenda for Sustainable Development,14 in particular Goal 3, and "
            "the 1972 Protocol, 15 the Convention, as amended by E/CN.7/2025/L.6/Rev.14 as amended, in "
            "paragraphs 12, 15 and 16, the Board noted gaps in these areas.16\r\n14. The Board met at 10:15 "
            "under vol. 14 of the Treaty Series and document E/CN.7/2025/Rev.16\r\nas revised.\r\n"
            "__________________\r\n14 General Assembly resolution 70/1.\r\n15 Ibid.\r\n16 Ibid., annex.\r\n")
    layout = page_layout(text, [0])
    assert [(n, text[a:b]) for a, b, n, _ in layout.marks] == [("14", "14"), ("15", " 15"), ("16", "16")]
    body, *notes = parse_general(text, doc(), 200, drop=layout.drop, notes=layout.notes, marks=layout.marks)
    assert "Sustainable Development, in particular" in body.text and "Protocol, the Convention" in body.text
    assert "Rev.14 as amended" in body.text and "paragraphs 12, 15 and 16" in body.text and "14. The Board" in body.text
    assert "in these areas." in body.text and first_bad_offset(text, body) is None
    assert "at 10:15 under vol. 14 of" in body.text and "Rev.16 as revised" in body.text
    assert {n.fields["number"]: (n.fields["ref_passage"], text[n.fields["ref_offset"]:][:2]) for n in notes} == {
        "14": (body.id, "14"), "15": (body.id, "15"), "16": (body.id, "16")}


def test_a_mark_at_a_line_end_after_a_word_leaves_the_text():
    """pdfium breaks the line at a superscript and opens the rest of it with a space: "three
    women 45⏎ in an irregular situation". A number so placed whose footnote is on the page is
    a mark; one at a line's end with no such break ("aged 46⏎people") stays."""
    text = ("Introduction\r\n1. The army arrested three men and three women 45\r\n in an irregular situation, and "
            "found that people aged 46\r\npeople were seen; the Convention of 1988 47\r\n and other treaties apply. "
            "The number identified was 48\r\n (a) of whom 9 were women; the total was 70\r\n and it rose.\r\n"
            "__________________\r\n45 See the report.\r\n46 Ibid.\r\n47 Ibid.\r\n48 Ibid.\r\n")
    layout = page_layout(text, [0])
    # "48" opens an indented list item after it, and no note 70 stands on the page: both are numbers
    assert [(n, text[a:b]) for a, b, n, _ in layout.marks] == [("45", " 45"), ("47", " 47")]
    body, *_ = parse_general(text, doc(), 200, drop=layout.drop, notes=layout.notes, marks=layout.marks)
    assert "three women in an irregular situation" in body.text and "aged 46 people" in body.text


def test_footnotes_below_the_rule_are_passages_of_their_own():
    body = ["Customs officers seized 300 kg of cocaine in the port in 2014, the largest seizure that year. 1",
            "The seizure was made possible by the Container Control Programme's profiling units."]
    x = extract_bytes(make_pdf([body, body[:1]], notes={1: ["1 See the annual report of the customs "
                                                                "administration, 2015."]}), "pdf")
    passages = parse_document(doc(), x.text, 200, page_starts=x.page_starts)
    (note,) = [p for p in passages if p.type == "footnote"]
    assert note.id == "t:footnote-1" and note.text.startswith("1 See the annual report")
    assert all("annual report" not in p.text and "____" not in p.text for p in passages if p.type != "footnote")
    assert all(first_bad_offset(x.text, p) is None for p in passages)


def test_a_notes_line_opening_with_a_date_goes_on_with_that_note():
    """Notes on a page are numbered one after another: a wrapped line "1 April 2025, available
    at …" under note 10 is note 10's (the Haiti report's note on the Mirebalais prison break had
    been cut in two, and its second half filed as a note 1), and "11 …" opens the next note."""
    body = ["Gangs stormed the prison and freed about 500 inmates on 31 March 2025.10 The town fell within hours.9",
            "Police reinforcements arrived the next day.11"]
    lines = ["9 See the police report of 2 April 2025.", "10 Haiti Libre, \u201cMirebalais under attack\u201d,",
             "1 April 2025, available at www.example.org/news.html.", "11 Ibid."]
    x = extract_bytes(make_pdf([body], notes={1: lines}), "pdf")
    notes = {p.fields["number"]: p.text for p in parse_document(doc(), x.text, 200, page_starts=x.page_starts)
             if p.type == "footnote"}
    assert sorted(notes, key=int) == ["9", "10", "11"], notes
    assert "Mirebalais under attack" in notes["10"] and "1 April 2025, available at" in notes["10"]


@pytest.mark.parametrize("numbers, goes_on, notes", [
    ([10, 1, 11], None, [0, 2]),  # "1 April 2025, …" under note 10: its date, wrapped
    ([28, 30, 29], None, [0, 2]),  # "30 March 2025." under note 28, note 29 after it
    ([10, 11, 11], None, [0, 2]),  # "11 April 2025, …" under note 10, then the real note 11
    ([10, 11, 11], [False, False, True], [0, 1]),  # ... or note 11, then "11 May 2025, …" under it
    ([1, 3, 2, 4], [False, True, False, True], [0, 2]),  # small numbers: two wrapped dates
    ([5, 7, 8], None, [0, 1, 2]),  # a note pdfium did not read leaves a gap
    ([None, 10, None, 1, 11], None, [1, 4]),  # lines with no number go on with the note before them
    ([10, 1], None, [0]), ([3], None, [0]), ([None], None, []),
])
def test_a_pages_notes_are_the_lines_numbered_one_after_another(numbers, goes_on, notes):
    from indexer.formats.page_notes import note_numbers

    assert sorted(note_numbers(numbers, goes_on)) == notes


@pytest.mark.parametrize("line, goes_on", [
    ("1 April 2025, available at www.example.org.", True), ("12 per cent of the seizures", True),
    ("11 Ibid.", False), ("3 See S/2024/752.", False), ("27 www.lenouvelliste.com/article/1", False),
    ("4 Known as “Kamikaze drones” in Haiti.", False)])
def test_a_numbered_line_under_a_note_that_reads_as_its_next_words_goes_on_with_it(line, goes_on):
    from indexer.formats.page_notes import GOES_ON

    assert bool(GOES_ON.match(line)) is goes_on


def test_a_questionnaire_printed_to_pdf_reads_as_the_text_file():
    """The questionnaire parser recognises the form's structure, not one file: the Luxembourg
    response printed to PDF (running header, page numbers, CR LF lines) gives the same 16
    recommendations, comments and action-taken marks."""
    from indexer.corpus import choose_parser

    text = (CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8")
    paras = [re.sub(r"[ \t]+", " ", p.text) for p in paragraphs(text)]
    x = extract_bytes(make_pdf([paras[i:i + 8] for i in range(0, len(paras), 8)]), "pdf")
    response = Document(id="lu", file="lu.pdf", title="Lu", kind="questionnaire-response")
    parser, _ = choose_parser(response, x.text, "pdf")
    assert parser == "questionnaire"
    printed = parse_document(response.model_copy(update={"parser": parser}), x.text, 200, page_starts=x.page_starts)
    original = {p.id: p for p in parse_document(response.model_copy(update={"file": "lu.txt"}), text, 200)}
    assert {p.id for p in printed} == set(original) and len(printed) == 16
    for p in printed:
        o = original[p.id].fields
        assert (p.fields["comment"], p.fields["action_taken"]) == (latin1(o["comment"]), o["action_taken"]), p.id
        assert HEADER not in p.text and first_bad_offset(x.text, p) is None


def test_a_short_comment_printed_to_pdf_stays_the_countrys_answer():
    """A response's comment on a line of its own with no full stop ("Already implemented") is
    short like a heading, but it is the country's answer: a questionnaire's passages keep it as
    a sentence (only a general section's headings are left out of its sentences)."""
    from indexer.passage_sentences import passage_sentences
    from indexer.corpus import choose_parser

    text = (CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8")
    paras = [re.sub(r"[ \t]+", " ", p.text) for p in paragraphs(text)]
    first = next(i for i, p in enumerate(paras) if p.startswith("Comments"))
    paras[first] = "Comments:\nAlready implemented"
    x = extract_bytes(make_pdf([paras[i:i + 8] for i in range(0, len(paras), 8)]), "pdf")
    response = Document(id="lu", file="lu.pdf", title="Lu", kind="questionnaire-response")
    parser, _ = choose_parser(response, x.text, "pdf")
    (answered,) = [p for p in parse_document(response.model_copy(update={"parser": parser}), x.text, 200,
                                              page_starts=x.page_starts) if "Already implemented" in p.text]
    assert "Already implemented" in [answered.text[a:b] for a, b in passage_sentences(answered, x.text)]


@pytest.mark.parametrize("note, cites", [
    ("10 Haiti Libre, “Mirebalais under attack”, 1 April 2025, available at www.haitilibre.com/en/news.html.", True),
    ("24 See S/2025/85, annex.", True),
    ("41 Ibid.", True),
    ("http://www.unodc.org/documents/scientific/NPS_2013_SMART.pdf.", True),
    ("4 Known as “Kamikaze drones” in Haiti.", False),
    ("46 Also on behalf of Albania, Andorra and Norway.", False),
    ("12 According to the group, only 65 of the inmates had received a final sentence.", False),
    ("* See the report.", True), ("Available at: http://www.unodc.org/mla/en/index.html.", True),
    ("12 In 2024, 1,245 victims were identified, up from 980 (www.gov.example/stats).", False),  # says something
    ("7 Data available from 14 countries show that seizures doubled.", False),
    ("3 Treatment services are available at all border crossings since 2022.", False),
])
def test_a_footnote_that_only_cites_a_source_is_told_from_one_that_says_something(note, cites):
    from indexer.parsers.footnotes import names_a_source

    assert names_a_source(note) is cites


FOOT = "RURITANIA Reply to the CND Questionnaire on the Implementation of Recommendations"


def paged(pages: list[str]) -> tuple[str, list[int]]:
    """The pages as pdfium reads them: the text, a form feed after each page, and where each starts."""
    starts, text = [], ""
    for page in pages:
        starts.append(len(text))
        text += page + "\f"
    return text, starts


def test_notes_with_no_rule_below_the_pages_foot_are_notes_and_the_foot_runs():
    """Some PDFs set a page's notes with no rule, and pdfium reads them after the page's running
    line, which they push from the page's edge: "countermeasures2" in the body, then the foot,
    then "2" over the note's words. The note is a note, its mark no word, and the foot a running
    line like the other pages'. A number after the foot that no mark on the page names stays."""
    text, starts = paged([
        "Reply of Ruritania\r\nThe police set up a unit in 2019 and trained its staff.\r\n" + FOOT + "\r\nPage 1 of 3",
        "Issue IV: Money-laundering and countermeasures2\r\nThe unit shares its analyses with the police.\r\n"
        + FOOT + "\r\n2\r\n Replies under Issue IV were prepared by the unit and the\r\nFinancial Crimes Department.\r\nPage 2 of 3",
        "The unit met 12 times.\r\n" + FOOT + "\r\n12 officers were trained abroad in 2022.\r\nPage 3 of 3"])
    layout = page_layout(text, starts)
    assert [(n, text[a:b]) for a, b, n in layout.notes] == [
        ("2", "2\r\n Replies under Issue IV were prepared by the unit and the\r\nFinancial Crimes Department.")]
    assert [(n, text[a:b]) for a, b, n, _ in layout.marks] == [("2", "2")]
    foot_2 = text.index(FOOT, starts[1])
    assert (foot_2, foot_2 + len(FOOT)) in layout.running
    assert not any("officers were trained" in text[a:b] for a, b in layout.running + [(a, b) for a, b, _ in layout.notes])


def test_a_note_with_no_rule_right_above_the_page_number_is_a_note():
    """Another page sets its note as its last line above the page number, no rule and no running
    line between, its mark set off at a heading's end ("… public safety 2"): after the body's
    last sentence, the line opening with that number is the note. A body line opening with a
    number no mark names stays body."""
    text, starts = paged([
        "Issue I: Use of the Internet\r\nThe police set up a unit.\r\n- 1 -",
        "Issue II: Alternatives to imprisonment that promote public safety 2\r\nCourts may suspend part of a "
        "sentence.\r\nIn 2019, 1,513 persons received one.\r\n2 Statistics refer to calendar year 2019.\r\n- 2 -",
        "Issue III: Gender\r\nThe unit met twice.\r\n3 officers were trained abroad in 2022.\r\n- 3 -"])
    layout = page_layout(text, starts)
    assert [(n, text[a:b]) for a, b, n in layout.notes] == [("2", "2 Statistics refer to calendar year 2019.")]


def test_a_notes_lone_number_below_the_page_number_opens_it():
    """The notes push the page's whole foot up, its running line and its number "– 4 –", and
    the note's lone "1" below them would read as a page number: the page is numbered already,
    so it opens the note, and the running line above is the foot's."""
    head = "REPUBLIC OF RURITANIA – Reply to the CND questionnaire Ref. PMO/NDS/24"
    text, starts = paged([
        f"Letter of the Ministry.\r\nThe police set up a unit.\r\n{head}\r\n– {n} –" for n in (1, 2)] + [
        "Issue IV: Money-laundering and countermeasures1\r\nComments:\r\n" + head + "\r\n– 3 –\r\n1\r\n Replies under "
        "Issue IV were prepared by the unit and the\r\nBank of Ruritania.",
        "FIU reports are not evidence.\r\n" + head + "\r\n– 4 –"])
    layout = page_layout(text, starts)
    assert [(n, text[a:b]) for a, b, n in layout.notes] == [
        ("1", "1\r\n Replies under Issue IV were prepared by the unit and the\r\nBank of Ruritania.")]
    foot_3 = text.index(head, starts[2])
    assert (foot_3, foot_3 + len(head)) in layout.running


@pytest.mark.parametrize("page", [
    # a year's line keys as a page number does ("2021", "- 2 -"), and "1 204 reports" opens with a "1" the body
    # names ("IV.1"): no foot, no note
    "Issue IV: Money-laundering\r\nThe FIU was set up in 2004.\r\nReports received by the FIU (recommendation IV.1):\r\n2021\r\n"
    "1 204 reports, of which 312 were sent to the police.\r\nThe FIU also trained 40 staff in 2022.\r\n- 2 -",
    # a line wrapped after a number ("in 14⏎cases") is no heading's mark, and "14 of these …" goes on
    "Issue II: Alternatives\r\nThe courts may order treatment. In 2022 they did so in 14\r\ncases, against 9 in "
    "2021.\r\n14 of these cases concerned young people under 21.\r\n- 2 -"])
def test_the_bodys_own_lines_are_no_notes_without_a_rule(page):
    """Review of 11708a5: a page's lines that only look like a foot and a note stay the body's."""
    text, starts = paged(["Issue I: Use of the Internet\r\nThe police set up a unit.\r\n- 1 -", page,
                          "Issue III: Gender\r\nThe unit met twice.\r\n- 3 -"])
    layout = page_layout(text, starts)
    assert layout.notes == []
    assert [text[a:b] for a, b in layout.running] == ["- 1 -", "- 2 -", "- 3 -"]


FILLABLE = __import__("pathlib").Path(__file__).parent / "fixtures" / "fillable-reply.pdf"  # made with reportlab's
#   acroForm: Issue I's three texts printed, a YES and a NO check box after each "YES" and "NO", a comment's text field


FILLED_ROWS = [(1, "yes", "The police set up a unit in 2019 with 12 officers."), (2, "no", ""),
               (3, "unknown", "A course for prosecutors is planned for 2025.")]  # what the fixture's fields hold


def filled_form_rows(x) -> list[tuple]:
    """(number, mark, comment) of each row a reply extracted from the fillable fixture (filled or
    flattened) reads as, every citation exact."""
    document = Document(id="f", file="f.pdf", title="F", kind="questionnaire-response", parser="questionnaire")
    passages = parse_document(document, x.text, 10**6, x.page_starts)
    for p in passages:
        assert first_bad_offset(x.text, p) is None, p.id
    return [(p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"]) for p in passages]


def test_a_filled_forms_fields_are_read_where_they_stand():
    """A questionnaire sent back as a fillable PDF keeps its answers in form fields, not in the
    page's text (tpl30): each box reads as "☒" or "☐" beside its word, each text field's value
    after the line above it, and the reply reads as any other, every citation exact."""
    from indexer.formats.pdf import tables

    x = extract_bytes(FILLABLE.read_bytes(), "pdf")
    assert "Any action taken YES ☒ NO ☐" in x.text and "Any action taken YES ☐ NO ☒" in x.text
    assert "Comments:\r\nThe police set up a unit in 2019 with 12 officers.\r\nRecommendation 2" in x.text
    assert "A course for prosecutors\r\nis planned for 2025." in x.text
    assert filled_form_rows(x) == FILLED_ROWS
    assert tables(FILLABLE.read_bytes()) == []  # (its boxes no longer line up with the text: no table read)


def test_a_short_forms_labels_at_its_pages_edges_are_no_running_lines():
    """Each page of a four-page reply form begins with a recommendation's label and ends on
    "Comments:", the comment's first line and the form's foot (the fillable form of tpl30): the
    foot runs; the form's labels, and the comment between them and the foot, do not."""
    said = ["Kripos set up a darknet unit in 2017.", "Norway ratified the Budapest Convention in 2006.",
            "Courts may impose a suspended sentence with conditions.", "No public campaign has been run so far.",
            "Statistics Norway publishes sanctions by sex and age.", "The action plan was prepared by six ministries.",
            "The FIU is located within Økokrim and shares reports.", "The risk assessment was shared with the FATF."]
    asked = ["train the police for cyber offences", "cooperate across jurisdictions", "use alternatives to prison",
             "inform the public about alternatives", "collect data by sex and age", "coordinate gender-sensitive policies",
             "give the police access to FIU data", "share risk assessments with UNODC"]
    pages = []
    for n in range(4):
        first, second = 2 * n + 1, 2 * n + 2
        pages.append(f"Recommendation {first}\r\nGovernments are encouraged to {asked[2 * n]}.\r\n"
                     f"Any action taken YES ☒ NO ☐\r\nComments:\r\n{said[2 * n]}\r\n"
                     f"Recommendation {second}\r\nGovernments should {asked[2 * n + 1]}.\r\n"
                     f"Any action taken YES ☐ NO ☒\r\nComments:\r\n{said[2 * n + 1]}\r\n"
                     f"Reply form (rev. 11/2023) Page {n + 1}")
    text = "\f".join(pages)
    starts = [0]
    for page in pages[:-1]:
        starts.append(starts[-1] + len(page) + 1)
    running = {text[a:b] for a, b in page_layout(text, starts).running}
    assert {line for line in running if line.startswith("Reply form")} == {f"Reply form (rev. 11/2023) Page {n}"
                                                                        for n in range(1, 5)}
    assert running <= {f"Reply form (rev. 11/2023) Page {n}" for n in range(1, 5)}, running


def test_a_poster_sized_pages_image_is_bounded(tmp_path):
    """A legal PDF page 14,400 points square (a poster) had its image rendered at the usual scale:
    about 4 GB a request. Its image is scaled down to MAX_PIXELS; a page of normal size keeps the
    usual scale."""
    import io

    from fpdf import FPDF
    from PIL import Image

    from service.pages import MAX_PIXELS, SCALE, render

    for size, name in ((5000, "poster.pdf"), (210, "a4.pdf")):  # millimetres (fpdf's unit): 14,173 and 595 points
        pdf = FPDF(unit="mm", format=(size, size))
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.text(20, 20, "Drug policy on a page")
        (tmp_path / name).write_bytes(bytes(pdf.output()))
    poster = Image.open(io.BytesIO(render(tmp_path / "poster.pdf", 1, [(0, 4)])))
    assert poster.width * poster.height <= MAX_PIXELS
    a4 = Image.open(io.BytesIO(render(tmp_path / "a4.pdf", 1, [])))
    assert abs(a4.width - round(210 / 25.4 * 72 * SCALE)) <= 2


def test_check_boxes_drawn_as_lines_read_as_ticked_or_empty():
    """A reply typeset with its boxes drawn (a square, and an X of two lines inside the ticked
    one: tpl29) holds no mark in its text; each box is read as ☒ or ☐ beside its word. A page
    whose squares stand beside no "Yes" and "No" (a list's square bullets) keeps its text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for row, ticked in enumerate(("yes", "no", None)):
        y = 30 + 20 * row
        pdf.text(20, y, "Action taken:")
        for x, word in ((50, "Yes"), (75, "No")):
            pdf.rect(x, y - 3.5, 4, 4)
            if ticked == word.lower():
                pdf.line(x + 0.5, y - 3, x + 3.5, y)
                pdf.line(x + 0.5, y, x + 3.5, y - 3)
            pdf.text(x + 6, y, word)
    pdf.add_page()
    for row in range(3):
        pdf.rect(20, 27 + 10 * row, 3, 3)
        pdf.text(26, 30 + 10 * row, f"A point of the plan, number {row + 1}.")
    x = extract_bytes(bytes(pdf.output()), "pdf")
    first, second = x.text.split("\f")
    assert [line.strip() for line in first.splitlines()] == ["Action taken: ☒ Yes ☐ No", "Action taken: ☐ Yes ☒ No",
                                                             "Action taken: ☐ Yes ☐ No"], first
    assert "☐" not in second and "☒" not in second
