"""Replies to the questionnaire in templates the corpus has not shown, as a helper wrote them
the way governments do: labels in bold Markdown or in French, a page break right before a
label, issues numbered "1." over "Recommendation 1.1"; a reply whose country the file name
names though its text names another once; and one reply numbering otherwise renaming no row."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from indexer.corpus import load_corpus
from indexer.models import Document
from indexer.parsers.questionnaire import looks_like_questionnaire, parse_questionnaire

TEXT_1 = "Governments should ensure that their law enforcement agencies are trained."
TEXT_2 = "Governments must work together to overcome obstacles with service providers."


def parsed(doc: str) -> list:
    assert looks_like_questionnaire(doc)
    return parse_questionnaire(doc, Document(id="r", file="r.md", title="R", kind="questionnaire-response"))


def fields(passages) -> list[tuple]:
    return [(p.fields["issue"], p.fields["recommendation"], p.fields["action_taken"], p.fields["comment"],
             p.fields["recommendation_text"]) for p in passages]


@pytest.mark.parametrize("doc", [
    # Markdown with its labels in bold
    f"## Issue I – Internet\n\n### Recommendation 1\n\n{TEXT_1}\n\n**Action taken:** Yes\n\n**Comments:** "
    f"Our police train online.\n\n### Recommendation 2\n\n{TEXT_2}\n\n**Action taken:** No\n\n**Comments:**\n",
    # French labels
    f"Thème I : Internet\n\nRecommandation 1\n{TEXT_1}\nMesures prises : Oui\nCommentaires : Our police train online.\n\n"
    f"Recommandation 2\n{TEXT_2}\nMesures prises : Non\nCommentaires :\n",
    # a PDF's page break (form feed) right before a label, with no running head to stand between
    f"Issue I: Internet\nRecommendation 1\n{TEXT_1}\n\fAny action taken X YES NO\nComments:\nOur police train online.\n"
    f"Recommendation 2\n{TEXT_2}\nAny action taken YES X NO\n\fComments:\n",
    # a Word table of two columns under each recommendation, its labels in the first ("Comments" | the comment)
    f"# Issue I: Internet\n\n## Recommendation 1\n\n{TEXT_1}\n\nAction taken\tYes\nComments\tOur police train "
    f"online.\n\n## Recommendation 2\n\n{TEXT_2}\n\nAction taken\tNo\nComments\t\n",
])
def test_a_reply_in_another_template_reads_as_the_form(doc):
    assert fields(parsed(doc)) == [("I", 1, "yes", "Our police train online.", TEXT_1), ("I", 2, "no", "", TEXT_2)]


def test_issues_numbered_as_their_recommendations_head_them():
    """"1. Internet" over "Recommendation 1.1": the issue is 1, and the next issue's heading is
    no part of the last comment; a comment's own numbered list stays in the comment."""
    doc = (f"Reply of Chile\n\n1. Internet\n\nRecommendation 1.1\n{TEXT_1}\nAction taken: Yes\n"
           "Comments: We did two things:\n1. Trained police.\n2. Hired experts.\n\n"
           f"2. Alternatives to imprisonment\n\nRecommendation 2.1\n{TEXT_2}\nAction taken: No\nComments:\n")
    got = fields(parsed(doc))
    assert [(g[0], g[1]) for g in got] == [("1", "1.1"), ("2", "2.1")]
    assert got[0][3] == "We did two things: 1. Trained police. 2. Hired experts."
    assert parsed(doc)[1].heading[0] == "Issue 2: Alternatives to imprisonment"


def test_the_file_name_names_the_country_though_the_text_names_another_once(tmp_path):
    """"norway-…-response.md" whose comment mentions "a joint team with Belgium" once is Norway's
    (it had been filed as Belgium's: the manifest's country named once in a short text)."""
    (tmp_path / "manifest.toml").write_text('[[country]]\nname = "Belgium"\nadjectives = ["Belgian"]\n')
    (tmp_path / "norway-cnd-questionnaire-response.md").write_text(
        f"# Response of Norway\n\n## Issue I – Internet\n\n### Recommendation 1\n\n{TEXT_1}\n\nAction taken: Yes\n\n"
        "Comments: Norway joined a joint investigation team with Belgium and the Netherlands.\n")
    [(document, _)] = load_corpus(tmp_path).documents
    assert (document.country, document.kind) == ("Norway", "questionnaire-response")


def test_a_listed_reply_whose_form_is_not_found_says_so_at_build(tmp_path):
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nid = "no"\nfile = "no.md"\ntitle = "Norway"\nkind = "questionnaire-response"\n')
    (tmp_path / "no.md").write_text("| No. | Recommendation | Comments |\n|---|---|---|\n| 1 | Act. | Done. |\n")
    corpus = load_corpus(tmp_path)
    assert any(w.startswith("no.md: listed as a questionnaire response but no recommendation") and
               "no table by country holds its answers" in w for w in corpus.warnings), corpus.warnings


def test_one_reply_numbering_otherwise_renames_no_row():
    """Two replies call it "Issue I, Recommendation 1", a third "Issue ?, Recommendation 1.1" (or
    numbers it first in its own order): the table and /coverage keep the name most replies give."""
    from service.kinds import recommendation_label, representative

    def reply(issue, number, issue_number):
        return SimpleNamespace(fields={"issue": issue, "recommendation": number, "issue_number": issue_number},
                               heading=[], label="")

    rows = [reply("?", "1.1", 0), reply("I", 1, 1), reply("I", 1, 1)]
    assert recommendation_label(representative(rows)) == "Issue I, Recommendation 1"


def word_issue_tables(issues: list[tuple[str, list[tuple[str, str, str]]]]) -> bytes:
    """A reply as Word writes one table an issue: "No. | Recommendation | Action taken (Yes/No) |
    Comments", a row a recommendation. issues: (heading, [(text, mark, comment)])."""
    import io

    import docx

    d = docx.Document()
    d.add_heading("Response of Norway", 0)
    for heading, rows in issues:
        d.add_heading(heading, 1)
        table = d.add_table(rows=1 + len(rows), cols=4)
        for i, name in enumerate(("No.", "Recommendation", "Action taken (Yes/No)", "Comments")):
            table.cell(0, i).text = name
        for n, (text, mark, comment) in enumerate(rows, 1):
            for i, value in enumerate((str(n), text, mark, comment)):
                table.cell(n, i).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_reply_with_one_table_an_issue_reads_as_the_form():
    """Word's one table an issue (a row a recommendation, cells between tabs) and Markdown's pipe
    table: each row is a recommendation, with its mark and comment; a blank comment is blank."""
    from indexer.formats import extract_bytes

    word = extract_bytes(word_issue_tables([("Issue I: Internet", [(TEXT_1, "Yes", "Our police train online."),
                                                                   (TEXT_2, "No", "")])]), "docx").text
    markdown = ("## Issue I: Internet\n\n| No. | Recommendation | Action taken | Comments |\n|---|---|---|---|\n"
                f"| 1 | {TEXT_1} | Yes | Our police train online. |\n| 2 | {TEXT_2} | No | |\n")
    for doc in (word, markdown):
        assert fields(parsed(doc)) == [("I", 1, "yes", "Our police train online.", TEXT_1),
                                       ("I", 2, "no", "", TEXT_2)], doc
        for p in parsed(doc):  # the citation's pieces hold what the passage says
            assert [doc[s.start:s.end] for s in p.spans][0] == p.fields["recommendation_text"]


def test_a_comment_across_a_page_break_is_cited_without_the_pages_furniture():
    """A reply printed to PDF: the comment runs from one page to the next, past "Page 1 of 3" and
    the running head. Its citation is the comment's two parts, not the furniture between them
    (it had been one span holding "Page 1 of 3\\fRepublic of Ghana - Response …")."""
    from indexer.corpus import parse_document

    head, pages = "Republic of Ghana - Response to the questionnaire", []
    bodies = [f"Issue I: Internet\nRecommendation 1\n{TEXT_1}\nAny action taken X YES NO\nComments:\nThe police "
              "trained two hundred officers in online investigation in 2019,",
              "and a darknet team was set up in Accra in 2020.\nRecommendation 2\n" + TEXT_2,
              "Any action taken YES X NO\nComments:\n"]
    for n, body in enumerate(bodies, 1):
        pages.append(f"{head}\n{body}\nPage {n} of 3\n")
    doc = "\f".join(pages)
    starts = [0]
    for page in pages[:-1]:
        starts.append(starts[-1] + len(page) + 1)
    document = Document(id="gh", file="gh.pdf", title="Ghana", kind="questionnaire-response", parser="questionnaire")
    first = parse_document(document, doc, 200, page_starts=starts)[0]
    assert first.fields["comment"] == ("The police trained two hundred officers in online investigation in 2019, and "
                                       "a darknet team was set up in Accra in 2020.")
    cited = [doc[s.start:s.end] for s in first.spans]
    assert not any("Page 1 of 3" in c or head in c for c in cited), cited
    assert cited[-1] == "and a darknet team was set up in Accra in 2020."


def test_roman_numbered_issues_over_recommendations_counted_from_one_each():
    """"I. Internet" / "II. Alternatives", each with its "Recommendation 1": two issues (the
    second's first recommendation had been dropped as a quote of the first's); a comment's list
    ("1. Trained police.") stays in the comment."""
    doc = (f"I. Internet\n\nRecommendation 1\n{TEXT_1}\nAction taken: Yes\nComments: We did:\n1. Trained police.\n"
           f"2. Hired experts.\nBoth were funded in 2019.\n\nII. Alternatives\n\nRecommendation 1\n{TEXT_2}\n"
           "Action taken: No\nComments:\n")
    got = fields(parsed(doc))
    assert [(g[0], g[1], g[2]) for g in got] == [("I", 1, "yes"), ("II", 1, "no")]
    assert got[0][3] == "We did: 1. Trained police. 2. Hired experts. Both were funded in 2019."
    assert parsed(doc)[1].heading[0] == "Issue II: Alternatives"


def test_whole_issue_tables_end_with_their_rows_and_keep_empty_cells():
    """A row's cells end with its line: a blank last comment stays blank though a closing
    paragraph follows; an empty middle cell (no mark) keeps the comment in its own column; a
    later numbered table of other columns adds no recommendation; an escaped pipe stays in its
    cell. A report with one such table in an annex stays a report."""
    word = ("Issue I: Internet\n\nNo.\tRecommendation\tAction taken\tComments\n"
            f"1\t{TEXT_1}\t\tWe trained two hundred officers.\n2\t{TEXT_2}\tNo\t\n\n"
            "The Government remains committed to the Commission's work. Oslo, 12 March 2020.\n\n"
            "Annex\nNo.\tAgency\tLevel\n1\tPolice\tNational\n2\tCustoms\tNational\n")
    assert fields(parsed(word)) == [("I", 1, "unknown", "We trained two hundred officers.", TEXT_1),
                                    ("I", 2, "no", "", TEXT_2)]
    markdown = ("| No. | Recommendation | Action taken | Comments |\n|---|---|---|---|\n"
                f"| 1 | {TEXT_1} | Yes | We use A\\\\|B tools. |\n")
    assert fields(parsed(markdown))[0][2:4] == ("yes", "We use A\\\\|B tools.")
    report = ("# Annual report\n\n" + "The Ministry reports on prevention, treatment and enforcement. " * 40 +
              "\n\n## Annex: follow-up\n\n| No. | Recommendation | Action taken | Comments |\n|---|---|---|---|\n"
              "| 1 | Fund prevention. | Yes | Budget restored. |\n")
    assert not looks_like_questionnaire(report) and looks_like_questionnaire(report, listed=True)


def test_recommendations_numbered_within_each_issue_with_their_action_lines():
    """"Issue I: …" / "1. Governments …" / "Action taken: Yes" / the comment, no "Comments:"
    label, as a two-column "Recommendation | Response" table prints to PDF: each numbered item
    with its action line is a recommendation, a comment's own list stays in it, and the column
    heads a new page repeats ("Recommendation Response") are no comment's words. Numbered
    paragraphs with no action lines are a report's."""
    doc = (f"Issue I: Internet\nRecommendation Response\n1. {TEXT_1}\nAction taken: Yes\nWe did:\n"
           f"1. Trained police.\n2. Hired experts.\n2. {TEXT_2}\nAction taken: No\n\f"
           "Recommendation Response\nIssue II: Prisons\nRecommendation Response\n1. Governments should use "
           "alternatives to prison.\nAction taken: Yes\nCourts order treatment.\n")
    got = fields(parsed(doc))
    assert got == [("I", 1, "yes", "We did: 1. Trained police. 2. Hired experts.", TEXT_1),
                   ("I", 2, "no", "", TEXT_2),
                   ("II", 1, "yes", "Courts order treatment.", "Governments should use alternatives to prison.")]
    report = "Issue I: Scope\n1. The review covers 2019.\n2. It was led by the Ministry.\nIssue II: Method\n1. Interviews.\n"
    assert not looks_like_questionnaire(report)


def test_a_rule_between_recommendations_ends_the_comment_before_it():
    """A plain-text reply drawing a rule ("-----") under each answer, in Portuguese labels
    ("Recomendação", "Medidas adotadas: SIM", "Comentários:"): the rule is no comment's."""
    doc = (f"Tema I: Internet\n\nRecomendação 1\n\n{TEXT_1}\n\nMedidas adotadas: SIM\n\nComentários:\n"
           f"A polícia treina online.\n\n{'-' * 40}\n\nRecomendação 2\n\n{TEXT_2}\n\nMedidas adotadas: NÃO\n\n"
           f"Comentários:\n\n{'=' * 40}\n")
    assert fields(parsed(doc)) == [("I", 1, "yes", "A polícia treina online.", TEXT_1), ("I", 2, "no", "", TEXT_2)]


def test_a_whole_issue_table_numbering_its_rows_by_issue_with_boxes_and_qualified_marks():
    """Rows numbered "I.1", "I.2" under a header whose heads carry a note's mark ("Action taken¹",
    "Comments / measures adopted"), an issue's heading as a line within the table, and marks as
    printed boxes ("☒ Yes ☐ No") or a word with its qualifier ("Yes (partly)")."""
    doc = ("No.\tRecommendation\tAction taken¹\tComments / measures adopted\nIssue I: Internet\n"
           f"I.1\t{TEXT_1}\t☒ Yes ☐ No\tWe trained two hundred officers.\n"
           f"I.2\t{TEXT_2}\tYes (partly)\tRequests take months.\nIssue II: Alternatives\n"
           f"II.1\t{TEXT_1}\t☐ Yes ☒ No\t\n")
    assert fields(parsed(doc)) == [("I", 1, "yes", "We trained two hundred officers.", TEXT_1),
                                   ("I", 2, "yes", "Requests take months.", TEXT_2), ("II", 1, "no", "", TEXT_1)]


def test_rows_numbered_by_issue_name_their_issue_without_its_heading():
    """"I.1", "II.1" rows of one table and no issue heading: each row's number names its issue
    (II.1 is no second I.1, dropped as a duplicate)."""
    doc = ("No.\tRecommendation\tAction taken\tComments\n"
           f"I.1\t{TEXT_1}\tYes\tWe trained two hundred officers.\nII.1\t{TEXT_2}\tNo\tNot yet.\n")
    assert [f[:4] for f in fields(parsed(doc))] == [("I", 1, "yes", "We trained two hundred officers."),
                                                    ("II", 1, "no", "Not yet.")]


def test_a_mark_with_its_qualifier_and_a_closing_place_and_month():
    """"Yes (partially)" on a line of its own is a mark; "Accra, November 2022" closes the reply."""
    from indexer.parsers.questionnaire_labels import CLOSING, MARK_LINE

    assert MARK_LINE.search("Yes (partially)\n") and MARK_LINE.search("No (under study)\n")
    assert not MARK_LINE.search("Yes (partially) and no\n")
    assert CLOSING.match("Accra, November 2022") and CLOSING.match("Rabat, 12 November 2020")
    assert not CLOSING.match("Accra, the capital")


def test_outline_numbered_labels_a_response_label_and_a_comment_after_the_mark():
    """"1. Issue I: …" over "1.2 Recommendation 2", the comment under "Response:"; and a form
    whose comment follows the mark's line with no label, the last one before the place and date
    that close the letter."""
    outline = (f"1. Issue I: Internet\n1.1 Recommendation 1\n{TEXT_1}\nAction taken: Yes\nResponse: Our police "
               f"train online.\n1.2 Recommendation 2\n{TEXT_2}\nAction taken: No\nResponse: No comment.\n")
    assert fields(parsed(outline)) == [("I", 1, "yes", "Our police train online.", TEXT_1), ("I", 2, "no", "", TEXT_2)]
    boxed = (f"Issue I: Internet\nRecommendation 1: {TEXT_1}\n Any action taken? ☒ Yes ☐ No\nOur police train "
             f"online.\nRecommendation 2: {TEXT_2}\n Any action taken? ☐ Yes ☒ No\nThe law is being drafted.\n"
             "Jakarta, 30 September 2019\nHead of the National Board\n")
    assert fields(parsed(boxed)) == [("I", 1, "yes", "Our police train online.", TEXT_1),
                                     ("I", 2, "no", "The law is being drafted.", TEXT_2)]
