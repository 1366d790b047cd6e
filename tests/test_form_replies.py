"""Replies in templates no label names, read by the form they answer: the recommendations the
corpus's replies hold, found word for word in the new file, and what stands between one and
the next read as that country's mark and comment (indexer/parsers/questionnaire_form.py).
Markdown, Word tables, hard-wrapped plain text in other languages, HTML with radio buttons or
icons, spreadsheets printed to PDF, saved web forms, footnotes and Word content controls. (The
`form` and `texts` fixtures, the Belgian reply's form, are in conftest.py.)
"""
from __future__ import annotations

import re

import pytest

from indexer.models import Document
from indexer.parsers.questionnaire import parse_questionnaire
from indexer.parsers.form_places import answers_the_form
from indexer.parsers.questionnaire_form import parse_form_reply
from indexer.verify import first_bad_offset


def wrapped(text: str, width: int = 60, indent: str = "") -> str:
    """The text hard-wrapped as a plain-text reply prints it."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(indent + line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [indent + line])


def read(doc: str, form, name: str = "reply.md") -> list:
    document = Document(id="r", file=name, title="R", kind="questionnaire-response")
    passages = parse_form_reply(doc, document, form)
    for p in passages:  # every citation is exact
        assert first_bad_offset(doc, p) is None, p.id
    return passages


def answers(passages) -> dict:
    """Each recommendation's (mark, comment), by (issue, number)."""
    return {(p.fields["issue"], p.fields["recommendation"]): (p.fields["action_taken"], p.fields["comment"])
            for p in passages}


ISSUES = (("I", 3), ("II", 6), ("III", 3), ("IV", 4))  # the form's issues and how many recommendations each holds


def markdown_reply(texts: dict) -> str:
    """Headings "### 1.2", the text as a quote, "**Status:** Implemented", a blank comment, "N/A"."""
    out = ["# Kingdom of Morocco\n\nLegend: *Implemented* = action has been taken.\n"]
    comments = {0: "The police set up cybercrime laboratories in 29 cities.", 1: "", 2: "N/A"}
    for issue_no, (issue, count) in enumerate(ISSUES, 1):
        out.append(f"---\n\n## {issue_no}. Issue {issue} — a title\n")
        for n in range(1, count + 1):
            status = "Not implemented" if n % 3 == 0 else "Implemented"
            out.append(f"### {issue_no}.{n}\n\n> {texts[(issue, n)]}\n\n**Status:** {status}\n\n**Comments:**\n\n"
                       f"{comments[(n - 1) % 3]}\n")
    return "\n".join(out) + "\n---\n\n*End of reply.*\n"


def test_a_markdown_reply_with_headings_that_name_no_recommendation(form, texts):
    doc = markdown_reply(texts)
    assert answers_the_form(doc, form) == (16, 16)
    got = [(p.fields["issue"], p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"])
           for p in read(doc, form)]
    said = "The police set up cybercrime laboratories in 29 cities."
    assert got[:6] == [("I", 1, "yes", said), ("I", 2, "yes", ""), ("I", 3, "no", ""),
                       ("II", 1, "yes", said), ("II", 2, "yes", ""), ("II", 3, "no", "")]
    assert got[-1] == ("IV", 4, "yes", said)  # the closing rule and "End of reply." are no comment's


def test_a_word_table_a_row_a_recommendation_with_its_number_in_the_first_cell(form, texts):
    rows = [f"Recommendation {n} {texts[('I', n)]}\t{mark}\t{comment}" for n, mark, comment in (
        (1, "Yes", "Our police train online. Customs follow CEPOL courses."), (2, "No", ""), (3, "Yes", "Done."))]
    doc = ("REPUBLIC OF GHANA\n\n## Issue I: Use of the Internet\n\nRecommendation\tAction taken\tComments\n"
           + "\n".join(rows) + "\n\nSubmitted by the Permanent Mission of Ghana (Vienna).\n\nSigned: ……………………\n"
           "Executive Secretary\n")  # a row is one line: what follows the table is no comment's
    got = [(p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form)]
    assert got == [(1, "yes", "Our police train online. Customs follow CEPOL courses."), (2, "no", ""), (3, "yes", "Done.")]


def test_a_plain_text_reply_in_spanish_hard_wrapped(form, texts):
    """Labels no parser knows ("¿Se ha adoptado alguna medida?", "Observaciones:"), the
    recommendation indented and wrapped, the comment wrapped over lines ending no sentence."""
    comment = ("La División de Investigación de Delitos de Alta Tecnología de la Policía Nacional ha capacitado "
               "a personal de la Dirección Antidrogas en 2022.")
    blocks = []
    for n, boxes, said in ((1, "SÍ [X]    NO [ ]", comment), (2, "SÍ [ ]    NO [X]", ""), (3, "SÍ [X]    NO [ ]", "")):
        blocks.append(f"Recomendación {n}\n\n{wrapped(texts[('I', n)], indent='    ')}\n\n"
                      f"¿Se ha adoptado alguna medida?    {boxes}\n\nObservaciones:\n{wrapped(said)}\n\n\n")
    doc = "REPÚBLICA DEL PERÚ\n\nTEMA I. Use of the Internet\n" + "-" * 40 + "\n\n" + "".join(blocks)
    passages = read(doc, form, "peru.txt")
    assert [(p.fields["action_taken"], p.fields["comment"]) for p in passages] == [
        ("yes", comment), ("no", ""), ("yes", "")]
    assert passages[0].label == "R, Issue I, Recommendation 1"


def test_a_lone_x_under_a_yes_and_a_no_column_is_no_guess(form, texts):
    """pdfium's text says an X stood in the row, not in which column: the mark is unknown, not yes."""
    doc = "No. Recommendation Yes No Comments / remarks\r\n" + "".join(
        f"{n}\r\n{wrapped(texts[('I', n)])}\r\nX\r\nWe acted on it in 2022.\r\n" for n in (1, 2, 3))
    passages = read(doc, form, "thailand.pdf")
    assert [(p.fields["action_taken"], p.fields["comment"]) for p in passages] == [("unknown", "We acted on it in 2022.")] * 3


@pytest.mark.parametrize("template", [
    # HTML's definition list: labels with no colon, the mark a badge
    "### Recommendation I.{n}\n\n{text}\n\nStatus\n\n{badge}\n\nCanada’s response\n\n{said}\n\n",
    # Markdown definition list: "Q1.2" before the text, ":   *Answer (yes/no):* yes"
    "**Q1.{n}** {text}\n\n:   *Answer (yes/no):* {yes}\n\n:   *Explanation:* {said}\n\n",
    # Portuguese labels, the text quoted as an e-mail quotes it
    "Recomendação {n}\n\n> {text}\n\nMedidas adotadas: {sim}\n\nComentários:\n{said}\n\n",
    # one Word table for every issue, the issue's cell repeated on each row, a "Y/N" column
    "I. Use of the Internet for drug-related activities\t{n}\t{text}\t{yn}\t{said}\n",
    # a box per recommendation, "Implementation status" and "Details:", numbered "1-2"
    "Recommendation 1-{n}\n{text}\nImplementation status: {status}\nDetails:\n{said}\n",
    # Word's heading styles: the comment under a heading of its own ("### Comments")
    "## Recommendation No. {n}\n\n{text}\n\nAction taken: {box}\n\n### Comments\n\n{said}\n\n",
    # German labels around the English texts
    "### Empfehlung {n}\n\n{text}\n\n**Maßnahmen ergriffen:** {ja}\n\n**Kommentar:** {said}\n\n",
    # a web form's export: the mark's field after the answer
    "Q1.{n} {text}\r\n\r\nA: {said}\r\n\r\nImplemented? (Y/N): {yn}\r\n\r\n",
    # as pdfium reads a small table under each text: its heads, then the number's and the mark's cells
    "Recommendation {n}\r\n{text}\r\nRecommendation Action taken\r\nI.{n} {yes}\r\nComments: {said}\r\n",
    # Russian labels, the label naming both marks
    "Рекомендация {n}\n\n{text}\n\nПринятые меры (Да/Нет): {da}\n\nКомментарии:\n   {said}\n\n",
    # a Word list item, then a 1x2 table "Implemented | Yes" ("Implemented" is the row's label here)
    "- {text}\n\nImplemented\t{yes}\n\nRemarks: {said}\n\n",
    # bilingual labels, "Ja / Yes"
    "I-{n} {text}\nTiltak iverksatt / Action taken: {ja} / {yes}\nMerknader / Remarks: {said}\n",
    # a PDF table's mark column read into the comment's first line ("Yes The police …", "No –")
    "{n} {text}\r\n{glued}\r\n",
    # a Word cell's paragraphs read as one line: the fields run in after the text
    "Raccomandazione {n}\t{text} Misure adottate: {si} Osservazioni: {said}\n",
    # an e-mail: the text quoted, then "Our answer: Yes. …"
    "I.{n}   “{text}”\n   Our answer: {Yes}. {said}\n\n",
    # labels in two languages, the form's after a slash, on their own lines (as pdfium reads them)
    "Preporuka I.{n} / Recommendation I.{n}\r\n{text}\r\nPoduzete mjere / Action taken: {Yes}\r\n"
    "Komentar / Comments:\r\n{said}\r\n",
])
def test_a_reply_marking_in_words_no_label_here_names(form, texts, template):
    """Marks and labels replies write that no form label names: a badge ("Action taken"), "Y"
    or "N" in a table's cell, "Sim"/"Não", "Ja"/"Nein", "Fully implemented"; labels with no colon,
    as a definition list's terms or as headings; numbers as "Q1.2" or "1-2"; the issue's heading
    repeated on each row; the mark after the comment; a table of heads, number and mark; a label
    naming both marks ("(Да/Нет): Да"); a status word as a row's label; a mark column read into
    the comment's line."""
    said = {1: "The police trained 300 officers.", 2: "", 3: "A unit was set up in 2021."}
    yes = {1: True, 2: False, 3: True}
    doc = "REPLY\n\n" + "".join(template.format(
        n=n, text=texts[("I", n)], said=said[n], badge="Action taken" if yes[n] else "No action",
        yes="yes" if yes[n] else "no", sim="SIM" if yes[n] else "NÃO", yn="Y" if yes[n] else "N",
        status="Fully implemented" if yes[n] else "Not implemented", box="☒ Yes   ☐ No" if yes[n] else "☐ Yes   ☒ No",
        ja="Ja" if yes[n] else "Nei", da="Да" if yes[n] else "Нет",
        glued=f"Yes {said[n]}" if yes[n] else "No –", si="Sì" if yes[n] else "No",
        Yes="Yes" if yes[n] else "No") for n in (1, 2, 3))
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form)]
    assert got == [("yes", said[1]), ("no", ""), ("yes", said[3])]


def test_an_html_reply_with_radio_buttons_or_icons_reads_the_mark(form, texts):
    """An HTML reply marks with a disabled radio button in a fieldset, and heads its answer
    "Australian Government response": the ticked button is the mark (formats/html.py prints
    it as a box), the heading no part of the comment. Another marks with an icon ("✓", "✗"):
    its alt text is the mark."""
    from indexer.formats import extract_bytes
    said = {1: "The police trained 300 officers.", 2: "", 3: "A unit was set up in 2021."}
    blocks = "".join(
        f"<details><summary><span>1.{n}</span> {texts[('I', n)]}</summary><fieldset><legend>Action taken</legend>"
        f"<label><input type='radio' value='yes' {'checked' if n != 2 else ''} disabled> Yes</label>"
        f"<label><input type='radio' value='no' {'checked' if n == 2 else ''} disabled> No</label></fieldset>"
        f"<div><h3>Australian Government response</h3><p>{said[n]}</p></div></details>" for n in (1, 2, 3))
    text = extract_bytes(f"<html><body><h1>Reply</h1>{blocks}</body></html>".encode(), "html").text
    assert "☒ Yes ☐ No" in re.sub(r"\s+", " ", text)
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(text, form, "reply.html")]
    assert got == [("yes", said[1]), ("no", ""), ("yes", said[3])]
    # one table, the mark an icon: its alt text is the mark
    rows = "".join(f"<tr><td>1.{n}</td><td>{texts[('I', n)]}</td><td><img src='m.png' alt='{'✗' if n == 2 else '✓'}'>"
                   f"</td><td>{said[n]}</td></tr>" for n in (1, 2, 3))
    text = extract_bytes(f"<html><body><p><img src='logo.png' alt='Logo'> Ministry</p><p><input type='checkbox' "
                         f"hidden> Read more</p><table>{rows}</table></body></html>".encode(), "html").text
    assert "Logo" not in text and "☐" not in text  # a logo's alt and a hidden box are no text of the page
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(text, form, "reply.html")]
    assert got == [("yes", said[1]), ("no", ""), ("yes", said[3])]


def test_a_reply_with_russian_labels_is_read_by_its_labels():
    """"РАЗДЕЛ II.", "Рекомендация 1", "Принятые меры (Да/Нет): Да", "Комментарии:": the label
    parser knows them (questionnaire_labels.py), and the label naming both marks is read past
    its colon (marks.action_mark)."""
    doc = ("РАЗДЕЛ I. Use of the Internet\n\nРекомендация 1\n\nGovernments should train police.\n\n"
           "Принятые меры (Да/Нет): Да\n\nКомментарии:\n   Police were trained.\n\n"
           "РАЗДЕЛ II. Alternatives to imprisonment\n\nРекомендация 1\n\nGovernments should use alternatives.\n\n"
           "Принятые меры (Да/Нет): Нет\n\nКомментарии:\n\n")
    passages = parse_questionnaire(doc, Document(id="kz", file="kz.txt", title="KZ", kind="questionnaire-response"))
    got = [(p.fields["issue"], p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"])
           for p in passages]
    assert got == [("I", 1, "yes", "Police were trained."), ("II", 1, "no", "")]


def test_line_breaks_inside_an_answer_part_its_words(form, texts):
    """A Markdown table's cell breaks its comment with <br>, an HTML list item holds the text,
    "Status:" and "Comments:<br>…" as paragraphs: the words either side of a break stay apart
    ("trafficking. Since 2018", not "trafficking.Since"), and each paragraph is its own line."""
    from indexer.formats import extract_bytes
    said = "Training was given in 2017.<br>Since 2018 the provinces take part."
    doc = "| # | Recommendation | Done? | Notes |\n|---|---|---|---|\n" + "".join(
        f"| I.{n} | {texts[('I', n)]} | Yes | {said} |\n" for n in (1, 2, 3))
    assert read(doc, form)[0].fields["comment"] == "Training was given in 2017. Since 2018 the provinces take part."
    items = "".join(f"<li><p>{texts[('I', n)]}</p><p><strong>Status:</strong> Yes</p>"
                    f"<p><strong>Comments:</strong><br>The police acted.<br><br>Also in {2018 + n}.</p></li>" for n in (1, 2, 3))
    text = extract_bytes(f"<html><body><ol>{items}</ol></body></html>".encode(), "html").text
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(text, form, "reply.html")]
    assert got == [("yes", f"The police acted. Also in {2018 + n}.") for n in (1, 2, 3)]


def test_replies_in_a_spreadsheet_a_web_form_footnotes_and_word_content_controls(form, texts, tmp_path):
    """Four more templates: a spreadsheet printed to PDF (the "Y"/"N" column read into the
    comment's line, rows numbered "III 2"); a saved web form (a drop-down's chosen option, a
    question as the mark's label, a text box); Markdown footnotes holding the comments
    ("Sim[^1]"); Word content controls holding the answers, placeholders left unsaid."""
    import docx

    from indexer.formats import extract, extract_bytes
    said = {1: "The police trained 300 officers.", 2: "", 3: "A unit was set up in 2021."}
    sheet = "Issue Rec. Recommendation text Action taken (Y/N) Comments\n" + "".join(
        f"III {n} {texts[('I', n)]}\n{'Y ' + said[n] if said[n] else 'N –'}\n" for n in (1, 2, 3))
    assert [(p.fields["action_taken"], p.fields["comment"]) for p in read(sheet, form)] == [
        ("yes", said[1]), ("no", ""), ("yes", said[3])]
    page = "<form>" + "".join(
        f"<p>Empfehlung I.{n}<br>{texts[('I', n)]}</p><label>Wurden Maßnahmen gesetzt?</label><select>"
        f"<option value=''>– bitte auswählen –</option><option value='ja' {'selected' if said[n] else ''}>Ja</option>"
        f"<option value='nein' {'' if said[n] else 'selected'}>Nein</option></select><label>Anmerkungen</label>"
        f"<textarea>{said[n]}</textarea>" for n in (1, 2, 3)) + "<button>Senden</button></form>"
    text = extract_bytes(f"<html><body><h1>Fragebogen</h1>{page}</body></html>".encode(), "html").text
    assert "Senden" not in text and "bitte" not in text
    assert [(p.fields["action_taken"], p.fields["comment"]) for p in read(text, form, "reply.html")] == [
        ("yes", said[1]), ("no", ""), ("yes", said[3])]
    notes = "".join(f"### Recomendação I.{n}\n\n{texts[('I', n)]}\n\n**Medida tomada:** "
                    f"{'Sim' if said[n] else 'Não'}{f'[^{n}]' if said[n] else ''}\n\n" for n in (1, 2, 3))
    notes = notes.replace(texts[("I", 2)], texts[("I", 2)] + "[^src]", 1)  # the form's own note on a text
    notes += "".join(f"[^{n}]: {said[n]}\n\n" for n in (1, 3)) + "[^src]: UNODC, World Drug Report 2019.\n"
    assert [(p.fields["action_taken"], p.fields["comment"]) for p in read(notes, form)] == [
        ("yes", said[1]), ("no", ""), ("yes", said[3])]
    document = docx.Document()
    for n in (1, 2, 3):
        document.add_paragraph(f"I.{n}\t{texts[('I', n)]}")
        for label, value in (("[Action taken]", "Yes" if said[n] else "No"),
                             ("[Comments]", said[n] or "Click or tap here to enter text.")):
            paragraph = document.add_paragraph(label)
            _in_content_control(paragraph, value, placeholder=not said[n] and label == "[Comments]")
    document.save(tmp_path / "reply.docx")
    text = extract(tmp_path / "reply.docx").text
    assert "Click or tap" not in text
    assert [(p.fields["action_taken"], p.fields["comment"]) for p in read(text, form, "reply.docx")] == [
        ("yes", said[1]), ("no", ""), ("yes", said[3])]


def _in_content_control(paragraph, value: str, placeholder: bool) -> None:
    """Append to a paragraph a content control holding `value` (as Word marks a placeholder's)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    shown = "<w:showingPlcHdr/>" if placeholder else ""
    paragraph._p.append(parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr>{shown}</w:sdtPr><w:sdtContent><w:r><w:t "
                                  f"xml:space='preserve'> {value}</w:t></w:r></w:sdtContent></w:sdt>"))
