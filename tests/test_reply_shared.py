"""Replies as tpl36's (written by a helper who had not read the parser) set them: one answer
for several recommendations ("Recommendations 1, 2 and 3:" over their texts, "Action taken:
YES (all three)"), the form's labels in Russian with the comments in English ("Приняты ли меры:
Да", "Комментарий (Comment):"), and a "Contact for follow-up:" block after the last answer.
"""
from __future__ import annotations

from indexer.corpus import parse_document
from indexer.models import Document
from indexer.parsers.shared_answers import numbers_named
from test_form_replies import answers


def _said(issue: str, n: int) -> str:
    return f"The ministry acted on {issue}.{n} in 2022."


def _read(doc: str, form) -> dict:
    document = Document(id="r", file="r.txt", title="R", kind="questionnaire-response", parser="questionnaire")
    passages = parse_document(document, doc, 10**6, form=form)
    return {(p.fields["issue"], p.fields["recommendation"]): p for p in passages}


def test_one_answer_for_several_recommendations(form, texts):
    """Issue II's recommendations 1 to 3 share an answer: each is read with that mark and that
    comment, and its own text (the item numbered for it); the other rows are read as before."""
    out = ["Issue II: Alternatives to imprisonment", "", "Recommendations 1, 2 and 3:"]
    out += [f"    ({n}) {texts[('II', n)]}" for n in (1, 2, 3)]
    out += ["", "    Action taken:  YES (all three)", "    Remarks:       Courts use fines and community service.", ""]
    for n in (4, 5, 6):
        out += [f"Recommendation {n}:", texts[("II", n)], "Action taken: NO", f"Remarks: {_said('II', n)}", ""]
    got = _read("\n".join(out), form)
    for n in (1, 2, 3):
        p = got[("II", n)]
        assert (p.fields["action_taken"], p.fields["comment"]) == ("yes", "Courts use fines and community service.")
        assert p.fields["recommendation_text"] == texts[("II", n)]
    assert answers(got.values())[("II", 4)] == ("no", _said("II", 4))
    assert len(got) == 6


def test_a_heading_naming_a_range_over_answers_one_by_one(form, texts):
    """(review 17) "Recommendations 1–3: answered one by one below" heads "Recommendation 1:",
    "Recommendation 2:", "Recommendation 3:", each answered: no shared answer, each its own."""
    out = ["Issue I: Use of the Internet", "", "Recommendations 1–3: answered one by one below", ""]
    for n in (1, 2, 3):
        out += [f"Recommendation {n}:", texts[("I", n)], "Action taken: " + ("No" if n == 2 else "Yes"),
                f"Comments: {_said('I', n)}", ""]
    got = answers(_read("\n".join(out), form).values())
    assert got == {("I", n): ("no" if n == 2 else "yes", _said("I", n)) for n in (1, 2, 3)}


def test_the_numbers_a_shared_label_names():
    from indexer.parsers.shared_answers import SHARED

    assert SHARED.match("Recommendations 1, 2, and 3:")  # (review 17: a serial comma)
    assert numbers_named("1, 2 and 3") == ["1", "2", "3"]
    assert numbers_named("1 and 2") == ["1", "2"]
    assert numbers_named("II.1–II.3") == ["II.1", "II.2", "II.3"]
    assert numbers_named("II.1–3") == ["II.1", "II.2", "II.3"]
    assert numbers_named("1, 2, and 3") == ["1", "2", "3"]
    assert numbers_named("1 to 4") == ["1", "2", "3", "4"]
    assert numbers_named("1–300") == ["1"]  # no reply shares one answer among 300
    assert numbers_named("II.1–III.2") == ["II.1", "III.2"]  # (no range across issues)


def test_the_forms_labels_in_russian_with_comments_in_english(form, texts):
    """"Рекомендация 1.1", its text, "Приняты ли меры: Да" (the form's question in Russian) and
    "Комментарий (Comment):" (the label's second language in brackets) over the comment."""
    out = ["Раздел I. Использование Интернета"]
    for n in (1, 2, 3):
        out += [f"Рекомендация 1.{n}", texts[("I", n)], "Приняты ли меры: " + ("Нет" if n == 2 else "Да"),
                "Комментарий (Comment):", _said("I", n)]
    got = answers(_read("\n".join(out) + "\n", form).values())
    assert got == {("I", "1.1"): ("yes", _said("I", 1)), ("I", "1.2"): ("no", _said("I", 2)),
                   ("I", "1.3"): ("yes", _said("I", 3))}


def test_a_contact_for_follow_up_after_the_last_answer_left_blank(form, texts):
    """The last answer gives its mark and no comment; "Contact for follow-up:" over a name and a
    long title, then an e-mail address and a telephone number, is no comment."""
    out = []
    for item in form:
        key = (item.issue, item.number)
        out += [f"Recommendation {item.issue}.{item.number}", texts[key], "Action taken: Yes",
                *([] if key == ("IV", 4) else [_said(*key)])]
    out += ["Contact for follow-up:", "Dr A. Name, Principal Advisor, Drug Policy, Mental Health and Addiction "
            "Directorate, Ministry of", "Health. Email: drugpolicy@health.example Tel: +64 4 496 2000"]
    document = Document(id="r", file="r.txt", title="R", kind="questionnaire-response", parser="questionnaire-form")
    got = answers(parse_document(document, "\n".join(out) + "\n", 10**6, form=form))
    assert got[("IV", 4)] == ("yes", "")
    assert got[("IV", 3)] == ("yes", _said("IV", 3))


def test_marks_in_the_replys_own_words_as_its_legend_defines_them(form, texts):
    """A legend ("Green | Implemented: action has been taken", "Amber | In progress: …", "Red |
    No action taken") and then "Recommendation 1.2 Green" over each text: Green marks yes, Red
    no, Amber nothing (in progress: no action said taken yet, as the marks read "In progress"
    anywhere). The number line, its legend word after it, is the next recommendation's, not the
    end of the comment above. "## Contact us" over an address closes the last answer. Without a
    legend defining both a yes and a no, "Recommendation 1.2 Green" says nothing."""
    colours = ["Green", "Red", "Amber"]

    def reply(with_legend: bool) -> str:
        out = ["# Ruritania's response", ""]
        if with_legend:
            out += ["Status\tMeaning", "Green\tImplemented: action has been taken",
                    "Amber\tIn progress: action has been initiated but is not yet complete", "Red\tNo action taken", ""]
        for k, item in enumerate(form):
            out += [f"Recommendation {item.issue}.{item.number} {colours[k % 3]}", "", texts[(item.issue, item.number)],
                    "", "### Ruritania's comments", "", _said(item.issue, item.number), ""]
        return "\n".join(out + ["## Contact us", "", "Office of Drug Policy, Ministry of Health, Capital City",
                                "1 Main Street, Capital City K1A 0K9", "Email: policy@health.example", ""])

    document = Document(id="r", file="r.md", title="R", kind="questionnaire-response", parser="questionnaire-form")
    got = answers(parse_document(document, reply(True), 10**6, form=form))
    want = {(item.issue, item.number): (["yes", "no", "unknown"][k % 3], _said(item.issue, item.number))
            for k, item in enumerate(form)}
    assert got == want
    got = answers(parse_document(document, reply(False), 10**6, form=form))
    assert {mark for mark, _ in got.values()} == {"unknown"}
    piped = reply(True).replace("Status\tMeaning\nGreen\tImplemented: action has been taken\n", "| Status | Meaning |\n"
                                "|---|---|\n| **Green** | Implemented: action has been taken |\n")  # (review 17)
    piped = piped.replace("Red\tNo action taken", "| Red | No action taken |").replace("Amber\tIn", "| Amber | In")
    assert answers(parse_document(document, piped, 10**6, form=form)) == want


def test_the_form_is_the_wording_most_replies_print_not_a_quote_cut_short(texts):
    """tpl37: a reply quoting each text's opening words only, with no "…" after them, sorts before
    the seeds and is read by its labels; one whose second text runs on into its comment is too.
    Of two texts one of which opens the other, the form keeps the one more replies print (the
    longer when as many do): the questionnaire's own wording, and the form's numbering."""
    from pathlib import Path

    from indexer.parsers.form_places import form_of
    from indexer.parsers.questionnaire import parse_questionnaire

    def reply(doc_id: str, text_of) -> list:
        out = ["Issue I: Use of the Internet"]
        for n in (1, 2, 3):
            out += [f"Recommendation {n}:", text_of(n), "Action taken: Yes", f"Comments: {_said('I', n)}"]
        document = Document(id=doc_id, file=f"{doc_id}.txt", title=doc_id, kind="questionnaire-response")
        return parse_questionnaire("\n".join(out) + "\n", document)

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    seeds = [p for name in ("belgium", "luxembourg") for p in parse_questionnaire(
        (corpus / f"{name}-cnd-questionnaire-response.txt").read_text("utf-8"),
        Document(id=name, file=f"{name}.txt", title=name, kind="questionnaire-response"))]
    cut = reply("aaa-cut", lambda n: " ".join(texts[("I", n)].split()[:12]))
    glued = reply("aab-glued", lambda n: texts[("I", n)] + (" The Cybercrime Bill was tabled in 2024." if n == 2 else ""))
    form = form_of(cut + glued + seeds)
    issue_one = [item for item in form if item.issue == "I"]
    assert [(item.number, item.text) for item in issue_one] == [(n, texts[("I", n)]) for n in (1, 2, 3)]
    # (review 18) a quote cut short by spaced dots, and a first reply dropping the text's full stop
    spaced = reply("aaa-spaced", lambda n: " ".join(texts[("I", n)].split()[:12]) + " . . .")
    bare = reply("aaa-bare", lambda n: texts[("I", n)].rstrip("."))
    form = form_of(spaced + bare + glued + seeds)
    assert [item.words for item in form if item.issue == "I"] == [item.words for item in issue_one]


def test_a_reply_quoting_only_each_texts_opening_words(tmp_path, form, texts):
    """tpl37: an e-mail numbering "I/1", "I/2" and quoting five to seven of each text's opening
    words before "(...)": each names the one recommendation that opens so (II.6 and III.1 open
    alike for eight words, so the reply quotes nine of theirs)."""
    from test_form_reply_exports import _read as read_in_corpus

    def opening(key) -> str:
        words = texts[key].split()
        if key in (("II", 6), ("III", 1)):
            return " ".join(words[:9])
        return " ".join(words[:next(k for k in range(5, 8) if sum(
            t.split()[:k] == words[:k] for t in texts.values()) == 1)])

    out = ["Subject: RE: CND questionnaire", "", "Dear colleagues, please find our reply below.", ""]
    for item in form:
        key = (item.issue, item.number)
        said = _said(*key) + (f"\n    See I/1  {opening(('I', 1))} (...) for the unit." if key == ("I", 3) else "")
        out += [f"{item.issue}/{item.number}  {opening(key)} (...)", "    Action taken:  [X] yes   [ ] no",
                "    Comments:", f"    {said}", ""]
    _, got = read_in_corpus(tmp_path, "ruritania-reply.txt", "\n".join(out) + "\n")
    want = {(item.issue, item.number): ("yes", _said(item.issue, item.number)) for item in form}
    want[("I", 3)] = ("yes", f"{_said('I', 3)} See I/1 {opening(('I', 1))} (...) for the unit.")  # (review 18: a
    assert got == want  # reference in a comment, no number alone before it, names no recommendation)


def test_a_summary_of_replies_quoting_opening_words_is_no_reply(tmp_path, texts):
    """(review 18) A Secretariat's table of the replies, "I.1  <six opening words> …  12 States"
    a row: no answer's mark or label stands under its quotes, so it stays a report."""
    from test_form_reply_exports import _read as read_in_corpus

    rows = [f"{i}.{n}  {' '.join(texts[(i, n)].split()[:6])} …   {5 + n} States" for i, n in texts]
    page = "Analysis of the replies received (2020)\n\nRecommendation   States reporting action\n" + "\n".join(rows)
    _, got = read_in_corpus(tmp_path, "analysis-of-replies.txt", page + "\n")
    assert got == {}  # (no answers read: the report keeps its reading)


def test_recommendations_numbered_straight_through_the_issues(form, texts):
    """tpl37: "Recommendation 1" to "Recommendation 16" under the four issues' headings, IV.1 and
    IV.2 answered together ("Recommendations 13 and 14"): each issue's are numbered from 1, as
    the questionnaire numbers them, so each row joins the other countries' for the same one."""
    out, n = [], 0
    for issue, count in (("I", 3), ("II", 6), ("III", 3), ("IV", 4)):
        out += [f"Issue {issue}: {next(i.issue_title for i in form if i.issue == issue)}"]
        for k in range(1, count + 1):
            n += 1
            if (issue, k) == ("IV", 2):
                continue
            label = "Recommendations 13 and 14:" if (issue, k) == ("IV", 1) else f"Recommendation {n}:"
            out += [label, texts[(issue, k)], "Action taken: Yes", f"Comments: {_said(issue, k)}"]
    got = answers(_read("\n".join(out) + "\n", form).values())
    assert set(got) == set(texts)
    assert got[("II", 1)] == ("yes", _said("II", 1)) and got[("IV", 2)] == ("yes", _said("IV", 1))


def test_a_narrow_cells_first_line_is_the_comments_not_a_label(form, texts):
    """tpl37: a table printed from Word, its comment wrapped in a narrow cell, the first line four
    words ("The Financial Intelligence Unit") over the sentence going on ("(Geldwäschemeldestelle)
    is part of …"): the comment's first line, not a label with no colon ("Status" over the mark,
    as before, still is one)."""
    out = []
    for item in form:
        key = (item.issue, item.number)
        out += [f"{item.issue}.{item.number} {texts[key]}", "☒ Yes", "☐ No"]
        out += (["The Financial Intelligence Unit", "(Geldwäschemeldestelle) is part of the Criminal", "Intelligence "
                 "Service and has direct access to police data."] if key == ("IV", 1) else ["Status", _said(*key)])
    document = Document(id="r", file="r.txt", title="R", kind="questionnaire-response", parser="questionnaire-form")
    got = answers(parse_document(document, "\n".join(out) + "\n", 10**6, form=form))
    assert got[("IV", 1)] == ("yes", "The Financial Intelligence Unit (Geldwäschemeldestelle) is part of the Criminal "
                                     "Intelligence Service and has direct access to police data.")
    assert got[("IV", 2)] == ("yes", _said("IV", 2))
