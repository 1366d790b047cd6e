"""What stands around a reply's answers and is none of them: a plain text typed from paper, with
its pages' numbers ("- 3 -") and its words hyphenated at line ends; a wiki page whose marks
stand in block quotes ("> **Implementation:** Partially"); a Word reply's notes typed at its
end; the next issue headed in another language; the letter's place and date, or "Signed:", after
the last answer. (The `form` and `texts` fixtures, the Belgian reply's form, are in conftest.py.)
"""
from __future__ import annotations

import pytest

from indexer.corpus import parse_document
from indexer.formats.html import extract as html_extract
from indexer.formats.layout import text_layout
from indexer.models import Document
from indexer.verify import first_bad_offset
from test_form_replies import ISSUES, answers, read

TITLE = "Use of the Internet for drug-related activities"


def test_a_reply_typed_from_paper_loses_its_page_numbers_and_line_end_hyphens(texts):
    """A comment across a page whose number stands alone ("- 2 -") is the comment without it,
    and "inves-⏎tigators" reads "investigators"; a word the file also hyphenates on one line
    ("cyber-related") keeps its hyphen. Citations stay exact in the file."""
    doc = (f"Issue I: {TITLE}\n\nRECOMMENDATION 1\n{texts[('I', 1)]}\nACTION TAKEN: YES\nCOMMENTS:\n"
           "The police trained 320 inves-\ntigators in 2018 on cyber-related offences.\n\n"
           "                 - 2 -\n\nThey also bought forensic kits.\n\n"
           f"RECOMMENDATION 2\n{texts[('I', 2)]}\nACTION TAKEN: NO\nCOMMENTS:\nA cyber-\nrelated bill is drafted.\n\n"
           "                 - 3 -\n\n"
           f"RECOMMENDATION 3\n{texts[('I', 3)]}\nACTION TAKEN: YES\nCOMMENTS:\nSee above.\n")
    document = Document(id="r", file="reply.txt", title="R", kind="questionnaire-response")
    passages = [p for p in parse_document(document, doc, 300) if p.type == "recommendation"]
    for p in passages:
        assert first_bad_offset(doc, p) is None, p.id
    comments = [p.fields["comment"] for p in passages]
    assert comments == ["The police trained 320 investigators in 2018 on cyber-related offences. They also bought "
                        "forensic kits.", "A cyber-related bill is drafted.", "See above."]
    assert "- 2 -" not in passages[0].text


def test_a_lone_number_is_a_page_number_only_among_numbers_counting_up():
    assert text_layout("Text\n- 2 -\nmore\n- 3 -\nend").running
    assert not text_layout("Text\n- 2 -\nmore\n- 2 -\nend").running
    assert not text_layout("Only one\n- 4 -\n").running


def test_marks_in_a_wikis_block_quotes_and_a_partial_status(form, texts):
    """A wiki's export: each recommendation a heading "#### I.2 — text", its mark a block quote
    "> **Implementation:** Yes" or "Partially" (some action taken: yes), the comment below,
    one left unmarked. The block quote is the reply's, not a quoted questionnaire."""
    marks = ["Partially", "Yes", "No", ""]
    out = ["---\ntitle: Reply\n---\n\n# Reply\n"]
    for issue, count in ISSUES:
        out.append(f"## Issue {issue}: a title\n")
        for n in range(1, count + 1):
            mark = marks[n % 4]
            quote = f"> **Implementation:** {mark}\n\n" if mark else ""
            out.append(f"#### {issue}.{n} — {texts[(issue, n)]}\n\n{quote}The unit acted on {issue}.{n}.\n")
    got = answers(read("\n".join(out), form))
    assert got[("I", 1)] == ("yes", "The unit acted on I.1.")  # Yes
    assert got[("I", 3)] == ("unknown", "The unit acted on I.3.")
    assert got[("II", 2)] == ("no", "The unit acted on II.2.")
    assert got[("II", 4)] == ("yes", "The unit acted on II.4.")  # Partially


def test_a_word_replys_notes_typed_at_its_end_are_no_comment(form, texts):
    """"Notes" over "[1] …" after the last answer: the reply's notes, not its last comment."""
    doc = "\n\n".join(f"{texts[(issue, n)]}\n\nAnswer: Yes – The agency acted.[{n}]"
                      for issue, count in ISSUES for n in range(1, count + 1))
    doc += "\n\nNotes\n\n[1] Annual Report 2018, p. 4.\n\n[2] Gazette No. 83, 2016.\n"
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form, "reply.docx")]
    assert len(got) == 16
    assert got[-1] == ("yes", "The agency acted.[4]")


def test_the_next_issue_headed_by_its_title_after_a_label_in_another_language(form, texts):
    """"Al-Mihwar al-Thani (Issue II): Alternatives to imprisonment …", wrapped over two lines,
    "Tema C — Mainstreaming …": the next issue's heading by the form's title, no comment's words."""
    titles = {item.issue: item.issue_title for item in form}
    labels = {"I": "Al-Mihwar al-Awwal (Issue I):", "II": "Al-Mihwar al-Thani (Issue II):", "III": "Tema C —",
              "IV": "Mondai IV (Dai-yon mondai):"}
    out = []
    for issue, count in ISSUES:
        words = titles[issue].split()
        out.append(f"{labels[issue]} {' '.join(words[:8])}\n{' '.join(words[8:])}".rstrip())
        out += [f"{texts[(issue, n)]}\nAnswer: Yes – The agency acted on {issue}.{n}." for n in range(1, count + 1)]
    got = {(p.fields["issue"], p.fields["recommendation"]): p.fields["comment"] for p in read("\n".join(out), form)}
    assert [got[("I", 3)], got[("II", 6)], got[("III", 3)]] == [
        "The agency acted on I.3.", "The agency acted on II.6.", "The agency acted on III.3."]


@pytest.mark.parametrize("closing", [
    "Cairo, 19 February 2020\nMajor General Dr. A. Samir\nDirector, Anti-Narcotics General Administration",
    "Permanent Mission of Japan to the International Organizations in Vienna\nVienna, 2 March 2020",
    "Signed: A. O. Bello\nDirector, Policy, Planning and Research",
])
def test_a_letters_place_and_date_or_signed_label_ends_the_last_comment(form, texts, closing):
    doc = "\n".join(f"{texts[(issue, n)]}\nAnswer: No – Not yet shared with UNODC."
                    for issue, count in ISSUES for n in range(1, count + 1))
    got = [p.fields["comment"] for p in read(f"{doc}\n{closing}\n", form)]
    assert got[-1] == "Not yet shared with UNODC."


def test_a_survey_tools_form_reads_a_block_at_a_time_without_its_cookie_notice(form, texts):
    """A survey saved as a web page: each recommendation a <fieldset> (its legend, the question,
    radio buttons, a <textarea> holding the comment), a cookie notice below the form."""
    fields = "".join(
        f'<fieldset><legend>Issue {issue} – Recommendation {n}</legend><p class="q">{texts[(issue, n)]}</p>'
        f'<div><span>Any action taken?</span> <label><input type="radio" {"checked" if n != 2 else ""}> Yes</label> '
        f'<label><input type="radio" {"checked" if n == 2 else ""}> No</label></div><label>Comments</label>'
        f'<textarea>{"" if n == 2 else f"The agency acted on {issue}.{n}."}</textarea></fieldset>'
        for issue, count in ISSUES for n in range(1, count + 1))
    page = (f"<html><body><h1>Encuesta</h1><form>{fields}</form>"
            '<div class="cookie-banner">Usamos cookies propias. <a href="/c">Más información</a></div></body></html>')
    text = html_extract(page.encode(), "x").text
    got = answers(read(text, form, "reply.html"))
    assert got[("I", 1)] == ("yes", "The agency acted on I.1.")
    assert got[("II", 2)] == ("no", "")
    assert got[("IV", 4)] == ("yes", "The agency acted on IV.4.")


def test_recommendations_numbered_by_issue_in_parentheses(form, texts):
    """"I(1)", "IV(4)" over each recommendation's text: the next one's number is no comment's words."""
    doc = "\n".join(f"{issue}({n})\n{texts[(issue, n)]}\nResponse: Yes\nThe agency acted on {issue}.{n}."
                    for issue, count in ISSUES for n in range(1, count + 1))
    got = [p.fields["comment"] for p in read(doc, form, "reply.txt")]
    assert got[:2] == ["The agency acted on I.1.", "The agency acted on I.2."]


def test_what_only_looks_like_furniture_stays_the_comments(form, texts):
    """A review's false alarms, each a comment's own words: a list of meetings with their places
    and dates, "Signed: 4 memoranda …", "References" over a numbered list in an answer before the
    last, a recommendation quoted cut short inside a sentence, a wrapped line "the following:
    Alternatives to imprisonment …"."""
    said = {("I", 1): "The agency acted.\nThe training was offered on two topics: darknet markets and\n"
                      "the following: Alternatives to imprisonment for certain\noffences, for judges.",
            ("I", 2): "The legal bases are listed below.\nReferences\n1. Law No. 12 of 2019.\n2. Decree No. 5 of 2020.",
            ("II", 2): f"Same measures as under 1.1 (“{' '.join(texts[('I', 1)].split()[:12])} …”); 30 judges trained.",
            ("IV", 4): "The assessment was presented at two meetings.\nVienna, 12 March 2019\nBangkok, 4 June 2019\n"
                       "Signed: 4 memoranda of understanding (2019)."}
    doc = "\n".join(f"{texts[(issue, n)]}\nAnswer: Yes – {said.get((issue, n), 'The agency acted.')}"
                    for issue, count in ISSUES for n in range(1, count + 1))
    got = {(p.fields["issue"], p.fields["recommendation"]): p.fields["comment"] for p in read(doc, form)}
    for key, comment in said.items():
        assert got[key] == " ".join(comment.split()), key


def test_a_quoted_answer_of_last_year_is_not_this_years_mark(form, texts):
    """An update e-mail: the Secretariat quotes last year's "> Action taken: No", the country
    answers below it; the unquoted mark is the reply's."""
    doc = "\n\n".join(f"> {texts[(issue, n)]}\n> Action taken: No\n\nACTION TAKEN: YES\nThe unit acted on {issue}.{n}."
                    for issue, count in ISSUES for n in range(1, count + 1))
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form, "reply.txt")]
    assert got[0] == ("yes", "The unit acted on I.1.")


def test_compounds_and_year_headings_in_a_typed_reply():
    text = "Short-\nand long-term orders. A follow-\nup is due.\n- 2018 -\nThe unit opened.\n- 2019 -\nIt grew.\n"
    layout = text_layout(text)
    assert not layout.running  # years, not pages
    assert [text[a:b] for a, b in layout.hyphens] == ["\n", "\n"]  # the hyphen kept, the break dropped


@pytest.mark.parametrize("page, kept", [
    ('<body class="page cookies-set"><h1>Reply</h1><p>The police trained 140 officers.</p></body>', "140 officers"),
    ('<body><div id="cookie-aware-wrapper"><h1>Reply</h1><p>The police trained 140 officers.</p></div></body>',
     "140 officers"),
    ("<body><form><div>Recommendation 1: Governments act.<fieldset><label><input type=radio checked> Yes</label>"
     "</fieldset>Comments: The police trained 140 officers.</div></form></body>", "Comments: The police trained"),
])
def test_a_page_named_for_cookies_and_text_beside_a_fieldset_are_kept(page, kept):
    assert kept in html_extract(f"<html>{page}</html>".encode(), "x").text


@pytest.mark.parametrize("tail, comment", [
    ("Vienna, 12 March 2019\nBangkok, 4 June 2019\nA copy was sent to UNODC.",
     "It was presented at two meetings. Vienna, 12 March 2019 Bangkok, 4 June 2019 A copy was sent to UNODC."),
    ("Rabat, 12 November 2020\nAhmed Benali\nDirector of Drug Policy", "It was presented at two meetings."),
])
def test_the_labels_reader_ends_the_last_comment_at_a_place_and_date_only_over_a_signatory(texts, tail, comment):
    doc = (f"Issue I: {TITLE}\n\nRecommendation 1\n{texts[('I', 1)]}\nAny action taken? YES\nComments:\n"
           f"It was presented at two meetings.\n{tail}\n")
    document = Document(id="r", file="reply.txt", title="R", kind="questionnaire-response")
    passages = [p for p in parse_document(document, doc, 300) if p.type == "recommendation"]
    assert passages[0].fields["comment"] == comment
