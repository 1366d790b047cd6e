"""The corpus grows by files dropped into its folder: another country, in PDF, unlisted.

The manifest declares Belgium and Luxembourg. A third country's questionnaire response, printed
to PDF and not listed, must still be that country's: its rows in tables across countries, its
column in /coverage, its name narrowing a question. So must a fourth's, filled in as a table in
Word, and a fifth's, that table printed to PDF: templates the corpus has not shown.
"""
from __future__ import annotations

import io
import re

import numpy as np
import pytest

from indexer.build import build_index
from indexer.countries import named_country
from indexer.formats import extract_bytes
from indexer.models import Document
from indexer.parsers.questionnaire import looks_like_questionnaire, parse_questionnaire
from indexer.verify import first_bad_offset
from test_formats import CORPUS, latin1, make_pdf


def word_reply(country: str, rows: list[tuple[str, str, str, str, str]], columns=("Action taken", "Comments")) -> bytes:
    """A reply filled in as tables: per recommendation a header row "Recommendation n | <columns>"
    and a row of its text and cells. rows: (issue heading, number, text, mark, comment)."""
    import docx

    d = docx.Document()
    d.add_heading(f"Reply of {country} to the questionnaire", 0)
    issue = None
    for heading, number, text, mark, comment in rows:
        if heading != issue:
            d.add_heading(heading, 1)
            issue = heading
        table = d.add_table(rows=2, cols=3)
        cells = {"Action taken": mark, "Comments": comment}
        table.cell(0, 0).text = f"Recommendation {number}"
        table.cell(1, 0).text = text
        for i, name in enumerate(columns, start=1):
            table.cell(0, i).text = name
            table.cell(1, i).text = cells[name]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_reply_filled_in_as_tables_reads_as_the_form():
    """Columns in either order; "No" marks no; a blank comment cell is no comment."""
    rows = [("Issue II: Alternatives to imprisonment", "1", "Governments are encouraged to use alternatives.",
             "Yes", "Judges may order treatment instead of prison."),
            ("Issue II: Alternatives to imprisonment", "2", "Governments are encouraged to train police.", "No", "")]
    x = extract_bytes(word_reply("Spain", rows, columns=("Comments", "Action taken")), "docx")
    assert looks_like_questionnaire(x.text)
    passages = parse_questionnaire(x.text, Document(id="es", file="es.docx", title="Spain",
                                                    kind="questionnaire-response"))
    got = [(p.id, p.fields["action_taken"], p.fields["answered"], p.fields["comment"]) for p in passages]
    assert got == [("es:issue-II:rec-1", "yes", True, "Judges may order treatment instead of prison."),
                   ("es:issue-II:rec-2", "no", False, "")]
    assert passages[0].fields["recommendation_text"] == "Governments are encouraged to use alternatives."
    assert all(first_bad_offset(x.text, p) is None for p in passages)


@pytest.mark.parametrize("title, stem, text, country", [
    ("Portugal - response to the CND questionnaire", "resp", "Portugal reports.", "Portugal"),
    ("Response to the questionnaire", "bolivia-cnd-response-2019", "In Bolivia, Peru and Chile.", "Bolivia"),
    ("Response", "resp", "Plurinational State of Bolivia reports. " * 5 + "Peru was consulted.", "Bolivia"),
    ("Report", "r", "South Korea and Japan. " * 3, None),  # two countries alike: no subject
    ("Report of the Commission", "e-2025-28", "United States " * 46 + "Colombia " * 27, None),
    ("Report", "r", "Portugal once.", None),  # below the floor
    ("Report", "r", "The Democratic Republic of the Congo reports. " * 4, "Democratic Republic of the Congo"),
    ("Report", "r", "South Sudan and Sudan met. South Sudan reported. South Sudan again.", "South Sudan"),
    ("Jordan Peterson lecture notes", "notes", "A lecture on order.", None),  # the text names no Jordan
    ("Notes", "niger-delta-notes", "Oil in Nigeria. " * 3 + "The Niger Delta.", "Nigeria"),
    ("Reply of the Russian Federation", "reply", "Russia reports. Russia acted.", "Russian Federation"),
    # named only in the reply's own language (pycountry's translations of ISO 3166)
    ("Resposta ao questionário", "resposta-cnd", "O Brasil adotou uma lei para o tratamento da dependência. " * 4,
     "Brazil"),
    ("Respuesta", "respuesta-espana-cnd", "España informa de las medidas que se adoptaron para la prevención. " * 3,
     "Spain"),
    ("Réponse du Maroc au questionnaire", "reponse", "Le Maroc a pris des mesures pour la formation des agents. " * 4,
     "Morocco"),
    # names' particles in an English text are no Spanish ("Juan de la Cruz", "Costa del Sol"): Granada is no Grenada
    ("Arrests on the Costa del Sol", "costa-arrests", "Juan de la Cruz of Los Zetas was held in Granada. "
     "The Guardia Civil said Granada and Costa del Sol were hubs; Granada police and de la Cruz met. " * 2, None),
    # an English text's words that another language's name of a country spells are no country
    ("Drug courts in Rhode Island", "rhode-island-courts", "Rhode Island courts met. Rhode Island acted.", None),
    ("Minutes", "m", "Maurice Smith spoke. Maurice thanked the Reunion of experts.", None),
])
def test_a_country_of_iso_3166_is_named_by_title_file_name_or_a_dominant_text(title, stem, text, country):
    found, where = named_country(title, stem, text, floor=2)
    assert (found.name if found else None) == country, where
    assert where


@pytest.mark.parametrize("text, expected", [
    ("Recommendation 1\tAction taken\tComments\tResponsible body\nGovernments act.\tYes\tWe acted.\tMinistry\n\n"
     "Recommendation 2\tAction taken\tComments\tResponsible body\nGovernments report.\tNo\t\tPolice\n",
     [("yes", True, "We acted."), ("no", False, "")]),  # a column after the comment's is not the comment
    ("Recommendation 1\tComments\tAction taken\nGovernments act.\tWe acted.\tYes\n\nSee also the annex.\n",
     [("yes", True, "We acted.")]),  # the mark is its cell's first line
    ("Recommendation 1\tAction taken\tComments\nGovernments act.\tYes\tWe acted.\n\nAnd again in 2014.\n",
     [("yes", True, "We acted. And again in 2014.")]),  # the last column's comment runs on
    ("Recommendation 1\tAction taken\tComments", [("unknown", False, "")]),  # a header and nothing under it
    # as pdfium reads the form printed to PDF: cells on lines of their own, or top lines read as one
    ("Recommendation 1 Action taken Comments\r\nGovernments act\r\nfor all.\r\nYes We acted.\r\n",
     [("yes", True, "We acted.")]),
    ("Recommendation 1 Action taken Comments\nGovernments act. No\nWe did not.\n", [("no", True, "We did not.")]),
    ("Recommendation 1 Comments Action taken\nGovernments act.\nNo Member State objected.\nYes\n",
     [("yes", True, "No Member State objected.")]),  # the mark ends the block
    ("Recommendation 1 Action taken Comments\nGovernments act.\nWe acted.\n", [("unknown", True, "We acted.")]),
    ("Recommendation 1 Action taken Comments\r\nGovernments act. No\r\nWe did not.\r\n",
     [("no", True, "We did not.")]),  # pdfium's CR LF
    ("Recommendation 1 Action taken Comments\r\nGovernments act.\r\nYes\r\nWe acted.\r\n"
     "Recommendation 2 Action taken Comments\fGovernments report.\r\nNo\r\nWe did not.",
     [("yes", True, "We acted."), ("no", True, "We did not.")]),  # a header ending a page
    ("Recommendation 1 Action taken Comments\nStates should ratify ILO Convention\nNo. 182 on child labour.\nYes\n"
     "We acted.\n", [("yes", True, "We acted.")]),  # "No. 182" is no mark
    ("Recommendation 1 Action taken Comments\nStates act (Art. 3). No State may refuse.\nYes\nWe acted.\n",
     [("yes", True, "We acted.")]),
    ("Recommendation 1\nGovernments act.\nAny action taken X YES NO\nComments:\nAs under\nRecommendation 1: the "
     "police were trained.\n", [("yes", True, "As under Recommendation 1: the police were trained.")]),  # quoted
])
def test_a_table_forms_cells_end_where_the_header_says(text, expected):
    doc = "Issue I: Internet\n\n" + text
    passages = parse_questionnaire(doc, Document(id="q", file="q.txt", title="Q", kind="questionnaire-response"))
    assert [(p.fields["action_taken"], p.fields["answered"], p.fields["comment"]) for p in passages] == expected
    assert all(first_bad_offset(doc, p) is None for p in passages)


@pytest.mark.parametrize("line, mark", [
    ("Any action taken X YES NO", "yes"), ("Any action taken YES X NO", "no"), ("Any action taken YES NO", "unknown"),
    ("Any action taken ☒ Yes ☐ No", "yes"), ("Any action taken ☐ Yes ☒ No", "no"),
    ("Action taken: Yes ☐ No ☒", "no"), ("Action taken: Yes ☒ No ☐", "yes"),
    ("Any action taken [X] YES [ ] NO", "yes"), ("Any action taken [ ] YES [ ] NO", "unknown"),
    ("Action taken: Yes", "yes"), ("Any action taken: No.", "no"),
])
def test_a_forms_check_boxes_read_on_either_side_of_their_labels(line, mark):
    """Word forms print check boxes, before their labels or after: the line's first box says which."""
    doc = f"Issue I: Internet\n\nRecommendation 1\nGovernments act.\n{line}\nComments: We acted.\n"
    [passage] = parse_questionnaire(doc, Document(id="q", file="q.txt", title="Q", kind="questionnaire-response"))
    assert (passage.fields["action_taken"], passage.fields["comment"]) == (mark, "We acted.")
    assert passage.fields["recommendation_text"] == "Governments act."


def test_a_forms_labels_may_run_on_with_dashes_colons_and_capitals():
    """"ISSUE II – title" and "Recommendation 1: text" on one line are the same form."""
    doc = ("ISSUE II – Alternatives to imprisonment\n\nRecommendation 1: Governments act.\nAny action taken ☐ Yes ☒ No\n"
           "Comments: Not yet.\n\nRecommendation 2 – Governments report.\nAny action taken X YES NO\nComments: Done.\n")
    passages = parse_questionnaire(doc, Document(id="q", file="q.txt", title="Q", kind="questionnaire-response"))
    got = [(p.id, p.fields["issue_title"], p.fields["recommendation_text"], p.fields["action_taken"], p.fields["comment"])
           for p in passages]
    assert got == [("q:issue-II:rec-1", "Alternatives to imprisonment", "Governments act.", "no", "Not yet."),
                   ("q:issue-II:rec-2", "Alternatives to imprisonment", "Governments report.", "yes", "Done.")]
    assert all(first_bad_offset(doc, p) is None for p in passages)


def pdf_table_reply(rows: list[tuple[str, str, str, str, str]], columns: tuple[str, str], title: str = "") -> bytes:
    """The table form printed to PDF, as a word processor prints it: per recommendation a
    header row and a row of the text and the cells, which pdfium reads cell after cell."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    if title:
        pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    issue = None
    for heading, number, text, mark, comment in rows:
        if heading != issue:
            pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
            issue = heading
        cells = {"Action taken": mark, "Comments": comment}
        with pdf.table(col_widths=(60, 25, 95) if columns[0] == "Action taken" else (60, 95, 25)) as table:
            for row in ([f"Recommendation {number}", *columns], [text, *(cells[c] for c in columns)]):
                cells_row = table.row()
                for cell in row:
                    cells_row.cell(latin1(cell))
        pdf.ln(4)
    return bytes(pdf.output())


@pytest.mark.parametrize("columns", [("Action taken", "Comments"), ("Comments", "Action taken")])
def test_a_reply_printed_as_a_table_to_pdf_reads_as_the_form(columns):
    """No tabs in a PDF: the header's words share a line and each cell has lines of its own. A
    mark line parts the text from the comment; without a mark, the line that ends the text's
    sentence does. Every recommendation of Luxembourg's reply, over several pages, comes back
    with its text, mark and comment."""
    lu = parse_questionnaire((CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8"),
                             Document(id="lu", file="lu.txt", title="Lu", kind="questionnaire-response"))
    marks = ["Yes", "No", ""]
    rows = [(f"Issue {p.fields['issue']}: {p.fields['issue_title']}", str(p.fields["recommendation"]),
             p.fields["recommendation_text"], marks[i % 3], "" if i == 4 else p.fields["comment"])
            for i, p in enumerate(lu)]
    x = extract_bytes(pdf_table_reply(rows, columns), "pdf")
    assert len(x.page_starts) > 1 and looks_like_questionnaire(x.text)
    passages = parse_questionnaire(x.text, Document(id="es", file="es.pdf", title="Spain", kind="questionnaire-response"))

    def words(s: str) -> str:
        return " ".join(latin1(s).split())

    got = [(p.id.split(":", 1)[1], words(p.fields["recommendation_text"]), p.fields["action_taken"], words(p.fields["comment"]))
           for p in passages]
    # a long issue title wraps: its first line is the title, never the header row glued after it
    assert all(p.fields["issue_title"] and latin1(q.fields["issue_title"]).startswith(p.fields["issue_title"])
               for p, q in zip(passages, lu))
    want = [(p.id.split(":", 1)[1], words(text), {"Yes": "yes", "No": "no", "": "unknown"}[mark], words(comment))
            for p, (_, _, text, mark, comment) in zip(lu, rows)]
    assert got == want
    assert [p.fields["answered"] for p in passages] == [i != 4 for i in range(len(lu))]
    assert all(first_bad_offset(x.text, p) is None for p in passages)


def test_a_third_countrys_response_dropped_in_as_pdf_gets_its_rows(workspace, embedder):
    from service import ask, coverage, export
    from service.engine import Engine

    text = (CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8").replace("Luxembourg", "Portugal")
    text = text.replace("Officers in the Narcotics Section of the national police have received relevant "
                        "specialized training abroad", "The Judiciary Police runs a cybercrime unit whose "
                        "investigators completed courses on darknet markets")
    paras = [re.sub(r"\s+", " ", p) for p in text.split("\n\n") if p.strip()]
    pdf = make_pdf([paras[i:i + 8] for i in range(0, len(paras), 8)], title="Portugal - response to the CND questionnaire")
    (workspace.corpus / "portugal-cnd-response.pdf").write_bytes(pdf)
    lu = parse_questionnaire((CORPUS / "luxembourg-cnd-questionnaire-response.txt").read_text("utf-8"),
                             Document(id="lu", file="lu.txt", title="Lu", kind="questionnaire-response"))
    rows = [(p.heading[0], str(p.fields["recommendation"]), p.fields["recommendation_text"], "Yes",
             "The Guardia Civil trains its officers in online investigations." if p.id.endswith("I:rec-1")
             else p.fields["comment"].replace("Luxembourg", "Spain")) for p in lu]
    # Spain's form words Issue IV, Recommendation 3 a little differently: its own, not a gap; and
    # types Recommendation 4's hyphens as non-breaking ones: the same words, the same recommendation
    spain = [(h, n, t.replace("make use of the tools", "make full use of the tools") if h.startswith("Issue IV:") and n == "3"
              else t.replace("-", "\u2011") if h.startswith("Issue IV:") and n == "4" else t, mark, c)
             for h, n, t, mark, c in rows]
    (workspace.corpus / "spain-reply.docx").write_bytes(word_reply("Spain", spain))
    chile = [(heading, number, text, "No" if number == "2" else "Yes",
              "Carabineros de Chile run cyber patrol courses for officers." if heading.startswith("Issue I:")
              and number in ("1", "3") else comment.replace("Spain", "Chile").replace("Guardia Civil", "Carabineros"))
             for heading, number, text, _, comment in rows
             if not (heading.startswith("Issue IV:") and number == "4")]  # Chile's reply skips one
    (workspace.corpus / "chile-reply.pdf").write_bytes(
        pdf_table_reply(chile, ("Action taken", "Comments"), title="Reply of Chile to the questionnaire"))
    summary = build_index(workspace.settings, embedder=embedder)
    assert any("country=Portugal (inferred)" in w for w in summary.warnings)
    assert any("kind=questionnaire-response, country=Spain (inferred)" in w for w in summary.warnings)

    engine = Engine.open(workspace.settings, embedder=embedder)
    answer = ask.ask(engine, "which countries trained police on cybercrime?").answer
    rows = {r.country: r for r in answer.by_country}
    assert answer.type == "by_country" and set(rows) == {"Belgium", "Chile", "Luxembourg", "Portugal", "Spain"}
    assert "Judiciary Police runs a cybercrime unit" in rows["Portugal"].sentence
    assert "Carabineros de Chile run cyber patrol courses" in rows["Chile"].sentence
    assert rows["Chile"].action_taken == "yes", rows["Chile"]
    assert coverage.coverage(engine.index).countries == ["Belgium", "Chile", "Luxembourg", "Portugal", "Spain"]
    assert answer.not_in_response == []
    skipped = ask.ask(engine, "which countries share their money-laundering risk assessment with UNODC?").answer
    assert skipped.recommendation == "Issue IV, Recommendation 4" and skipped.not_in_response == ["Chile"]
    assert {r.country for r in skipped.by_country} == {"Belgium", "Luxembourg", "Portugal", "Spain"}
    assert '\r\nChile,not in response,' in export.answer_csv(skipped).decode("utf-8-sig")
    tools = ask.ask(engine, "which countries use UNODC tools to train financial investigators and prosecutors?").answer
    assert tools.recommendation == "Issue IV, Recommendation 3" and "Spain" not in {r.country for r in tools.by_country}
    assert tools.not_in_response == []  # Spain numbers it in its place, worded a little differently
    spain = ask.ask(engine, "which countries train police in online investigations?").answer
    assert "Guardia Civil" in {r.country: r for r in spain.by_country}["Spain"].sentence
    for q in ("what did Portugal say about FIU access?", "the Portuguese reply on FIU access"):
        scoped = ask.ask(engine, q)
        assert scoped.answer.type == "single" and scoped.answer.sentences
        assert {r.document.country for r in scoped.results} == {"Portugal"}, q


def test_a_build_without_a_countrys_documents_finds_what_others_say_of_it_by_the_manifests_names(tmp_path, settings,
                                                                                               embedder):
    """A cluster's shard may hold no document of Belgium while the question is narrowed to it on
    the front: the shard still finds "the Belgian delegation" in a UN report, by the adjective
    the manifest declares, as one build holding Belgium's documents does."""
    from service.loaded import LoadedIndex

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text(
        '[[country]]\nname = "Belgium"\nadjectives = ["Belgian"]\n\n'
        '[[document]]\nid = "cnd-report"\nfile = "cnd-report.txt"\ntitle = "Report of the Commission"\nkind = "report"\n',
        "utf-8")
    (corpus / "cnd-report.txt").write_text(
        "Report of the Commission\n\n1. The Belgian delegation introduced the draft resolution on drug checking.\n\n"
        "2. The Commission adopted the resolution without a vote.\n", "utf-8")
    build_index(settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index"}), embedder=embedder)
    from indexer import store

    index = LoadedIndex(store.resolve_build(tmp_path / "index"))
    assert index.countries == []  # no document of Belgium in this build
    found = [index.passage(r).text for r in np.flatnonzero(index.mentioning("Belgium"))]
    assert len(found) == 1 and "The Belgian delegation introduced" in found[0], found
