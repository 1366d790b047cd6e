"""Replies whose labels share a line with the recommendation's text, or leave it unmarked, and
whose last answer is followed by a contact block (tpl34): a wiki page's bullets ("- **Recommendation
I.2** – *Governments …*") under a "## Contact" heading, and a two-column PDF's last answer left
blank above "Contact" / "Focal point: …". The `form` and `texts` fixtures are in conftest.py.
"""
from __future__ import annotations

from indexer.corpus import parse_document
from indexer.models import Document
from test_form_replies import answers


def _read(doc: str, form, file: str) -> dict:
    document = Document(id="r", file=file, title="R", kind="questionnaire-response", parser="questionnaire-form")
    return answers(parse_document(document, doc, 10**6, form=form))


def _said(issue: str, n: int) -> str:
    return f"The ministry acted on {issue}.{n} in 2022. A second sentence says how."


def test_a_wiki_pages_bullets_put_the_label_before_the_text_on_its_line(form, texts):
    """Each bullet opens "**Recommendation I.2** –" before the italic text: the label is the next
    answer's, not the last words of the comment above it. A "## Contact" heading after the last
    answer, over an address too long for a contact's short lines, is the page's, not the answer's."""
    out = ["# Ruritania – reply to the questionnaire", ""]
    issue_of = None
    for item in form:
        if item.issue != issue_of:
            out += [f"## Issue {item.issue}: {item.issue_title}", ""]
            issue_of = item.issue
        out += [f"- **Recommendation {item.issue}.{item.number}** – *{texts[(item.issue, item.number)]}*",
                "    - **Action taken:** Yes",
                f"    - **Comment:** {_said(item.issue, item.number)}", ""]
    out += ["## Contact", "",
            "Drugs Policy Unit, Ministry of Health, Block 1, Plaza Building, 50–58 Long Street Lower, Capital City 2, "
            "D02 XW14.  ", "E-mail: drugspolicy@health.example", ""]
    got = _read("\n".join(out), form, "reply.md")
    assert len(got) == 16
    assert all(got[key] == ("yes", _said(*key)) for key in got), got


def test_a_last_answer_left_blank_over_a_contact_block(form, texts):
    """The last answer gives its mark and no comment; "Contact" over "Focal point: Ms. …", a
    title wrapped onto the next line and an e-mail address follows its mark line. No comment is
    read from the contact's lines; a contact block under a finished comment ends that comment."""
    def reply(last_comment: str) -> str:
        out = ["Republic of Ruritania – reply"]
        for item in form:
            key = (item.issue, item.number)
            out += [f"Recommendation {item.issue}.{item.number}", texts[key], "Action taken: No" if key == ("IV", 4)
                    else "Action taken: Yes"]
            out += [_said(*key)] if key != ("IV", 4) else ([last_comment] if last_comment else [])
        return "\n".join(out + ["Contact", "Focal point: Ms. F. W. Name, Manager, Research", "and Policy Development",
                                "E-mail: research@agency.example", ""])

    got = _read(reply(""), form, "reply.txt")
    assert got[("IV", 4)] == ("no", "")
    assert got[("IV", 3)] == ("yes", _said("IV", 3))
    got = _read(reply("A risk assessment is planned for 2025."), form, "reply.txt")
    assert got[("IV", 4)] == ("no", "A risk assessment is planned for 2025.")


def test_an_answer_left_unmarked_its_comment_right_under_the_text(form, texts):
    """A reply read by its labels ("Recommendation 2", its text, "Action taken: yes."): one answer
    gives no mark line and no label, its comment right under the recommendation's text (tpl33).
    The form's wording, word for word, says where the text stops; the lines after it are the
    comment, the mark unknown. A text that goes on past the wording within its line stays the text."""
    def reply(i2: str) -> str:
        out = ["Issue I: Use of the Internet for drug-related activities"]
        for n in (1, 2, 3):
            out += [f"Recommendation {n}", texts[("I", n)]]
            out += [i2] if n == 2 else ["Action taken: yes.", _said("I", n)]
        return "\n".join(out) + "\n"

    document = Document(id="r", file="r.txt", title="R", kind="questionnaire-response", parser="questionnaire")
    got = answers(parse_document(document, reply("The bill was tabled in 2024. It awaits a vote."), 10**6, form=form))
    assert got[("I", 2)] == ("unknown", "The bill was tabled in 2024. It awaits a vote.")
    assert got[("I", 3)] == ("yes", _said("I", 3))
    passages = parse_document(document, reply("The bill was tabled in 2024."), 10**6, form=form)
    (i2,) = [p for p in passages if p.fields["recommendation"] == 2]
    assert i2.fields["recommendation_text"] == texts[("I", 2)]
    glued = reply("").replace(texts[("I", 2)] + "\n", texts[("I", 2)] + " See annex 2.\n")
    got = answers(parse_document(document, glued, 10**6, form=form))
    assert got[("I", 2)] == ("unknown", "")
    # (review 16) a comment opening on a bracket or a quote keeps it; the form's own blanks and a
    # source line under the text are no comment
    for said in ("(a) The Cybercrime Act was adopted in 2021.", "“Cybercrime Act” No. 5 was adopted in 2021."):
        assert answers(parse_document(document, reply(said), 10**6, form=form))[("I", 2)] == ("unknown", said)
    for blank in ("☐ Yes ☐ No", "Yes / No", "[ ] Yes [ ] No\nComments", "Please describe the measures taken:",
                  "(Please tick as appropriate)", "Source: UNODC, 2019"):
        assert answers(parse_document(document, reply(blank), 10**6, form=form))[("I", 2)] == ("unknown", ""), blank
    listed = "The following measures were taken in 2023:\n- the Cybercrime Act was adopted;\n- a unit was set up."
    assert answers(parse_document(document, reply(listed), 10**6, form=form))[("I", 2)][1].startswith(
        "The following measures were taken in 2023:")  # (review 17: a sentence announcing a list is a comment's)
    # ... and the last answer, left unmarked and blank, gives no comment of the letter's sign-off
    signed = reply("").rstrip("\n").rsplit("\n", 2)[0] + "\n\nYours sincerely,\n\nJohn Smith\nDirector, Drug Control\n"
    assert answers(parse_document(document, signed, 10**6, form=form))[("I", 3)] == ("unknown", "")


def test_labels_in_capitals_and_a_contact_sub_heading_within_the_last_comment(form, texts):
    """(review 16) "ACTION TAKEN" over "Yes" over "COMMENTS": labels in capitals, no signatory
    over a title, so the last comment is read. A "### Contact point" sub-heading over sentences
    inside the last comment is the comment's: a contact block is a name, an address, a number."""
    out = ["REPUBLIC OF RURITANIA", "Reply to the questionnaire", ""]
    for item in form:
        out += [f"RECOMMENDATION {item.issue}.{item.number}", texts[(item.issue, item.number)], "ACTION TAKEN", "Yes",
                "COMMENTS", _said(item.issue, item.number), ""]
    assert _read("\n".join(out), form, "reply.txt")[("IV", 4)] == ("yes", _said("IV", 4))
    out = []
    for item in form:
        out += [f"### Recommendation {item.number}", "", texts[(item.issue, item.number)], "", "**Action taken:** Yes",
                "", f"**Comment:** {_said(item.issue, item.number)}", ""]
    out += ["### Contact point", "", "The FIU designated a contact point for UNODC in 2022, who meets the Global "
            "Programme twice a year.", ""]
    assert _read("\n".join(out), form, "reply.md")[("IV", 4)] == ("yes", _said("IV", 4) + " Contact point The FIU "
                                                                  "designated a contact point for UNODC in 2022, who "
                                                                  "meets the Global Programme twice a year.")
