"""Replies whose mark stands in the recommendation's own heading, or is said in a sentence; a
short PDF whose running header is missing from its first page (a letterhead there) and breaks a
recommendation's text; a reply numbering the recommendations 1 to 16 straight through; a
comment's label "Remarks:"; a diplomatic letter's closing formula after the last answer. Each
layout comes from a reply written by someone who had not read the parser (tpl21, tpl22); the
`form` and `texts` fixtures are in conftest.py.
"""
from __future__ import annotations

from indexer.corpus import parse_document
from indexer.formats.layout import page_layout
from indexer.formats.pdf import extract
from indexer.models import Document
from indexer.parsers.questionnaire import parse_questionnaire
from indexer.parsers.form_places import form_of
from indexer.verify import first_bad_offset
from test_form_replies import ISSUES, answers, read
from tests.test_formats import latin1

KEYS = [(issue, n) for issue, count in ISSUES for n in range(1, count + 1)]


def numbered(texts: dict, top: str, issue_line: str, head, answer) -> str:
    """A reply whose issues each open with `issue_line` ("ISSUE {issue}"), each recommendation
    its "Recommendation n…" line (head(n)), its text, then answer(issue, n)."""
    out = [top]
    for issue, count in ISSUES:
        out.append(issue_line.format(issue=issue))
        out += [f"{head(n)}\n{texts[(issue, n)]}\n{answer(issue, n)}\n" for n in range(1, count + 1)]
    return "\n".join(out)


def test_a_mark_in_brackets_after_the_recommendations_number_is_its_mark(form, texts):
    """A Word letter: "Recommendation 2 (Not implemented)" heads the text, "Response: …" follows;
    a heading with nothing in brackets marks nothing."""
    status = {0: " (Implemented)", 1: " (Not implemented)", 2: "", 3: " [Yes]"}
    doc = numbered(texts, "REPUBLIC OF RURITANIA\nRe: CND questionnaire\n", "ISSUE {issue}: a title\n",
                   lambda n: f"Recommendation {n}{status[n % 4]}", lambda i, n: f"Response: The agency acted on {i}.{n}.")
    got = answers(read(doc, form, "reply.docx"))
    assert got[("II", 1)] == ("no", "The agency acted on II.1.")
    assert got[("II", 3)] == ("yes", "The agency acted on II.3.")  # [Yes]
    assert got[("II", 4)] == ("yes", "The agency acted on II.4.")
    assert got[("II", 2)] == ("unknown", "The agency acted on II.2.")  # no status given


def test_a_tick_or_cross_beside_the_number_in_a_summary_line(form, texts):
    """A web page of collapsible sections: "Recommendation 2 ✔" as the summary, the text quoted
    below, then the reply. The next summary line is no comment's."""
    doc = numbered(texts, "Ministry of Health\nLegend: ✔ action taken, ✘ no action\n", "Issue {issue}\n",
                   lambda n: f"Recommendation {n} {'✔' if n % 2 else '✘'}", lambda i, n: f"The ministry reported on {i}.{n}.")
    got = answers(read(doc, form, "reply.html"))
    assert got[("I", 1)] == ("yes", "The ministry reported on I.1.")
    assert got[("I", 2)] == ("no", "The ministry reported on I.2.")
    assert got[("IV", 4)] == ("no", "The ministry reported on IV.4.")


def test_a_mark_said_as_the_recommendations_status_in_a_sentence(form, texts):
    said = {True: "The recommendation has been implemented.", False: "The recommendation has not been implemented."}
    doc = numbered(texts, "", "ISSUE {issue}\n", lambda n: f"Recommendation {n}",
                   lambda i, n: f"{said[n % 2 == 1]}\nThe office acted on {i}.{n}.")
    got = answers(read(doc, form))
    assert got[("I", 1)] == ("yes", "The office acted on I.1.")
    assert got[("I", 2)] == ("no", "The office acted on I.2.")


def test_a_comment_label_with_its_first_words_after_it_keeps_them(form, texts):
    """"Reply: Not" over "all courts apply it yet …": "Not" opens the comment; it is no mark's."""
    out = ["Reply of Ruritania"]
    for k, (issue, count) in enumerate(ISSUES, 1):
        for n in range(1, count + 1):
            reply = "Reply: Not\nall courts apply it yet." if (issue, n) == ("II", 1) else f"Reply: Yes. It acted on {n}."
            out.append(f"{k}.{n} {texts[(issue, n)]}\n{reply}")
    got = answers(read("\n".join(out) + "\n", form))
    assert got[("II", 1)][1] == "Not all courts apply it yet."
    assert got[("II", 2)] == ("yes", "It acted on 2.")


def test_remarks_label_the_comment_and_a_closing_formula_ends_the_last(texts):
    """The printed form with "Remarks:" for the comment's label, read by its labels; after the
    last answer, "Please accept the assurances of our highest consideration." and the signature
    are the letter's, not the comment's."""
    out = []
    for issue, count in ISSUES:
        out.append(f"Issue {issue}: a title\n")
        for n in range(1, count + 1):
            out.append(f"Recommendation {n}\n{texts[(issue, n)]}\nAction taken by Ruritania: YES\nRemarks:\n"
                       f"The unit acted on {issue}.{n}.\n")
    doc = "\n".join(out) + "\nPlease accept the assurances of our highest consideration.\n\n(Signed)\nA. Name\nDirector\n"
    document = Document(id="r", file="reply.txt", title="R", kind="questionnaire-response")
    passages = parse_questionnaire(doc, document)
    for p in passages:
        assert first_bad_offset(doc, p) is None, p.id
    got = answers(passages)
    assert got[("I", 1)] == ("yes", "The unit acted on I.1.")  # no "Remarks:" in the comment
    assert got[("IV", 4)] == ("yes", "The unit acted on IV.4.")


def test_one_reply_numbering_straight_through_does_not_renumber_the_form(texts):
    """Replies read by their labels set the form's numbers. One numbering 1 to 16 across the
    issues ("Issue II, Recommendation 4" for the second issue's first) is outvoted by the two that
    number within each issue, whichever is read first."""
    def reply(straight: bool) -> str:
        out, k = [], 0
        for issue, count in ISSUES:
            out.append(f"Issue {issue}: a title\n")
            for n in range(1, count + 1):
                k += 1
                out.append(f"Recommendation {k if straight else n}\n{texts[(issue, n)]}\nAction taken: YES\n"
                           f"Comments:\nDone.\n")
        return "\n".join(out)

    passages = []
    for i, straight in enumerate((True, False, False)):
        document = Document(id=f"r{i}", file=f"r{i}.txt", title="R", kind="questionnaire-response")
        passages += parse_questionnaire(reply(straight), document)
    numbers = [(item.issue, item.number) for item in form_of(passages)]
    assert numbers == KEYS


def short_pdf(texts: dict) -> bytes:
    """Three pages: a letterhead on the first; a long running header on the two others; "- n -"
    at each foot; each page break inside a recommendation's text (I.5's first: II.2, then III.2)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    header = "Ruritania - Reply to the CND questionnaire on the recommendations of the subsidiary bodies - 2024"
    answer = "\nThe recommendation has been implemented.\nOfficers acted on {}.{}."
    breaks = {KEYS[4]: 1, KEYS[10]: 2}  # the text broken, and the page it begins on
    page = 1
    pdf.add_page()
    pdf.set_xy(10, 10)
    pdf.multi_cell(180, 5, "MINISTRY OF HEALTH OF RURITANIA\nInternational Affairs")
    pdf.set_xy(10, 30)
    for issue, n in KEYS:
        text = latin1(texts[(issue, n)])
        if (issue, n) not in breaks:
            pdf.multi_cell(180, 5, f"Recommendation {issue}.{n}\n{text}" + answer.format(issue, n))
            continue
        cut = text.rfind(" ", 0, len(text) // 2)
        pdf.multi_cell(180, 5, f"Recommendation {issue}.{n}\n{text[:cut]}")
        pdf.set_xy(10, 285)
        pdf.cell(0, 5, f"- {page} -", align="C")
        page += 1
        pdf.add_page()
        pdf.set_xy(10, 10)
        pdf.cell(0, 5, header)
        pdf.set_xy(10, 30)
        pdf.multi_cell(180, 5, text[cut:].lstrip() + answer.format(issue, n))
    pdf.set_xy(10, 285)
    pdf.cell(0, 5, f"- {page} -", align="C")
    return bytes(pdf.output())


def test_a_short_pdfs_header_missing_from_its_first_page_is_furniture_inside_a_text(form, texts):
    x = extract(short_pdf(texts), "sha")
    running = {x.text[a:b].strip() for a, b in page_layout(x.text, x.page_starts).running}
    assert any(line.startswith("Ruritania - Reply to the CND") for line in running)
    document = Document(id="r", file="reply.pdf", title="R", kind="questionnaire-response", parser="questionnaire-form")
    passages = parse_document(document, x.text, 10**6, page_starts=x.page_starts, form=form)
    for p in passages:
        assert first_bad_offset(x.text, p) is None, p.id
    got = answers(passages)
    assert sorted(got) == sorted(KEYS)  # the two texts the page breaks are found too
    for issue, n in KEYS:
        assert got[(issue, n)] == ("yes", f"Officers acted on {issue}.{n}."), (issue, n)
    broken = next(p for p in passages if (p.fields["issue"], p.fields["recommendation"]) == KEYS[4])
    assert "Ruritania - Reply" not in broken.text and broken.fields["recommendation_text"] == texts[KEYS[4]]


def test_questions_and_answers_labelled_q_and_a(form, texts):
    """An e-mail repeating each question as "Q: Recommendation 2. <text>" and answering "A: Yes."
    over the comment: the next question's "Q: Recommendation 2." is no comment's; "Should you
    need …, please do not hesitate to⏎contact us." closes the letter."""
    out = ["Dear Secretariat,\n"]
    for issue, count in ISSUES:
        out.append(f"ISSUE {issue}: a title\n" + "-" * 20 + "\n")
        for n in range(1, count + 1):
            out.append(f"Q: Recommendation {n}. {texts[(issue, n)]}\nA: Yes.\n   The agency acted on {issue}.{n}.\n")
    out.append("Should you need any further information, please do not hesitate to\ncontact us.\n\nKind regards,\nA. Name\n")
    got = answers(read("\n".join(out), form, "reply.eml"))
    assert got[("I", 1)] == ("yes", "The agency acted on I.1.")
    assert got[("IV", 4)] == ("yes", "The agency acted on IV.4.")


def test_a_forms_question_with_its_options_a_label_column_and_a_number_after_no(form, texts):
    """A PDF form: "¿Se ha adoptado alguna medida? (Sí / No)" over "Sí", then "Observaciones"; a
    comment's "Law No." over "20.000." keeps its number; the signature box closes the form. And
    a label column read beside its cells: "Measures taken Yes", "Details The NPA …", a blank
    "Measures taken" over an empty "Details", "(End of document)" after the last."""
    form_pdf = []
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            said = "It applies Law No.\n20.000." if (issue, n) == ("II", 1) else f"It acted on {issue}.{n}."
            form_pdf.append(f"Recomendación {n}\n{texts[(issue, n)]}\n¿Se ha adoptado alguna medida? (Sí / No)\n"
                            f"{'Sí' if n % 2 else 'No'}\nObservaciones\n{said}")
    doc = "\n".join(form_pdf) + "\nFirma y timbre de la autoridad responsable\nM. J. Fuentes\nJefa de División\n"
    got = answers(read(doc, form, "reply.pdf"))
    assert got[("I", 1)] == ("yes", "It acted on I.1.") and got[("I", 2)] == ("no", "It acted on I.2.")
    assert got[("II", 1)] == ("yes", "It applies Law No. 20.000.")
    assert got[("IV", 4)] == ("no", "It acted on IV.4.")
    columns = []
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            blank = (issue, n) == ("II", 2)
            columns.append(f"Recommendation {n} {texts[(issue, n)]}\nMeasures taken{'' if blank else ' Yes'}\n"
                           f"Details{'' if blank else f' The NPA acted on {issue}.{n}.'}")
    got = answers(read("\n".join(columns) + "\n(End of document)\n", form, "reply.pdf"))
    assert got[("I", 1)] == ("yes", "The NPA acted on I.1.")
    assert got[("II", 2)] == ("unknown", "")
    assert got[("IV", 4)] == ("yes", "The NPA acted on IV.4.")


def test_what_the_new_rules_leave_to_the_comment(form, texts):
    """From a review: a comment's last line over a rule parting the answers is no underlined
    heading; "Answer: Ongoing" over "Comments: …" is a status, the comment after its label; a
    last comment's wrapped line "For the Belgian delegation to the … the" is no sign-off; "(x)"
    beside a number is a sub-item's numeral, no tick."""
    from indexer.parsers.block_line import number_mark

    out = []
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            last = (issue, n) == ("IV", 4)
            comment = ("The unit briefed the delegation in 2022.\nFor the Belgian delegation to the CND session the unit "
                       "prepared a summary." if last else f"Guidance on {issue}.{n} was issued.\nFull text: "
                       f"https://example.org/{issue}-{n}")
            out.append(f"{issue}.{n} {texts[(issue, n)]}\n\nAnswer: Ongoing\nComments: {comment}\n" + "-" * 40 + "\n")
    got = answers(read("\n".join(out), form, "reply.txt"))
    assert got[("I", 1)][1] == "Guidance on I.1 was issued. Full text: https://example.org/I-1"
    assert got[("IV", 4)][1].endswith("For the Belgian delegation to the CND session the unit prepared a summary.")
    assert number_mark("Recommendation 1 (x)") is None and number_mark("Recommendation 1 (Yes)") == "yes"


def test_a_sentence_opening_two_of_three_pages_is_no_header():
    """A short document's long header missing from its first page is furniture; an answer's
    sentence ("No action has been taken on this recommendation.") opening pages 2 and 3 is not."""
    header = "Ruritania - Reply to the CND questionnaire on the recommendations - 2024"
    said = "No action has been taken on this recommendation."
    body = "\n".join(f"The agency reports on item {k} in some detail." for k in range(6))
    for top, is_running in ((header, True), (said, False)):
        pages = [f"LETTERHEAD\n{body}", f"{top}\n{body}", f"{top}\n{body}"]
        text = "\f".join(pages)
        starts = [0, len(pages[0]) + 1, len(pages[0]) + len(pages[1]) + 2]
        running = {text[a:b] for a, b in page_layout(text, starts).running}
        assert (top in running) is is_running, top
