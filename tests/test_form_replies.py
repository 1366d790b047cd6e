"""Replies in templates no label names, read by the form they answer: the recommendations the
corpus's replies hold, found word for word in the new file, and what stands between one and
the next read as that country's mark and comment (indexer/parsers/questionnaire_form.py)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from indexer.corpus import load_corpus, parse_document
from indexer.models import Document
from indexer.parsers.questionnaire import parse_questionnaire
from indexer.parsers.questionnaire_form import answers_the_form, form_of, parse_form_reply
from indexer.verify import first_bad_offset

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
BELGIUM = CORPUS / "belgium-cnd-questionnaire-response.txt"


@pytest.fixture(scope="module")
def form():
    doc = Document(id="be", file=BELGIUM.name, title="Belgium", kind="questionnaire-response")
    return form_of(parse_questionnaire(BELGIUM.read_text("utf-8"), doc))


@pytest.fixture(scope="module")
def texts(form):
    """The form's recommendation texts by (issue, number), as the Belgian reply writes them."""
    doc = Document(id="be", file=BELGIUM.name, title="Belgium", kind="questionnaire-response")
    return {(p.fields["issue"], p.fields["recommendation"]): p.fields["recommendation_text"]
            for p in parse_questionnaire(BELGIUM.read_text("utf-8"), doc)}


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


def test_a_report_quoting_two_recommendations_is_no_reply(form, texts):
    doc = f"A report.\n\nThe Commission recalled that “{texts[('I', 1)]}” and that “{texts[('I', 2)]}”\n"
    assert answers_the_form(doc, form) is None


def test_an_unlisted_reply_in_a_new_template_joins_the_tables_with_its_country(tmp_path, texts):
    """Dropped into the corpus folder unlisted, the reply is a questionnaire response read by the
    form, Peru's (its file name and "Perú" say so), numbered as the other replies number it; the
    corpus's own documents are read as before."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    blocks = "".join(f"Recomendación {n}\n{texts[(i, n)]}\nSÍ [X]  NO [ ]\nObservaciones: Perú actuó en 2022 y en 2023.\n\n"
                     for i, count in ISSUES for n in range(1, count + 1))
    (corpus / "peru-cnd-questionnaire-response.txt").write_text("REPÚBLICA DEL PERÚ\n\n" + blocks, "utf-8")
    loaded = load_corpus(corpus)
    by_file = {d.file: (d, text) for d, text in loaded.documents}
    document, text = by_file["peru-cnd-questionnaire-response.txt"]
    assert (document.kind, document.parser, document.country) == ("questionnaire-response", "questionnaire-form", "Peru")
    assert any(re.search(r"peru-cnd-questionnaire-response\.txt: .*kind=questionnaire-response", w)
               for w in loaded.warnings), loaded.warnings
    passages = parse_document(document, text, 512, form=loaded.form)
    assert [p.id.split(":", 1)[1] for p in passages][:4] == ["issue-I:rec-1", "issue-I:rec-2", "issue-I:rec-3",
                                                             "issue-II:rec-1"]
    assert len(passages) == 16 and all(p.fields["comment"] == "Perú actuó en 2022 y en 2023." for p in passages)
    assert {d.parser for d, _ in loaded.documents if d.file != document.file} >= {"questionnaire"}
    assert "questionnaire-form" not in {d.parser for d, _ in loaded.documents if d.file != document.file}


def test_a_node_of_the_cluster_build_reads_a_reply_by_the_form(tmp_path, texts):
    """The cluster build parses each document on a node from what the driver sends it: a reply
    read by the form needs the form sent along (it had been parsed against none: no passages)."""
    import pickle

    from indexer.cluster_embed import parse_row, row_payload

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "ghana-cnd-questionnaire-response.md").write_text("# Republic of Ghana\n\n" + "".join(
        f"## {n}\n{texts[(i, n)]}\nYes\nGhana trained its officers.\n\n" for i, count in ISSUES
        for n in range(1, count + 1)), "utf-8")
    loaded = load_corpus(corpus)
    [(document, text)] = [(d, t) for d, t in loaded.documents if d.file.startswith("ghana")]
    row = parse_row({"i": 0, "payload": row_payload(loaded, document, text, 512)})
    passages = pickle.loads(row["passages"])
    assert row["kept"] and len(passages) == 16 and row["node"].endswith(":local")
    assert {(p.fields["action_taken"], p.fields["comment"]) for p in passages} == {("yes", "Ghana trained its officers.")}


def test_the_blank_form_and_a_table_of_contents_are_no_replies(tmp_path, texts, form):
    """The questionnaire itself, blank ("Action taken: YES NO", "Comments:"), holds every
    recommendation but answers none: it stays a report. A reply that quotes a recommendation in
    its cover letter is answered where the answer stands, after the last quote."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    blank = "".join(f"{n}. {texts[(i, n)]}\nAction taken: YES NO\nComments:\n\n" for i, count in ISSUES
                    for n in range(1, count + 1))
    (corpus / "cnd-questionnaire-blank.txt").write_text("QUESTIONNAIRE\n\n" + blank, "utf-8")
    documents = {d.file: d for d, _ in load_corpus(corpus).documents}
    assert documents["cnd-questionnaire-blank.txt"].kind == "report"
    letter = f"Dear Sir, on “{texts[('I', 1)]}” see our comments below.\n\n"
    doc = letter + "".join(f"{n}. {texts[('I', n)]}\nStatus: In progress\nRemarks: The police acted.\n\n" for n in (1, 2, 3))
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form)]
    assert got == [("unknown", "The police acted.")] * 3


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


PROSE = ["Implemented in 2020.", "This has not been implemented.", "Measures taken include training of 300 officers.",
         "No, the law already provides for this.", "No. of officers trained: 300.", "See 2.1.", "In progress"]


@pytest.mark.parametrize("mark_line, comment, want", [
    # the printed form's own line: an X before the label marks it; both labels and no X, unknown
    ("Any action taken YES X NO", "The police acted in 2022.", ("no", "The police acted in 2022.")),
    ("Any action taken YES NO", "The police acted in 2022.", ("unknown", "The police acted in 2022.")),
    # a comment's prose that holds a status's, a mark's or a number's words is the comment
    *(("Action taken: Yes", prose, ("yes", prose)) for prose in PROSE),
    ("Action taken: Yes", "Measures adopted:\n\n- training of officers\n- awareness campaigns",
     ("yes", "training of officers awareness campaigns")),
    ("Action taken: Yes", "The report is online:\n\nhttps://police.example/report",
     ("yes", "The report is online: https://police.example/report")),
])
def test_a_comments_own_words_are_never_read_as_labels(form, texts, mark_line, comment, want):
    """What a reviewer fed the form reader: the printed form's mark line, and comments whose
    words look like a status, a mark, a number or a label."""
    doc = "REPLY OF X\n\n" + "".join(f"Recommendation {n}\n\n{texts[('I', n)]}\n\n{mark_line}\n\nComments:\n\n"
                                     f"{comment if n == 1 else 'The police acted.'}\n\n" for n in (1, 2, 3))
    first = read(doc, form)[0]
    assert (first.fields["action_taken"], first.fields["comment"].replace("- ", "")) == want


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


@pytest.mark.parametrize("last, comment", [
    # a letter's place and date, its valediction and signature, a quoted e-mail: no comment's
    ("The unit opened in 2021.\nRabat, 12 November 2020", "The unit opened in 2021."),
    ("The unit opened in 2021.\n\nBest regards,\nAhmed Hassan\n\n-----Original Message-----\nFrom: CND\n"
     "Please indicate whether any action has been taken.", "The unit opened in 2021."),
    # a comment's own last lines stay (a reviewer's cases)
    ("Three services took part.\n- Federal Police,\n- Customs and Excise,\n- the Public Prosecutor",
     "Three services took part. Federal Police, Customs and Excise, the Public Prosecutor"),
    ("A unit was set up in 2021.\nFurther training is planned for 2024", None),
    ("The following measures were taken.\n(a) training of 300 officers\n(b) a new cybercrime unit", None),
    ("The report was published in 2022.\nSee https://www.police.be/report-2022", None),
    ("A new law was drafted.\nAdopted by Parliament: No", None),
])
def test_what_closes_the_last_reply_is_no_comment(form, texts, last, comment):
    """After the last recommendation's comment, what closes a letter or quotes the e-mail
    replied to is no part of it; the comment's own last lines are."""
    reply = "".join(f"Recommendation {n}\n\n{texts[('I', n)]}\n\nAction taken: Yes\n\nComments:\n\n"
                    f"{last if n == 3 else 'The police acted.'}\n" for n in (1, 2, 3))
    got = read(reply, form)[-1]
    assert (got.fields["action_taken"], got.fields["comment"]) == ("yes", comment or " ".join(last.split()))


@pytest.mark.parametrize("blocks, want", [
    # prose opening "No …" in every answer is no mark column (it would flip the meaning)
    ([("", "No new legislation was adopted."), ("", "No specific training was provided."),
      ("", "No information is available.")], [("unknown", "No new legislation was adopted.")]),
    # a field's label that looks like a number is the comment's ("G20", "EU 27")
    ([("Action taken: Yes", "The police acted."), ("Action taken: Yes", "EU 27: all Member States agreed."),
      ("Action taken: Yes", "The police acted.")], [("yes", "The police acted."), ("yes", "all Member States agreed.")]),
    # a comment's first sentence that opens like column heads is the comment
    ([("Action taken: Yes", "Recommendation measures were adopted by the Council in 2021.")] * 3,
     [("yes", "Recommendation measures were adopted by the Council in 2021.")]),
    # a remark after the ticked box is no second mark
    ([("Action taken: ☒ Yes ☐ No — Remark: no further action needed", "Comments: The police acted.")] * 3,
     [("yes", "The police acted.")]),
    # "Status:" in a comment's prose is no run-in field (a second reviewer's cases)
    ([("Action taken: Yes", "A bill was drafted. Status: pending before Parliament."),
      ("", "A bill was drafted. Status: no vote yet."), ("Action taken: Yes", "Implemented. Status: in force since 2020.")],
     [("yes", "A bill was drafted. Status: pending before Parliament."),
      ("unknown", "A bill was drafted. Status: no vote yet."), ("yes", "Implemented. Status: in force since 2020.")]),
    # a comment heading only the answers with a comment carry
    ([("Action taken: Yes\n\n### Comments", "The police trained 300 officers."), ("Action taken: No", ""),
      ("Action taken: Yes\n\n### Comments", "A unit was set up.")],
     [("yes", "The police trained 300 officers."), ("no", ""), ("yes", "A unit was set up.")]),
    # words between dashes, a quoted title: the comment's
    ([("Action taken: Yes", "The police acted in 2019.\n\n--- Update 2021 ---\n\nA second unit was set up.")] * 3,
     [("yes", "The police acted in 2019. --- Update 2021 --- A second unit was set up.")]),
    ([("Action taken: Yes", 'Campaign "Stop Drugs"\nThe campaign reached 2 million people.')] * 3,
     [("yes", 'Campaign "Stop Drugs" The campaign reached 2 million people.')]),
    # a third reviewer's: a footnote cited in a labelled comment, an editor's bracket, a question in a comment
    ([("Action taken: Yes", "**Comments:** The police acted as reported[^2]."),
      ("Action taken: Yes", "[sic] The police acted as the law required."),
      ("Action taken: Yes\n\nComments:", "Has the unit been set up?\nYes\n\nIt opened in March 2021.")],
     [("yes", "The police acted as reported[^2]."), ("yes", "[sic] The police acted as the law required."),
      ("yes", "Has the unit been set up? Yes It opened in March 2021.")]),
])
def test_prose_the_new_rules_leave_alone(form, texts, blocks, want):
    """What a reviewer fed the rules for unseen templates: each is a comment, read as before."""
    doc = "".join(f"Recommendation {n}\n\n{texts[('I', n)]}\n\n{head}\n\n{said}\n\n"
                  for n, (head, said) in enumerate(blocks, 1))
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form)]
    assert got[:len(want)] == want


def test_a_status_column_beside_an_empty_comment_cell_is_the_mark(form, texts):
    """"Not implemented" in a table's status column, the comment cell empty, marks no: a badge is
    a row's label only when it opens its row ("Implemented<TAB>No")."""
    doc = "No.\tRecommendation\tStatus\tComments\n" + "".join(
        f"{n}\t{texts[('I', n)]}\t{status}\t{said}\n" for n, status, said in (
            (1, "Implemented", "The police acted."), (2, "Not implemented", ""), (3, "Implemented", "A unit was set up.")))
    got = [(p.fields["action_taken"], p.fields["comment"]) for p in read(doc, form)]
    assert got == [("yes", "The police acted."), ("no", ""), ("yes", "A unit was set up.")]


def test_a_general_section_after_the_last_answer_is_no_comment(form, texts):
    """"## General comments" after the last answer heads a section of the reply's own, not the
    last comment: only the heading most answers carry ("### Comments") heads a comment."""
    doc = "".join(f"## Recommendation {n}\n\n{texts[('I', n)]}\n\nAction taken: {mark}\n\n"
                  + ("Comments: The police acted.\n\n" if n != 3 else "") for n, mark in ((1, "Yes"), (2, "Yes"), (3, "No")))
    doc += "## General comments\n\nBelgium reiterates its commitment to the Ministerial Declaration.\n"
    assert (read(doc, form)[-1].fields["action_taken"], read(doc, form)[-1].fields["comment"]) == ("no", "")


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


def test_a_reply_sent_as_an_email_ends_where_the_letter_closes():
    """Read by its labels, an e-mailed reply's last comment ends at the valediction ("Best
    regards,") or the quoted message ("-----Original Message-----"), not with the signature, the
    disclaimer and the Secretariat's quoted request."""
    doc = ("ISSUE 1 : USE OF THE INTERNET\r\n\r\nRecommendation 1\r\n\r\nGovernments should train police.\r\n\r\n"
           "Action taken : [X] Yes [ ] No\r\n\r\nComments : The police were trained in 2019.\r\n\r\n"
           "Best regards,\r\n\r\nW. A. Perera\r\nDirector\r\n\r\nThis e-mail is confidential.\r\n\r\n"
           "-----Original Message-----\r\nFrom: CND Secretariat\r\n> Please return the questionnaire.\r\n")
    passages = parse_questionnaire(doc, Document(id="lk", file="lk.eml", title="LK", kind="questionnaire-response"))
    assert [(p.fields["action_taken"], p.fields["comment"]) for p in passages] == [
        ("yes", "The police were trained in 2019.")]
    quoted = doc.replace("Best regards,\r\n\r\nW. A. Perera\r\nDirector\r\n\r\nThis e-mail is confidential.\r\n\r\n", "")
    passages = parse_questionnaire(quoted, Document(id="lk", file="lk.eml", title="LK", kind="questionnaire-response"))
    assert passages[0].fields["comment"] == "The police were trained in 2019."
