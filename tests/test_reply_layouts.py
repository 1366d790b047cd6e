"""Marks and labels as tpl32's replies (written by a helper who had not read the parser) set them:
a Word form whose unused option is struck out ("YES / ~~NO~~"), radio buttons printed as filled
and empty circles ("● Yes ○ No"), a web page's definition list in two languages ("Action taken
/ Medida adoptada" over "Yes / Sí", "Comments / Comentarios"), and a contact block closing the
last answer ("CONTACT" over "For any further information, please contact:", "Contacto /
Contact: …"). Each reply is dropped into a copy of the corpus folder and read as the build reads it.
"""
from __future__ import annotations

import io

from test_form_reply_exports import KEYS, _read

MARKS = ["yes", "no", "unknown"]
TITLES = {"I": "Use of the Internet", "II": "Alternatives to imprisonment", "III": "Gender perspectives",
          "IV": "Money-laundering"}


def _want(k: int, key) -> tuple[str, str]:
    return MARKS[k % 3], f"The unit acted on {key[0]}.{key[1]} in 2019."


def _word_reply(texts: dict, mark_line, note: str = "") -> bytes:
    """A Word reply: each issue's heading, "Recommendation n", the text, "Any action taken" with
    its options as `mark_line(paragraph, k)` writes them, "Comments:" and the comment."""
    import docx

    document = docx.Document()
    document.add_paragraph("MINISTRY OF JUSTICE OF RURITANIA")
    if note:
        document.add_paragraph(note)
    for k, key in enumerate(KEYS):
        if key[1] == 1:
            document.add_heading(f"Issue {key[0]}: {TITLES[key[0]]}", level=1)
        document.add_paragraph(f"Recommendation {key[1]}")
        document.add_paragraph(texts[key])
        mark_line(document.add_paragraph("Any action taken"), k)
        document.add_paragraph("Comments:")
        document.add_paragraph(_want(k, key)[1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_forms_option_struck_out_is_withdrawn(tmp_path, texts):
    """"Any action taken: YES / NO" on every row, the option that does not apply struck through
    (single or double strike); neither struck, no mark."""

    def mark_line(line, k: int) -> None:
        line.add_run(":    ")
        yes, _, no = line.add_run("YES"), line.add_run(" / "), line.add_run("NO")
        if MARKS[k % 3] == "yes":
            no.font.strike = True
        elif MARKS[k % 3] == "no":
            yes.font.double_strike = True

    raw = _word_reply(texts, mark_line, "Note: in the line “Any action taken” the option that does not apply has "
                                        "been struck out.")
    _, got = _read(tmp_path, "ruritania-cnd-reply.docx", None, raw=raw)
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}


def test_radio_buttons_printed_as_circles(tmp_path, texts):
    """"● Yes ○ No": the filled circle is the answer retained; two empty circles, none. The
    legend explaining the circles before the first answer is no answer; the contact block after
    the last ("CONTACT", "For any further information, please contact:") is no comment."""
    circles = {"yes": "● Yes ○ No", "no": "○ Yes ● No", "unknown": "○ Yes ○ No"}
    out = ["Reply of Ruritania. The answer retained is indicated by a filled circle (●); the option not "
           "retained is shown as an empty circle (○).\n"]
    for k, key in enumerate(KEYS):
        mark, comment = _want(k, key)
        out.append(f"Issue {key[0]}: {TITLES[key[0]]}\n" * (key[1] == 1) + f"Recommendation {key[1]}\n{texts[key]}\nAny action taken: {circles[mark]}\nComments:\n{comment}\n")
    out.append("CONTACT\nFor any further information, please contact:\nMs A. B., Ministry of Justice, Tel.: +1 555 0100\n")
    _, got = _read(tmp_path, "ruritania-cnd-reply.txt", "\n".join(out))
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}


def test_a_definition_list_in_two_languages(tmp_path, texts):
    """A web page's <dl>: "Action taken / Medida adoptada" over "Yes / Sí" (one mark, two
    languages), "Comments / Comentarios" over the comment; the contact line in two languages
    ("Contacto / Contact: …") closes the last answer."""
    said = {"yes": "Yes / Sí", "no": "No", "unknown": ""}
    rows = []
    for k, key in enumerate(KEYS):
        mark, comment = _want(k, key)
        mark_item = f"<dt>Action taken / Medida adoptada</dt><dd>{said[mark]}</dd>" if said[mark] else ""
        rows.append(f"<h2>Issue {key[0]}: {TITLES[key[0]]}</h2>" * (key[1] == 1) + f"<h3>Recommendation {key[1]}</h3><blockquote><p>{texts[key]}</p></blockquote>"
                    f"<dl>{mark_item}<dt>Comments / Comentarios</dt><dd><p>{comment}</p></dd></dl>")
    page = ("<html><body><nav><a href='/'>Inicio</a></nav><main><h1>Respuesta de Ruritania</h1>" + "".join(rows)
            + "<p>Contacto / Contact: Unidad de Relaciones Internacionales, San José. Tel. (506) 2527-6400.</p>"
            "</main><footer>Compartir</footer></body></html>")
    _, got = _read(tmp_path, "ruritania-respuesta.html", page)
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}


def _labelled_reply(texts, mark_line, comments: dict, last: str = "") -> str:
    out = []
    for k, key in enumerate(KEYS):
        if key[1] == 1:
            out.append(f"Issue {key[0]}: {TITLES[key[0]]}")
        out += [f"Recommendation {key[1]}", texts[key], mark_line(k), "Comments:", comments.get(key, _want(k, key)[1]), ""]
    return "\n".join(out) + last


def test_what_these_readings_do_not_take(tmp_path, texts):
    """Found by review: a list's ● bullets before "No" are no radio buttons; "Any action taken /
    YES" is a mark, not the label's second language; the last comment keeps "Please contact the
    helpline (0800 123) if …", a "Contacts" sub-heading and "Details / breakdown by province:";
    a note's closing formula under a last line with no full stop ends the comment there."""
    last = KEYS[-1]
    comments = {KEYS[0]: "● No specialised unit existed before 2019.\n● Yearly training is given to 300 officers.",
                KEYS[1]: "Details / breakdown by province are given below:\nNorth: 120 officers. South: 80.",
                last: "The FIU acted in 2019.\nContacts\nThe FIU keeps contacts with 150 counterparts.\n"
                      "Suspicious reports reach it at str@fiu.example.\n"
                      "Please contact the national helpline (0800 123) if you suspect a case.\n"
                      "The full risk assessment is published on the FIU website"}
    formula = ("The Permanent Mission of Ruritania to the United Nations and other International Organizations in\n"
               "Vienna avails itself of this opportunity to renew the assurances of its highest consideration.\n")
    reply = _labelled_reply(texts, lambda k: "Any action taken / " + ("YES" if k % 2 == 0 else "NO"), comments, formula)
    _, got = _read(tmp_path, "ruritania-cnd-reply.txt", reply)
    assert [got[key][0] for key in KEYS[:4]] == ["yes", "no", "yes", "no"]
    assert got[KEYS[0]][1] == "● No specialised unit existed before 2019. ● Yearly training is given to 300 officers."
    assert got[KEYS[1]][1].startswith("Details / breakdown by province are given below:")
    assert got[last][1] == " ".join(comments[last].split("\n"))


def test_a_word_documents_struck_amendment_stays_text(tmp_path):
    """Only a form's option struck out is withdrawn; a law's old wording struck through in a
    report (an amendment shown as Word shows it) is still its text, and found by search."""
    import docx

    from indexer.formats import extract_bytes

    document = docx.Document()
    line = document.add_paragraph("Article 47(1) was amended to read: possession is punished by ")
    line.add_run("imprisonment of up to one year").font.strike = True
    line.add_run(" a fine or a referral to treatment.")
    out = io.BytesIO()
    document.save(out)
    assert "imprisonment of up to one year a fine" in extract_bytes(out.getvalue(), "docx").text


def test_a_mark_run_into_its_comment_and_a_contact_block(tmp_path, texts):
    """tpl33's LaTeX reply: "Action taken: yes. NAMPOL established …", the comment going on after
    the mark on its line; the last answer ends where "Contact" heads a name, a title and a
    telephone number."""
    out = []
    for k, key in enumerate(KEYS):
        if key[1] == 1:
            out.append(f"Issue {key[0]}: {TITLES[key[0]]}")
        mark, comment = ("yes", "no")[k % 2], f"The unit acted on {key[0]}.{key[1]} in 2019."
        out += [f"{k + 1}.{key[1]} Recommendation {key[1]}", texts[key], f"Action taken: {mark}. {comment}", ""]
    out.append("Contact\nDeputy Commissioner A. B.\nHead, Drug Law Enforcement Unit\nTel.: +264 61 209 4111\n")
    _, got = _read(tmp_path, "ruritania-cnd-reply.txt", "\n".join(out))
    assert got == {key: (("yes", "no")[k % 2], f"The unit acted on {key[0]}.{key[1]} in 2019.")
                   for k, key in enumerate(KEYS)}


def test_paragraphs_opening_on_the_number_with_the_mark_in_brackets_at_the_end(tmp_path):
    """tpl33's memo: "Rec. II.3 — <the answer, wrapped> (Yes)", a reply with the mark alone ("Rec.
    II.2 — (No)"), one with neither ("Rec. II.6 —"); a line of the answer may end on ";" or begin
    with a capital; the letter's offer of further information closes the last answer."""
    out = ["Memo No. 117. Replies are referred to by recommendation number (for example, Rec. II.3\n"
           "refers to Issue II, Recommendation 3); the answer to \"Any action taken?\" is shown in brackets.\n"]
    want = {}
    for k, (issue, n) in enumerate(KEYS):
        if n == 1:
            out.append(f"Issue {issue}: {TITLES[issue]}")
        if k % 5 == 3:
            out.append(f"Rec. {issue}.{n} — (No)")
            want[(issue, n)] = ("no", "")
        elif k % 5 == 4:
            out.append(f"Rec. {issue}.{n} —")
            want[(issue, n)] = ("unknown", "")
        else:
            comment = (f"Since 2021 the Department has recorded {issue}.{n} data by sex and age;\n"
                       f"Bangladesh Police published the {issue}.{n} figures in {2000 + k} in a yearly report.")
            out.append(f"Rec. {issue}.{n} — {comment}" + (" (Yes)" if k % 2 else ""))
            want[(issue, n)] = ("yes" if k % 2 else "unknown", " ".join(comment.split("\n")))
    out.append("The Department remains available to provide any further\ninformation that the Secretariat may "
               "require.\n(A. B. Director)\nPhone: +880 2 8870 1234")
    document, got = _read(tmp_path, "ruritania-memo.txt", "\n".join(out) + "\n")
    assert document.parser == "questionnaire-numbers", document.parser_reason
    assert got == want


def test_a_french_reply_with_no_break_spaces_before_its_colons(tmp_path):
    """A French reply as LibreOffice writes it: "Mesures prises\u00a0: Oui", "Observations\u00a0:" (a
    no-break space before each colon, as French sets it), closed by "Point de contact\u00a0: …"."""
    from test_formats_odt import odt

    titles = {"I": "Utilisation d’Internet", "II": "Mesures de substitution", "III": "Perspectives de genre",
              "IV": "Blanchiment d’argent"}
    said = {"yes": "Oui", "no": "Non", "unknown": ""}
    body = []
    for k, key in enumerate(KEYS):
        if key[1] == 1:
            body.append(f"<text:p>Thème {key[0]}\u00a0: {titles[key[0]]}</text:p>")
        mark, comment = _want(k, key)
        body.append(f"<text:p>Recommandation {key[1]}</text:p><text:p>Les gouvernements devraient agir sur {key[0]}.{key[1]}."
                    f"</text:p><text:p>Mesures prises\u00a0: {said[mark]}</text:p><text:p>Observations\u00a0:</text:p>"
                    f"<text:p>{comment}</text:p>")
    body.append("<text:p>Point de contact\u00a0: Lieutenant-colonel R. H., tél.\u00a0: +961 1 425 250</text:p>")
    _, got = _read(tmp_path, "ruritanie-reponse.odt", None, raw=odt("".join(body)))
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}


def test_the_answer_highlighted_among_the_options(tmp_path, texts):
    """"Please highlight the applicable answer": a Google Docs export marks it by a class whose
    background is yellow (its stylesheet dropped with the page's chrome), a page by <mark> or an
    inline style, Word by its highlighter or a shading; the other option, and both when neither
    is highlighted, stay plain. Read as a ticked box before the option."""
    from docx.enum.text import WD_COLOR_INDEX

    def options(k: int, plain: str, marked: str) -> str:
        mark = MARKS[k % 3]
        return " ".join(marked.format(word) if mark == {"YES": "yes", "NO": "no"}[word] else plain.format(word)
                        for word in ("YES", "NO"))

    page = ["<html><head><style>.c1{color:#000000}.c9{background-color:#ffff00;font-weight:700}</style></head><body>"]
    styles = ('<span class="c9">{}</span>', "<mark>{}</mark>", '<span style="background: yellow">{}</span>')
    plain_span = '<span class="c1">{}</span>'
    for k, key in enumerate(KEYS):
        if key[1] == 1:
            page.append(f"<h2>Issue {key[0]}: {TITLES[key[0]]}</h2>")
        said = options(k, plain_span, styles[k % 3])
        page.append(f"<p>Recommendation {key[1]}</p><p>{texts[key]}</p><p>Any action taken {said}</p><p>Comments:</p>"
                    f"<p>{_want(k, key)[1]}</p>")
    _, got = _read(tmp_path / "html", "ruritania-reply.html", "".join(page) + "</body></html>")
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}

    def mark_line(line, k: int) -> None:
        for word in ("YES", "NO"):
            run = line.add_run(" " + word)
            if MARKS[k % 3] == word.lower():
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    raw = _word_reply(texts, mark_line)
    _, got = _read(tmp_path / "docx", "ruritania-reply.docx", None, raw=raw)
    assert got == {key: _want(k, key) for k, key in enumerate(KEYS)}


def test_a_highlight_is_an_answer_only_beside_an_option_left_plain():
    """Shading every option (a table's header cells "Yes" and "No", each alone in its cell) or
    highlighting a "Yes" in a sentence is styling: no box is read into the text."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    from indexer.formats import extract_bytes

    page = ("<html><head><style>.h{background-color:#d9d9d9}</style></head><body><table><tr>"
            "<th><span class='h'>Yes</span></th><th><span class='h'>No</span></th></tr></table>"
            "<p>Any action taken <mark>YES</mark> <mark>NO</mark></p><p>The answer is <mark>Yes</mark>.</p></body></html>")
    assert "☒" not in extract_bytes(page.encode(), "html").text
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    for cell, word in zip(table.rows[0].cells, ("Yes", "No")):
        cell.paragraphs[0].add_run(word).font.highlight_color = WD_COLOR_INDEX.GRAY_25
    line = document.add_paragraph("Any action taken ")
    for word in ("YES ", "NO"):
        line.add_run(word).font.highlight_color = WD_COLOR_INDEX.YELLOW
    out = io.BytesIO()
    document.save(out)
    assert "☒" not in extract_bytes(out.getvalue(), "docx").text
