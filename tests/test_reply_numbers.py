"""Replies that name the questionnaire's recommendations by number only, their text left out:
a Markdown outline ("## I. Use of the Internet …" over "1. **Trained law enforcement** — *Action:*
✓"), an e-mail with a grid of marks and "ISSUE I - RECOMMENDATION 1" over each comment, and an
e-mail grouping its answers by status ("Action taken (9): I.1, I.3, …", then "I.1  Short title"
blocks under underlined group headings). Each layout comes from a reply written by someone who
had not read the parser (tpl14, tpl21, tpl22). The `form` fixture is in conftest.py.
"""
from __future__ import annotations

import pytest

from indexer.models import Document
from indexer.parsers.questionnaire_numbers import numbered_places, parse_number_reply
from indexer.verify import first_bad_offset
from test_form_replies import ISSUES, answers

KEYS = [(issue, n) for issue, count in ISSUES for n in range(1, count + 1)]


def read(doc: str, form) -> list:
    passages = parse_number_reply(doc, Document(id="r", file="r.md", title="R", kind="questionnaire-response"), form)
    for p in passages:
        assert first_bad_offset(doc, p) is None, p.id
    return passages


def outline(form, country: str = "Ruritania") -> str:
    titles = {item.issue: item.issue_title for item in form}
    out = [f"# Reply of {country}\n\nThe recommendations are referred to by their number only.\n"]
    for k, (issue, count) in enumerate(ISSUES, 1):
        out.append(f"## {issue}. {titles[issue]}\n")
        for n in range(1, count + 1):
            mark = "✓" if n % 2 else "✗"
            out.append(f"{n}. **A short title {k}{n}** — *Action:* {mark}\n\n   *Comment:* The unit acted on {issue}.{n}.\n")
    return "\n".join(out)


def test_an_outline_numbering_each_issues_recommendations(form):
    passages = read(outline(form), form)
    got = answers(passages)
    assert sorted(got) == sorted(KEYS)
    assert got[("I", 1)] == ("yes", "The unit acted on I.1.")
    assert got[("II", 2)] == ("no", "The unit acted on II.2.")
    texts = {(item.issue, item.number): item.text for item in form}
    assert all(p.fields["form_text"] == texts[(p.fields["issue"], p.fields["recommendation"])] for p in passages)


def test_an_email_with_a_grid_of_marks_and_numbered_headings(form):
    grid = {"I": "Y  N  Y", "II": "Y  -  Y  Y  N  N", "III": "Y  Y  -", "IV": "Y  Y  Y  -"}
    out = ["Dear Secretariat,\n\nPlease find the reply of Ruritania below.\n",
           "PART A - SUMMARY\n(Y = action taken, N = no action taken, - = no reply)\n",
           "              Rec.1  Rec.2  Rec.3  Rec.4  Rec.5  Rec.6"]
    out += [f"  Issue {issue:<4}     {grid[issue]}" for issue, _ in ISSUES]
    out.append("\nPART B - COMMENTS\n" + "=" * 40 + "\n")
    for issue, count in ISSUES:
        out.append(f"ISSUE {issue}. A title\n" + "-" * 40 + "\n")
        for n in range(1, count + 1):
            said = "(no comments)" if (issue, n) == ("II", 2) else f"The agency acted on {issue}.{n} in\n    2022."
            out.append(f"ISSUE {issue} - RECOMMENDATION {n}\n    {said}\n")
    out.append("Best regards,\nA. Name\nPermanent Mission of Ruritania\n")
    got = answers(read("\n".join(out), form))
    assert got[("I", 1)] == ("yes", "The agency acted on I.1 in 2022.")
    assert got[("I", 2)] == ("no", "The agency acted on I.2 in 2022.")
    assert got[("II", 2)] == ("unknown", "")  # "-" and "(no comments)": nothing reported
    assert got[("IV", 3)] == ("yes", "The agency acted on IV.3 in 2022.")  # the letter's close is not its


def test_an_email_grouping_its_answers_by_status(form):
    done = [key for i, key in enumerate(KEYS) if i % 3 != 1]
    none = [key for i, key in enumerate(KEYS) if i % 3 == 1]
    listed = ", ".join
    out = ["Dear Colleagues,\n\nRecommendations are identified by issue and number (II.3 = Issue II, "
           "recommendation 3) and grouped by their status.\n",
           f"Action taken ({len(done)}): {listed(f'{i}.{n}' for i, n in done)}",
           f"No action taken ({len(none)}): {listed(f'{i}.{n}' for i, n in none)}\n"]
    for heading, group in (("B.1  Recommendations on which action has been taken", done),
                           ("B.2  Recommendations on which no action has been taken", none)):
        out.append(f"{heading}\n{'-' * len(heading)}\n")
        for issue, n in group:
            out.append(f"{issue}.{n}  A short title of it\n\n    Officers acted on {issue}.{n}.\n")
    out.append("We remain at your disposal for any further information.\n\nBest regards,\nThe Mission\n")
    got = answers(read("\n".join(out), form))
    assert sorted(got) == sorted(KEYS)
    for key in done:
        assert got[key] == ("yes", f"Officers acted on {key[0]}.{key[1]}."), key  # no "B.2 …" heading in it
    for key in none:
        assert got[key] == ("no", f"Officers acted on {key[0]}.{key[1]}."), key


@pytest.mark.parametrize("doc", [
    # a report's chapters and numbered paragraphs: past Issue I's three recommendations
    "I. Introduction\n\n" + "\n".join(f"{n}. Paragraph {n} of the report" for n in range(1, 9)) + "\n",
    # a few numbers named in passing: not most of the form
    "ISSUE I - RECOMMENDATION 1\nThe police acted.\n\nISSUE II - RECOMMENDATION 3\nThe courts acted.\n",
])
def test_numbers_that_are_not_the_forms_read_no_reply(form, doc):
    assert numbered_places(doc, form) == []


def test_a_reply_by_number_joins_the_other_countries_rows(workspace, embedder):
    """Built with the corpus, the outline's answers stand in the same /coverage rows as Belgium's
    and Luxembourg's (matched by the form's wording, which the file never gives)."""
    from indexer.build import build_index
    from indexer.parsers.form_places import form_of
    from indexer.parsers.questionnaire import parse_questionnaire
    from service.coverage import coverage
    from service.engine import Engine

    belgium = workspace.corpus / "belgium-cnd-questionnaire-response.txt"
    form = form_of(parse_questionnaire(belgium.read_text("utf-8"),
                                       Document(id="be", file=belgium.name, title="B", kind="questionnaire-response")))
    (workspace.corpus / "norway-cnd-questionnaire-response.md").write_text(outline(form, "Norway"), encoding="utf-8")
    build_index(workspace.settings, embedder=embedder)
    grid = coverage(Engine.open(workspace.settings, embedder=embedder).index)
    assert "Norway" in grid.countries and len(grid.rows) == len(KEYS)
    first = next(row for row in grid.rows if (row.issue, row.recommendation) == ("I", 1))
    assert {"Belgium", "Luxembourg", "Norway"} <= set(first.cells)
    assert first.cells["Norway"].sentence == "The unit acted on I.1."
    assert first.text.startswith("Governments should be encouraged")  # the form's wording names the row


def test_texts_listed_first_then_answers_by_number_under_a_question_heading(form):
    """Each issue ("## Question I – <title>") recalls its recommendations' texts as a numbered
    list, then answers "Recommandation 1 – Mesures prises : Oui" over "Observations : …" (a mark
    left blank: "Mesures prises :"). The texts stand before the answers, so the answers are found
    by number."""
    titles = {item.issue: item.issue_title for item in form}
    texts = {(item.issue, item.number): item.text for item in form}
    out = ["# Réponse du Royaume\n"]
    for issue, count in ISSUES:
        out.append(f"## Question {issue} – {titles[issue]}\n\n### Rappel des recommandations\n")
        out += [f"{n}. {texts[(issue, n)]}\n" for n in range(1, count + 1)]
        out.append("### Réponse\n")
        for n in range(1, count + 1):
            mark = "" if (issue, n) == ("II", 2) else " Oui" if n % 2 else " Non"
            out.append(f"Recommandation {n} – Mesures prises :{mark}\n\nObservations : It acted on {issue}.{n}.\n")
    got = answers(read("\n".join(out), form))
    assert sorted(got) == sorted(KEYS)
    assert got[("I", 1)] == ("yes", "It acted on I.1.")
    assert got[("I", 2)] == ("no", "It acted on I.2.")
    assert got[("II", 2)] == ("unknown", "It acted on II.2.")
    assert got[("IV", 4)] == ("no", "It acted on IV.4.")  # not Issue II's recalled texts either


def status_mail(form, newline: str = "\n") -> str:
    done = [key for i, key in enumerate(KEYS) if i % 3 != 1]
    none = [key for i, key in enumerate(KEYS) if i % 3 == 1]
    titles = {item.issue: item.issue_title for item in form}
    out = [f"Issue {issue}   {titles[issue]}" for issue, _ in ISSUES]  # a key to the issues, before the answers
    out += [f"Action taken ({len(done)}): {'  '.join(f'{i}.{n}' for i, n in done)}",
            f"No action taken ({len(none)}): {', '.join(f'{i}.{n}' for i, n in none)}\n"]
    out += [f"{issue}.{n}  A short title\n\n    Officers acted on {issue}.{n}.\n" for issue, n in KEYS]
    return newline.join("\n".join(out).split("\n"))


def test_a_summary_reads_alike_with_windows_line_ends(form):
    """The status lists and the issues' key before the answers, with CRLF line ends (as every
    PDF's text has) and numbers parted by two spaces: the same marks as with LF, read at once."""
    lf, crlf = (answers(read(status_mail(form, nl), form)) for nl in ("\n", "\r\n"))
    assert lf == crlf and lf[("I", 1)] == ("yes", "Officers acted on I.1.") and lf[("I", 2)][0] == "no"


def test_a_reports_numbered_sections_are_no_reply(form):
    """Chapters "I" to "IV" of a report with sections "I.1 Background" … (within each issue's
    count, three quarters of the form) and no mark anywhere: a report, not a reply."""
    out = []
    for issue, count in ISSUES:
        out.append(f"{issue}. Chapter {issue}\n")
        out += [f"{issue}.{n}  Section {n}\n\nThe observatory describes trends in {issue}.{n}.\n" for n in range(1, count + 1)]
    assert numbered_places("\n".join(out), form) and read("\n".join(out), form) == []


def test_numbers_name_the_questionnaire_they_belong_to(form):
    """With another questionnaire's reply in the form (three recommendations of its own Issue I),
    a reply numbering the CND questionnaire's sixteen is matched to the CND wording."""
    from dataclasses import replace

    other = [replace(item, source="other", words=("other", *item.words), text="States are invited …")
             for item in form if item.issue == "I"]
    passages = read(status_mail(form), form + other)
    texts = {(item.issue, item.number): item.text for item in form}
    assert len(passages) == 16 and all(p.fields["form_text"] == texts[(p.fields["issue"], p.fields["recommendation"])]
                                       for p in passages)


def test_an_outline_items_title_is_cited_whole_and_an_unmarked_item_stays_unmarked(form):
    titles = {item.issue: item.issue_title for item in form}
    out = []
    for issue, count in ISSUES:
        out.append(f"## {issue}. {titles[issue]}\n")
        out += [f"{n}. Cybercrime capacity{' — Yes' if n != 2 else ''}\n\nThe ministry reports on {issue}.{n}.\n"
                for n in range(1, count + 1)]
    passages = read("\n".join(out), form)
    first = next(p for p in passages if (p.fields["issue"], p.fields["recommendation"]) == ("I", 1))
    second = next(p for p in passages if (p.fields["issue"], p.fields["recommendation"]) == ("I", 2))
    assert first.fields["recommendation_text"] == "1. Cybercrime capacity — Yes" and first.fields["action_taken"] == "yes"
    assert second.fields["recommendation_text"] == "2. Cybercrime capacity" and second.fields["action_taken"] == "unknown"


def test_short_codes_under_word_headings_with_statuses_and_nothing_to_report(form):
    """A Word reply (read as Markdown headings) names each recommendation by a code alone,
    "## R2.4" under "# Issue II: <title>" (tpl24): the code's issue in figures. "Implemented:
    Partially" marks, "No information available at this time." says nothing, the heading's
    marks end the comment above, and "Submitted by:" closes the reply."""
    titles = {item.issue: item.issue_title for item in form}
    out = ["Dear Sir/Madam,\n\nR2.4 refers to Issue II, Recommendation 4.\n\nYours faithfully,\n\nA. Name\n"]
    for k, (issue, count) in enumerate(ISSUES, 1):
        out.append(f"# Issue {issue}: {titles[issue]}\n")
        for n in range(1, count + 1):
            blank = (issue, n) == ("I", 3)
            status = "Status – Not applicable" if blank else "Implemented: " + ("Partially" if n % 2 else "No")
            said = "No information available at this time." if blank else f"The unit acted on R{k}.{n}."
            out.append(f"## R{k}.{n}\n\n{status}\n\nComments:\n\n{said}\n")
    out.append("Submitted by: Ms A. Name, Deputy Director\n")
    got = answers(read("\n".join(out), form))
    assert sorted(got) == sorted(KEYS)
    assert got[("I", 1)] == ("yes", "The unit acted on R1.1.")
    assert got[("II", 2)] == ("no", "The unit acted on R2.2.")
    assert got[("I", 3)] == ("unknown", "")
    assert got[("IV", 4)] == ("no", "The unit acted on R4.4.")


def test_a_bare_section_number_in_figures_names_no_recommendation(form):
    """"2.4 Alternatives …" is as often a report's section: figures name a recommendation only
    after its letter or word ("R2.4", "Rec. 2.4")."""
    titles = {item.issue: item.issue_title for item in form}
    out = []
    for k, (issue, count) in enumerate(ISSUES, 1):
        out.append(f"{k}. {titles[issue]}\n")
        out += [f"{k}.{n} Background\n\nImplemented: Yes. The unit acted.\n" for n in range(1, count + 1)]
    assert numbered_places("\n".join(out), form) == []


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_short_title_with_the_number_in_brackets_after_it(form, newline):
    """A Word reply names each recommendation by a short title of its own and the number in
    brackets after it, "Police screening and referral (Rec. II.2)", under "# Issue II. <title>"
    (tpl25), with a PDF's line ends too: the number names the recommendation; a sentence ending
    in brackets names none, nor a list's item ("- … (Rec. IV.1)"), nor a figure "(4.8)"."""
    titles = {item.issue: item.issue_title for item in form}
    out = ["Subject: Reply to the questionnaire\n", "Average length of treatment in months (4.8)\n"]
    for issue, count in ISSUES:
        out.append(f"# Issue {issue}. {titles[issue]}\n")
        for n in range(1, count + 1):
            out.append(f"A short title of its own (Rec. {issue}.{n})\n\nMeasures adopted: {'YES' if n % 2 else 'NO'}\n\n"
                       f"The unit acted on {issue}.{n}, as the law requires (Rec. {issue}.{n}).\n")
    out[-1] += "It built on these measures:\n- Access of the police to FIU data (Rec. IV.1)\n"
    got = answers(read("\n".join(out).replace("\n", newline), form))
    assert sorted(got) == sorted(KEYS)
    assert got[("II", 2)] == ("no", "The unit acted on II.2, as the law requires (Rec. II.2).")
    assert got[("IV", 1)] == ("yes", "The unit acted on IV.1, as the law requires (Rec. IV.1).")
    assert got[("IV", 4)][1].endswith("Access of the police to FIU data (Rec. IV.1)")


def test_an_amount_in_rand_names_no_recommendation(form):
    """"R1.5 million was allocated …" wrapped to a line's start is an amount, no "R1.5"
    (review of 0a6a8e6): the reply is read as before."""
    out = ["Reply of the Republic of Ruritania\n"]
    for issue, count in ISSUES:
        for n in range(1, count + 1):
            said = f"The agency acted on {issue}.{n} in 2022." if (issue, n) != ("II", 4) else (
                "Diversion is run by the Department of Social Development. In 2022 a budget of\n"
                "R1.5 million was allocated to the diversion programmes for young\noffenders and their families.")
            out.append(f"ISSUE {issue} - RECOMMENDATION {n}\nAction taken: Yes\n{said}\n")
    got = answers(read("\n".join(out), form))
    assert len(got) == 16 and got[("II", 4)][1].endswith("young offenders and their families.")


def test_answers_labelled_through_a_legend(form):
    """A memo names its answers "Q1" to "Q16" through a legend near the top ("Q5  = Issue II,
    Recommendation 2", two to a line) and answers "Q5: Y. …" under "Answer codes: Y = action
    taken, N = no action taken, P = partially" (tpl26): each code marks, "Q7: N/A" and "Q3: -" are
    blanks, and the memo's remarks after the rule below the last answer are no comment."""
    keys = [(issue, n) for issue, count in ISSUES for n in range(1, count + 1)]
    legend = [f"Q{k} = Issue {i}, Recommendation {n}" for k, (i, n) in enumerate(keys, 1)]
    out = ["MEMORANDUM\n\nThe questions are numbered Q1 to Q16 as follows:\n"]
    out += [f"    {a:<38}{b}" for a, b in zip(legend[::2], legend[1::2])]
    out.append("\nAnswer codes: Y = action taken, N = no action taken, P = partially.\n")
    for k, key in enumerate(keys, 1):
        said = {3: "-", 7: "N/A"}.get(k, f"{'YNP'[k % 3]}. The unit acted on {key[0]}.{key[1]} in\n      2022.")
        out.append(f"Q{k}: {said}\n")
    out.append("-" * 72 + "\n\nRemarks\n\nThe Secretariat remains available for any clarification.\n")
    got = answers(read("\n".join(out), form))
    assert sorted(got) == sorted(KEYS)
    assert got[("I", 1)] == ("no", "The unit acted on I.1 in 2022.")
    assert got[("I", 2)] == ("yes", "The unit acted on I.2 in 2022.")  # P: partially
    assert got[("I", 3)] == ("unknown", "") and got[("II", 4)] == ("unknown", "")
    assert got[("IV", 4)] == ("no", "The unit acted on IV.4 in 2022.")


def test_an_email_answering_under_quoted_summaries_numbered_with_a_dot(form):
    """The Secretariat's message quoted with "> ", each recommendation summarised in a few words
    under "> I-1. Law enforcement …" (a dot after the number, as "II.3." is written too), the
    reply's "*YES*" and comment unquoted under it; two points left out (tpl27)."""
    keys = [key for key in KEYS if key not in (("II", 5), ("III", 3))]
    out = ["Dear colleagues,\n\nPlease find our replies under each point.\n\n-----Original Message-----\n"]
    for issue, n in keys:
        mark = "" if (issue, n) == ("II", 4) else f"*{'YES' if n % 2 else 'NO'}*\n"
        out.append(f"> {issue}-{n}. Short summary of point {issue} {n} for\n>       the reader\n"
                   f">       Any action taken?  YES / NO\n>       Comments:\n\n{mark}The unit acted on {issue}-{n}\n"
                   f"in 2019.\n")
    out.append("> Kind regards,\n> Secretariat\n")
    got = answers(read("\n".join(out), form))
    assert sorted(got) == sorted(keys)
    assert got[("I", 1)] == ("yes", "The unit acted on I-1 in 2019.")
    assert got[("II", 2)] == ("no", "The unit acted on II-2 in 2019.")
    assert got[("II", 4)] == ("unknown", "The unit acted on II-4 in 2019.")


def test_sections_and_items_numbered_three_deep_name_no_recommendation(form):
    """"II.1.3 Background" or "I.1.a Training of police": a report's subsection or an item's part,
    not a recommendation numbered with a dot after it, in every issue the form holds."""
    sections = [f"{issue}.{n}.{k} Background of part {n}\n\nThe observatory describes the trends. Yes.\n"
                for issue, count in ISSUES for n in range(1, count + 1) for k in range(1, 3)]
    assert numbered_places("\n".join(sections), form) == []
    items = [f"{issue}.{n}.{k} Training of officers\n\nThe police trained 40 officers. Yes.\n"
             for issue, count in ISSUES for n in range(1, count + 1) for k in "ab"]
    assert numbered_places("\n".join(items), form) == []


def test_texts_listed_under_labels_of_the_replys_own_then_answered_by_those_labels(tmp_path, form):
    """Part I lists the sixteen texts, each after a label the reply gives it ("**Q1.a** Governments
    …"); Part II answers in one Markdown table an issue, "| Q1.a | Implemented | … |", one label
    left out (tpl28). Read by the form, each text's answer would be the next text's label; read by
    those labels, each row is the recommendation's answer, and the corpus reads it so."""
    from indexer.corpus import load_corpus, parse_document
    from tests.conftest import BELGIUM

    texts = {(item.issue, item.number): item.text for item in form}
    label = {key: f"Q{'I II III IV'.split().index(key[0]) + 1}.{'abcdef'[key[1] - 1]}" for key in KEYS}
    out = ["# Reply of Ruritania\n\n## Part I. Recommendations\n"]
    out += [f"**{label[key]}** {texts[key]}\n" for key in KEYS]
    out.append("## Part II. Replies\n\n| No. | Status | Remarks |\n|---|---|---|")
    status = {0: "Implemented", 1: "Not implemented", 2: "Under consideration"}
    out += [f"| {label[key]} | {status[i % 3]} | The unit acted on {key[0]}.{key[1]}.<br>It trained 12 officers. |"
            for i, key in enumerate(KEYS) if key != ("III", 3)]
    (tmp_path / BELGIUM.name).write_bytes(BELGIUM.read_bytes())
    (tmp_path / "ruritania-reply.md").write_text("\n".join(out) + "\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    document, text = next((d, t) for d, t in corpus.documents if d.file == "ruritania-reply.md")
    assert document.parser == "questionnaire-numbers", document.parser_reason
    got = answers(parse_document(document, text, 10**9, form=corpus.form))
    assert sorted(got) == sorted(key for key in KEYS if key != ("III", 3))
    assert got[("I", 1)][0] == "yes" and got[("I", 1)][1].startswith("The unit acted on I.1.")
    assert got[("I", 2)][0] == "no" and got[("I", 3)][0] == "unknown"
    assert got[("IV", 4)][1].startswith("The unit acted on IV.4.")


def _reply_folder(tmp_path, name: str, text: str):
    from indexer.corpus import load_corpus
    from tests.conftest import BELGIUM

    (tmp_path / BELGIUM.name).write_bytes(BELGIUM.read_bytes())
    (tmp_path / name).write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    return corpus, next((d, t) for d, t in corpus.documents if d.file == name)


def test_a_reply_quoting_each_text_with_a_summary_by_number_is_read_by_the_form(tmp_path, form):
    """"### I.1" over the text and its comment, with "Action taken (16): I.1, …" at the top: the
    comments are sentences, so the reply is read by the form, each comment its own words (read by
    number, each would open with the recommendation's text)."""
    from indexer.corpus import parse_document

    texts = {(item.issue, item.number): item.text for item in form}
    out = ["# Reply of Ruritania\n", "Action taken (16): " + ", ".join(f"{i}.{n}" for i, n in KEYS) + "\n"]
    out += [f"### {i}.{n}\n\n{texts[(i, n)]}\n\nThe unit acted on {i}.{n} in 2019.\n" for i, n in KEYS]
    corpus, (document, text) = _reply_folder(tmp_path, "ruritania-reply.md", "\n".join(out))
    assert document.parser == "questionnaire-form", document.parser_reason
    got = answers(parse_document(document, text, 10**9, form=corpus.form))
    assert got[("I", 1)][1] == "The unit acted on I.1 in 2019."


def test_one_label_on_two_listed_texts_labels_none(form):
    """A typo labelling III.1 "Q2.a" as II.1 is labelled: the labels say nothing for certain, so
    no answer is read by them (one recommendation's answer given to another)."""
    from indexer.parsers.questionnaire_numbers import _listed

    texts = {(item.issue, item.number): item.text for item in form}
    label = {key: f"Q{'I II III IV'.split().index(key[0]) + 1}.{'abcdef'[key[1] - 1]}" for key in KEYS}
    label[("III", 1)] = label[("II", 1)]
    out = [f"**{label[key]}** {texts[key]}\n" for key in KEYS]
    out += [f"| {label[key]} | Implemented | The unit acted on {key[0]}.{key[1]}. |" for key in KEYS]
    assert _listed("\n".join(out), form, {(i.issue, str(i.number)): i for i in form}) == {}


def test_short_titles_with_a_status_badge_after_them(form):
    """A web page (tpl29) heads each answer "#### I.2 – International cooperation on cyber
    investigations Implemented" (the status a badge in the heading), gives no recommendation's
    text, and ends with the signatory and an annex of statistics: read by number, each mark
    from its badge, the annex no part of the last comment."""
    status = {0: "Implemented", 1: "Not implemented", 2: "No information"}
    out = ["# Reply of Ruritania\n", "Legend: Implemented action taken · Not implemented no action taken\n"]
    out += [f"#### {i}.{n} – A short title of {i}.{n} {status[k % 3]}\n\nThe unit acted on {i}.{n} in 2019.\n"
            for k, (i, n) in enumerate(KEYS)]
    out.append("Bangkok, 2 March 2020\nMr. A. Name\nSecretary-General, Office of the Board\n\n## Annex. Statistics\n\n"
               "Indicator\t2017\t2018\nDrug cases recorded\t361,442\t366,031\n\nSource: Office of the Board, Police.\n")
    got = answers(read("\n".join(out), form))
    assert sorted(got) == sorted(KEYS)
    assert got[("I", 1)] == ("yes", "The unit acted on I.1 in 2019.")
    assert got[("I", 2)] == ("no", "The unit acted on I.2 in 2019.")
    assert got[("I", 3)] == ("unknown", "The unit acted on I.3 in 2019.")
    assert got[KEYS[-1]][1] == f"The unit acted on {KEYS[-1][0]}.{KEYS[-1][1]} in 2019."
