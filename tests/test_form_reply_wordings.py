"""Replies that say their mark or their blank in words, and the page furniture around them: the
mark as a sentence of its own ("Measures have been taken."), an icon beside its word ("✘ No"),
"no comment" in the working languages, a row's letter "(c)" after an empty cell, a running
header that names the page's issue, "*** End of reply ***", and a signatory's title over "(assinatura
ilegível)". Real PDFs (fpdf2) read by pdfium where the page matters; the `form` and `texts`
fixtures are in conftest.py.
"""
from __future__ import annotations

from indexer.corpus import parse_document
from indexer.formats.layout import page_layout
from indexer.formats.pdf import extract
from indexer.models import Document
from indexer.verify import first_bad_offset
from test_form_replies import ISSUES, answers, read
from tests.test_formats import latin1

SAID = {("I", 1): "The Police College runs a darknet course. Twelve analysts were recruited in 2020.",
        ("II", 4): "The Drug Treatment Court was made permanent in 2019 and extended to Hamilton. Each case is "
                   "managed by a team of a judge, a case manager and a treatment provider, with Police and a peer "
                   "support worker taking part in every hearing of the court.",
        ("IV", 4): "The assessment has not been sent to UNODC."}
BLANK = {("II", 5), ("IV", 2)}


def numbered_pdf(texts: dict) -> bytes:
    """Numbered paragraphs "2.4 Governments …", each reply opening "Reply of the Government:"
    with its mark said in a sentence; at each page's foot a running header, a line naming the
    issue the page is in, and "Page n of m"; the reply to 2.4 split by a page break; "*** End of
    reply ***" after the last."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    items = [(issue, n) for issue, count in ISSUES for n in range(1, count + 1)]
    pages = [items[0:5], items[5:9], items[9:13], items[13:16]]

    def foot(page: int, issue: str) -> None:
        for y, line in ((270, "Ruritania - Reply to the CND questionnaire (2023) UNCLASSIFIED"),
                        (276, f"Issue {issue} - a title of that issue"), (282, f"Page {page} of {len(pages)}")):
            pdf.set_xy(10, y)
            pdf.cell(0, 5, line)

    for page, group in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_xy(10, 10)
        for issue, n in group:
            pdf.multi_cell(180, 5, latin1(f"{'IVX'.index(issue[0]) + 1 if issue != 'IV' else 4}.{n} "
                                          f"{texts[(issue, n)]}"))
            if (issue, n) in BLANK:
                reply = "Reply of the Government: No measures have been taken to date."
            else:
                reply = f"Reply of the Government: Measures have been taken. {SAID.get((issue, n), 'It acted.')}"
            if (issue, n) == ("II", 4):  # the page ends within the reply
                cut = reply.rfind(" ", 0, 120)
                first, rest = reply[:cut], reply[cut:]
                pdf.multi_cell(180, 5, first)
                foot(page, issue)
                pdf.add_page()
                pdf.set_xy(10, 10)
                pdf.multi_cell(180, 5, rest.lstrip())
                continue
            pdf.multi_cell(180, 5, latin1(reply))
        if page == len(pages):
            pdf.multi_cell(180, 5, "*** End of reply ***")
        foot(page, group[-1][0])
    return bytes(pdf.output())


def test_a_mark_said_in_a_sentence_and_a_comment_across_a_page_whose_header_names_the_issue(form, texts):
    x = extract(numbered_pdf(texts), "sha")
    layout = page_layout(x.text, x.page_starts)
    running = {x.text[a:b].strip() for a, b in layout.running}
    assert "Issue II - a title of that issue" in running  # between two running lines at the foot: furniture
    document = Document(id="r", file="reply.pdf", title="R", kind="questionnaire-response", parser="questionnaire-form")
    passages = parse_document(document, x.text, 10**6, page_starts=x.page_starts, form=form)
    got = {}
    for p in passages:
        assert first_bad_offset(x.text, p) is None, p.id
        got[(p.fields["issue"], p.fields["recommendation"])] = (p.fields["action_taken"], p.fields["comment"])
    assert len(got) == 16
    for key, (mark, comment) in got.items():
        if key in BLANK:
            assert (mark, comment) == ("no", ""), key  # "No measures have been taken to date." alone: no comment
        else:
            assert mark == "yes" and comment == SAID.get(key, "It acted."), (key, mark, comment)


def test_an_icon_beside_its_word_marks_and_a_rows_letter_is_no_comment(form, texts):
    """An HTML table as the text reads it: "(b) <tab> recommendation <tab> ✘ No <tab>" and an
    empty comment cell, the next row opening "(c)"."""
    rows = []
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            mark = "✘ No" if n == 2 else "✔ Yes"
            said = "" if n == 2 else f"The agency acted on {issue}.{n}."
            rows.append(f"({'abcdef'[n - 1]})\t{texts[(issue, n)]}\t{mark}\t{said}")
    got = answers(read("Reply of Ruritania\n" + "\n".join(rows) + "\n", form, "reply.html"))
    assert len(got) == 16
    for (issue, n), (mark, comment) in got.items():
        assert (mark, comment) == (("no", "") if n == 2 else ("yes", f"The agency acted on {issue}.{n}.")), (issue, n)


def test_no_comment_said_in_the_working_languages_is_a_blank_and_a_signatory_closes_the_reply(form, texts):
    """ "**Toelichting:** N.v.t." (Dutch), "Sem comentários." (Portuguese) and "NOT APPLICABLE" (as
    "N/A" spelt out) are blanks; the signatory's title over "(assinatura ilegível)" after the last comment is none
    of it."""
    blanks = ["**Toelichting:** N.v.t.", "**Toelichting:** Sem comentários.", "**Toelichting:** NOT APPLICABLE"]
    out, n_item = ["# Republiek Ruritania\n"], 0
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            said = blanks[n_item % 3] if n_item % 4 == 1 else f"**Toelichting:** Ruritania acted in {2000 + n_item}."
            out.append(f"### Aanbeveling {issue}.{n}\n\n> {texts[(issue, n)]}\n\n**Actie ondernomen:** Ja\n\n{said}\n")
            n_item += 1
    doc = "\n".join(out) + "\nO Director-Geral do Gabinete\n\n(assinatura ilegível)\n"
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form)]
    assert [c for _, c in got] == ["" if i % 4 == 1 else f"Ruritania acted in {2000 + i}." for i in range(16)]
    assert {m for m, _ in got} == {"yes"}


def test_a_status_read_into_a_short_line_with_the_next_cells_words_is_the_mark(form, texts):
    """A matrix "No. | Recommendation | Status | Lead agency | Comments" as pdfium reads it: the
    status opens a line the lead agency's first words run on ("Implemented Ministry of
    Internal⏎Affairs"), the comment below. The status is the mark; the agency's lines, no
    comment's."""
    blocks = []
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            status, said = ("Not implemented", "No campaign was run.") if n == 2 else ("Implemented", f"It acted in {n}.")
            blocks.append(f"{issue}.{n} {texts[(issue, n)]}\n{status} Ministry of Internal\nAffairs\n{said}\n")
    got = [(p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"])
           for p in read("No. Recommendation Status Lead agency Comments\n" + "".join(blocks), form, "reply.pdf")]
    assert len(got) == 16
    assert [(mark, comment) for n, mark, comment in got] == [
        ("no", "No campaign was run.") if n == 2 else ("yes", f"It acted in {n}.") for n, _, _ in got]


def test_a_status_before_the_comments_first_words_is_no_label_when_the_sentence_goes_on(form, texts):
    """"Implemented The Ministry of Justice⏎drafted a bill in 2021.": a short line, but its
    sentence goes on below: the comment, from its first words."""
    blocks = [f"{issue}.{n} {texts[(issue, n)]}\nImplemented The Ministry of Justice\ndrafted a bill in {2000 + n}.\n"
              for issue, count in ISSUES for n in range(1, count + 1)]
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read("".join(blocks), form, "reply.pdf")]
    assert len(got) == 16 and all(mark == "yes" and comment.startswith("The Ministry of Justice drafted a bill")
                                  for mark, comment in got), got


def test_a_signing_notation_is_a_fixed_phrase_not_any_parenthesis_naming_a_signature():
    from indexer.parsers.questionnaire_labels import sign_off_at

    signed = "It was shared with ESAAMLG.\nO Director-Geral do GCPCD\n(assinatura ilegível)\n"
    assert sign_off_at(signed, 0, len(signed)) == signed.index("O Director")
    pending = "It was signed with Brazil and Peru.\nA memorandum with Interpol\n(signature expected in 2024)\n"
    assert sign_off_at(pending, 0, len(pending)) is None


def test_a_pages_one_line_between_its_running_lines_is_its_own():
    """A running header and a page number on every page; the last page holds one line of text
    between them: the text's, not furniture (a line between running lines is furniture only on
    a page with a body besides)."""
    body = "\n".join(f"Line {i} of the reply says something." for i in range(8))
    pages = [f"Ruritania reply UNCLASSIFIED\n{body}\nPage {n} of 4" for n in (1, 2, 3)]
    pages.append("Ruritania reply UNCLASSIFIED\nThe unit was created in 2021 and trained 40 officers.\nPage 4 of 4")
    text = "\f".join(pages)
    starts = [0]
    for page in pages[:-1]:
        starts.append(starts[-1] + len(page) + 1)
    layout = page_layout(text, starts)
    running = {text[a:b].strip() for a, b in layout.running}
    assert "The unit was created in 2021 and trained 40 officers." not in running
    assert "Ruritania reply UNCLASSIFIED" in running


def test_survey_and_word_cell_marks_status_boxes_and_labels_with_a_question_number(form, texts):
    """A survey tool's print-out ("(•) Yes ( ) No", "Comments (Q3c)" in its own cell), a Word
    cell's paragraphs run on one line ("Action taken: YES The Commission …"), and boxes whose
    labels are statuses ("☑ Action taken ☐ No action")."""
    from indexer.parsers.block_line import mark_of

    assert [mark_of(line, False) for line in ("(•) Yes ( ) No", "( ) Yes (•) No", "☑ Action taken ☐ No action",
                                              "☐ Action taken ☑ No action", "Action taken: ☐ Yes ☒ No")] == [
        "yes", "no", "yes", "no", "no"]
    survey = "".join(f"Q{i}\tRecommendation {n} {texts[(issue, n)]} Any action taken?\t"
                     f"{'( ) Yes (•) No' if n == 2 else '(•) Yes ( ) No'}\nComments (Q{i}c)\t"
                     f"{'' if n == 3 else f'It acted in {2000 + i}.'}\n"
                     for i, (issue, n) in enumerate([(s, k) for s, c in ISSUES for k in range(1, c + 1)], 1))
    got = [(p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"])
           for p in read(survey, form, "reply.html")]
    assert len(got) == 16
    assert [(m, c) for _, m, c in got] == [("no" if n == 2 else "yes", "" if n == 3 else f"It acted in {2000 + i}.")
                                          for i, (n, _, _) in enumerate(got, 1)]
    cells = "".join(f"Recommendation {n} {texts[(issue, n)]}\tAction taken: {'NO' if n == 2 else 'YES'} The "
                    f"Commission acted on {issue}.{n}.\n\n" for issue, count in ISSUES for n in range(1, count + 1))
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(cells, form, "reply.docx")]
    assert len(got) == 16 and got[1] == ("no", "The Commission acted on I.2.") and got[0][0] == "yes"


def test_a_wrapped_issue_heading_and_a_note_verbales_closing_are_no_comment(form, texts):
    """An outline numbered "2." for the issue, its title wrapped over two lines, ends the comment
    before it; "The Permanent Mission … avails itself of this opportunity …" closes the reply."""
    from indexer.parsers.questionnaire_labels import SIGN_OFF

    titles = {"I": "Use of the Internet for drug-related activities",
              "II": "Alternatives to imprisonment for certain offences as demand reduction strategies that promote "
                    "public health and public safety",
              "III": "Mainstreaming gender perspectives in drug-related policies and programmes",
              "IV": "Money-laundering, illicit financial flows and effective countermeasures"}
    out = []
    for k, (issue, count) in enumerate(ISSUES, 1):
        title = titles[issue]
        cut = title.find(" strategies") if " strategies" in title else len(title)
        out.append(f"{k}. {title[:cut]}\n{title[cut:].strip()}\n" if cut < len(title) else f"{k}. {title}\n")
        for n in range(1, count + 1):
            out.append(f"{k}.{n} {texts[(issue, n)]}\n☑ Action taken ☐ No action\nOBSERVATIONS\n"
                       f"The agency acted on {issue}.{n}.\n")
    doc = "".join(out) + ("The Permanent Mission of Ruritania avails itself of this opportunity to renew the\n"
                          "assurances of its highest consideration.\n")
    assert SIGN_OFF.match("The Permanent Mission of Ruritania avails itself of this opportunity to renew the")
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form, "reply.pdf")]
    assert got == [("yes", f"The agency acted on {issue}.{n}.") for issue, count in ISSUES
                   for n in range(1, count + 1)], got


def test_an_e_mail_answering_inline_under_the_quoted_questionnaire(form, texts):
    """A reply written into the Secretariat's quoted message: each recommendation quoted ("> "),
    with its "> Any action taken? YES / NO" and "> Comments:", then the reply's own unquoted
    lines ("ACTION TAKEN: YES", "DNC REPLY: …"); the quoted closing line is none of it."""
    from test_form_replies import wrapped

    out = ["Dear Sir/Madam,\n\nPlease find our replies inserted below.\n\nWith best regards,\nThe Director\n\n"
           "-----Original Message-----\nFrom: CND Secretariat\n\n> Dear Colleagues,\n>\n"]
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            quoted = "\n".join("> " + line for line in wrapped(texts[(issue, n)], 70).splitlines())
            reply = "DNC REPLY: Nil\n" if n == 3 else f"DNC REPLY: The Department acted on {issue}.{n} in\n2019.\n"
            out.append(f"> Recommendation {n}\n{quoted}\n>\n> Any action taken? YES / NO\n> Comments:\n\n"
                       f"ACTION TAKEN: {'NO' if n == 2 else 'YES'}\n{reply}\n")
    doc = "".join(out) + "> Thank you in advance for your cooperation.\n"
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form, "reply.txt")]
    assert got == [("no" if n == 2 else "yes", "" if n == 3 else f"The Department acted on {issue}.{n} in 2019.")
                   for issue, count in ISSUES for n in range(1, count + 1)], got


def test_a_definition_list_reply_with_its_mark_under_its_label():
    """A web page answering in definition lists, a list inside each recommendation's entry
    ("<dt>Action taken</dt><dd>Yes</dd><dt>Comments</dt><dd>…</dd>"): each entry is a line of its
    own, and the mark alone under its label is the mark."""
    import re

    from indexer.formats import extract_bytes
    from indexer.parsers.questionnaire import parse_questionnaire

    said = {1: ("Yes", "The unit monitors online trafficking. Its officers train twice a year."),
            2: ("No", ""), 3: ("Yes", "See reply to recommendation 1.")}
    entries = "".join(f"<dt>Recommendation {n}</dt><dd>Governments should act on point {n} of the issue.</dd>"
                      f"<dd><dl><dt>Action taken</dt><dd>{mark}</dd><dt>Comments</dt><dd>{comment or '&nbsp;'}</dd>"
                      f"</dl></dd>" for n, (mark, comment) in said.items())
    page = f"<html><body><nav><ul><li>Home</li></ul></nav><h2>Issue I: Use of the Internet</h2><dl>{entries}</dl>"
    text = extract_bytes(f"{page}</body></html>".encode(), "html").text
    assert re.search(r"^Action taken$\s+^Yes$", text, re.M)
    doc = Document(id="r", file="reply.html", title="R", kind="questionnaire-response")
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in parse_questionnaire(text, doc)]
    assert got == [(mark.lower(), comment) for mark, comment in said.values()]


def test_french_labels_and_a_place_and_date_closing_the_reply():
    """"Mesures prises : Oui", "Observations :" over the comment, and the letter's "Fait à Dakar,
    le 3 juin 2021" over its signatory: the last comment ends before them."""
    from indexer.parsers.questionnaire import parse_questionnaire

    blocks = [f"Recommandation {n}\n\nGovernments should act on point {n}.\n\nMesures prises : {mark}\n\n"
              f"Observations :\n\n{comment}\n" for n, mark, comment in
              ((1, "Oui", "A cyber-patrol cell was set up."), (2, "Non", "The procedures are not yet adopted."))]
    text = ("## Thème I : Use of the Internet\n\n" + "\n".join(blocks)
            + "\nFait à Dakar, le 3 juin 2021\n\nLe Secrétaire permanent du CILD\n")
    doc = Document(id="r", file="reply.docx", title="R", kind="questionnaire-response")
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in parse_questionnaire(text, doc)]
    assert got == [("yes", "A cyber-patrol cell was set up."), ("no", "The procedures are not yet adopted.")]


def test_a_tables_header_repeated_atop_its_pages_is_page_furniture():
    """Word repeats a table's header row atop each page it runs onto ("Recommendation" /
    "Action" / "taken" / "Comments"), one head a line as pdfium reads it: those lines are the
    page's, not the comment the page goes on with. Long lines opening two pages alike (a
    resolution's preamble quoted twice) are text."""
    heads = "Recommendation\nAction\ntaken\nComments / measures taken\n"
    def body(page: int) -> str:
        words = ("police", "courts", "customs", "health", "prisons", "schools", "banks", "ports", "towns")
        return "\n".join(f"The agency reports on its {w} in some detail, for the {words[page]}." for w in words[:8])

    pages = [f"REPLY OF RURITANIA\nMinistry of the Interior\nQuestionnaire of the Commission\n{heads}Issue I: "
             f"Internet\n{body(1)}",
             f"{heads}The comment goes on after the break.\n{body(2)}",
             f"{heads}Another comment goes on here.\n{body(3)}"]
    text = "\f".join(pages)
    starts = [0, len(pages[0]) + 1, len(pages[0]) + len(pages[1]) + 2]
    running = {(a, text[a:b].strip()) for a, b in page_layout(text, starts).running}
    assert {(starts[1], "Recommendation"), (starts[2], "Recommendation")} <= running
    assert not any(a < starts[1] for a, _ in running)  # where the header first stands, it is the page's own
    assert not any("goes on" in line for _, line in running)
    quoted = "Recalling the Convention of 1988 and the commitments made at the special session,\n" * 2
    pages = [f"{quoted}{body(p)}" for p in range(2)]
    text = "\f".join(pages)
    starts = [sum(len(x) + 1 for x in pages[:p]) for p in range(2)]
    assert not page_layout(text, starts).running


def test_a_mark_with_its_qualifier_on_a_line_of_its_own(form, texts):
    """A table printed cell by cell: the recommendation's lines, then its mark cell "Yes
    (partially)" as a line of its own, then the comment: the mark is yes, the qualifier no
    comment's words."""
    marks = {1: "Yes (partially)", 2: "No", 3: "Yes"}
    doc = "".join(f"{texts[('I', n)]}\n{marks[n]}\nThe police acted on point {n} in 2020.\n" for n in (1, 2, 3))
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(f"Issue I: Internet\n{doc}", form,
                                                                          "reply.pdf")][:3]
    assert got == [("yes", "The police acted on point 1 in 2020."), ("no", "The police acted on point 2 in 2020."),
                   ("yes", "The police acted on point 3 in 2020.")]


def test_recommendations_quoted_cut_short_and_a_status_wrapped_in_its_cell(form, texts):
    """An outline quoting each recommendation's first words and "…" ("1.1 Governments should be
    encouraged to ensure that their law enforcement agencies are well informed …") is a reply to
    the form; a status cell wrapped after its first word ("Not" over "implemented") marks no."""
    def cut(text: str) -> str:
        return " ".join(text.split()[:14]) + " …"

    def answer(issue: str, n: int) -> str:
        if n == 2:
            return "Not\nimplemented\n"
        return f"Reply: Yes. The ministry acted on {issue}.{n} in 2022.\n"

    titles = {item.issue: item.issue_title for item in form}
    doc = "Reply of Ruritania\n" + "".join(
        f"{k}. {titles[issue]}\n" + "".join(f"{k}.{n} {cut(texts[(issue, n)])}\n{answer(issue, n)}" for n in range(1, count + 1))
        for k, (issue, count) in enumerate(ISSUES, 1))
    got = answers(read(doc, form, "reply.txt"))
    assert len(got) == 16
    assert got[("I", 1)] == ("yes", "The ministry acted on I.1 in 2022.")
    assert got[("II", 2)] == ("no", "")
    assert got[("IV", 4)] == ("yes", "The ministry acted on IV.4 in 2022.")


def test_a_heading_quoting_the_recommendation_and_a_contact_point_after_a_page_break(form, texts):
    """A web page heads each answer with the recommendation's text in quotes, “…” (tpl24): the
    opening quote is the heading's, not the answer's above. After the last answer, a page break
    and "Contact point for this reply: …, (address@…)" close the reply."""
    lines = []
    for issue, n in [(item.issue, item.number) for item in form]:
        lines += [f"### “{texts[(issue, n)]}”", "Action taken: Yes", f"The unit acted on {issue}.{n}.", ""]
    doc = "\n".join(lines) + "Contact point for this reply: Ms A. Name, Adviser (a.name@gov.example).\n"
    got = answers(parse_document(Document(id="r", file="r.md", title="R", kind="questionnaire-response",
                                          parser="questionnaire-form"), doc, 10**6, form=form))
    assert all(comment == f"The unit acted on {issue}.{n}." for (issue, n), (_, comment) in got.items()), got
    assert len(got) == 16
    # a page's first line: the line above it is the page before's foot, no sentence to finish
    from indexer.parsers.questionnaire_labels import sign_off_at

    page = "… shared on request.\nReykjavík, February 2023   Page 3 of 4\fContact point: Ms A. Name (a.name@gov.example).\n"
    assert sign_off_at(page, 0, len(page)) == page.index("Contact")
    # a contact's address wrapped onto the next line (tpl28), not a focal point's sentence
    wrapped = "… ready to do so if requested.\nContact: International Affairs Unit, SENDA – Agustinas\n1235, Santiago, Chile.\n"
    assert sign_off_at(wrapped, 0, len(wrapped)) == wrapped.index("Contact")
    said = "… as reported.\nFocal point: the Observatory collects the data\nand publishes them every year.\n"
    assert sign_off_at(said, 0, len(said)) is None
    said = ("The unit was set up in 2019.\nContact point: the national network met police, customs\n"
            "and prosecutors in Brussels, Antwerp and Ghent during 2021.\n")  # a sentence, its words no address
    assert sign_off_at(said, 0, len(said)) is None
    # ... a closing formula only: a header in capitals atop the page, over the comment going on, signs nothing
    page = ("The assessment was completed in 2021 and\r\nPage 3 of 4\fREPUBLIC OF RURITANIA\r\nits findings were "
            "shared with all supervisory authorities and the police. The\r\nassessment will be updated in 2025.\r\n")
    assert sign_off_at(page, 0, len(page)) is None


def test_a_blank_and_a_signatory_in_two_languages():
    """"Néant / None" says nothing in both; a signatory's title in two languages over "(signé /
    signed)" closes the reply (tpl26)."""
    from indexer.parsers.questionnaire_labels import says_something, sign_off_at

    assert not says_something("Néant / None") and says_something("Néant / None of the courts did so.")
    end = "… validated by the Government.\r\nLe Secrétaire Permanent du CILAD / Permanent Secretary of CILAD\r\n(signé / signed)\r\n"
    assert sign_off_at(end, 0, len(end)) == end.index("Le Secrétaire")


def test_a_wiki_pages_bullets_and_definition_lists(form, texts):
    """A wiki's export (tpl29): "- **Action:** Yes" / "- **Comments:** …" bullets, "_Not indicated_"
    where no mark was given and "_No comment._" where nothing was said; later answers as a
    definition list, "Action taken" over ": Yes" and "Comments" over ": …" (the ": " no comment's
    word), or "Action taken" over ": _Not indicated_" and no comment at all."""
    lines = []
    for k, (issue, n) in enumerate(texts):
        lines += [f"#### {issue}.{n}", "", f"> {texts[(issue, n)]}", ""]
        if k == 0:
            lines += ["- **Action:** Yes", f"- **Comments:** The unit acted on {issue}.{n}.", ""]
        elif k == 1:
            lines += ["- **Action:** _Not indicated_", "- **Comments:** _No comment._", ""]
        elif k == 2:
            lines += ["Action taken", ": _Not indicated_", "", ""]
        else:
            lines += ["Action taken", ": No", "", "Comments", f": The unit acted on {issue}.{n}.", ""]
    got = answers(parse_document(Document(id="r", file="r.md", title="R", kind="questionnaire-response",
                                          parser="questionnaire-form"), "\n".join(lines), 10**6, form=form))
    keys = list(texts)
    assert got[keys[0]] == ("yes", "The unit acted on I.1.")
    assert got[keys[1]] == ("unknown", "") and got[keys[2]] == ("unknown", "")
    assert got[keys[3]] == ("no", "The unit acted on II.1.")


def test_a_bilingual_text_printed_in_pages_with_marks_that_say_none_was_given(form, texts):
    """A plain text printed in pages (form feeds), "SEDRONAR – Reply to the CND questionnaire" atop
    each page but the first and "Page n" at each foot (tpl29): those lines are no comment's and no
    answer's head. "Medidas adoptadas / Action taken: Pendiente / Pending" and "Sin información /
    No information" give no mark (the "No" of "No information" none), and the comment after
    "Observaciones / Comments:" is kept."""
    from indexer.formats.layout import text_layout

    marks = ["Sí / Yes", "No / No", "Pendiente / Pending", "Sin información / No information"]
    def page_break(page: int) -> str:
        return (f"\n{' ' * 50}Página {page} / Page {page}\n\fSEDRONAR - Respuesta al cuestionario / Reply to the "
                "CND questionnaire\n\n")

    blocks = []
    for k, (issue, n) in enumerate(texts):
        block = (f"Recomendación {n} / Recommendation {n}\n{'-' * 60}\n  {texts[(issue, n)]}\n\n<4>"
                 f"Medidas adoptadas / Action taken: {marks[k % 4]}\n\nObservaciones / Comments:\n"
                 f"    The unit acted on {issue}.{n} in\n<9>    2019.\n\n<14>")
        for at in ("<4>", "<9>", "<14>"):  # a page breaks between a text and its mark, inside a comment, before a text
            block = block.replace(at, page_break(k // 5 + 1) if at == f"<{k}>" else "")
        blocks.append(block)
    doc = "Reply of Argentina\n\n" + "".join(blocks) + f"\n{' ' * 50}Página 4 / Page 4\n"
    layout = text_layout(doc)
    assert any(doc[a:b].startswith("SEDRONAR") for a, b in layout.running)
    got = answers(parse_document(Document(id="r", file="r.txt", title="R", kind="questionnaire-response",
                                          parser="questionnaire-form"), doc, 10**6, form=form))
    keys = list(texts)
    assert [got[key][0] for key in keys[:4]] == ["yes", "no", "unknown", "unknown"]
    assert all(got[key][1] == f"The unit acted on {key[0]}.{key[1]} in 2019." for key in keys), got
