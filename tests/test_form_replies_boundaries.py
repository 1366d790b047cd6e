"""Where a reply read by the form begins and ends: which files are replies at all (not a
report quoting recommendations, nor the blank questionnaire; a reply dropped unlisted into the
corpus, or parsed on a node of the cluster build, is), and where its comments end: prose that
looks like a label, a mark or a heading stays the comment's; a letter's close, a quoted e-mail
or a general section after the last answer is no comment's.
"""
from __future__ import annotations

import re
import shutil

import pytest

from indexer.corpus import load_corpus, parse_document
from indexer.models import Document
from indexer.parsers.questionnaire import parse_questionnaire
from indexer.parsers.form_places import answers_the_form

from conftest import CORPUS
from test_form_replies import ISSUES, read


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
    # a letter's sign-off as ministries sign: a valediction, the name in capitals, a notation, the annexes
    ("The assessment was shared with UNODC in Bogotá.\nCordialmente,\nANDRÉS FELIPE ROJAS MEDINA\n"
     "Director de Política de Drogas\nAnexo: Informe ODC 2019 (42 folios)", "The assessment was shared with UNODC in Bogotá."),
    ("It has not been transmitted to UNODC.\nFor the Minister of Health\n/-/ Katarzyna Wiśniewska\n"
     "/signed electronically/", "It has not been transmitted to UNODC."),
    ("It is being finalized.\n(signed)\nBrig. Gen. Hasan Al-Qudah\nAttachment: National Strategy (36 pages).",
     "It is being finalized."),
    # the reply's own closing section after the last answer (a survey's "Final remarks" question)
    ("It was presented to GAFILAT.\nFinal remarks\nThe National Drug Plan 2017–2022 is online.",
     "It was presented to GAFILAT."),
    # a name in capitals that a colon announces, or a statement in capitals, is the comment's
    ("The plan is called:\nNATIONAL DRUG STRATEGY", None), ("NO NEW LEGISLATION REQUIRED", None),
    # a reviewer's: a status or a heading in capitals, a line ending in a comma, prose opening like a sign-off
    ("PARTIALLY IMPLEMENTED", None), ("MINISTRY OF HEALTH\nNaloxone programmes run in 12 cities.", None),
    ("A unit was set up in 2021.\nIn addition,\nthe prosecutors were trained.", None),
    ("The law was adopted in 2020.\nFor the Government, prevention remains the first priority.", None),
    ("A focal point was named.\nFocal point: the Observatory collects the data.", None),
    ("Has it been adopted by Parliament?\nNo.", None),
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
    # a comment that opens like another language's label ("Tawsiya 2"): "Act 1019 gives …"
    ([("Action taken: Yes", "Act 1019 gives courts discretion.")] * 3, [("yes", "Act 1019 gives courts discretion.")]),
    ([("Action taken: Yes", "Act 1019")] * 3, [("yes", "Act 1019")]),
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


def test_the_next_issues_heading_in_two_languages_and_a_bilingual_label_before_a_dash(form, texts):
    """A bilingual reply heads each issue in both languages, the form's title then its
    translation: after an issue's last comment, the next issue's heading and all that follows
    it are no comment's words. "Observaciones / Comments: —" is a comment label in two languages
    over a dash: no comment."""
    title = ("Alternatives to imprisonment for certain offences as demand reduction strategies that promote "
             "public health and public safety")
    said = {1: "Se capacitó a 212 investigadores.", 2: "—", 3: "La Fiscalía creó un grupo especializado."}
    doc = "".join(f"Recomendación / Recommendation I.{n}\n{texts[('I', n)]}\n¿Se adoptaron medidas? /\n"
                  f"Action taken: ☒ Sí / Yes ☐ No\nObservaciones / Comments: {said[n]}\n" for n in (1, 2, 3))
    doc += (f"ISSUE II / TEMA II: {title}\nAlternativas al encarcelamiento para determinados delitos como\n"
            f"estrategias de reducción de la demanda\nRecomendación / Recommendation II.1\n{texts[('II', 1)]}\n"
            "Action taken: ☐ Sí / Yes ☒ No\nObservaciones / Comments: No se adoptaron medidas.\n")
    got = [(p.fields["action_taken"], p.fields["comment"], p.fields["answered"]) for p in read(doc, form)]
    assert got == [("yes", said[1], True), ("yes", "", False), ("yes", said[3], True),
                   ("no", "No se adoptaron medidas.", True)], got


def test_a_reply_read_by_its_labels_answers_nothing_with_n_a_and_ends_at_its_sign_off(texts):
    """Read by its labels as by the form: "N/A" is no comment (it had been an answer saying
    "N/A"), and the last comment ends where the letter is signed for the minister."""
    doc = "".join(f"Recommendation {n}\n{texts[('I', n)]}\nAction taken: Yes [X] No [ ]\nComments:\n{said}\n"
                  for n, said in ((1, "The police acted."), (2, "N/A"),
                                  (3, "It was published in 2019.\nFor the Minister of Health\n/-/ K. Nowak")))
    document = Document(id="pl", file="pl.txt", title="Poland", kind="questionnaire-response")
    got = [(p.fields["comment"], p.fields["answered"]) for p in parse_questionnaire(doc, document)]
    assert got == [("The police acted.", True), ("", False), ("It was published in 2019.", True)], got
