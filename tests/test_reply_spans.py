"""Replies as tpl35's (written by a helper who had not read the parser) set them: a web page's
single table whose issue cells span their rows and whose "Action taken" head spans "Yes | No",
a tick in one of the two; and an e-mail whose last answer is followed by the sender's hope that
the reply helps. Each reply is dropped into a copy of the corpus folder and read as the build reads it.
"""
from __future__ import annotations

from indexer.formats import extract_bytes
from test_form_reply_exports import KEYS, _read

TITLES = {"I": "Use of the Internet", "II": "Alternatives to imprisonment", "III": "Gender perspectives",
          "IV": "Money-laundering"}


def _said(key) -> str:
    return f"The unit acted on {key[0]}.{key[1]} in 2019."


def _spanned_table(texts: dict, no: set) -> str:
    rows = []
    for key in KEYS:
        count = sum(1 for k in KEYS if k[0] == key[0])
        issue = f'<td rowspan="{count}">{key[0]}. {TITLES[key[0]]}</td>' if key[1] == 1 else ""
        yes_cell, no_cell = ("", "&#10004;") if key in no else ("&#10004;", "&nbsp;")
        rows.append(f"<tr>{issue}<td>{key[1]}</td><td>{texts[key]}</td><td>{yes_cell}</td><td>{no_cell}</td>"
                    f"<td><p>{_said(key)}</p></td></tr>")
    return ("<html><body><h1>Reply of Ruritania</h1><p>A ✔ in the column “Yes” or “No” says whether action was "
            "taken.</p><table><thead><tr><th rowspan='2'>Issue</th><th rowspan='2'>No.</th><th rowspan='2'>"
            "Recommendation</th><th colspan='2'>Action taken</th><th rowspan='2'>Comments</th></tr>"
            "<tr><th>Yes</th><th>No</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></body></html>")


def test_a_web_tables_spanning_cells_keep_each_tick_under_its_head(tmp_path, texts):
    """The header's second row, "Yes | No", stands under "Action taken", which spans two columns;
    an issue's cell spans its rows. Laid on the table's grid (a spanned cell an empty one), each
    row's tick stands under its own head: a ✔ under "No" marks no, not yes."""
    no = {("II", 3), ("III", 3), ("IV", 2)}
    page = _spanned_table(texts, no)
    text = extract_bytes(page.encode(), "html").text
    assert "\t\t\tYes\tNo\t" in text  # under "Issue", "No." and "Recommendation", spanning two rows
    assert f"\n\t2\t{texts[('I', 2)]}\t✔\t\t" in text  # (the issue's cell spans I.2's row)
    _, got = _read(tmp_path, "ruritania-reply.html", page)
    assert got == {key: ("no" if key in no else "yes", _said(key)) for key in KEYS}


def test_a_row_short_of_cells_under_a_cell_spanning_it():
    """(review 16) Row 2 gives no cell under "No" while row 1's comment spans it: row 3 still
    lines up with the header, five cells."""
    page = ("<table><tr><th>No.</th><th>Recommendation</th><th>Yes</th><th>No</th><th>Comments</th></tr>"
            "<tr><td>1</td><td>Text one</td><td>X</td><td></td><td rowspan='2'>One comment for 1 and 2</td></tr>"
            "<tr><td>2</td><td>Text two</td><td>X</td></tr>"
            "<tr><td>3</td><td>Text three</td><td></td><td>X</td><td>Comment on 3</td></tr></table>")
    rows = extract_bytes(page.encode(), "html").text.splitlines()
    assert rows[-1].split("\t") == ["3", "Text three", "", "X", "Comment on 3"]


def test_an_e_mails_hope_that_the_reply_helps_closes_the_last_answer(tmp_path, texts):
    """Pasted recommendations, "ANSWER: YES" and "REMARKS: …"; after the last one a blank line and
    "We trust the above information is useful. Please do not hesitate to contact …", "Thank you.",
    the signature: none of it is the last answer's comment. A remark saying it trusts a measure
    is useful stays a remark."""
    out = ["Dear colleagues,", "", "Please find our reply below.", ""]
    for key in KEYS:
        out += [texts[key], "", "ANSWER: YES", f"REMARKS: {_said(key)}", ""]
    out[-2] = "REMARKS: We trust the above measures are useful to other States. The unit acted in 2019."
    out += ["", "We trust the above information is useful. Please do not hesitate to", "contact the undersigned "
            "should you require any clarification.", "", "Thank you.", "", "Best regards,", "", "A. Name"]
    _, got = _read(tmp_path, "ruritania-reply.txt", "\n".join(out) + "\n")
    assert got[("IV", 3)] == ("yes", _said(("IV", 3)))
    assert got[("IV", 4)] == ("yes", "We trust the above measures are useful to other States. The unit acted in 2019.")
