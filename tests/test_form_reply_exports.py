"""Three more shapes of reply, from helpers' replies no parser had seen (tpl30, tpl31): a survey
tool's export of one response ("Q2 [I.2] <the text> Has your Government …?", "Answer: Don't
know", "Comment: [no answer]"), a summary of marks over the form's texts followed by the
comments by number ("Part B. Comments", "I.1" over each), and a note verbale answering in
running paragraphs ("4. With regard to recommendation 1 of Issue II, action has been taken.
Since …"). Read as a whole corpus reads them:
the reply is dropped into a copy of the corpus folder and load_corpus chooses how to read it.
"""
from __future__ import annotations

import shutil

from indexer.corpus import load_corpus, parse_document
from indexer.verify import first_bad_offset

from conftest import CORPUS
from test_form_replies import ISSUES

KEYS = [(issue, n) for issue, count in ISSUES for n in range(1, count + 1)]


def _read(tmp_path, name: str, text: str | None, raw: bytes | None = None):
    """(the document, each recommendation's (mark, comment)) of a reply dropped into a copy of
    the corpus folder, as the build reads it: its text, or its file's bytes."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    if raw is not None:
        (corpus / name).write_bytes(raw)
    else:
        (corpus / name).write_text(text, "utf-8")
    loaded = load_corpus(corpus)
    [(document, stored)] = [(d, t) for d, t in loaded.documents if d.file == name]
    passages = parse_document(document, stored, 512, form=loaded.form)
    for p in passages:
        assert first_bad_offset(stored, p) is None, p.id
    return document, {(p.fields["issue"], p.fields["recommendation"]): (p.fields["action_taken"], p.fields["comment"])
                      for p in passages if "issue" in p.fields}


def test_a_survey_tools_export_of_one_response(tmp_path, texts):
    """Each question names its recommendation in brackets after its own number, on the line of
    the recommendation's text and the question asked of it: the number belongs to the next row,
    not to the comment before. "Don't know" is no mark, and the comment after it is still read;
    "[no answer]" in either field says nothing."""
    answers = {0: ("Yes", "The unit met 12 times in 2019."), 1: ("No", "[no answer]"),
               2: ("Don't know", "Data are held by the Ministry of Justice."), 3: ("[no answer]", "[no answer]")}
    out = ["Online questionnaire - response export\nResponse ID .. 0112\nStatus ....... Completed\n",
           "A1 Member State\n   Answer: Ruritania\n"]
    q = 0
    for issue, count in ISSUES:
        out.append(f"[Page] ISSUE {issue}\n" + "-" * 60 + "\n")
        for n in range(1, count + 1):
            q += 1
            answer, comment = answers[q % 4]
            out.append(f"Q{q} [{issue}.{n}] {texts[(issue, n)]} Has your Government taken any action on this "
                       f"recommendation?\n   Answer: {answer}\n   Comment: {comment}\n")
    document, got = _read(tmp_path, "ruritania-cnd-survey-export.txt", "\n".join(out))
    assert document.parser == "questionnaire-form" and sorted(got) == sorted(KEYS)
    want = {0: ("yes", "The unit met 12 times in 2019."), 1: ("no", ""),
            2: ("unknown", "Data are held by the Ministry of Justice."), 3: ("unknown", "")}
    q = 0
    for key in KEYS:
        q += 1
        assert got[key] == want[q % 4], (key, got[key])


def test_a_summary_of_marks_then_the_comments_by_number(tmp_path, texts):
    """Part A lists the form's texts, each with its status; Part B gives the comments under the
    recommendations' numbers, for those the country commented on. Each row takes its mark from
    the summary and its comment from Part B; a row Part B leaves out keeps the summary's mark and
    no comment. (Read by the texts alone, every comment was blank.)"""
    status = {0: "Implemented", 1: "Not implemented", 2: "Partially implemented"}
    summary = ["REPUBLIC OF RURITANIA\n\nPart A. Summary of implementation status\n"]
    comments = ["Part B. Comments\n"]
    for k, key in enumerate(KEYS):
        issue, n = key
        summary.append(f"{issue}.{n}\n{texts[key]}\nStatus: {status[k % 3]}\n")
        if k % 5 != 4:
            comments.append(f"{issue}.{n}\nRuritania reported action {issue}-{n} in 2023. The ministry led it.\n")
    document, got = _read(tmp_path, "ruritania-cnd-summary-reply.txt", "\n".join(summary + comments))
    assert document.parser == "questionnaire-numbers" and sorted(got) == sorted(KEYS)
    for k, (issue, n) in enumerate(KEYS):
        mark = "no" if k % 3 == 1 else "yes"
        comment = f"Ruritania reported action {issue}-{n} in 2023. The ministry led it." if k % 5 != 4 else ""
        assert got[(issue, n)] == (mark, comment), ((issue, n), got[(issue, n)])


def wrapped(text: str, width: int = 72) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


def test_a_note_verbale_answering_in_numbered_paragraphs(tmp_path):
    """No table and no text of the form: each paragraph names its recommendation and says in its
    first sentence whether action was taken; the comment is what follows, wrapped as the page
    wraps it (a line may end on "No" and go on "specific …"). The paragraphs are numbered straight
    through, not by recommendation; one recommendation is left out; the closing formula, wrapped
    by the mission's long name, is no comment."""
    said = {0: ("action has been taken.", "yes"), 1: ("the authorities report that no action has been taken to date.", "no"),
            2: ("Ruritania has taken action.", "yes"), 3: ("the authorities provide the following information.", "unknown")}
    out = ["The Permanent Mission of Ruritania to the United Nations presents its compliments to the Secretariat and\n"
           "has the honour to transmit the replies set out below, following the numbering of the questionnaire.\n"]
    want, paragraph = {}, 0
    for k, (issue, n) in enumerate(KEYS):
        if (issue, n) == ("III", 3):
            continue
        if n == 1:
            out.append(f"Issue {issue}: a title of the issue\n")
        paragraph += 1
        sentence, mark = said[k % 4]
        comment = "" if k % 5 == 4 else (f"No specific unit existed before 2019 for {issue}.{n}; the ministry set one up "
                                          f"with 12 officers and a budget of 2 million euros in 2020.")
        opening = f"{paragraph}. With regard to recommendation {n} of Issue {issue}, {sentence}"
        if mark == "no" and comment:  # the sentence ends its line's words, the comment's "No" after it, going on below
            out.append(f"{opening} No\n" + wrapped(comment[3:]) + "\n")
        else:
            out.append(wrapped(f"{opening} {comment}") + "\n")
        want[(issue, n)] = (mark, comment)
    out.append("The Permanent Mission of Ruritania to the United Nations and other International Organizations in\n"
               "Vienna avails itself of this opportunity to renew to the Secretariat the assurances of its highest\n"
               "consideration.\n\nVienna, 28 February 2020\n")
    document, got = _read(tmp_path, "ruritania-note-verbale.txt", "\n".join(out))
    assert document.parser == "questionnaire-numbers", document.parser_reason
    assert got == want


def test_what_a_note_verbales_reading_does_not_take(tmp_path, texts):
    """Found by review: a reply numbered "ISSUE I - RECOMMENDATION 2" whose comment refers to
    another recommendation ("With regard to recommendation 2 of Issue I, …") keeps its places; a
    sentence's "no" that does not govern the action ("… taken to ensure that no trafficker …")
    marks yes; a Secretariat's summary of the replies ("most responding States reported …") is
    no country's reply; "Law No. 15/2019" in the first sentence does not end it."""
    out = []
    for k, (issue, n) in enumerate(KEYS):
        comment = f"The ministry acted on {issue}.{n} in 2019."
        if (issue, n) == ("III", 2):
            comment += "\nWith regard to recommendation 2 of Issue I, the same unit also trains prosecutors."
        out.append(f"ISSUE {issue} - RECOMMENDATION {n} - Action taken: Yes\n{comment}\n")
    _, got = _read(tmp_path, "ruritania-reply-by-number.txt", "\n".join(out))
    assert got[("I", 2)] == ("yes", "The ministry acted on I.2 in 2019.")
    assert got[("III", 2)][1].endswith("the same unit also trains prosecutors.")

    sentences = {0: "measures have been taken to ensure that no trafficker escapes online investigation.",
                 1: "action has been taken under Law No. 15/2019 of 3 May.", 2: "no action has been taken so far."}
    note = "\n".join(f"{k + 1}. With regard to recommendation {n} of Issue {issue}, {sentences[k % 3]} "
                     f"The ministry acted on {issue}.{n} in 2019.\n" for k, (issue, n) in enumerate(KEYS))
    _, got = _read(tmp_path / "note", "ruritania-note-verbale.txt", note)
    assert [got[key][0] for key in KEYS[:3]] == ["yes", "yes", "no"]
    assert got[KEYS[1]][1] == f"The ministry acted on {KEYS[1][0]}.{KEYS[1][1]} in 2019."

    summary = "\n".join(f"With regard to recommendation {n} of Issue {issue}, most responding States reported "
                        f"that measures had been taken. Details follow.\n" for issue, n in KEYS)
    document, _ = _read(tmp_path / "summary", "unodc-implementation-summary.txt", "Summary of the replies\n\n" + summary)
    assert document.parser != "questionnaire-numbers" and document.kind != "questionnaire-response"


def test_a_numbered_title_over_its_mark_stays_a_title(tmp_path, texts):
    """Found by review: "I.1 – Short title" over "Action: ✓" and a comment of sentences is no
    paragraph running on from its number (it had lost every mark, and the reply with them); a
    comment's last line ending on a country's code in brackets, "Norway (NO)", is no mark."""
    out = ["Reply of Ruritania. Recommendations are referred to by number.\n"]
    for k, (issue, n) in enumerate(KEYS):
        if n == 1:
            out.append(f"Issue {issue}: a title\n")
        out.append(f"{issue}.{n} – Short title {k}\nAction: {'✓' if k % 2 else '✗'}\nThe unit acted on {issue}.{n} "
                   f"in 2019 and trained\nofficers across the country.\n")
    document, got = _read(tmp_path / "numbers", "ruritania-reply.txt", "\n".join(out))
    assert document.parser == "questionnaire-numbers"
    assert got == {key: ("yes" if k % 2 else "no", f"The unit acted on {key[0]}.{key[1]} in 2019 and trained officers "
                         "across the country.") for k, key in enumerate(KEYS)}
    reply = "# Reply of Ruritania\n\n" + "".join(
        f"### {issue}.{n}\n\n> {texts[(issue, n)]}\n\n**Comments:**\n\nA joint team worked with the police of\nNorway (NO)\n\n"
        for issue, n in KEYS)
    _, got = _read(tmp_path / "codes", "ruritania-reply.md", reply)
    assert set(got.values()) == {("unknown", "A joint team worked with the police of Norway (NO)")}
